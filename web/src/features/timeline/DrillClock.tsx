import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DrillStatus } from '../../api/types';
import { formatClock, useNow } from './live';

interface Props {
  /** Drill time (ms) when the view was received. */
  drillTimeMs: number;
  fetchedAt: number;
  status: DrillStatus;
  size?: 'default' | 'large' | 'huge';
}

/** The current drill time in a running drill: the server's drill time plus what elapsed here since. */
export function useDrillTime(drillTimeMs: number, fetchedAt: number, status: DrillStatus): number {
  const running = status === 'running';
  const now = useNow(running, 250);
  return running ? drillTimeMs + Math.max(0, now - fetchedAt) : drillTimeMs;
}

/** The big drill clock: HH:MM:SS of drill time, ticking while running, frozen while paused. */
export function DrillClock({ drillTimeMs, fetchedAt, status, size = 'default' }: Props) {
  const { t } = useTranslation();
  const time = useDrillTime(drillTimeMs, fetchedAt, status);
  return (
    <div className={`fd-drill-clock fd-drill-clock-${size} fd-drill-clock-${status}`} data-testid="drill-clock" data-status={status}>
      <div className="fd-drill-clock-time" data-testid="drill-clock-time">
        {formatClock(time)}
      </div>
      <Typography.Text className="fd-drill-clock-label">
        {t('drill.clockLabel')} · {t(`drillStatus.${status}`)}
      </Typography.Text>
    </div>
  );
}
