import { and, asc, eq, isNull } from 'drizzle-orm';
import type { ServiceContext } from '../../context.js';
import type { Db } from '../../db/types.js';
import { NotFoundError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { programmeItems, type CreateProgrammeItemBody, type ProgrammeItem, type UpdateProgrammeItemBody } from './schema.js';

type Row = typeof programmeItems.$inferSelect;
const DUE_WINDOW_DAYS = 30;

/** Where an item stands on a given day: done, overdue (its date passed), due (within 30 days), or planned. */
export function programmeState(row: Pick<Row, 'plannedDate' | 'doneAt'>, today: string): ProgrammeItem['state'] {
  if (row.doneAt) return 'done';
  if (row.plannedDate < today) return 'overdue';
  const soon = new Date(`${today}T00:00:00Z`);
  soon.setUTCDate(soon.getUTCDate() + DUE_WINDOW_DAYS);
  return row.plannedDate <= soon.toISOString().slice(0, 10) ? 'due' : 'planned';
}

/** Today's date in China (our users' calendar), as YYYY-MM-DD. */
function today(ctx: Pick<ServiceContext, 'clock'>): string {
  return new Date(ctx.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

function toItem(row: Row, day: string): ProgrammeItem {
  return {
    id: row.id,
    year: row.year,
    kind: row.kind,
    project: row.project,
    purpose: row.purpose,
    mode: row.mode,
    plannedDate: row.plannedDate,
    departments: row.departments,
    arrangement: row.arrangement,
    budget: row.budget,
    drillId: row.drillId,
    state: programmeState(row, day),
    doneAt: row.doneAt?.toISOString() ?? null,
  };
}

/** The programme of a year (default: this year), by planned date. */
export async function listProgramme(ctx: ServiceContext, year?: number): Promise<ProgrammeItem[]> {
  const day = today(ctx);
  const rows = await ctx.db
    .select()
    .from(programmeItems)
    .where(and(eq(programmeItems.year, year ?? Number(day.slice(0, 4))), isNull(programmeItems.archivedAt)))
    .orderBy(asc(programmeItems.plannedDate));
  return rows.map((r) => toItem(r, day));
}

async function load(db: Db, itemId: string): Promise<Row> {
  const [row] = await db.select().from(programmeItems).where(eq(programmeItems.id, itemId));
  if (!row) throw new NotFoundError('programme_item', itemId);
  return row;
}

export async function createProgrammeItem(ctx: ServiceContext, body: CreateProgrammeItemBody): Promise<ProgrammeItem> {
  return ctx.db.transaction(async (tx) => {
    const { done, ...fields } = body;
    const [row] = await tx
      .insert(programmeItems)
      .values({ ...fields, doneAt: done ? ctx.clock.now() : null })
      .returning();
    const item = toItem(row, today(ctx));
    await appendAudit(tx, ctx, { action: 'programme.create', entityType: 'programme_item', entityId: row.id, after: item });
    return item;
  });
}

/** Changes an item; `done` marks it done (or not). Throws NotFound. */
export async function updateProgrammeItem(ctx: ServiceContext, itemId: string, body: UpdateProgrammeItemBody): Promise<ProgrammeItem> {
  return ctx.db.transaction(async (tx) => {
    const before = await load(tx, itemId);
    const { done, ...fields } = body;
    const [row] = await tx
      .update(programmeItems)
      .set({ ...fields, ...(done === undefined ? {} : { doneAt: done ? (before.doneAt ?? ctx.clock.now()) : null }), updatedAt: ctx.clock.now() })
      .where(eq(programmeItems.id, itemId))
      .returning();
    const item = toItem(row, today(ctx));
    await appendAudit(tx, ctx, { action: 'programme.update', entityType: 'programme_item', entityId: itemId, before: toItem(before, today(ctx)), after: item });
    return item;
  });
}

/** Marks the programme items linked to a drill done (called when the drill ends), inside its transaction. */
export async function markDrillDone(tx: Db, drillId: string, at: Date): Promise<void> {
  await tx
    .update(programmeItems)
    .set({ doneAt: at, updatedAt: at })
    .where(and(eq(programmeItems.drillId, drillId), isNull(programmeItems.doneAt)));
}
