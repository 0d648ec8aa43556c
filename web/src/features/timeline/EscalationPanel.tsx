import { CheckCircleFilled, ClockCircleOutlined, ExclamationCircleFilled, HourglassOutlined, MinusCircleOutlined, SendOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { EscalationClock } from '../../api/types';
import { taxonomyLabels, useTaxonomy } from './api';
import { formatCountdown, minutes, useNow } from './live';

interface Props {
  clocks: EscalationClock[];
  /** When the clocks were computed by the server (Date.now() at receipt). */
  fetchedAt: number;
  /** Whether time runs (a running drill, or a real incident on wall time). */
  ticking: boolean;
  size?: 'default' | 'large';
  /** Offer a "report now" button for open clocks. */
  onReport?: (clock: EscalationClock) => void;
  /** Drill clocks run on drill time, incident clocks on wall time. */
  basis?: 'drill' | 'wall';
}

function ClockRow({ clock, elapsed, size, onReport }: { clock: EscalationClock; elapsed: number; size: 'default' | 'large'; onReport?: (clock: EscalationClock) => void }) {
  const { t } = useTranslation();
  const labels = taxonomyLabels(useTaxonomy().data);
  let state = clock.state;
  let icon: ReactNode;
  let big: string;
  let detail: string;
  const remaining = clock.remainingMs !== null ? clock.remainingMs - elapsed : null;
  if (state === 'pending' && remaining !== null && remaining < 0) state = 'overdue';
  switch (state) {
    case 'pending':
      icon = <HourglassOutlined />;
      big = formatCountdown(remaining ?? 0);
      detail = t('escalation.pending', { minutes: clock.withinMinutes });
      break;
    case 'overdue': {
      const late = clock.state === 'overdue' ? (clock.lateByMs ?? 0) + elapsed : -(remaining ?? 0);
      icon = <ExclamationCircleFilled />;
      big = `+${formatCountdown(late)}`;
      detail = t('escalation.overdue', { minutes: minutes(late) });
      break;
    }
    case 'met':
      icon = <CheckCircleFilled />;
      big = t('escalation.metShort');
      detail = t('escalation.met', { minutes: minutes((clock.reportedAtMs ?? 0) - (clock.triggeredAtMs ?? 0)), within: clock.withinMinutes });
      break;
    case 'late':
      icon = <ExclamationCircleFilled />;
      big = t('escalation.lateShort', { minutes: minutes(clock.lateByMs ?? 0) });
      detail = t('escalation.late', { minutes: minutes(clock.lateByMs ?? 0) });
      break;
    case 'not_applicable':
      icon = <MinusCircleOutlined />;
      big = '—';
      detail = t('escalation.notApplicable');
      break;
    default:
      icon = <ClockCircleOutlined />;
      big = `${clock.withinMinutes}′`;
      detail = t('escalation.waiting', { minutes: clock.withinMinutes });
  }
  const open = state === 'pending' || state === 'overdue' || state === 'waiting';
  return (
    <div className={`fd-clock fd-clock-${state}${size === 'large' ? ' fd-clock-large' : ''}`} data-testid="escalation-clock" data-state={state} data-rule={clock.ruleKey}>
      <div className="fd-clock-main">
        <div className="fd-clock-recipient">
          {icon} {clock.recipient}
        </div>
        <div className="fd-clock-sub">
          {t(`reportChannels.${clock.channel}`, { defaultValue: clock.channel })} · {t('escalation.within', { minutes: clock.withinMinutes })}
        </div>
        <div className="fd-clock-sub">{detail}</div>
        {clock.missingFields.length > 0 && <div className="fd-clock-missing">{t('escalation.missing', { fields: clock.missingFields.map(labels.field).join('、') })}</div>}
      </div>
      <Flex vertical align="flex-end" gap={4}>
        <div className="fd-clock-big" data-testid="escalation-countdown">
          {big}
        </div>
        {onReport && open && (
          <Button size="small" icon={<SendOutlined />} onClick={() => onReport(clock)} data-testid="escalation-report">
            {t('escalation.reportNow')}
          </Button>
        )}
      </Flex>
    </div>
  );
}

/** The escalation clocks: countdown while pending, green when met (with minutes taken), red when late or overdue. */
export function EscalationPanel({ clocks, fetchedAt, ticking, size = 'default', onReport, basis = 'drill' }: Props) {
  const { t } = useTranslation();
  const now = useNow(ticking, 500);
  const elapsed = ticking ? Math.max(0, now - fetchedAt) : 0;
  if (clocks.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('escalation.none')} />;
  return (
    <div className="fd-clocks" data-testid="escalation-panel">
      {clocks.map((clock) => (
        <ClockRow key={clock.ruleKey} clock={clock} elapsed={elapsed} size={size} onReport={onReport} />
      ))}
      {size !== 'large' && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {basis === 'drill' ? t('escalation.hint') : t('escalation.hintWall')}
        </Typography.Text>
      )}
    </div>
  );
}
