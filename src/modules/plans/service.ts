import { and, asc, desc, eq, isNull, max } from 'drizzle-orm';
import { actorName, type ServiceContext } from '../../context.js';
import type { Db } from '../../db/types.js';
import { InvalidStateError, NotFoundError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { diffContent } from './diff.js';
import {
  emergencyPlans,
  PlanContent,
  planVersions,
  type CreatePlanBody,
  type PlanDiffChange,
  type PlanRef,
  type PlanSummary,
  type PlanVersion,
  type RevisionCause,
  type SaveDraftBody,
} from './schema.js';

type PlanRow = typeof emergencyPlans.$inferSelect;
type VersionRow = typeof planVersions.$inferSelect;

export function toVersion(row: VersionRow): PlanVersion {
  return {
    id: row.id,
    planId: row.planId,
    number: row.number,
    status: row.status,
    content: row.content,
    changeNote: row.changeNote,
    revisionCauses: row.revisionCauses,
    basedOnId: row.basedOnId,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    publishedBy: row.publishedBy,
    updatedAt: row.updatedAt.toISOString(),
  };
}

function summarize(plan: PlanRow, versions: VersionRow[]): PlanSummary {
  const published = versions.filter((v) => v.status === 'published').map((v) => v.number);
  return {
    id: plan.id,
    title: plan.title,
    archived: plan.archivedAt !== null,
    publishedNumber: published.length ? Math.max(...published) : null,
    hasDraft: versions.some((v) => v.status === 'draft'),
    updatedAt: plan.updatedAt.toISOString(),
  };
}

async function loadPlan(db: Db, planId: string): Promise<PlanRow> {
  const [row] = await db.select().from(emergencyPlans).where(eq(emergencyPlans.id, planId));
  if (!row) throw new NotFoundError('plan', planId);
  return row;
}

async function versionsOf(db: Db, planId: string): Promise<VersionRow[]> {
  return db.select().from(planVersions).where(eq(planVersions.planId, planId)).orderBy(asc(planVersions.number));
}

/** Every plan, with its newest published version number and whether a draft is open. */
export async function listPlans(ctx: ServiceContext): Promise<PlanSummary[]> {
  const plans = await ctx.db.select().from(emergencyPlans).where(isNull(emergencyPlans.archivedAt)).orderBy(asc(emergencyPlans.title));
  const versions = plans.length ? await ctx.db.select().from(planVersions) : [];
  return plans.map((p) => summarize(p, versions.filter((v) => v.planId === p.id)));
}

/** A plan with its version history (without content). Throws NotFound. */
export async function getPlan(ctx: ServiceContext, planId: string) {
  const plan = await loadPlan(ctx.db, planId);
  const versions = await versionsOf(ctx.db, planId);
  return { ...summarize(plan, versions), versions: versions.map((v) => ({ ...toVersion(v), content: undefined })) };
}

/** One version of a plan, with its content. Throws NotFound. */
export async function getPlanVersion(ctx: Pick<ServiceContext, 'db'>, planId: string, number: number): Promise<PlanVersion> {
  const [row] = await ctx.db
    .select()
    .from(planVersions)
    .where(and(eq(planVersions.planId, planId), eq(planVersions.number, number)));
  if (!row) throw new NotFoundError('plan_version', `${planId} v${number}`);
  return toVersion(row);
}

/** A version by its id (drills keep the id of the version they follow). Throws NotFound. */
export async function getPlanVersionById(db: Db, versionId: string): Promise<PlanVersion & { planTitle: string }> {
  const [row] = await db
    .select({ version: planVersions, title: emergencyPlans.title })
    .from(planVersions)
    .innerJoin(emergencyPlans, eq(emergencyPlans.id, planVersions.planId))
    .where(eq(planVersions.id, versionId));
  if (!row) throw new NotFoundError('plan_version', versionId);
  return { ...toVersion(row.version), planTitle: row.title };
}

/** Plan id, title and number of a version, for showing which plan a drill or incident follows. */
export async function planRefOf(db: Db, versionId: string | null): Promise<PlanRef | null> {
  if (!versionId) return null;
  const version = await getPlanVersionById(db, versionId);
  return { id: version.planId, title: version.planTitle, number: version.number, versionId };
}

/** The newest published version of a plan, if any. */
export async function latestPublished(db: Db, planId: string): Promise<PlanVersion | null> {
  const [row] = await db
    .select()
    .from(planVersions)
    .where(and(eq(planVersions.planId, planId), eq(planVersions.status, 'published')))
    .orderBy(desc(planVersions.number))
    .limit(1);
  return row ? toVersion(row) : null;
}

/** Creates a plan with its first draft. */
export async function createPlan(ctx: ServiceContext, body: CreatePlanBody) {
  const content = PlanContent.parse(body.content ?? {});
  return ctx.db.transaction(async (tx) => {
    const [plan] = await tx.insert(emergencyPlans).values({ title: body.title }).returning();
    const [draft] = await tx.insert(planVersions).values({ planId: plan.id, number: 1, status: 'draft', content, changeNote: body.changeNote ?? '' }).returning();
    await appendAudit(tx, ctx, { action: 'plan.create', entityType: 'plan', entityId: plan.id, after: { title: plan.title, draft: toVersion(draft) } });
    return { ...summarize(plan, [draft]), versions: [{ ...toVersion(draft), content: undefined }] };
  });
}

/**
 * Saves the plan's draft, opening one from the newest published version when none is open (published
 * versions are never changed). Returns the draft. Throws NotFound.
 */
export async function saveDraft(ctx: ServiceContext, planId: string, body: SaveDraftBody): Promise<PlanVersion> {
  return ctx.db.transaction(async (tx) => {
    const plan = await loadPlan(tx, planId);
    const versions = await versionsOf(tx, planId);
    const draft = versions.find((v) => v.status === 'draft');
    const now = ctx.clock.now();
    if (body.title && body.title !== plan.title) {
      await tx.update(emergencyPlans).set({ title: body.title, updatedAt: now }).where(eq(emergencyPlans.id, planId));
    }
    let row: VersionRow;
    if (draft) {
      [row] = await tx
        .update(planVersions)
        .set({ content: body.content, changeNote: body.changeNote ?? draft.changeNote, revisionCauses: body.revisionCauses ?? draft.revisionCauses, updatedAt: now })
        .where(eq(planVersions.id, draft.id))
        .returning();
    } else {
      const [{ top }] = await tx.select({ top: max(planVersions.number) }).from(planVersions).where(eq(planVersions.planId, planId));
      const basedOn = versions.filter((v) => v.status === 'published').at(-1);
      [row] = await tx
        .insert(planVersions)
        .values({
          planId,
          number: (top ?? 0) + 1,
          status: 'draft',
          content: body.content,
          changeNote: body.changeNote ?? '',
          revisionCauses: body.revisionCauses ?? [],
          basedOnId: basedOn?.id ?? null,
        })
        .returning();
    }
    await tx.update(emergencyPlans).set({ updatedAt: now }).where(eq(emergencyPlans.id, planId));
    const version = toVersion(row);
    await appendAudit(tx, ctx, { action: 'plan.save_draft', entityType: 'plan', entityId: planId, before: draft ? toVersion(draft) : undefined, after: version });
    return version;
  });
}

/** Publishes the plan's draft as its next version, immutable from then on. Throws `plan_no_draft`. */
export async function publishDraft(ctx: ServiceContext, planId: string, changeNote?: string): Promise<PlanVersion> {
  return ctx.db.transaction(async (tx) => {
    await loadPlan(tx, planId);
    const [draft] = await tx
      .select()
      .from(planVersions)
      .where(and(eq(planVersions.planId, planId), eq(planVersions.status, 'draft')));
    if (!draft) throw new InvalidStateError('plan_no_draft', 'This plan has no draft to publish');
    const now = ctx.clock.now();
    const [row] = await tx
      .update(planVersions)
      .set({ status: 'published', publishedAt: now, publishedBy: actorName(ctx.actor), changeNote: changeNote ?? draft.changeNote, updatedAt: now })
      .where(eq(planVersions.id, draft.id))
      .returning();
    await tx.update(emergencyPlans).set({ updatedAt: now }).where(eq(emergencyPlans.id, planId));
    const version = toVersion(row);
    await appendAudit(tx, ctx, { action: 'plan.publish', entityType: 'plan', entityId: planId, after: { number: version.number, changeNote: version.changeNote } });
    return version;
  });
}

/** What changed from version `from` to version `to` of a plan, field by field. Throws NotFound. */
export async function diffPlanVersions(ctx: ServiceContext, planId: string, from: number, to: number): Promise<PlanDiffChange[]> {
  const [a, b] = await Promise.all([getPlanVersion(ctx, planId, from), getPlanVersion(ctx, planId, to)]);
  return diffContent(a.content, b.content);
}

/** Archives a plan (kept for the record; drills keep pointing at their version). Throws NotFound. */
export async function archivePlan(ctx: ServiceContext, planId: string) {
  return ctx.db.transaction(async (tx) => {
    const plan = await loadPlan(tx, planId);
    const now = ctx.clock.now();
    await tx.update(emergencyPlans).set({ archivedAt: plan.archivedAt ?? now, updatedAt: now }).where(eq(emergencyPlans.id, planId));
    await appendAudit(tx, ctx, { action: 'plan.archive', entityType: 'plan', entityId: planId });
  });
}

/**
 * Opens a revision (the seed's step 9: revise the plan): a draft copied from the newest published version and
 * linked to the findings, corrective actions or lessons that caused it; it is then edited and published like
 * any draft. Throws NotFound, `plan_not_published`, `plan_draft_open` (finish or publish the open draft first).
 */
export async function revisePlan(ctx: ServiceContext, planId: string, causes: RevisionCause[], changeNote?: string): Promise<PlanVersion> {
  await loadPlan(ctx.db, planId);
  const published = await latestPublished(ctx.db, planId);
  if (!published) throw new InvalidStateError('plan_not_published', 'The plan has no published version yet', { id: planId });
  const [draft] = await ctx.db
    .select({ id: planVersions.id })
    .from(planVersions)
    .where(and(eq(planVersions.planId, planId), eq(planVersions.status, 'draft')));
  if (draft) throw new InvalidStateError('plan_draft_open', 'This plan already has an open draft', {});
  return saveDraft(ctx, planId, { content: published.content, revisionCauses: causes, changeNote: changeNote ?? '' });
}
