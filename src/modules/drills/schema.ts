import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { baseColumns, timestamptz } from '../../db/columns.js';
import { safeText } from '../../http/zod.js';
import { people } from '../org/schema.js';
import { DRILL_ROLES, EscalationRule, INCIDENT_LEVELS, PlanRef, planVersions } from '../plans/schema.js';
import { EscalationClockSchema, TimelineEntry } from '../timeline/schema.js';

export const DRILL_STATUSES = ['draft', 'approved', 'running', 'paused', 'ended', 'evaluated', 'closed'] as const;
export type DrillStatus = (typeof DRILL_STATUSES)[number];
export const drillStatus = pgEnum('drill_status', DRILL_STATUSES);
export const DRILL_MODES = ['tabletop', 'simulated', 'hands_on', 'demonstration'] as const;
export const drillMode = pgEnum('drill_mode', DRILL_MODES);
export const DRILL_SCOPES = ['comprehensive', 'single_topic'] as const;
export const drillScope = pgEnum('drill_scope', DRILL_SCOPES);
export const drillRole = pgEnum('drill_role', DRILL_ROLES);
export const INJECT_CHANNELS = ['phone', 'email', 'chat', 'system_alert'] as const;
export const INJECT_STATUSES = ['pending', 'delivered', 'cancelled'] as const;
export const injectStatus = pgEnum('inject_status', INJECT_STATUSES);

export interface Objective {
  key: string;
  text: string;
  criterion: string;
}

/** 演练: one drill, from its plan (演练方案) through its live run to its end. */
export const drills = pgTable('drills', {
  ...baseColumns,
  title: text().notNull(),
  status: drillStatus().notNull().default('draft'),
  mode: drillMode().notNull(),
  scope: drillScope().notNull(),
  language: text().notNull().default('zh-CN'),
  planVersionId: uuid().references(() => planVersions.id),
  scenarioId: uuid(),
  scheduledStart: timestamptz(),
  place: text().notNull().default(''),
  guidingPrinciple: text().notNull().default(''),
  content: text().notNull().default(''),
  purpose: text().notNull().default(''),
  objectives: jsonb().$type<Objective[]>().notNull().default([]),
  /** Escalation rules of this drill: the plan's, plus the scenario's. */
  escalationRules: jsonb().$type<EscalationRule[]>().notNull().default([]),
  incidentCategory: text(),
  incidentSubcategory: text(),
  incidentLevel: text().$type<(typeof INCIDENT_LEVELS)[number]>(),
  startedAt: timestamptz(),
  pausedAt: timestamptz(),
  /** Total paused time so far, excluding a pause under way. */
  pausedMs: bigint({ mode: 'number' }).notNull().default(0),
  endedAt: timestamptz(),
});

export const drillParticipants = pgTable(
  'drill_participants',
  {
    ...baseColumns,
    drillId: uuid()
      .notNull()
      .references(() => drills.id),
    personId: uuid()
      .notNull()
      .references(() => people.id),
    role: drillRole().notNull(),
    duty: text().notNull().default(''),
  },
  (t) => [uniqueIndex().on(t.drillId, t.personId)],
);

/** 情景注入: a message delivered to participants at a drill-time offset, or fired by the coordinator. */
export const drillInjects = pgTable(
  'drill_injects',
  {
    ...baseColumns,
    drillId: uuid()
      .notNull()
      .references(() => drills.id),
    key: text().notNull(),
    position: integer().notNull(),
    /** Drill time at which it is due; null: manual (fired by the coordinator). */
    offsetMs: bigint({ mode: 'number' }),
    channel: text().notNull(),
    sender: text().notNull(),
    recipients: jsonb().$type<string[]>().notNull().default([]),
    content: text().notNull(),
    expectedActions: jsonb().$type<string[]>().notNull().default([]),
    /** Whether delivering it marks the incident as detected (e.g. the seed's 09:15 call). */
    marksDetection: boolean().notNull().default(false),
    status: injectStatus().notNull().default('pending'),
    deliveredAt: timestamptz(),
    deliveredDrillMs: bigint({ mode: 'number' }),
    entryId: uuid(),
  },
  (t) => [uniqueIndex().on(t.drillId, t.key), index().on(t.status, t.drillId)],
);

// ---- contracts ----

const key = safeText(80).regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'lower-case letters, digits, - and _ only' });

export const ObjectiveBody = z.strictObject({ key, text: safeText(1000).min(1), criterion: safeText(1000).default('') });
export const ParticipantBody = z.strictObject({ personId: z.uuid(), role: z.enum(DRILL_ROLES), duty: safeText(500).optional() });
export const InjectBody = z.strictObject({
  key,
  offsetMinutes: z.number().min(0).max(60 * 24 * 7).nullable(),
  channel: z.enum(INJECT_CHANNELS),
  sender: safeText(200).min(1),
  recipients: z.array(z.enum([...DRILL_ROLES, 'all'])).min(1).max(4),
  content: safeText(4000).min(1),
  expectedActions: z.array(safeText(500)).max(20).default([]),
  marksDetection: z.boolean().default(false),
});
export type InjectBody = z.infer<typeof InjectBody>;

const DrillFields = {
  title: safeText(200).min(1),
  mode: z.enum(DRILL_MODES),
  scope: z.enum(DRILL_SCOPES),
  language: z.enum(['zh-CN', 'en']).default('zh-CN'),
  planId: z.uuid().optional(),
  scenarioId: z.uuid().optional(),
  scheduledStart: z.iso.datetime({ offset: true }).optional(),
  place: safeText(200).optional(),
  guidingPrinciple: safeText(5000).optional(),
  content: safeText(5000).optional(),
  purpose: safeText(5000).optional(),
  objectives: z.array(ObjectiveBody).max(30).optional(),
  participants: z.array(ParticipantBody).max(500).optional(),
  injects: z.array(InjectBody).max(200).optional(),
  escalationRules: z.array(EscalationRule).max(50).optional(),
  incidentCategory: safeText(60).optional(),
  incidentSubcategory: safeText(60).optional(),
  incidentLevel: z.enum(INCIDENT_LEVELS).optional(),
};
export const CreateDrillBody = z.strictObject(DrillFields);
export type CreateDrillBody = z.infer<typeof CreateDrillBody>;
export const UpdateDrillBody = z.strictObject(DrillFields).partial();
export type UpdateDrillBody = z.infer<typeof UpdateDrillBody>;

export const Participant = z.object({ personId: z.uuid(), name: z.string(), userId: z.string().nullable(), role: z.enum(DRILL_ROLES), duty: z.string() });
export const Inject = z.object({
  id: z.uuid(),
  key: z.string(),
  offsetMs: z.number().nullable(),
  channel: z.string(),
  sender: z.string(),
  recipients: z.array(z.string()),
  content: z.string(),
  expectedActions: z.array(z.string()),
  marksDetection: z.boolean(),
  status: z.enum(INJECT_STATUSES),
  deliveredAt: z.iso.datetime().nullable(),
  deliveredDrillMs: z.number().nullable(),
});
export type Inject = z.infer<typeof Inject>;

export const DrillSummary = z.object({
  id: z.uuid(),
  title: z.string(),
  status: z.enum(DRILL_STATUSES),
  mode: z.enum(DRILL_MODES),
  scope: z.enum(DRILL_SCOPES),
  scheduledStart: z.iso.datetime().nullable(),
  startedAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  place: z.string(),
  /** Always true: every drill page and message is marked 【演练】/EXERCISE. */
  exercise: z.literal(true),
});

export const Drill = DrillSummary.extend({
  language: z.string(),
  planVersionId: z.string().nullable(),
  /** The plan version the drill follows. */
  plan: PlanRef.nullable(),
  scenarioId: z.string().nullable(),
  guidingPrinciple: z.string(),
  content: z.string(),
  purpose: z.string(),
  objectives: z.array(z.object({ key: z.string(), text: z.string(), criterion: z.string() })),
  escalationRules: z.array(EscalationRule),
  incidentCategory: z.string().nullable(),
  incidentSubcategory: z.string().nullable(),
  incidentLevel: z.enum(INCIDENT_LEVELS).nullable(),
  pausedAt: z.iso.datetime().nullable(),
  pausedMs: z.number(),
  participants: z.array(Participant),
  injects: z.array(Inject),
  /** Drill time now (ms), pauses excluded. */
  drillTimeMs: z.number(),
  /** What the caller may do with this drill, so the UI can hide the rest. */
  abilities: z.array(z.string()),
});
export type Drill = z.infer<typeof Drill>;

export const DrillIdParams = z.strictObject({ drillId: z.uuid() });
export const InjectIdParams = z.strictObject({ drillId: z.uuid(), injectId: z.uuid() });
export const TRANSITIONS = ['approve', 'start', 'pause', 'resume', 'end', 'evaluate', 'close'] as const;
export type Transition = (typeof TRANSITIONS)[number];
export const TransitionParams = z.strictObject({ drillId: z.uuid(), transition: z.enum(TRANSITIONS) });

export const ChecklistItem = z.object({ key: z.string(), procedure: z.string(), role: z.string(), text: z.string(), done: z.boolean(), doneBy: z.string().nullable(), doneAtMs: z.number().nullable() });

export const TimelineView = z.object({
  drill: DrillSummary.extend({ drillTimeMs: z.number(), status: z.enum(DRILL_STATUSES) }),
  entries: z.array(TimelineEntry.extend({ correctedBy: z.string().nullable() })),
  escalations: z.array(EscalationClockSchema),
});
