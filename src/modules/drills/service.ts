import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { ServiceContext } from '../../context.js';
import type { Db } from '../../db/types.js';
import { ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { createDrillIncident, recordDrillMilestone } from '../incidents/service.js';
import { getPeopleByIds, personIdsOfUser } from '../org/service.js';
import { markDrillDone } from '../programme/service.js';
import type { EscalationRule } from '../plans/schema.js';
import { getPlanVersionById, latestPublished, planRefOf } from '../plans/service.js';
import type { ScenarioDefinition } from '../scenarios/schema.js';
import { loadScenario } from '../scenarios/service.js';
import { computeEscalationClocks, type EscalationClock } from '../timeline/escalation.js';
import type { AppendEntryBody, Milestone, TimelineEntry } from '../timeline/schema.js';
import { appendEntry, listEntries, readableTimeline } from '../timeline/service.js';
import { drillTimeAt } from './clock.js';
import { computeDrillMetrics, type DrillMetrics } from './metrics.js';
import { abilitiesOf, mayTransition, mayWriteEntry, TRANSITION_RULES, type Participation } from './policy.js';
import {
  drillInjects,
  drillParticipants,
  drills,
  type CreateDrillBody,
  type Drill,
  type InjectBody,
  type Inject,
  type Transition,
  type UpdateDrillBody,
} from './schema.js';

type DrillRow = typeof drills.$inferSelect;
type InjectRow = typeof drillInjects.$inferSelect;
const MIN = 60_000;

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

export function toSummary(row: DrillRow) {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    mode: row.mode,
    scope: row.scope,
    scheduledStart: iso(row.scheduledStart),
    startedAt: iso(row.startedAt),
    endedAt: iso(row.endedAt),
    place: row.place,
    exercise: true as const,
  };
}

function toInject(row: InjectRow): Inject {
  return {
    id: row.id,
    key: row.key,
    offsetMs: row.offsetMs,
    channel: row.channel,
    sender: row.sender,
    recipients: row.recipients,
    content: row.content,
    expectedActions: row.expectedActions,
    marksDetection: row.marksDetection,
    status: row.status,
    deliveredAt: iso(row.deliveredAt),
    deliveredDrillMs: row.deliveredDrillMs,
  };
}

export async function loadDrill(db: Db, drillId: string): Promise<DrillRow> {
  const [row] = await db.select().from(drills).where(eq(drills.id, drillId));
  if (!row) throw new NotFoundError('drill', drillId);
  return row;
}

/** Whether the caller must not see the drill's script (future injects): responders. */
function hidesScript(ctx: ServiceContext): boolean {
  return ctx.actor.kind === 'user' && ctx.actor.role === 'responder';
}

/**
 * What of a drill's timeline the caller may read: responders do not see injects meant for others
 * (observers' or the coordinator's instructions); everyone else sees everything.
 */
export function entryVisibleTo(actor: ServiceContext['actor']): (entry: TimelineEntry) => boolean {
  if (!(actor.kind === 'user' && actor.role === 'responder')) return () => true;
  return (entry) => {
    if (entry.kind !== 'inject') return true;
    const recipients = (entry.data as { inject?: { recipients?: string[] } }).inject?.recipients ?? ['all'];
    return recipients.includes('responder') || recipients.includes('all');
  };
}

/** The drill roles the acting user holds in a drill, through the people linked to their account. */
async function participationOf(ctx: ServiceContext, drillId: string): Promise<Participation> {
  if (ctx.actor.kind !== 'user') return { roles: [] };
  const personIds = await personIdsOfUser(ctx.db, ctx.actor.userId);
  if (personIds.length === 0) return { roles: [] };
  const rows = await ctx.db
    .select({ role: drillParticipants.role })
    .from(drillParticipants)
    .where(and(eq(drillParticipants.drillId, drillId), inArray(drillParticipants.personId, personIds)));
  return { roles: rows.map((r) => r.role) };
}

export async function listDrills(ctx: ServiceContext) {
  const rows = await ctx.db.select().from(drills).orderBy(desc(drills.scheduledStart), desc(drills.createdAt));
  return rows.map(toSummary);
}

/** A drill with participants, injects, drill time and what the caller may do. Throws NotFound. */
export async function getDrill(ctx: ServiceContext, drillId: string): Promise<Drill> {
  const row = await loadDrill(ctx.db, drillId);
  const [participants, injects, participation] = await Promise.all([
    ctx.db.select().from(drillParticipants).where(eq(drillParticipants.drillId, drillId)),
    ctx.db.select().from(drillInjects).where(eq(drillInjects.drillId, drillId)).orderBy(asc(drillInjects.position)),
    participationOf(ctx, drillId),
  ]);
  const people = await getPeopleByIds(
    ctx.db,
    participants.map((p) => p.personId),
  );
  return {
    ...toSummary(row),
    language: row.language,
    planVersionId: row.planVersionId,
    plan: await planRefOf(ctx.db, row.planVersionId),
    scenarioId: row.scenarioId,
    guidingPrinciple: row.guidingPrinciple,
    content: row.content,
    purpose: row.purpose,
    objectives: row.objectives,
    escalationRules: row.escalationRules,
    incidentCategory: row.incidentCategory,
    incidentSubcategory: row.incidentSubcategory,
    incidentLevel: row.incidentLevel,
    pausedAt: iso(row.pausedAt),
    pausedMs: row.pausedMs,
    participants: participants.map((p) => {
      const person = people.find((x) => x.id === p.personId);
      return { personId: p.personId, name: person?.name ?? '?', userId: person?.userId ?? null, role: p.role, duty: p.duty };
    }),
    // Responders see an inject once it reaches them, never the script ahead.
    injects: injects.filter((i) => !hidesScript(ctx) || (i.status === 'delivered' && (i.recipients.includes('responder') || i.recipients.includes('all')))).map(toInject),
    drillTimeMs: drillTimeAt(row, ctx.clock.now()),
    abilities: abilitiesOf(ctx.actor, row.status, participation),
  };
}

/** A scenario's injects, objectives and escalations in the drill's language. */
function fromScenario(definition: ScenarioDefinition, language: 'zh-CN' | 'en') {
  return {
    objectives: definition.objectives.map((o) => ({ key: o.key, text: o.text[language], criterion: o.criterion[language] })),
    injects: definition.injects.map(
      (i): InjectBody => ({
        key: i.key,
        offsetMinutes: i.offsetMinutes,
        channel: i.channel,
        sender: i.sender[language],
        recipients: i.recipients,
        content: i.content[language],
        expectedActions: i.expectedActions.map((a) => a[language]),
        marksDetection: i.detects ?? false,
      }),
    ),
    escalationRules: definition.escalations.map(
      (e): EscalationRule => ({
        key: e.key,
        trigger: e.trigger,
        // The library's level_at_least escalations are the regulator's: level III (较大) and above.
        ...(e.trigger === 'level_at_least' ? { minLevel: 'III' as const } : {}),
        recipient: e.recipient[language],
        withinMinutes: e.withinMinutes,
        channel: e.channel,
        requiredFields: e.requiredFields,
      }),
    ),
  };
}

function injectRows(drillId: string, injects: InjectBody[]) {
  return injects.map((i, position) => ({
    drillId,
    key: i.key,
    position,
    offsetMs: i.offsetMinutes === null ? null : Math.round(i.offsetMinutes * MIN),
    channel: i.channel,
    sender: i.sender,
    recipients: i.recipients,
    content: i.content,
    expectedActions: i.expectedActions,
    marksDetection: i.marksDetection,
  }));
}

/** The plan's rules, then the scenario's for anyone the plan does not already cover (same key or recipient). */
function mergeRules(planRules: EscalationRule[], scenarioRules: EscalationRule[]): EscalationRule[] {
  const covered = (r: EscalationRule) => planRules.some((p) => p.key === r.key || p.recipient.trim() === r.recipient.trim());
  return [...planRules, ...scenarioRules.filter((r) => !covered(r))];
}

/** Every participant must be a person of the organisation. Throws `participant_unknown`. */
async function checkParticipants(db: Db, participants: { personId: string }[] | undefined): Promise<void> {
  if (!participants?.length) return;
  const ids = [...new Set(participants.map((p) => p.personId))];
  if (ids.length !== participants.length) throw new ValidationError('participant_twice', 'A person takes part once, in one drill role', {});
  const found = await getPeopleByIds(db, ids);
  const missing = ids.find((id) => !found.some((p) => p.id === id));
  if (missing) throw new ValidationError('participant_unknown', `No person ${missing}`, { id: missing });
}

function assertUniqueKeys(items: { key: string }[] | undefined, entity: 'inject' | 'objective' | 'escalation_rule') {
  if (!items) return;
  const seen = new Set<string>();
  for (const i of items) {
    if (seen.has(i.key)) throw new ValidationError('duplicate_key', `Duplicate ${entity} key ${i.key}`, { entity, key: i.key });
    seen.add(i.key);
  }
}

/**
 * Prepares a drill (演练方案). From a scenario it takes the injects, objectives, escalations and incident
 * class; from the plan's newest published version its escalation rules and guiding principle. Explicit
 * fields win. Throws `plan_not_published`, NotFound.
 */
export async function createDrill(ctx: ServiceContext, body: CreateDrillBody): Promise<Drill> {
  const language = body.language ?? 'zh-CN';
  const scenario = body.scenarioId ? (await loadScenario(ctx.db, body.scenarioId)).definition : null;
  const fromLib = scenario ? fromScenario(scenario, language) : null;
  let planVersionId: string | null = null;
  let planRules: EscalationRule[] = [];
  let guidingPrinciple = body.guidingPrinciple;
  if (body.planId) {
    const version = await latestPublished(ctx.db, body.planId);
    if (!version) throw new InvalidStateError('plan_not_published', 'The plan has no published version yet', { id: body.planId });
    planVersionId = version.id;
    planRules = version.content.escalationRules;
    guidingPrinciple ??= version.content.guidingPrinciple;
  }
  const injects = body.injects ?? fromLib?.injects ?? [];
  const objectives = body.objectives ?? fromLib?.objectives ?? [];
  const scenarioRules = fromLib?.escalationRules ?? [];
  const escalationRules = body.escalationRules ?? mergeRules(planRules, scenarioRules);
  assertUniqueKeys(injects, 'inject');
  assertUniqueKeys(objectives, 'objective');
  assertUniqueKeys(escalationRules, 'escalation_rule');
  await checkParticipants(ctx.db, body.participants);

  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(drills)
      .values({
        title: body.title,
        mode: body.mode,
        scope: body.scope,
        language,
        planVersionId,
        scenarioId: body.scenarioId ?? null,
        scheduledStart: body.scheduledStart ? new Date(body.scheduledStart) : null,
        place: body.place ?? '',
        guidingPrinciple: guidingPrinciple ?? '',
        content: body.content ?? (scenario ? scenario.summary[language] : ''),
        purpose: body.purpose ?? '',
        objectives,
        escalationRules,
        incidentCategory: body.incidentCategory ?? scenario?.category ?? null,
        incidentSubcategory: body.incidentSubcategory ?? scenario?.subcategory ?? null,
        incidentLevel: body.incidentLevel ?? scenario?.level ?? null,
      })
      .returning();
    if (injects.length) await tx.insert(drillInjects).values(injectRows(row.id, injects));
    await createDrillIncident(tx, { id: row.id, title: row.title, category: row.incidentCategory, subcategory: row.incidentSubcategory, level: row.incidentLevel });
    if (body.participants?.length) {
      await tx.insert(drillParticipants).values(body.participants.map((p) => ({ drillId: row.id, personId: p.personId, role: p.role, duty: p.duty ?? '' })));
    }
    await appendAudit(tx, ctx, { action: 'drill.create', entityType: 'drill', entityId: row.id, after: { ...toSummary(row), injects: injects.length, participants: body.participants?.length ?? 0 } });
    return row.id;
  });
  return getDrill(ctx, id);
}

/** Changes a drill's plan while it is a draft. Throws `drill_not_editable` naming the state. */
export async function updateDrill(ctx: ServiceContext, drillId: string, body: UpdateDrillBody): Promise<Drill> {
  assertUniqueKeys(body.injects, 'inject');
  assertUniqueKeys(body.objectives, 'objective');
  assertUniqueKeys(body.escalationRules, 'escalation_rule');
  await checkParticipants(ctx.db, body.participants);
  await ctx.db.transaction(async (tx) => {
    const before = await loadDrill(tx, drillId);
    if (before.status !== 'draft') throw new InvalidStateError('drill_not_editable', `Drill is ${before.status}`, { status: before.status });
    let planVersionId = before.planVersionId;
    let fromPlan: Partial<Pick<DrillRow, 'escalationRules' | 'guidingPrinciple'>> = {};
    if (body.planId) {
      const version = await latestPublished(tx, body.planId);
      if (!version) throw new InvalidStateError('plan_not_published', 'The plan has no published version yet', { id: body.planId });
      planVersionId = version.id;
      // Another plan: its rules and principle replace the old plan's, unless given explicitly.
      if (version.id !== before.planVersionId) fromPlan = { escalationRules: version.content.escalationRules, guidingPrinciple: version.content.guidingPrinciple };
    }
    const [row] = await tx
      .update(drills)
      .set({
        title: body.title,
        mode: body.mode,
        scope: body.scope,
        language: body.language,
        planVersionId,
        scheduledStart: body.scheduledStart ? new Date(body.scheduledStart) : undefined,
        place: body.place,
        guidingPrinciple: body.guidingPrinciple ?? fromPlan.guidingPrinciple,
        content: body.content,
        purpose: body.purpose,
        objectives: body.objectives,
        escalationRules: body.escalationRules ?? fromPlan.escalationRules,
        incidentCategory: body.incidentCategory,
        incidentSubcategory: body.incidentSubcategory,
        incidentLevel: body.incidentLevel,
        updatedAt: ctx.clock.now(),
      })
      .where(eq(drills.id, drillId))
      .returning();
    if (body.injects) {
      await tx.delete(drillInjects).where(eq(drillInjects.drillId, drillId));
      if (body.injects.length) await tx.insert(drillInjects).values(injectRows(drillId, body.injects));
    }
    if (body.participants) {
      await tx.delete(drillParticipants).where(eq(drillParticipants.drillId, drillId));
      if (body.participants.length) {
        await tx.insert(drillParticipants).values(body.participants.map((p) => ({ drillId, personId: p.personId, role: p.role, duty: p.duty ?? '' })));
      }
    }
    await appendAudit(tx, ctx, { action: 'drill.update', entityType: 'drill', entityId: drillId, before: toSummary(before), after: { ...toSummary(row), changed: Object.keys(body) } });
  });
  return getDrill(ctx, drillId);
}

const TRANSITION_MILESTONE: Partial<Record<Transition, Milestone>> = { start: 'started', end: 'ended', close: 'closed' };

/**
 * Takes a drill through its lifecycle: draft → approved → running ⇄ paused → ended → evaluated → closed.
 * Starting, pausing, resuming and ending move the drill clock and are written on the timeline.
 * Throws Forbidden (wrong role) or `drill_invalid_transition` naming the current state.
 */
export async function transitionDrill(ctx: ServiceContext, drillId: string, transition: Transition): Promise<Drill> {
  if (!mayTransition(ctx.actor, transition)) throw new ForbiddenError(`drill.${transition}`);
  const rule = TRANSITION_RULES[transition];
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from drills where id = ${drillId} for update`);
    const before = await loadDrill(tx, drillId);
    if (!rule.from.includes(before.status)) {
      throw new InvalidStateError('drill_invalid_transition', `Cannot ${transition} a drill that is ${before.status}`, { transition, status: before.status });
    }
    const now = ctx.clock.now();
    const patch: Partial<DrillRow> = { status: rule.to, updatedAt: now };
    if (transition === 'start') patch.startedAt = now;
    if (transition === 'pause') patch.pausedAt = now;
    if (transition === 'resume') Object.assign(patch, { pausedAt: null, pausedMs: before.pausedMs + (now.getTime() - before.pausedAt!.getTime()) });
    if (transition === 'end') {
      Object.assign(patch, { endedAt: now, pausedAt: null });
      if (before.pausedAt) patch.pausedMs = before.pausedMs + (now.getTime() - before.pausedAt.getTime());
    }
    const [row] = await tx.update(drills).set(patch).where(eq(drills.id, drillId)).returning();
    if (before.startedAt || transition === 'start') {
      const milestone = TRANSITION_MILESTONE[transition];
      await appendEntry(tx, ctx, {
        streamKind: 'drill',
        streamId: drillId,
        kind: 'status_change',
        text: `${before.status} → ${rule.to}`,
        drillTimeMs: drillTimeAt(row, now),
        data: { status: { from: before.status, to: rule.to }, ...(milestone ? { milestone } : {}) },
      });
      await recordDrillMilestone(tx, drillId, milestone, now);
    }
    if (transition === 'end') await markDrillDone(tx, drillId, now);
    await appendAudit(tx, ctx, { action: `drill.${transition}`, entityType: 'drill', entityId: drillId, before: { status: before.status }, after: { status: row.status } });
  });
  return getDrill(ctx, drillId);
}

/**
 * Writes a participant's entry on a drill's timeline (action, decision, report …), at drill time now or at
 * the time given. Throws Forbidden (not allowed for this role or state), `correction_target_unknown`.
 */
export async function addDrillEntry(ctx: ServiceContext, drillId: string, body: AppendEntryBody): Promise<TimelineEntry> {
  const drill = await loadDrill(ctx.db, drillId);
  const participation = await participationOf(ctx, drillId);
  if (!mayWriteEntry(ctx.actor, drill.status, body.kind, participation)) {
    throw new InvalidStateError('drill_entry_not_allowed', `Cannot write ${body.kind} on a drill that is ${drill.status}`, { kind: body.kind, status: drill.status });
  }
  if (body.kind === 'report' && !body.data?.report) {
    throw new ValidationError('report_details_missing', 'A report names its recipient and channel', {});
  }
  const now = ctx.clock.now();
  const at = body.at ? new Date(body.at) : now;
  if (at > now) throw new ValidationError('entry_in_future', 'An entry cannot be dated in the future', {});
  return ctx.db.transaction(async (tx) => {
    const entry = await appendEntry(tx, ctx, {
      streamKind: 'drill',
      streamId: drillId,
      kind: body.kind,
      text: body.text,
      at,
      drillTimeMs: drillTimeAt(drill, at),
      data: body.data,
      correctsId: body.correctsId,
      attachments: body.attachments,
    });
    await recordDrillMilestone(tx, drillId, body.data?.milestone ?? (body.kind === 'report' ? 'reported' : undefined), at);
    return entry;
  });
}

/**
 * Delivers one inject now, exactly once: the conditional update and the timeline entry share a transaction,
 * so a second attempt (another process, a retry after a crash) finds it delivered and does nothing.
 * Returns the timeline entry, or null when it was no longer pending.
 */
async function deliverInject(ctx: Pick<ServiceContext, 'db' | 'clock' | 'actor' | 'requestId'>, injectId: string): Promise<TimelineEntry | null> {
  return ctx.db.transaction(async (tx) => {
    const [inject] = await tx
      .select()
      .from(drillInjects)
      .where(and(eq(drillInjects.id, injectId), eq(drillInjects.status, 'pending')))
      .for('update');
    if (!inject) return null;
    const drill = await loadDrill(tx, inject.drillId);
    if (drill.status !== 'running') return null;
    const now = ctx.clock.now();
    const drillTimeMs = drillTimeAt(drill, now);
    const entry = await appendEntry(tx, ctx, {
      streamKind: 'drill',
      streamId: drill.id,
      kind: 'inject',
      text: inject.content,
      at: now,
      drillTimeMs,
      data: {
        injectId: inject.id,
        inject: { key: inject.key, channel: inject.channel, sender: inject.sender, recipients: inject.recipients, scheduledMs: inject.offsetMs },
        ...(inject.marksDetection ? { milestone: 'detected' as const } : {}),
      },
    });
    if (inject.marksDetection) await recordDrillMilestone(tx, drill.id, 'detected', now);
    await tx
      .update(drillInjects)
      .set({ status: 'delivered', deliveredAt: now, deliveredDrillMs: drillTimeMs, entryId: entry.id, updatedAt: now })
      .where(eq(drillInjects.id, inject.id));
    await appendAudit(tx, ctx, { action: 'drill.inject_delivered', entityType: 'drill', entityId: drill.id, after: { key: inject.key, drillTimeMs } });
    return entry;
  });
}

/** The coordinator fires an inject now, ahead of its time or a manual one. Throws `drill_not_running`, `inject_not_pending`. */
export async function fireInject(ctx: ServiceContext, drillId: string, injectId: string): Promise<TimelineEntry> {
  const drill = await loadDrill(ctx.db, drillId);
  if (drill.status !== 'running') throw new InvalidStateError('drill_not_running', `Drill is ${drill.status}`, { status: drill.status });
  const [inject] = await ctx.db.select().from(drillInjects).where(and(eq(drillInjects.id, injectId), eq(drillInjects.drillId, drillId)));
  if (!inject) throw new NotFoundError('inject', injectId);
  const entry = await deliverInject(ctx, injectId);
  if (!entry) throw new InvalidStateError('inject_not_pending', `Inject ${inject.key} was already ${inject.status}`, { key: inject.key, status: inject.status });
  return entry;
}

/**
 * Adds an inject to a drill that is under way: with no offset it is delivered at once (a manual inject),
 * otherwise at its drill time. Throws `drill_not_running`, `duplicate_key`.
 */
export async function addInject(ctx: ServiceContext, drillId: string, body: InjectBody): Promise<Inject> {
  const drill = await loadDrill(ctx.db, drillId);
  if (!['approved', 'running', 'paused'].includes(drill.status)) throw new InvalidStateError('drill_not_running', `Drill is ${drill.status}`, { status: drill.status });
  const id = await ctx.db.transaction(async (tx) => {
    const [{ n }] = await tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(drillInjects).where(eq(drillInjects.drillId, drillId));
    const [exists] = await tx.select({ id: drillInjects.id }).from(drillInjects).where(and(eq(drillInjects.drillId, drillId), eq(drillInjects.key, body.key)));
    if (exists) throw new ValidationError('duplicate_key', `Duplicate inject key ${body.key}`, { entity: 'inject', key: body.key });
    const [row] = await tx.insert(drillInjects).values({ ...injectRows(drillId, [body])[0], position: n }).returning();
    await appendAudit(tx, ctx, { action: 'drill.inject_add', entityType: 'drill', entityId: drillId, after: toInject(row) });
    return row.id;
  });
  if (body.offsetMinutes === null && drill.status === 'running') await deliverInject(ctx, id);
  const [row] = await ctx.db.select().from(drillInjects).where(eq(drillInjects.id, id));
  return toInject(row);
}

/**
 * Delivers every scheduled inject that is due in a running drill. Called by the scheduler; safe to call
 * from several processes at once (each inject is delivered once). Returns how many it delivered.
 */
export async function deliverDueInjects(ctx: Pick<ServiceContext, 'db' | 'clock' | 'actor'>): Promise<number> {
  const now = ctx.clock.now();
  const candidates = await ctx.db
    .select({ inject: drillInjects, drill: drills })
    .from(drillInjects)
    .innerJoin(drills, eq(drills.id, drillInjects.drillId))
    .where(and(eq(drills.status, 'running'), eq(drillInjects.status, 'pending'), isNotNull(drillInjects.offsetMs)))
    .orderBy(asc(drillInjects.offsetMs));
  let delivered = 0;
  for (const { inject, drill } of candidates) {
    if (inject.offsetMs! <= drillTimeAt(drill, now) && (await deliverInject(ctx, inject.id))) delivered++;
  }
  return delivered;
}

/** The clocks of a drill's escalation rules, now. */
export function escalationClocks(drill: DrillRow, entries: TimelineEntry[], now: Date): EscalationClock[] {
  return computeEscalationClocks({
    rules: drill.escalationRules,
    entries,
    level: drill.incidentLevel ?? null,
    nowMs: drillTimeAt(drill, now),
    basis: 'drill',
  });
}

/** A drill's timeline as people read it, with its escalation clocks. Throws NotFound. */
export async function getDrillTimeline(ctx: ServiceContext, drillId: string) {
  const drill = await loadDrill(ctx.db, drillId);
  const entries = await listEntries(ctx.db, drillId);
  const now = ctx.clock.now();
  return {
    drill: { ...toSummary(drill), drillTimeMs: drillTimeAt(drill, now) },
    entries: readableTimeline(entries).filter(entryVisibleTo(ctx.actor)),
    escalations: escalationClocks(drill, entries, now),
  };
}

/**
 * The checklists of a drill: the steps of its plan version's procedures, each ticked or not from the
 * timeline (ticking writes an entry, so the record shows who did what when).
 */
export async function getChecklist(ctx: ServiceContext, drillId: string) {
  const drill = await loadDrill(ctx.db, drillId);
  if (!drill.planVersionId) return [];
  const version = await getPlanVersionById(ctx.db, drill.planVersionId);
  const entries = await listEntries(ctx.db, drillId);
  const ticks = new Map<string, TimelineEntry>();
  for (const e of entries) {
    const item = (e.data as { checklist?: { itemKey: string } }).checklist;
    if (item) ticks.set(item.itemKey, e);
  }
  return version.content.procedures.flatMap((p) =>
    p.steps.map((s) => {
      const key = `${p.key}.${s.key}`;
      const tick = ticks.get(key);
      const done = (tick?.data as { checklist?: { done: boolean } } | undefined)?.checklist?.done ?? false;
      return { key, procedure: p.title, role: s.role, text: s.text, done, doneBy: done ? tick!.actorLabel : null, doneAtMs: done ? tick!.drillTimeMs : null };
    }),
  );
}

/** The drill's figures (times to detect, report, contain, recover; injects answered; rules met). Throws NotFound. */
export async function getDrillMetrics(ctx: ServiceContext, drillId: string): Promise<DrillMetrics> {
  const drill = await loadDrill(ctx.db, drillId);
  const entries = await listEntries(ctx.db, drillId);
  return computeDrillMetrics(entries, escalationClocks(drill, entries, ctx.clock.now()));
}
