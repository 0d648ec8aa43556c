import { date, integer, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { baseColumns, timestamptz } from '../../db/columns.js';
import { safeText } from '../../http/zod.js';

export const PROGRAMME_KINDS = ['drill', 'plan_review'] as const;
export const programmeKind = pgEnum('programme_kind', PROGRAMME_KINDS);

/**
 * 年度演练计划: one row of the year's programme, in the columns of GB/T 38645-2020 table A.1
 * (项目, 目的/要求, 方式, 时间, 参演部门, 过程安排, 经费); a drill row is linked to the drill it becomes.
 * Plan reviews (等保 2.0 asks for regular drills and plan reviews) are rows too.
 */
export const programmeItems = pgTable('programme_items', {
  ...baseColumns,
  year: integer().notNull(),
  kind: programmeKind().notNull().default('drill'),
  project: text().notNull(),
  purpose: text().notNull().default(''),
  mode: text().notNull().default(''),
  plannedDate: date({ mode: 'string' }).notNull(),
  departments: text().notNull().default(''),
  arrangement: text().notNull().default(''),
  budget: text().notNull().default(''),
  drillId: uuid(),
  doneAt: timestamptz(),
  archivedAt: timestamptz(),
});

const Fields = {
  year: z.number().int().min(2000).max(2100),
  kind: z.enum(PROGRAMME_KINDS).default('drill'),
  project: safeText(200).min(1),
  purpose: safeText(2000).optional(),
  mode: safeText(100).optional(),
  plannedDate: z.iso.date(),
  departments: safeText(500).optional(),
  arrangement: safeText(5000).optional(),
  budget: safeText(100).optional(),
  drillId: z.uuid().nullable().optional(),
  done: z.boolean().optional(),
};
export const CreateProgrammeItemBody = z.strictObject(Fields);
export type CreateProgrammeItemBody = z.infer<typeof CreateProgrammeItemBody>;
export const UpdateProgrammeItemBody = z.strictObject(Fields).partial();
export type UpdateProgrammeItemBody = z.infer<typeof UpdateProgrammeItemBody>;

export const PROGRAMME_STATES = ['planned', 'due', 'overdue', 'done'] as const;
export const ProgrammeItem = z.object({
  id: z.uuid(),
  year: z.number(),
  kind: z.enum(PROGRAMME_KINDS),
  project: z.string(),
  purpose: z.string(),
  mode: z.string(),
  plannedDate: z.string(),
  departments: z.string(),
  arrangement: z.string(),
  budget: z.string(),
  drillId: z.string().nullable(),
  /** planned; due within 30 days; overdue (date passed, not done); done. */
  state: z.enum(PROGRAMME_STATES),
  doneAt: z.iso.datetime().nullable(),
});
export type ProgrammeItem = z.infer<typeof ProgrammeItem>;
export const ProgrammeItemParams = z.strictObject({ itemId: z.uuid() });
export const ProgrammeQuery = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100).optional() });
