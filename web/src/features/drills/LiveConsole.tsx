import { CaretRightOutlined, DesktopOutlined, MobileOutlined, PauseOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Flex, Popconfirm, Row, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorText } from '../../api/client';
import type { EscalationClock, TimelineEntry, Transition } from '../../api/types';
import { DrillClock } from '../timeline/DrillClock';
import { EntryBox, type ReportPreset } from '../timeline/EntryBox';
import { EscalationPanel } from '../timeline/EscalationPanel';
import { LiveBadge } from '../timeline/LiveBadge';
import { TimelineList } from '../timeline/TimelineList';
import { Checklist } from './Checklist';
import { InjectQueue } from './InjectQueue';
import type { useLiveDrill } from './useLiveDrill';

type Live = ReturnType<typeof useLiveDrill>;

/** Start / pause / resume / end, as the caller's abilities allow. */
export function TransitionButtons({ live, names, size = 'large' }: { live: Live; names: Transition[]; size?: 'middle' | 'large' }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<Transition | null>(null);
  const run = async (name: Transition) => {
    setBusy(name);
    try {
      await live.transition(name);
      message.success(t(`drill.transitionDone.${name}`));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(null);
    }
  };
  const icons: Partial<Record<Transition, React.ReactNode>> = { start: <CaretRightOutlined />, resume: <CaretRightOutlined />, pause: <PauseOutlined />, end: <StopOutlined /> };
  return (
    <Space wrap>
      {names
        .filter((n) => live.abilities.includes(n))
        .map((name) => {
          const button = (
            <Button
              key={name}
              size={size}
              type={name === 'start' || name === 'resume' || name === 'approve' ? 'primary' : 'default'}
              danger={name === 'end'}
              icon={icons[name]}
              loading={busy === name}
              onClick={name === 'end' || name === 'close' ? undefined : () => void run(name)}
              data-testid={`drill-${name}`}
            >
              {t(`drill.transitions.${name}`)}
            </Button>
          );
          return name === 'end' || name === 'close' ? (
            <Popconfirm key={name} title={t(`drill.confirm.${name}`)} okText={t('common.confirm')} cancelText={t('common.cancel')} onConfirm={() => run(name)} okButtonProps={{ 'data-testid': 'confirm-ok' } as never}>
              {button}
            </Popconfirm>
          ) : (
            button
          );
        })}
    </Space>
  );
}

/** The coordinator's live console: clock and controls, injects to come, the timeline with its entry box, escalation clocks, checklists. */
export function LiveConsole({ live }: { live: Live }) {
  const { t } = useTranslation();
  const drill = live.drill.data!;
  const view = live.timeline.data;
  const [correcting, setCorrecting] = useState<TimelineEntry | null>(null);
  const [preset, setPreset] = useState<ReportPreset | null>(null);
  const status = view?.drill.status ?? drill.status;
  const clockTime = view ? { drillTimeMs: view.drill.drillTimeMs, fetchedAt: view.fetchedAt } : { drillTimeMs: drill.drillTimeMs, fetchedAt: drill.fetchedAt };
  const canWrite = live.kinds.length > 0;
  const onReport = (clock: EscalationClock) => setPreset({ ruleKey: clock.ruleKey, recipient: clock.recipient, channel: clock.channel, requiredFields: clock.requiredFields });

  return (
    <div data-testid="live-console">
      <Card variant="borderless" style={{ marginBottom: 16 }} styles={{ body: { padding: '16px 24px' } }}>
        <Flex justify="space-between" align="center" gap={16} wrap>
          <DrillClock drillTimeMs={clockTime.drillTimeMs} fetchedAt={clockTime.fetchedAt} status={status} size="large" />
          <Flex vertical gap={12} align="flex-end">
            <TransitionButtons live={live} names={['start', 'pause', 'resume', 'end']} />
            <Space size={16} wrap>
              <LiveBadge state={live.live} />
              <Link to={`/drills/${drill.id}/wall`} target="_blank" data-testid="open-wall">
                <DesktopOutlined /> {t('drill.wallView')}
              </Link>
              <Link to={`/drills/${drill.id}/respond`} data-testid="open-respond">
                <MobileOutlined /> {t('drill.respondView')}
              </Link>
            </Space>
          </Flex>
        </Flex>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          {canWrite && (
            <Card variant="borderless" size="small" title={t('entry.title')} style={{ marginBottom: 16 }}>
              <EntryBox
                kinds={live.kinds}
                rules={drill.escalationRules}
                onSubmit={live.addEntry}
                correcting={correcting}
                onCancelCorrect={() => setCorrecting(null)}
                reportPreset={preset}
                onPresetUsed={() => setPreset(null)}
                autoFocus
              />
            </Card>
          )}
          <Card variant="borderless" size="small" title={t('timeline.title')} extra={t('timeline.count', { count: view?.entries.length ?? 0 })} loading={!view}>
            {view && <TimelineList actorNames={live.actorNames} entries={view.entries} basis="drill" exercise onCorrect={canWrite ? setCorrecting : undefined} />}
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card variant="borderless" size="small" title={t('escalation.title')} style={{ marginBottom: 16 }} loading={!view}>
            {view && <EscalationPanel clocks={view.escalations} fetchedAt={view.fetchedAt} ticking={status === 'running'} onReport={live.kinds.includes('report') ? onReport : undefined} />}
          </Card>
          {/* A long script scrolls inside its card, so the checklist below stays in reach. */}
          <Card variant="borderless" size="small" title={t('inject.upcoming')} style={{ marginBottom: 16 }} styles={{ body: { maxHeight: 520, overflowY: 'auto' } }}>
            <InjectQueue drill={drill} canFire={live.abilities.includes('fire_inject') && status === 'running'} onFire={live.fire} onAdded={() => void live.refresh()} />
          </Card>
          {drill.planVersionId && (
            <Card variant="borderless" size="small" title={t('checklist.title')}>
              <Checklist items={live.checklist.data ?? []} canTick={live.kinds.includes('action')} onTick={(item, done) => void live.tick(item, done)} />
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}
