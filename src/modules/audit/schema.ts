import { bigint, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { baseColumns, timestamptz } from '../../db/columns.js';

/**
 * The hash-chained audit log. Append-only: a trigger refuses UPDATE and DELETE, and `audit verify`
 * recomputes the chain to catch whatever got past it.
 */
export const auditEntries = pgTable('audit_entries', {
  ...baseColumns,
  /** 1, 2, 3 … without gaps: assigned under a lock inside the writing transaction. */
  seq: bigint({ mode: 'number' }).notNull().unique(),
  at: timestamptz().notNull(),
  actorId: uuid(),
  actorLabel: text().notNull(),
  action: text().notNull(),
  entityType: text().notNull(),
  entityId: text(),
  before: jsonb(),
  after: jsonb(),
  requestId: text(),
  prevHash: text().notNull(),
  hash: text().notNull().unique(),
});

/** The chain's newest link, updated with every append, so a cut-off tail is noticed. */
export const auditHead = pgTable('audit_head', {
  ...baseColumns,
  name: text().notNull().unique(),
  seq: bigint({ mode: 'number' }).notNull(),
  hash: text().notNull(),
});

export const AuditEntry = z.object({
  id: z.uuid(),
  seq: z.number(),
  at: z.iso.datetime(),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string(),
});

export const AuditListQuery = z.strictObject({
  entityType: z.string().max(64).optional(),
  entityId: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  beforeSeq: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditProblem = z.object({
  kind: z.enum(['edited', 'deleted', 'reordered', 'truncated']),
  seq: z.number(),
  message: z.string(),
});
export type AuditProblem = z.infer<typeof AuditProblem>;

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  entries: z.number(),
  headSeq: z.number(),
  headHash: z.string(),
  problem: AuditProblem.nullable(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;
