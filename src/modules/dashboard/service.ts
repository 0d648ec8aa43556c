import type { ServiceContext } from '../../context.js';
import { listActions } from '../actions/service.js';
import { getEvaluation } from '../drills/evaluation.js';
import { listDrills } from '../drills/service.js';
import { listProgramme } from '../programme/service.js';
import type { Dashboard, DashboardDrill, DashboardQuery } from './schema.js';

const CHINA_OFFSET_MS = 8 * 3600_000;

/** The calendar year of an instant in China (our users' calendar). */
function chinaYear(at: Date | string): number {
  return new Date(new Date(at).getTime() + CHINA_OFFSET_MS).getUTCFullYear();
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/**
 * The year across drills: the programme done vs due, each drill started in the year with its response times,
 * escalation rules and objective ratings (oldest first, for trends), and the corrective-action backlog with
 * what is overdue. Read from the programme, drill, evaluation and corrective-action services.
 */
export async function getDashboard(ctx: ServiceContext, query: DashboardQuery): Promise<Dashboard> {
  const year = query.year ?? chinaYear(ctx.clock.now());
  const [programme, drills, actions] = await Promise.all([listProgramme(ctx, year), listDrills(ctx), listActions(ctx, {})]);

  const started = drills
    .filter((d): d is typeof d & { startedAt: string } => d.startedAt !== null && chinaYear(d.startedAt) === year)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  // One evaluation per drill, concurrently: PostgreSQL answers them over its pool; PGlite queues them.
  const evaluations = await Promise.all(started.map((drill) => getEvaluation(ctx, drill.id)));
  const rows = started.map((drill, i): DashboardDrill => {
    const { metrics, objectives } = evaluations[i];
    const ratings = countBy(objectives, (o) => o.rating ?? 'unrated');
    return {
      id: drill.id,
      title: drill.title,
      status: drill.status,
      mode: drill.mode,
      startedAt: drill.startedAt,
      endedAt: drill.endedAt,
      exercise: true,
      timeToDetectMs: metrics.timeToDetectMs,
      timeToFirstReportMs: metrics.timeToFirstReportMs,
      timeToContainMs: metrics.timeToContainMs,
      timeToRecoverMs: metrics.timeToRecoverMs,
      totalDurationMs: metrics.totalDurationMs,
      escalations: metrics.escalations,
      injects: metrics.injects,
      objectives: {
        total: objectives.length,
        met: ratings.met ?? 0,
        partlyMet: ratings.partly_met ?? 0,
        notMet: ratings.not_met ?? 0,
        unrated: ratings.unrated ?? 0,
      },
    };
  });

  const states = countBy(programme, (i) => i.state);
  const statuses = countBy(actions, (a) => a.status);
  const overdue = actions.filter((a) => a.overdue);
  return {
    year,
    programme: { total: programme.length, planned: states.planned ?? 0, due: states.due ?? 0, overdue: states.overdue ?? 0, done: states.done ?? 0 },
    drills: rows,
    correctiveActions: {
      total: actions.length,
      open: statuses.open ?? 0,
      inProgress: statuses.in_progress ?? 0,
      done: statuses.done ?? 0,
      verified: statuses.verified ?? 0,
      overdue: overdue.length,
      overdueList: overdue,
    },
  };
}
