import { Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { errorText } from '../../api/client';
import { DrillClock } from '../timeline/DrillClock';
import { EscalationPanel } from '../timeline/EscalationPanel';
import { ExerciseBanner, ExerciseMark } from '../timeline/ExerciseMark';
import { LiveBadge } from '../timeline/LiveBadge';
import { TimelineList } from '../timeline/TimelineList';
import { useLiveDrill } from './useLiveDrill';

/** 大屏 (/drills/:id/wall): for the projector — dark, no menus; the clock, the escalation clocks, the latest entries. */
export function WallPage() {
  const { drillId = '' } = useParams();
  const { t } = useTranslation();
  const live = useLiveDrill(drillId);
  const drill = live.drill.data;
  const view = live.timeline.data;
  if (live.drill.isError) return <Result status="warning" title={errorText(live.drill.error)} />;
  return (
    <div className="fd-wall" data-testid="wall-page">
      <ExerciseBanner dark />
      {!drill || !view ? (
        <Skeleton active />
      ) : (
        <div className="fd-wall-grid">
          <div className="fd-wall-left">
            <div className="fd-wall-title">
              <ExerciseMark size="large" /> <span data-testid="drill-title">{drill.title}</span>
            </div>
            <DrillClock drillTimeMs={view.drill.drillTimeMs} fetchedAt={view.fetchedAt} status={view.drill.status} size="huge" />
            <div style={{ marginTop: 8 }}>
              <LiveBadge state={live.live} dark />
            </div>
            <h2 className="fd-wall-heading">{t('escalation.title')}</h2>
            <EscalationPanel clocks={view.escalations.filter((c) => c.state !== 'not_applicable')} fetchedAt={view.fetchedAt} ticking={view.drill.status === 'running'} size="large" />
          </div>
          <div className="fd-wall-right">
            <h2 className="fd-wall-heading">{t('wall.latest')}</h2>
            <TimelineList actorNames={live.actorNames} entries={view.entries} basis="drill" limit={8} size="large" exercise />
          </div>
        </div>
      )}
    </div>
  );
}
