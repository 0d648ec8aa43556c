import { sql } from 'drizzle-orm';
import { integer, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { baseColumns, timestamptz } from '../../db/columns.js';
import { safeText } from '../../http/zod.js';

export const PLAN_VERSION_STATUSES = ['draft', 'published'] as const;
export const planVersionStatus = pgEnum('plan_version_status', PLAN_VERSION_STATUSES);

/** 应急预案: the company's written response plan. Its content lives in versions. */
export const emergencyPlans = pgTable('emergency_plans', {
  ...baseColumns,
  title: text().notNull(),
  archivedAt: timestamptz(),
});

/**
 * A version of a plan. Published versions are immutable (a trigger refuses changes); editing makes or
 * changes the one draft, which publishing turns into the next published version.
 */
export const planVersions = pgTable(
  'plan_versions',
  {
    ...baseColumns,
    planId: uuid()
      .notNull()
      .references(() => emergencyPlans.id),
    number: integer().notNull(),
    status: planVersionStatus().notNull(),
    content: jsonb().$type<PlanContent>().notNull(),
    changeNote: text().notNull().default(''),
    /** What caused this revision: findings, corrective actions, lessons (the seed's step 9). */
    revisionCauses: jsonb().$type<RevisionCause[]>().notNull().default([]),
    basedOnId: uuid(),
    publishedAt: timestamptz(),
    publishedBy: text(),
  },
  (t) => [uniqueIndex().on(t.planId, t.number), uniqueIndex('plan_versions_one_draft').on(t.planId).where(sql`status = 'draft'`)],
);

// ---- contracts ----

export const INCIDENT_LEVELS = ['I', 'II', 'III', 'IV'] as const;
export type IncidentLevel = (typeof INCIDENT_LEVELS)[number];
export const DRILL_ROLES = ['coordinator', 'responder', 'observer'] as const;
export const ESCALATION_TRIGGERS = ['incident_detected', 'plan_activated', 'level_at_least'] as const;
export const REPORT_CHANNELS = ['verbal', 'phone', 'email', 'chat', 'wecom', 'dingtalk', 'feishu', 'sms', 'meeting', 'document'] as const;

const key = safeText(80).regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'lower-case letters, digits, - and _ only' });

export const EscalationRule = z.strictObject({
  key,
  /** What starts the clock. */
  trigger: z.enum(ESCALATION_TRIGGERS),
  /** For level_at_least (and as a filter for the others): the rule applies at this level or more severe. */
  minLevel: z.enum(INCIDENT_LEVELS).optional(),
  /** Who must be told: 总经理, the regulator … */
  recipient: safeText(100).min(1),
  recipientPersonId: z.uuid().optional(),
  withinMinutes: z.number().int().min(1).max(60 * 24 * 30),
  channel: z.enum(REPORT_CHANNELS),
  /** The fields the report must hold, e.g. occurred_at, scope, trend, measures. */
  requiredFields: z.array(safeText(40).min(1)).max(20),
  note: safeText(1000).optional(),
});
export type EscalationRule = z.infer<typeof EscalationRule>;

export const ProcedureStep = z.strictObject({ key, role: z.enum([...DRILL_ROLES, 'all']), text: safeText(2000).min(1) });
export const Procedure = z.strictObject({
  key,
  title: safeText(200).min(1),
  /** Incident category this procedure is for (GB/T 20986-2023 key); absent: any. */
  category: safeText(60).optional(),
  minLevel: z.enum(INCIDENT_LEVELS).optional(),
  steps: z.array(ProcedureStep).max(100),
});
export type Procedure = z.infer<typeof Procedure>;

export const PlanContact = z.strictObject({ label: safeText(100).min(1), personId: z.uuid().optional(), phone: safeText(40).optional(), note: safeText(500).optional() });

export const PlanContent = z.strictObject({
  guidingPrinciple: safeText(5000).default(''),
  scope: safeText(5000).default(''),
  /** Working groups (org) that carry the plan out. */
  groupIds: z.array(z.uuid()).max(50).default([]),
  procedures: z.array(Procedure).max(100).default([]),
  escalationRules: z.array(EscalationRule).max(100).default([]),
  contacts: z.array(PlanContact).max(100).default([]),
});
export type PlanContent = z.infer<typeof PlanContent>;

export const RevisionCause = z.strictObject({
  kind: z.enum(['finding', 'corrective_action', 'lesson', 'drill', 'incident', 'other']),
  refId: z.string().max(80).optional(),
  text: safeText(1000).min(1),
});
export type RevisionCause = z.infer<typeof RevisionCause>;

export const PlanVersion = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  number: z.number(),
  status: z.enum(PLAN_VERSION_STATUSES),
  content: PlanContent,
  changeNote: z.string(),
  revisionCauses: z.array(RevisionCause),
  basedOnId: z.string().nullable(),
  publishedAt: z.iso.datetime().nullable(),
  publishedBy: z.string().nullable(),
  updatedAt: z.iso.datetime(),
});
export type PlanVersion = z.infer<typeof PlanVersion>;

/** A pointer to one version of a plan, as drills and incidents show it. */
export const PlanRef = z.object({ id: z.uuid(), title: z.string(), number: z.number(), versionId: z.uuid() });
export type PlanRef = z.infer<typeof PlanRef>;

export const PlanSummary = z.object({
  id: z.uuid(),
  title: z.string(),
  archived: z.boolean(),
  /** The newest published version's number, if any. */
  publishedNumber: z.number().nullable(),
  hasDraft: z.boolean(),
  updatedAt: z.iso.datetime(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const Plan = PlanSummary.extend({ versions: z.array(PlanVersion.omit({ content: true })) });

export const CreatePlanBody = z.strictObject({ title: safeText(200).min(1), content: PlanContent.optional(), changeNote: safeText(2000).optional() });
export type CreatePlanBody = z.infer<typeof CreatePlanBody>;
export const SaveDraftBody = z.strictObject({
  title: safeText(200).min(1).optional(),
  content: PlanContent,
  changeNote: safeText(2000).optional(),
  revisionCauses: z.array(RevisionCause).max(50).optional(),
});
export type SaveDraftBody = z.infer<typeof SaveDraftBody>;
export const PublishBody = z.strictObject({ changeNote: safeText(2000).optional() });
export const ReviseBody = z.strictObject({ causes: z.array(RevisionCause).min(1).max(50), changeNote: safeText(2000).optional() });

export const PlanIdParams = z.strictObject({ planId: z.uuid() });
export const PlanVersionParams = z.strictObject({ planId: z.uuid(), number: z.coerce.number().int().min(1) });
export const DiffQuery = z.strictObject({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });

export const PlanDiffChange = z.object({ path: z.string(), kind: z.enum(['added', 'removed', 'changed']), before: z.unknown(), after: z.unknown() });
export type PlanDiffChange = z.infer<typeof PlanDiffChange>;
