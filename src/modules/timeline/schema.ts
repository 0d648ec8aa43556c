import { bigint, index, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { baseColumns, timestamptz } from '../../db/columns.js';
import { safeText } from '../../http/zod.js';

export const TIMELINE_KINDS = ['inject', 'action', 'decision', 'report', 'notification', 'observation', 'finding', 'status_change'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
export const timelineKind = pgEnum('timeline_kind', TIMELINE_KINDS);

export const STREAM_KINDS = ['drill', 'incident'] as const;
export const streamKind = pgEnum('timeline_stream_kind', STREAM_KINDS);

/**
 * Milestones an entry can mark; the key times of an incident and the triggers of escalation clocks
 * are read from them.
 */
export const MILESTONES = ['started', 'detected', 'plan_activated', 'reported', 'contained', 'eradicated', 'recovered', 'ended', 'closed'] as const;
export type Milestone = (typeof MILESTONES)[number];

/**
 * The append-only record shared by drills and incidents. A stream is one drill or one real incident;
 * `seq` numbers its entries 1, 2, 3 … in commit order (assigned under a per-stream lock), which is what
 * the live stream's Last-Event-ID refers to. A correction is a new entry pointing at the one it corrects.
 */
export const timelineEntries = pgTable(
  'timeline_entries',
  {
    ...baseColumns,
    streamKind: streamKind().notNull(),
    streamId: uuid().notNull(),
    seq: bigint({ mode: 'number' }).notNull(),
    kind: timelineKind().notNull(),
    /** Wall-clock time of the event (may be earlier than created_at when recorded after the fact). */
    at: timestamptz().notNull(),
    /** Drill time in milliseconds since the drill started, pauses excluded; null for real incidents. */
    drillTimeMs: bigint({ mode: 'number' }),
    actorId: uuid(),
    actorLabel: text().notNull(),
    text: text().notNull(),
    data: jsonb().$type<EntryData>().notNull().default({}),
    correctsId: uuid(),
    attachments: jsonb().$type<Attachment[]>().notNull().default([]),
  },
  (t) => [uniqueIndex().on(t.streamId, t.seq), index().on(t.streamId, t.at)],
);

// ---- contracts ----

export const REPORT_FIELDS = ['occurred_at', 'scope', 'trend', 'measures'] as const;

export const ReportData = z.strictObject({
  /** Who was told: a label such as 总经理, and the person when known. */
  recipient: safeText(100).min(1),
  recipientPersonId: z.uuid().optional(),
  channel: safeText(40).min(1),
  /** The escalation rule this report answers, when the reporter says so. */
  ruleKey: safeText(80).optional(),
  /** The content of the report: time of occurrence, scope of impact, trend, measures taken … */
  fields: z.record(safeText(40), safeText(2000)).default({}),
});
export type ReportData = z.infer<typeof ReportData>;

export const EntryData = z.strictObject({
  milestone: z.enum(MILESTONES).optional(),
  report: ReportData.optional(),
  injectId: z.uuid().optional(),
  /** A checklist item ticked (or unticked) by this entry. */
  checklist: z.strictObject({ itemKey: safeText(120), done: z.boolean() }).optional(),
  /** For status changes: from → to. */
  status: z.strictObject({ from: safeText(40), to: safeText(40) }).optional(),
  /** A drill inject's delivery details. */
  inject: z
    .strictObject({
      key: safeText(120),
      channel: safeText(40),
      sender: safeText(200),
      recipients: z.array(safeText(40)).max(20),
      scheduledMs: z.number().int().nullable(),
    })
    .optional(),
  /** A finding's evidence: the events it rests on (ids in evidence_events, at most 1000 kept), how it was found. */
  evidence: z
    .strictObject({
      eventIds: z.array(z.number().int().min(1)).max(1000),
      total: z.number().int().min(0),
      /** The search that found them. */
      query: z.record(safeText(40), z.union([safeText(500), z.number()])).optional(),
      /** The detection rule that flagged them. */
      rule: z
        .strictObject({
          id: safeText(100),
          name: safeText(200).optional(),
          title: safeText(500),
          level: safeText(20).optional(),
          author: safeText(500).optional(),
          groupKey: z.record(safeText(100), safeText(500)).optional(),
        })
        .optional(),
      firstTime: z.iso.datetime().nullable().optional(),
      lastTime: z.iso.datetime().nullable().optional(),
      /** How serious the person who made the finding judged it (Sigma's levels; a rule's finding has rule.level). */
      severity: z.enum(['informational', 'low', 'medium', 'high', 'critical']).optional(),
    })
    .optional(),
});
export type EntryData = z.infer<typeof EntryData>;

export const Attachment = z.strictObject({ name: safeText(200), url: safeText(1000).optional(), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() });
export type Attachment = z.infer<typeof Attachment>;

export const TimelineEntry = z.object({
  id: z.uuid(),
  seq: z.number(),
  kind: z.enum(TIMELINE_KINDS),
  at: z.iso.datetime(),
  drillTimeMs: z.number().nullable(),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  text: z.string(),
  data: z.record(z.string(), z.unknown()),
  correctsId: z.string().nullable(),
  attachments: z.array(z.record(z.string(), z.unknown())),
  createdAt: z.iso.datetime(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** What a participant writes on the timeline. */
export const AppendEntryBody = z.strictObject({
  kind: z.enum(['action', 'decision', 'report', 'notification', 'observation', 'finding']),
  text: safeText(4000).min(1),
  /** When it happened, if earlier than now (recorded after the fact). */
  at: z.iso.datetime({ offset: true }).optional(),
  data: EntryData.optional(),
  correctsId: z.uuid().optional(),
  attachments: z.array(Attachment).max(20).optional(),
});
export type AppendEntryBody = z.infer<typeof AppendEntryBody>;

/** An escalation clock's state (computed in escalation.ts). */
export const EscalationClockSchema = z.object({
  ruleKey: z.string(),
  recipient: z.string(),
  channel: z.string(),
  withinMinutes: z.number(),
  requiredFields: z.array(z.string()),
  state: z.enum(['not_applicable', 'waiting', 'pending', 'overdue', 'met', 'late']),
  triggeredAtMs: z.number().nullable(),
  dueAtMs: z.number().nullable(),
  reportedAtMs: z.number().nullable(),
  reportEntryId: z.string().nullable(),
  remainingMs: z.number().nullable(),
  lateByMs: z.number().nullable(),
  missingFields: z.array(z.string()),
});

