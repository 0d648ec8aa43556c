import { date, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { baseColumns, timestamptz } from '../../db/columns.js';
import { safeText } from '../../http/zod.js';
import { people } from '../org/schema.js';

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'verified'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const actionStatus = pgEnum('corrective_action_status', ACTION_STATUSES);
export const ACTION_PRIORITIES = ['high', 'medium', 'low'] as const;
export const actionPriority = pgEnum('corrective_action_priority', ACTION_PRIORITIES);
export const ACTION_SOURCES = ['finding', 'lesson', 'objective', 'other'] as const;
export const actionSource = pgEnum('corrective_action_source', ACTION_SOURCES);

/**
 * 整改措施: a fix raised from a finding, a lesson or an objective not met, with an owner, a due date and a
 * status open → in progress → done → verified (verified by someone other than the owner, with evidence).
 * The seed's measures a, b and c are the model.
 */
export const correctiveActions = pgTable('corrective_actions', {
  ...baseColumns,
  title: text().notNull(),
  description: text().notNull().default(''),
  drillId: uuid(),
  incidentId: uuid(),
  sourceKind: actionSource().notNull().default('other'),
  /** What raised it: a timeline entry id, an objective key … */
  sourceRef: text(),
  ownerPersonId: uuid()
    .notNull()
    .references(() => people.id),
  dueDate: date({ mode: 'string' }).notNull(),
  priority: actionPriority().notNull().default('medium'),
  status: actionStatus().notNull().default('open'),
  doneAt: timestamptz(),
  doneNote: text(),
  verifiedAt: timestamptz(),
  verifiedBy: text(),
  verificationEvidence: text(),
});

export const CreateActionBody = z.strictObject({
  title: safeText(300).min(1),
  description: safeText(5000).optional(),
  drillId: z.uuid().optional(),
  incidentId: z.uuid().optional(),
  sourceKind: z.enum(ACTION_SOURCES).optional(),
  sourceRef: safeText(200).optional(),
  ownerPersonId: z.uuid(),
  dueDate: z.iso.date(),
  priority: z.enum(ACTION_PRIORITIES).optional(),
});
export type CreateActionBody = z.infer<typeof CreateActionBody>;

export const UpdateActionBody = z.strictObject({
  title: safeText(300).min(1).optional(),
  description: safeText(5000).optional(),
  ownerPersonId: z.uuid().optional(),
  dueDate: z.iso.date().optional(),
  priority: z.enum(ACTION_PRIORITIES).optional(),
});
export type UpdateActionBody = z.infer<typeof UpdateActionBody>;

export const ACTION_TRANSITIONS = ['start', 'complete', 'reopen', 'verify'] as const;
export type ActionTransition = (typeof ACTION_TRANSITIONS)[number];
export const ActionTransitionBody = z.strictObject({
  /** complete: what was done; verify: the evidence it works (both required there). */
  note: safeText(5000).optional(),
});

export const CorrectiveAction = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  drillId: z.string().nullable(),
  incidentId: z.string().nullable(),
  sourceKind: z.enum(ACTION_SOURCES),
  sourceRef: z.string().nullable(),
  owner: z.object({ personId: z.uuid(), name: z.string() }),
  dueDate: z.string(),
  priority: z.enum(ACTION_PRIORITIES),
  status: z.enum(ACTION_STATUSES),
  /** Past its due date and not done. */
  overdue: z.boolean(),
  doneAt: z.iso.datetime().nullable(),
  doneNote: z.string().nullable(),
  verifiedAt: z.iso.datetime().nullable(),
  verifiedBy: z.string().nullable(),
  verificationEvidence: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type CorrectiveAction = z.infer<typeof CorrectiveAction>;

export const ListActionsQuery = z.strictObject({
  drillId: z.uuid().optional(),
  incidentId: z.uuid().optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
export type ListActionsQuery = z.infer<typeof ListActionsQuery>;
export const ActionIdParams = z.strictObject({ actionId: z.uuid() });
export const ActionTransitionParams = z.strictObject({ actionId: z.uuid(), transition: z.enum(ACTION_TRANSITIONS) });
