import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { actorName, type ServiceContext } from '../../context.js';
import type { Db } from '../../db/types.js';
import { ValidationError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { timelineEntries, type Attachment, type EntryData, type TimelineEntry, type TimelineKind } from './schema.js';

/** PostgreSQL NOTIFY channel: payload `<streamId>:<seq>`, delivered on commit to every process. */
export const TIMELINE_CHANNEL = 'firedrill_timeline';

type EntryRow = typeof timelineEntries.$inferSelect;

export function toEntry(row: EntryRow): TimelineEntry {
  return {
    id: row.id,
    seq: row.seq,
    kind: row.kind,
    at: row.at.toISOString(),
    drillTimeMs: row.drillTimeMs,
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    text: row.text,
    data: row.data as Record<string, unknown>,
    correctsId: row.correctsId,
    attachments: row.attachments as Record<string, unknown>[],
    createdAt: row.createdAt.toISOString(),
  };
}

export interface AppendInput {
  streamKind: 'drill' | 'incident';
  streamId: string;
  kind: TimelineKind;
  text: string;
  /** When it happened; defaults to now. */
  at?: Date;
  drillTimeMs?: number | null;
  data?: EntryData;
  correctsId?: string;
  attachments?: Attachment[];
}

/**
 * Appends one entry to a drill's or an incident's timeline, inside the caller's transaction, with its audit
 * entry. The per-stream lock makes `seq` follow commit order; the NOTIFY reaches every process's live
 * subscribers once the transaction commits. Throws `correction_target_unknown`.
 */
export async function appendEntry(tx: Db, ctx: Pick<ServiceContext, 'clock' | 'actor' | 'requestId'>, input: AppendInput): Promise<TimelineEntry> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${input.streamId}, 7))`);
  if (input.correctsId) {
    const [target] = await tx
      .select({ id: timelineEntries.id })
      .from(timelineEntries)
      .where(and(eq(timelineEntries.id, input.correctsId), eq(timelineEntries.streamId, input.streamId)));
    if (!target) throw new ValidationError('correction_target_unknown', `No entry ${input.correctsId} on this timeline`, { id: input.correctsId });
  }
  const [{ next }] = (await tx
    .select({ next: sql<number>`coalesce(max(${timelineEntries.seq}), 0) + 1`.mapWith(Number) })
    .from(timelineEntries)
    .where(eq(timelineEntries.streamId, input.streamId))) as { next: number }[];
  const [row] = await tx
    .insert(timelineEntries)
    .values({
      streamKind: input.streamKind,
      streamId: input.streamId,
      seq: next,
      kind: input.kind,
      at: input.at ?? ctx.clock.now(),
      drillTimeMs: input.drillTimeMs ?? null,
      actorId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      actorLabel: actorName(ctx.actor),
      text: input.text,
      data: input.data ?? {},
      correctsId: input.correctsId ?? null,
      attachments: input.attachments ?? [],
    })
    .returning();
  const entry = toEntry(row);
  await appendAudit(tx, ctx, { action: 'timeline.append', entityType: input.streamKind, entityId: input.streamId, after: { seq: entry.seq, kind: entry.kind, text: entry.text, data: entry.data } });
  await tx.execute(sql`select pg_notify(${TIMELINE_CHANNEL}, ${`${input.streamId}:${next}`})`);
  return entry;
}

/** A stream's entries after `afterSeq`, oldest first. */
export async function listEntries(db: Db, streamId: string, afterSeq = 0, limit = 5000): Promise<TimelineEntry[]> {
  const rows = await db
    .select()
    .from(timelineEntries)
    .where(and(eq(timelineEntries.streamId, streamId), gt(timelineEntries.seq, afterSeq)))
    .orderBy(asc(timelineEntries.seq))
    .limit(limit);
  return rows.map(toEntry);
}

/**
 * The timeline as people should read it: every entry, each marked with the entry that corrects it (if any),
 * in order of when things happened (drill time, then wall time, then seq).
 */
export function readableTimeline(entries: TimelineEntry[]): (TimelineEntry & { correctedBy: string | null })[] {
  const correctedBy = new Map<string, string>();
  for (const e of entries) if (e.correctsId) correctedBy.set(e.correctsId, e.id);
  // `at` is an ISO string in UTC: plain comparison orders it (localeCompare would, about 100 times slower).
  const byTime = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return entries
    .map((e) => ({ ...e, correctedBy: correctedBy.get(e.id) ?? null }))
    .sort((a, b) => (a.drillTimeMs ?? 0) - (b.drillTimeMs ?? 0) || byTime(a.at, b.at) || a.seq - b.seq);
}
