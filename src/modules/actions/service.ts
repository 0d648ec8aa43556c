import { and, asc, eq, type SQL } from 'drizzle-orm';
import { actorName, type ServiceContext } from '../../context.js';
import type { Db } from '../../db/types.js';
import { ForbiddenError, InvalidStateError, NotFoundError, ValidationError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { getPeopleByIds, personIdsOfUser } from '../org/service.js';
import {
  correctiveActions,
  type ActionStatus,
  type ActionTransition,
  type CorrectiveAction,
  type CreateActionBody,
  type ListActionsQuery,
  type UpdateActionBody,
} from './schema.js';

type Row = typeof correctiveActions.$inferSelect;

/** Today in China (our users' calendar), as YYYY-MM-DD. */
function today(ctx: Pick<ServiceContext, 'clock'>): string {
  return new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function isOverdue(row: Pick<Row, 'dueDate' | 'status'>, day: string): boolean {
  return row.dueDate < day && (row.status === 'open' || row.status === 'in_progress');
}

async function present(ctx: Pick<ServiceContext, 'db' | 'clock'>, rows: Row[]): Promise<CorrectiveAction[]> {
  const owners = await getPeopleByIds(ctx.db, [...new Set(rows.map((r) => r.ownerPersonId))]);
  const day = today(ctx);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    description: r.description,
    drillId: r.drillId,
    incidentId: r.incidentId,
    sourceKind: r.sourceKind,
    sourceRef: r.sourceRef,
    owner: { personId: r.ownerPersonId, name: owners.find((p) => p.id === r.ownerPersonId)?.name ?? '?' },
    dueDate: r.dueDate,
    priority: r.priority,
    status: r.status,
    overdue: isOverdue(r, day),
    doneAt: r.doneAt?.toISOString() ?? null,
    doneNote: r.doneNote,
    verifiedAt: r.verifiedAt?.toISOString() ?? null,
    verifiedBy: r.verifiedBy,
    verificationEvidence: r.verificationEvidence,
    createdAt: r.createdAt.toISOString(),
  }));
}

async function load(db: Db, actionId: string): Promise<Row> {
  const [row] = await db.select().from(correctiveActions).where(eq(correctiveActions.id, actionId));
  if (!row) throw new NotFoundError('corrective_action', actionId);
  return row;
}

async function checkOwner(db: Db, personId: string | undefined): Promise<void> {
  if (!personId) return;
  const [person] = await getPeopleByIds(db, [personId]);
  if (!person || person.archived) throw new ValidationError('person_not_found', `Person ${personId} not found`, { id: personId });
}

/** Corrective actions by due date, filtered by drill, incident, status or overdue. */
export async function listActions(ctx: ServiceContext, query: ListActionsQuery): Promise<CorrectiveAction[]> {
  const where: SQL[] = [];
  if (query.drillId) where.push(eq(correctiveActions.drillId, query.drillId));
  if (query.incidentId) where.push(eq(correctiveActions.incidentId, query.incidentId));
  if (query.status) where.push(eq(correctiveActions.status, query.status));
  const rows = await ctx.db
    .select()
    .from(correctiveActions)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(correctiveActions.dueDate), asc(correctiveActions.createdAt));
  const all = await present(ctx, rows);
  return query.overdue === undefined ? all : all.filter((a) => a.overdue === (query.overdue === 'true'));
}

/** Raises a corrective action. Throws `person_not_found`. */
export async function createAction(ctx: ServiceContext, body: CreateActionBody): Promise<CorrectiveAction> {
  await checkOwner(ctx.db, body.ownerPersonId);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(correctiveActions).values({ ...body, sourceKind: body.sourceKind ?? 'other' }).returning();
    const [action] = await present({ db: tx, clock: ctx.clock }, [row]);
    await appendAudit(tx, ctx, { action: 'corrective_action.create', entityType: 'corrective_action', entityId: row.id, after: action });
    return action;
  });
}

/** Changes what an action is, who owns it and when it is due. Throws NotFound, `person_not_found`, `action_verified`. */
export async function updateAction(ctx: ServiceContext, actionId: string, body: UpdateActionBody): Promise<CorrectiveAction> {
  await checkOwner(ctx.db, body.ownerPersonId);
  return ctx.db.transaction(async (tx) => {
    const before = await load(tx, actionId);
    if (before.status === 'verified') throw new InvalidStateError('action_verified', 'A verified action is closed', {});
    const [row] = await tx
      .update(correctiveActions)
      .set({ ...body, updatedAt: ctx.clock.now() })
      .where(eq(correctiveActions.id, actionId))
      .returning();
    const [action] = await present({ db: tx, clock: ctx.clock }, [row]);
    await appendAudit(tx, ctx, { action: 'corrective_action.update', entityType: 'corrective_action', entityId: actionId, before, after: action });
    return action;
  });
}

const FLOW: Record<ActionTransition, { from: ActionStatus[]; to: ActionStatus }> = {
  start: { from: ['open'], to: 'in_progress' },
  complete: { from: ['open', 'in_progress'], to: 'done' },
  reopen: { from: ['done'], to: 'in_progress' },
  verify: { from: ['done'], to: 'verified' },
};

/**
 * Moves an action along open → in progress → done → verified (done can be reopened). Completing needs a note
 * of what was done; verifying needs evidence and someone other than the owner. Throws
 * `action_invalid_transition` (naming the state), `action_note_required`, Forbidden (the owner verifying).
 */
export async function transitionAction(ctx: ServiceContext, actionId: string, transition: ActionTransition, note?: string): Promise<CorrectiveAction> {
  const rule = FLOW[transition];
  return ctx.db.transaction(async (tx) => {
    const before = await load(tx, actionId);
    if (!rule.from.includes(before.status)) {
      throw new InvalidStateError('action_invalid_transition', `Cannot ${transition} an action that is ${before.status}`, { transition, status: before.status });
    }
    if ((transition === 'complete' || transition === 'verify') && !note?.trim()) {
      throw new ValidationError('action_note_required', `${transition} needs a note`, { transition });
    }
    if (transition === 'verify' && ctx.actor.kind === 'user') {
      const mine = await personIdsOfUser(tx, ctx.actor.userId);
      if (mine.includes(before.ownerPersonId)) throw new ForbiddenError('corrective_action.verify: not by its owner');
    }
    const now = ctx.clock.now();
    const [row] = await tx
      .update(correctiveActions)
      .set({
        status: rule.to,
        updatedAt: now,
        ...(transition === 'complete' ? { doneAt: now, doneNote: note } : {}),
        ...(transition === 'reopen' ? { doneAt: null } : {}),
        ...(transition === 'verify' ? { verifiedAt: now, verifiedBy: actorName(ctx.actor), verificationEvidence: note } : {}),
      })
      .where(eq(correctiveActions.id, actionId))
      .returning();
    const [action] = await present({ db: tx, clock: ctx.clock }, [row]);
    await appendAudit(tx, ctx, { action: `corrective_action.${transition}`, entityType: 'corrective_action', entityId: actionId, before: { status: before.status }, after: { status: row.status, note } });
    return action;
  });
}
