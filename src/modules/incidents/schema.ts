import { boolean, integer, jsonb, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { baseColumns, timestamptz } from '../../db/columns.js';
import { safeText } from '../../http/zod.js';
import { EscalationRule, INCIDENT_LEVELS, PlanRef, type IncidentLevel } from '../plans/schema.js';
import { EscalationClockSchema, TimelineEntry } from '../timeline/schema.js';

export const INCIDENT_STATUSES = ['open', 'responding', 'contained', 'recovered', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const incidentStatus = pgEnum('incident_status', INCIDENT_STATUSES);

/** The key times of an incident, in the order they happen. */
export const KEY_TIMES = ['occurredAt', 'detectedAt', 'reportedAt', 'containedAt', 'eradicatedAt', 'recoveredAt', 'closedAt'] as const;
export type KeyTime = (typeof KEY_TIMES)[number];

/**
 * 安全事件: a real incident, or the incident played inside a drill (is_drill; never counted in real
 * statistics, always shown marked 【演练】/EXERCISE). Classified per GB/T 20986-2023.
 */
export const incidents = pgTable('incidents', {
  ...baseColumns,
  title: text().notNull(),
  description: text().notNull().default(''),
  isDrill: boolean().notNull().default(false),
  drillId: uuid().unique(),
  category: text().notNull(),
  subcategory: text(),
  level: text().$type<IncidentLevel>(),
  status: incidentStatus().notNull().default('open'),
  occurredAt: timestamptz(),
  detectedAt: timestamptz(),
  reportedAt: timestamptz(),
  containedAt: timestamptz(),
  eradicatedAt: timestamptz(),
  recoveredAt: timestamptz(),
  closedAt: timestamptz(),
  affectedSystems: jsonb().$type<string[]>().notNull().default([]),
  scope: text().notNull().default(''),
  planVersionId: uuid(),
  escalationRules: jsonb().$type<EscalationRule[]>().notNull().default([]),
});

/**
 * The regulator's reporting deadlines (国家网络安全事件报告管理办法), one row per kind of operator, seeded
 * from the presets and editable per company; the active row applies to the company's real incidents.
 */
export const reportingPresets = pgTable('reporting_presets', {
  ...baseColumns,
  key: text().notNull().unique(),
  withinMinutes: integer().notNull(),
  minLevel: text().$type<IncidentLevel>().notNull(),
  recipient: jsonb().$type<{ 'zh-CN': string; en: string }>().notNull(),
  requiredFields: jsonb().$type<string[]>().notNull(),
  active: boolean().notNull().default(false),
});

/**
 * 事故调查 (the seed's step 10): what the investigation team established, in its own words. The facts the
 * timeline already holds (times, handling, reports) are not repeated here; the investigation report joins both.
 */
export const incidentInvestigations = pgTable('incident_investigations', {
  ...baseColumns,
  incidentId: uuid().notNull().unique(),
  /** 调查组: who investigated. */
  investigators: text().notNull().default(''),
  /** 后果评价. */
  consequences: text().notNull().default(''),
  /** 事件根源. */
  rootCause: text().notNull().default(''),
  /** 泄露源 (e.g. how the server password got out). */
  leakSource: text().notNull().default(''),
  /** 非法操作人员信息: who acted. */
  actors: text().notNull().default(''),
  /** 采取的主要应急响应措施及其有效性. */
  measuresEffectiveness: text().notNull().default(''),
  /** 主要经验教训. */
  lessons: text().notNull().default(''),
  /** 预防措施. */
  preventiveMeasures: text().notNull().default(''),
  /** 向谁报告: the general manager, the police (公安机关) … with dates. */
  reportedTo: text().notNull().default(''),
  conclusion: text().notNull().default(''),
});

// ---- contracts ----

const when = z.iso.datetime({ offset: true }).nullable().optional();
const IncidentFields = {
  title: safeText(200).min(1),
  description: safeText(10000).optional(),
  category: safeText(60).min(1),
  subcategory: safeText(60).nullable().optional(),
  level: z.enum(INCIDENT_LEVELS).nullable().optional(),
  occurredAt: when,
  detectedAt: when,
  reportedAt: when,
  containedAt: when,
  eradicatedAt: when,
  recoveredAt: when,
  closedAt: when,
  affectedSystems: z.array(safeText(200)).max(100).optional(),
  scope: safeText(5000).optional(),
  planId: z.uuid().optional(),
};
export const CreateIncidentBody = z.strictObject(IncidentFields);
export type CreateIncidentBody = z.infer<typeof CreateIncidentBody>;
export const UpdateIncidentBody = z.strictObject({ ...IncidentFields, status: z.enum(INCIDENT_STATUSES) }).partial();
export type UpdateIncidentBody = z.infer<typeof UpdateIncidentBody>;

const time = z.iso.datetime().nullable();
export const Incident = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  isDrill: z.boolean(),
  /** Shown on every drill incident: 【演练】/EXERCISE. */
  exercise: z.boolean(),
  drillId: z.string().nullable(),
  category: z.string(),
  subcategory: z.string().nullable(),
  level: z.enum(INCIDENT_LEVELS).nullable(),
  status: z.enum(INCIDENT_STATUSES),
  occurredAt: time,
  detectedAt: time,
  reportedAt: time,
  containedAt: time,
  eradicatedAt: time,
  recoveredAt: time,
  closedAt: time,
  affectedSystems: z.array(z.string()),
  scope: z.string(),
  planVersionId: z.string().nullable(),
  plan: PlanRef.nullable(),
  escalationRules: z.array(EscalationRule),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Incident = z.infer<typeof Incident>;

export const IncidentIdParams = z.strictObject({ incidentId: z.uuid() });
export const ListIncidentsQuery = z.strictObject({ drills: z.enum(['exclude', 'include', 'only']).default('exclude') });

export const IncidentTimelineView = z.object({
  incident: Incident,
  entries: z.array(TimelineEntry.extend({ correctedBy: z.string().nullable() })),
  escalations: z.array(EscalationClockSchema),
});

export const ReportingPreset = z.object({
  key: z.string(),
  /** Who the preset is for, in the regulation's words. */
  operatorType: z.object({ 'zh-CN': z.string(), en: z.string() }),
  withinMinutes: z.number(),
  minLevel: z.enum(INCIDENT_LEVELS),
  recipient: z.object({ 'zh-CN': z.string(), en: z.string() }),
  requiredFields: z.array(z.string()),
  active: z.boolean(),
});
export type ReportingPreset = z.infer<typeof ReportingPreset>;
export const UpdateReportingPresetBody = z.strictObject({
  withinMinutes: z.number().int().min(1).max(60 * 24 * 30).optional(),
  minLevel: z.enum(INCIDENT_LEVELS).optional(),
  recipient: z.strictObject({ 'zh-CN': safeText(200).min(1), en: safeText(200).min(1) }).optional(),
  active: z.boolean().optional(),
});
export const PresetKeyParams = z.strictObject({ key: safeText(60) });

export const INVESTIGATION_FIELDS = ['investigators', 'consequences', 'rootCause', 'leakSource', 'actors', 'measuresEffectiveness', 'lessons', 'preventiveMeasures', 'reportedTo', 'conclusion'] as const;
export type InvestigationField = (typeof INVESTIGATION_FIELDS)[number];
export const Investigation = z.object(Object.fromEntries(INVESTIGATION_FIELDS.map((f) => [f, z.string()])) as Record<InvestigationField, z.ZodString>).extend({
  updatedAt: z.iso.datetime().nullable(),
});
export type Investigation = z.infer<typeof Investigation>;
export const UpdateInvestigationBody = z.strictObject(Object.fromEntries(INVESTIGATION_FIELDS.map((f) => [f, safeText(20000).optional()])) as Record<InvestigationField, z.ZodOptional<ReturnType<typeof safeText>>>);
export type UpdateInvestigationBody = z.infer<typeof UpdateInvestigationBody>;
