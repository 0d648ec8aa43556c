import { asc, desc, eq } from 'drizzle-orm';
import type { ServiceContext } from '../../context.js';
import type { Db } from '../../db/types.js';
import { InvalidStateError, NotFoundError, ValidationError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import type { EscalationRule, PlanRef } from '../plans/schema.js';
import { latestPublished, planRefOf } from '../plans/service.js';
import { computeEscalationClocks } from '../timeline/escalation.js';
import type { AppendEntryBody, Milestone, TimelineEntry } from '../timeline/schema.js';
import { appendEntry, listEntries, readableTimeline } from '../timeline/service.js';
import {
  incidentInvestigations,
  incidents,
  INVESTIGATION_FIELDS,
  KEY_TIMES,
  reportingPresets,
  type CreateIncidentBody,
  type Incident,
  type IncidentStatus,
  type Investigation,
  type KeyTime,
  type ReportingPreset,
  type UpdateIncidentBody,
  type UpdateInvestigationBody,
} from './schema.js';
import { isCategoryKey, isSubcategoryOf, REGULATOR_REPORTING_PRESETS } from './taxonomy.js';

type IncidentRow = typeof incidents.$inferSelect;

export function toIncident(row: IncidentRow, plan: PlanRef | null = null): Incident {
  const t = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    isDrill: row.isDrill,
    exercise: row.isDrill,
    drillId: row.drillId,
    category: row.category,
    subcategory: row.subcategory,
    level: row.level,
    status: row.status,
    occurredAt: t(row.occurredAt),
    detectedAt: t(row.detectedAt),
    reportedAt: t(row.reportedAt),
    containedAt: t(row.containedAt),
    eradicatedAt: t(row.eradicatedAt),
    recoveredAt: t(row.recoveredAt),
    closedAt: t(row.closedAt),
    affectedSystems: row.affectedSystems,
    scope: row.scope,
    planVersionId: row.planVersionId,
    plan,
    escalationRules: row.escalationRules,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function checkClassification(category: string | undefined, subcategory: string | null | undefined) {
  if (category !== undefined && !isCategoryKey(category)) throw new ValidationError('incident_category_unknown', `Unknown category ${category}`, { category });
  if (category !== undefined && subcategory && !isSubcategoryOf(category, subcategory)) {
    throw new ValidationError('incident_subcategory_unknown', `${subcategory} is not a subcategory of ${category}`, { category, subcategory });
  }
}

// ---------- regulator reporting presets ----------

function operatorTypeOf(key: string): { 'zh-CN': string; en: string } {
  const preset = REGULATOR_REPORTING_PRESETS.find((p) => p.key === key);
  return preset ? { ...preset.operatorType } : { 'zh-CN': key, en: key };
}

/** The company's reporting presets, seeded from the regulation's on first use. */
export async function listReportingPresets(db: Db): Promise<ReportingPreset[]> {
  let rows = await db.select().from(reportingPresets).orderBy(asc(reportingPresets.withinMinutes));
  if (rows.length === 0) {
    await db
      .insert(reportingPresets)
      .values(
        REGULATOR_REPORTING_PRESETS.map((p) => ({
          key: p.key,
          withinMinutes: p.minutes,
          minLevel: p.minLevel,
          recipient: { ...p.reportTo },
          requiredFields: p.requiredFields.map((f) => f.key),
          // Most of our users are ordinary network operators (4 h); a CII operator switches to its preset.
          active: p.key === 'other_operator',
        })),
      )
      .onConflictDoNothing();
    rows = await db.select().from(reportingPresets).orderBy(asc(reportingPresets.withinMinutes));
  }
  return rows.map((r) => ({ key: r.key, operatorType: operatorTypeOf(r.key), withinMinutes: r.withinMinutes, minLevel: r.minLevel, recipient: r.recipient, requiredFields: r.requiredFields, active: r.active }));
}

/** Changes a preset (deadline, level, recipient) or makes it the active one. Throws NotFound. */
export async function updateReportingPreset(ctx: ServiceContext, key: string, body: Partial<Pick<ReportingPreset, 'withinMinutes' | 'minLevel' | 'recipient' | 'active'>>) {
  await listReportingPresets(ctx.db);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(reportingPresets).where(eq(reportingPresets.key, key));
    if (!before) throw new NotFoundError('reporting_preset', key);
    if (body.active) await tx.update(reportingPresets).set({ active: false });
    await tx
      .update(reportingPresets)
      .set({ withinMinutes: body.withinMinutes, minLevel: body.minLevel, recipient: body.recipient, active: body.active, updatedAt: ctx.clock.now() })
      .where(eq(reportingPresets.key, key));
    await appendAudit(tx, ctx, { action: 'reporting_preset.update', entityType: 'reporting_preset', entityId: key, before, after: body });
    return (await listReportingPresets(tx)).find((p) => p.key === key)!;
  });
}

/** The active preset as an escalation rule (language: the recipient's label). */
export async function regulatorRule(db: Db, language: 'zh-CN' | 'en'): Promise<EscalationRule | null> {
  const active = (await listReportingPresets(db)).find((p) => p.active);
  if (!active) return null;
  return {
    key: `regulator-${active.key}`,
    trigger: 'level_at_least',
    minLevel: active.minLevel,
    recipient: active.recipient[language],
    withinMinutes: active.withinMinutes,
    channel: 'document',
    requiredFields: active.requiredFields,
  };
}

// ---------- incidents ----------

export async function listIncidents(ctx: ServiceContext, drills: 'exclude' | 'include' | 'only'): Promise<Incident[]> {
  const where = drills === 'include' ? undefined : eq(incidents.isDrill, drills === 'only');
  const rows = await ctx.db.select().from(incidents).where(where).orderBy(desc(incidents.createdAt));
  return rows.map((r) => toIncident(r));
}

async function loadIncident(db: Db, incidentId: string): Promise<IncidentRow> {
  const [row] = await db.select().from(incidents).where(eq(incidents.id, incidentId));
  if (!row) throw new NotFoundError('incident', incidentId);
  return row;
}

export async function getIncident(ctx: Pick<ServiceContext, 'db'>, incidentId: string): Promise<Incident> {
  const row = await loadIncident(ctx.db, incidentId);
  return toIncident(row, await planRefOf(ctx.db, row.planVersionId));
}

function times(body: Partial<Record<KeyTime, string | null | undefined>>) {
  return Object.fromEntries(KEY_TIMES.filter((k) => body[k] !== undefined).map((k) => [k, body[k] ? new Date(body[k]!) : null]));
}

/**
 * Records a real incident: classification (GB/T 20986-2023), level, key times, scope; its escalation rules
 * are the plan's plus the regulator's. Throws `incident_category_unknown`, `incident_subcategory_unknown`.
 */
export async function createIncident(ctx: ServiceContext, body: CreateIncidentBody, options: { drillId?: string; language?: 'zh-CN' | 'en' } = {}): Promise<Incident> {
  checkClassification(body.category, body.subcategory);
  let rules: EscalationRule[] = [];
  let planVersionId: string | null = null;
  if (body.planId) {
    const version = await latestPublished(ctx.db, body.planId);
    if (!version) throw new InvalidStateError('plan_not_published', 'The plan has no published version yet', { id: body.planId });
    planVersionId = version.id;
    rules = version.content.escalationRules;
  }
  const regulator = await regulatorRule(ctx.db, options.language ?? 'zh-CN');
  if (regulator && !rules.some((r) => r.key === regulator.key)) rules = [...rules, regulator];
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(incidents)
      .values({
        title: body.title,
        description: body.description ?? '',
        isDrill: options.drillId !== undefined,
        drillId: options.drillId ?? null,
        category: body.category,
        subcategory: body.subcategory ?? null,
        level: body.level ?? null,
        affectedSystems: body.affectedSystems ?? [],
        scope: body.scope ?? '',
        planVersionId,
        escalationRules: rules,
        ...times(body),
        // Recorded now and no detection time given: we learned of it now (the regulator's clock starts here).
        ...(body.detectedAt === undefined ? { detectedAt: ctx.clock.now() } : {}),
      })
      .returning();
    const incident = toIncident(row);
    await appendAudit(tx, ctx, { action: 'incident.create', entityType: 'incident', entityId: row.id, after: incident });
    return incident;
  });
}

const STATUS_TIME: Partial<Record<IncidentStatus, KeyTime>> = { contained: 'containedAt', recovered: 'recoveredAt', closed: 'closedAt' };
const STATUS_ORDER: IncidentStatus[] = ['open', 'responding', 'contained', 'recovered', 'closed'];

/**
 * Changes an incident's classification, level, scope, key times or status. A status change is written on its
 * timeline and sets the matching key time when none is recorded. Throws NotFound, `incident_status_backwards`.
 */
export async function updateIncident(ctx: ServiceContext, incidentId: string, body: UpdateIncidentBody): Promise<Incident> {
  return ctx.db.transaction(async (tx) => {
    const before = await loadIncident(tx, incidentId);
    checkClassification(body.category ?? before.category, body.subcategory === undefined ? before.subcategory : body.subcategory);
    const now = ctx.clock.now();
    const patch: Partial<IncidentRow> = {
      title: body.title,
      description: body.description,
      category: body.category,
      subcategory: body.subcategory,
      level: body.level,
      affectedSystems: body.affectedSystems,
      scope: body.scope,
      ...times(body),
      updatedAt: now,
    };
    if (body.status && body.status !== before.status) {
      if (STATUS_ORDER.indexOf(body.status) < STATUS_ORDER.indexOf(before.status) && body.status !== 'responding') {
        throw new InvalidStateError('incident_status_backwards', `Cannot go from ${before.status} back to ${body.status}`, { from: before.status, to: body.status });
      }
      patch.status = body.status;
      const keyTime = STATUS_TIME[body.status];
      if (keyTime && !before[keyTime] && body[keyTime] === undefined) patch[keyTime] = now;
      if (!before.isDrill) {
        await appendEntry(tx, ctx, {
          streamKind: 'incident',
          streamId: incidentId,
          kind: 'status_change',
          text: `${before.status} → ${body.status}`,
          data: { status: { from: before.status, to: body.status }, ...(keyTime ? { milestone: keyTime.replace(/At$/, '') as Milestone } : {}) },
        });
      }
    }
    const [row] = await tx.update(incidents).set(patch).where(eq(incidents.id, incidentId)).returning();
    const incident = toIncident(row);
    await appendAudit(tx, ctx, { action: 'incident.update', entityType: 'incident', entityId: incidentId, before: toIncident(before), after: incident });
    return incident;
  });
}

const MILESTONE_TIME: Partial<Record<Milestone, KeyTime>> = {
  detected: 'detectedAt',
  reported: 'reportedAt',
  contained: 'containedAt',
  eradicated: 'eradicatedAt',
  recovered: 'recoveredAt',
  closed: 'closedAt',
};

/** Sets an incident's key time from a timeline milestone, if not set yet (inside the appending transaction). */
export async function recordMilestone(tx: Db, incidentId: string, milestone: Milestone | undefined, at: Date): Promise<void> {
  const keyTime = milestone ? MILESTONE_TIME[milestone] : undefined;
  if (!keyTime) return;
  const row = await loadIncident(tx, incidentId);
  if (!row[keyTime]) await tx.update(incidents).set({ [keyTime]: at, updatedAt: at }).where(eq(incidents.id, incidentId));
}

/** Writes an entry on a real incident's timeline. Throws NotFound, `incident_is_drill`, `incident_closed`. */
export async function addIncidentEntry(ctx: ServiceContext, incidentId: string, body: AppendEntryBody): Promise<TimelineEntry> {
  const incident = await loadIncident(ctx.db, incidentId);
  if (incident.isDrill) throw new InvalidStateError('incident_is_drill', 'This is a drill incident: write on the drill timeline', {});
  if (incident.status === 'closed') throw new InvalidStateError('incident_closed', 'The incident is closed', {});
  const now = ctx.clock.now();
  const at = body.at ? new Date(body.at) : now;
  if (at > now) throw new ValidationError('entry_in_future', 'An entry cannot be dated in the future', {});
  return ctx.db.transaction(async (tx) => {
    const entry = await appendEntry(tx, ctx, { streamKind: 'incident', streamId: incidentId, kind: body.kind, text: body.text, at, data: body.data, correctsId: body.correctsId, attachments: body.attachments });
    await recordMilestone(tx, incidentId, body.data?.milestone, at);
    return entry;
  });
}

/** A real incident's timeline with its escalation clocks (wall time). Throws NotFound. */
export async function getIncidentTimeline(ctx: ServiceContext, incidentId: string) {
  const row = await loadIncident(ctx.db, incidentId);
  const entries = await listEntries(ctx.db, incidentId);
  // The record's key times count as milestones too (an incident entered after the fact).
  const synthetic: TimelineEntry[] = row.detectedAt && !entries.some((e) => (e.data as { milestone?: string }).milestone === 'detected')
    ? [{ id: 'detected', seq: 0, kind: 'status_change', at: row.detectedAt.toISOString(), drillTimeMs: null, actorId: null, actorLabel: 'system', text: '', data: { milestone: 'detected' }, correctsId: null, attachments: [], createdAt: row.createdAt.toISOString() }]
    : [];
  return {
    incident: toIncident(row, await planRefOf(ctx.db, row.planVersionId)),
    entries: readableTimeline(entries),
    escalations: computeEscalationClocks({ rules: row.escalationRules, entries: [...synthetic, ...entries], level: row.level, nowMs: ctx.clock.now().getTime(), basis: 'wall' }),
  };
}

/** The incident a drill plays, created with the drill (inside its transaction). Never counted as real. */
export async function createDrillIncident(tx: Db, drill: { id: string; title: string; category: string | null; subcategory: string | null; level: IncidentRow['level'] }): Promise<void> {
  await tx.insert(incidents).values({
    title: drill.title,
    isDrill: true,
    drillId: drill.id,
    category: drill.category && isCategoryKey(drill.category) ? drill.category : 'other',
    subcategory: drill.category && drill.subcategory && isSubcategoryOf(drill.category, drill.subcategory) ? drill.subcategory : null,
    level: drill.level,
  });
}

/** Keeps a drill's incident in step: its key times from the drill timeline's milestones. */
export async function recordDrillMilestone(tx: Db, drillId: string, milestone: Milestone | undefined, at: Date): Promise<void> {
  if (!milestone) return;
  const [row] = await tx.select({ id: incidents.id }).from(incidents).where(eq(incidents.drillId, drillId));
  if (row) await recordMilestone(tx, row.id, milestone, at);
}

/** The incident of a drill, if any. */
export async function drillIncident(db: Db, drillId: string): Promise<Incident | null> {
  const [row] = await db.select().from(incidents).where(eq(incidents.drillId, drillId));
  return row ? toIncident(row) : null;
}

// ---------- investigation (the seed's step 10) ----------

/** What the investigation established so far (empty fields until written). Throws NotFound for the incident. */
export async function getInvestigation(ctx: Pick<ServiceContext, 'db'>, incidentId: string): Promise<Investigation> {
  await loadIncident(ctx.db, incidentId);
  const [row] = await ctx.db.select().from(incidentInvestigations).where(eq(incidentInvestigations.incidentId, incidentId));
  const fields = Object.fromEntries(INVESTIGATION_FIELDS.map((f) => [f, row?.[f] ?? ''])) as Omit<Investigation, 'updatedAt'>;
  return { ...fields, updatedAt: row?.updatedAt.toISOString() ?? null };
}

/** Writes (part of) the investigation's findings: consequences, root cause, leak source, who acted … Audited. */
export async function updateInvestigation(ctx: ServiceContext, incidentId: string, body: UpdateInvestigationBody): Promise<Investigation> {
  const before = await getInvestigation(ctx, incidentId);
  const set = Object.fromEntries(INVESTIGATION_FIELDS.filter((f) => body[f] !== undefined).map((f) => [f, body[f]!]));
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(incidentInvestigations)
      .values({ incidentId, ...set })
      .onConflictDoUpdate({ target: incidentInvestigations.incidentId, set: { ...set, updatedAt: ctx.clock.now() } });
    const { updatedAt: _ignored, ...beforeFields } = before;
    await appendAudit(tx, ctx, { action: 'incident.update_investigation', entityType: 'incident', entityId: incidentId, before: beforeFields, after: set });
  });
  return getInvestigation(ctx, incidentId);
}
