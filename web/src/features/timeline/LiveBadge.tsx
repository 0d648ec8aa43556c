import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LiveState } from './live';

/** Whether the live stream is connected. */
export function LiveBadge({ state, dark = false }: { state: LiveState; dark?: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge
      status={state === 'open' ? 'processing' : 'warning'}
      color={state === 'open' ? '#52c41a' : undefined}
      text={<span style={{ color: dark ? '#d9d9d9' : undefined }}>{t(`live.${state}`)}</span>}
      data-testid="live-state"
      data-state={state}
    />
  );
}
