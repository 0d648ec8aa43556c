import { asc, eq } from 'drizzle-orm';
import { actorName, type ServiceContext } from '../../context.js';
import { InvalidStateError, NotFoundError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { drillLessons, objectiveRatings, type AddLessonBody, type Evaluation, type Indicator, type Rating, type RateObjectiveBody } from './evaluation-schema.js';
import { getDrillMetrics, loadDrill } from './service.js';

const CAUTION: Record<Rating, number> = { not_met: 0, partly_met: 1, met: 2 };

/** The weighted score of an evaluation form's indicators (0–100), or null without indicators. */
export function weightedScore(indicators: Indicator[]): number | null {
  const total = indicators.reduce((sum, i) => sum + i.weight, 0);
  if (total === 0) return null;
  return Math.round((indicators.reduce((sum, i) => sum + i.weight * i.score, 0) / total) * 10) / 10;
}

/** States in which a drill can be evaluated: while it runs (observers rate as they watch) until it is closed. */
const EVALUABLE = new Set(['running', 'paused', 'ended', 'evaluated']);

/** A drill's lessons learned and accountability notes, oldest first (without the rest of the evaluation). */
export async function listLessons(ctx: Pick<ServiceContext, 'db'>, drillId: string) {
  const rows = await ctx.db.select().from(drillLessons).where(eq(drillLessons.drillId, drillId)).orderBy(asc(drillLessons.createdAt));
  return rows.map((l) => ({ id: l.id, kind: l.kind, text: l.text, authorName: l.authorName, createdAt: l.createdAt.toISOString() }));
}

/** A drill's evaluation: each objective with its ratings, the lessons and the metrics. Throws NotFound. */
export async function getEvaluation(ctx: ServiceContext, drillId: string): Promise<Evaluation> {
  const drill = await loadDrill(ctx.db, drillId);
  const [ratings, lessons, metrics] = await Promise.all([
    ctx.db.select().from(objectiveRatings).where(eq(objectiveRatings.drillId, drillId)).orderBy(asc(objectiveRatings.createdAt)),
    ctx.db.select().from(drillLessons).where(eq(drillLessons.drillId, drillId)).orderBy(asc(drillLessons.createdAt)),
    getDrillMetrics(ctx, drillId),
  ]);
  return {
    objectives: drill.objectives.map((o) => {
      const mine = ratings
        .filter((r) => r.objectiveKey === o.key)
        .map((r) => ({ rating: r.rating, evidence: r.evidence, indicators: r.indicators, score: weightedScore(r.indicators), raterName: r.raterName, updatedAt: r.updatedAt.toISOString() }));
      const scores = mine.map((r) => r.score).filter((s): s is number => s !== null);
      return {
        ...o,
        ratings: mine,
        rating: mine.length ? mine.reduce((worst, r) => (CAUTION[r.rating] < CAUTION[worst] ? r.rating : worst), 'met' as Rating) : null,
        score: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : null,
      };
    }),
    lessons: lessons.map((l) => ({ id: l.id, kind: l.kind, text: l.text, authorName: l.authorName, createdAt: l.createdAt.toISOString() })),
    metrics,
  };
}

/**
 * Records (or revises) the caller's rating of one objective, with its evidence and weighted indicators.
 * Throws NotFound (unknown objective), `drill_not_evaluable` naming the state.
 */
export async function rateObjective(ctx: ServiceContext, drillId: string, objectiveKey: string, body: RateObjectiveBody): Promise<Evaluation> {
  const drill = await loadDrill(ctx.db, drillId);
  if (!EVALUABLE.has(drill.status)) throw new InvalidStateError('drill_not_evaluable', `Drill is ${drill.status}`, { status: drill.status });
  if (!drill.objectives.some((o) => o.key === objectiveKey)) throw new NotFoundError('objective', objectiveKey);
  const raterName = actorName(ctx.actor);
  const values = { drillId, objectiveKey, rating: body.rating, evidence: body.evidence, indicators: body.indicators ?? [], raterId: ctx.actor.kind === 'user' ? ctx.actor.userId : null, raterName };
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(objectiveRatings)
      .values(values)
      .onConflictDoUpdate({ target: [objectiveRatings.drillId, objectiveRatings.objectiveKey, objectiveRatings.raterName], set: { ...values, updatedAt: ctx.clock.now() } });
    await appendAudit(tx, ctx, { action: 'drill.rate_objective', entityType: 'drill', entityId: drillId, after: { objectiveKey, rating: body.rating, evidence: body.evidence, score: weightedScore(values.indicators) } });
  });
  return getEvaluation(ctx, drillId);
}

/** Adds a lesson learned (went well / to improve) or an accountability note. Throws `drill_not_evaluable`. */
export async function addLesson(ctx: ServiceContext, drillId: string, body: AddLessonBody): Promise<Evaluation> {
  const drill = await loadDrill(ctx.db, drillId);
  if (!EVALUABLE.has(drill.status)) throw new InvalidStateError('drill_not_evaluable', `Drill is ${drill.status}`, { status: drill.status });
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(drillLessons).values({ drillId, kind: body.kind, text: body.text, authorName: actorName(ctx.actor) }).returning();
    await appendAudit(tx, ctx, { action: 'drill.add_lesson', entityType: 'drill', entityId: drillId, after: { id: row.id, kind: body.kind, text: body.text } });
  });
  return getEvaluation(ctx, drillId);
}
