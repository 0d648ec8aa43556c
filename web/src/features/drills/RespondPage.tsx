import { LeftOutlined } from '@ant-design/icons';
import { Alert, Badge, Empty, Result, Skeleton, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { errorText } from '../../api/client';
import type { TimelineEntry } from '../../api/types';
import { useSession } from '../../app/session';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { DrillClock } from '../timeline/DrillClock';
import { EntryBox } from '../timeline/EntryBox';
import { ExerciseBanner, ExerciseMark } from '../timeline/ExerciseMark';
import { LiveBadge } from '../timeline/LiveBadge';
import { formatClock } from '../timeline/live';
import { channelIcon } from '../timeline/meta';
import { TimelineList } from '../timeline/TimelineList';
import { Checklist } from './Checklist';
import { useLiveDrill } from './useLiveDrill';

/** One inject as a responder receives it: big type, channel and sender first, marked 【演练】. */
function InjectCard({ entry, fresh }: { entry: TimelineEntry; fresh: boolean }) {
  const { t } = useTranslation();
  const inject = entry.data.inject;
  return (
    <div className={`fd-inject-card${fresh ? ' fd-inject-card-fresh' : ''}`} data-testid="inject-card" data-key={inject?.key}>
      <div className="fd-inject-card-head">
        <span className={`fd-inject-icon fd-inject-icon-${inject?.channel ?? 'chat'}`}>{channelIcon(inject?.channel)}</span>
        <div style={{ flex: 1, minWidth: 0 }}>
          <div className="fd-inject-sender">{inject?.sender ?? entry.actorLabel}</div>
          <div className="fd-inject-meta">
            {t(`injectChannels.${inject?.channel ?? 'chat'}`, { defaultValue: inject?.channel })} · {entry.drillTimeMs !== null ? formatClock(entry.drillTimeMs) : ''} · {dayjs(entry.at).format('HH:mm:ss')}
          </div>
        </div>
        <ExerciseMark />
      </div>
      <div className="fd-inject-content" data-testid="inject-content">
        {entry.text}
      </div>
    </div>
  );
}

/** 处置人员视图 (/drills/:id/respond): made for a phone — the injects that reached me, the entry box, my checklist. */
export function RespondPage() {
  const { drillId = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useSession();
  const live = useLiveDrill(drillId);
  const drill = live.drill.data;
  const view = live.timeline.data;

  if (live.drill.isError) return <Result status="warning" title={errorText(live.drill.error)} />;
  if (!drill || !view) return <Skeleton active style={{ padding: 16 }} />;

  const status = view.drill.status;
  const isLive = status === 'running' || status === 'paused';
  const myRoles = drill.participants.filter((p) => p.userId === user?.id).map((p) => p.role as string);
  const forMe = (e: TimelineEntry) => {
    const to = e.data.inject?.recipients ?? ['all'];
    return myRoles.length === 0 || to.includes('all') || to.some((r) => myRoles.includes(r));
  };
  const injects = view.entries.filter((e) => e.kind === 'inject' && forMe(e)).reverse();
  const newestSeq = injects[0]?.seq;
  const others = view.entries.filter((e) => e.kind !== 'inject' && e.kind !== 'status_change');

  return (
    <div className="fd-respond" data-testid="respond-page" data-status={status}>
      <header className="fd-respond-header">
        <Link to={`/drills/${drill.id}`} aria-label={t('drill.backToDrill')} className="fd-respond-back">
          <LeftOutlined />
        </Link>
        <div style={{ flex: 1, minWidth: 0 }}>
          <div className="fd-respond-title">
            <ExerciseMark /> <span data-testid="drill-title">{drill.title}</span>
          </div>
          <LiveBadge state={live.live} />
        </div>
        <DrillClock drillTimeMs={view.drill.drillTimeMs} fetchedAt={view.fetchedAt} status={status} size="default" />
      </header>
      <ExerciseBanner />
      <main className="fd-respond-main">
        {!isLive && <Alert type="info" showIcon title={t(`respond.notLive.${status}`, { defaultValue: t('respond.notLiveOther') })} style={{ marginBottom: 12 }} />}
        {status === 'paused' && <Alert type="warning" showIcon title={t('respond.paused')} style={{ marginBottom: 12 }} />}
        {live.kinds.length > 0 && (
          <section className="fd-respond-section">
            <EntryBox kinds={live.kinds} rules={drill.escalationRules} onSubmit={live.addEntry} size="large" />
          </section>
        )}
        <section className="fd-respond-section">
          <Typography.Title level={5} style={{ margin: '0 0 8px' }}>
            {t('respond.injects')} <Badge count={injects.length} color="#cf1322" showZero />
          </Typography.Title>
          {injects.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('respond.noInjects')} />
          ) : (
            <div data-testid="inject-cards">
              {injects.map((e) => (
                <InjectCard key={e.id} entry={e} fresh={e.seq === newestSeq} />
              ))}
            </div>
          )}
        </section>
        {drill.planVersionId && (
          <section className="fd-respond-section">
            <Typography.Title level={5} style={{ margin: '0 0 8px' }}>
              {t('checklist.mine')}
            </Typography.Title>
            <Checklist items={live.checklist.data ?? []} roles={myRoles.length ? myRoles : undefined} canTick={live.kinds.includes('action')} onTick={(item, done) => void live.tick(item, done)} size="large" />
          </section>
        )}
        <section className="fd-respond-section">
          <Typography.Title level={5} style={{ margin: '0 0 8px' }}>
            {t('respond.recent')}
          </Typography.Title>
          <TimelineList actorNames={live.actorNames} entries={others} basis="drill" limit={15} />
        </section>
        <div style={{ textAlign: 'center', padding: 16 }}>
          <LanguageSwitch />
        </div>
      </main>
    </div>
  );
}
