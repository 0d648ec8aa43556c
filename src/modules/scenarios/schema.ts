import { integer, jsonb, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { baseColumns, timestamptz } from '../../db/columns.js';
import { safeText } from '../../http/zod.js';
import { REPORT_CHANNELS } from '../plans/schema.js';

export const SCENARIO_SOURCES = ['builtin', 'custom'] as const;
export const scenarioSource = pgEnum('scenario_source', SCENARIO_SOURCES);

/** 场景库: one scenario per key; the definition is the shareable YAML document, parsed. */
export const scenarios = pgTable('scenarios', {
  ...baseColumns,
  key: text().notNull().unique(),
  version: integer().notNull(),
  source: scenarioSource().notNull(),
  definition: jsonb().$type<ScenarioDefinition>().notNull(),
  archivedAt: timestamptz(),
});

// ---- the YAML format (src/modules/scenarios/library/*.yaml) ----

const Text = z.strictObject({ 'zh-CN': safeText(20000).min(1), en: safeText(20000).min(1) });
export type LocalizedText = z.infer<typeof Text>;
const key = safeText(80).regex(/^[a-z0-9][a-z0-9_-]*$/, { message: 'lower-case letters, digits, - and _ only' });

export const ScenarioInject = z.strictObject({
  key,
  offsetMinutes: z.number().min(0).max(60 * 24 * 7),
  /** Delivering this inject is when the team learns of the incident (starts the detection clocks). */
  detects: z.boolean().optional(),
  channel: z.enum(['phone', 'email', 'chat', 'system_alert']),
  sender: Text,
  recipients: z.array(z.enum(['coordinator', 'responder', 'observer', 'all'])).min(1),
  content: Text,
  expectedActions: z.array(Text).max(20).default([]),
});

export const ScenarioDefinition = z.strictObject({
  key,
  version: z.number().int().min(1),
  title: Text,
  summary: Text,
  narrative: Text,
  category: safeText(60),
  subcategory: safeText(60).optional(),
  level: z.enum(['I', 'II', 'III', 'IV']),
  attack: z.array(z.strictObject({ id: z.string().regex(/^T\d{4}(\.\d{3})?$/), name: safeText(200) })).max(50).default([]),
  mode: z.enum(['tabletop', 'simulated', 'hands_on', 'demonstration']),
  scope: z.enum(['comprehensive', 'single_topic']),
  durationMinutes: z.number().int().min(1).max(60 * 24 * 7),
  objectives: z.array(z.strictObject({ key, text: Text, criterion: Text })).max(30).default([]),
  injects: z.array(ScenarioInject).max(200),
  expectedFindings: z.array(z.strictObject({ key, title: Text, description: Text })).max(50).default([]),
  escalations: z
    .array(
      z.strictObject({
        key,
        trigger: z.enum(['incident_detected', 'plan_activated', 'level_at_least']),
        recipient: Text,
        withinMinutes: z.number().int().min(1),
        channel: z.enum(REPORT_CHANNELS),
        requiredFields: z.array(safeText(40)).max(20),
      }),
    )
    .max(30)
    .default([]),
});
export type ScenarioDefinition = z.infer<typeof ScenarioDefinition>;

export const ScenarioSummary = z.object({
  id: z.uuid(),
  key: z.string(),
  version: z.number(),
  source: z.enum(SCENARIO_SOURCES),
  title: z.object({ 'zh-CN': z.string(), en: z.string() }),
  summary: z.object({ 'zh-CN': z.string(), en: z.string() }),
  category: z.string(),
  level: z.string(),
  attack: z.array(z.object({ id: z.string(), name: z.string() })),
  injectCount: z.number(),
  durationMinutes: z.number(),
});
export type ScenarioSummary = z.infer<typeof ScenarioSummary>;
export const Scenario = z.object({ id: z.uuid(), source: z.enum(SCENARIO_SOURCES), definition: ScenarioDefinition });
export const ScenarioIdParams = z.strictObject({ scenarioId: z.uuid() });
