import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { and, asc, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import { actorLabel, type ServiceContext } from '../../context.js';
import type { Db } from '../../db/types.js';
import { auditEntries, auditHead, type AuditListQuery, type AuditProblem, type AuditVerifyResult } from './schema.js';

export const GENESIS_HASH = '0'.repeat(64);
/** Any fixed number: the advisory lock that serializes appends to the chain across processes. */
const AUDIT_LOCK_KEY = 0x46444155;
const SECRET_KEY = /pass(word)?|secret|token|hash|cookie|otp|totp|api[-_]?key/i;

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Replaces the value of every secret-looking key, at any depth, so no secret reaches the log. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redactSecrets(v)]),
    );
  }
  return value;
}

interface HashedFields {
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  prevHash: string;
}

/**
 * SHA-256 over the canonical JSON (RFC 8785) of an entry's content and its predecessor's hash.
 * `seq` is left out on purpose: then a swap of two rows' positions shows as a broken link (reordered)
 * rather than as two edited rows.
 */
export function hashEntry(fields: HashedFields): string {
  return createHash('sha256').update(canonicalize(fields)!).digest('hex');
}

/**
 * Appends one entry to the audit chain. Call it inside the transaction of the write it records:
 * if the write rolls back, so does its entry, and a committed write always has one.
 */
export async function appendAudit(tx: Db, ctx: Pick<ServiceContext, 'clock' | 'actor' | 'requestId'>, input: AuditInput): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const [head] = await tx.select().from(auditHead).where(eq(auditHead.name, 'audit'));
  const seq = (head?.seq ?? 0) + 1;
  const fields: HashedFields = {
    at: ctx.clock.now().toISOString(),
    actorId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    actorLabel: actorLabel(ctx.actor),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    before: input.before === undefined ? null : normalizeJson(redactSecrets(input.before)),
    after: input.after === undefined ? null : normalizeJson(redactSecrets(input.after)),
    requestId: ctx.requestId ?? null,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const hash = hashEntry(fields);
  await tx.insert(auditEntries).values({ ...fields, at: new Date(fields.at), seq, hash });
  if (head) {
    await tx.update(auditHead).set({ seq, hash, updatedAt: new Date(fields.at) }).where(eq(auditHead.name, 'audit'));
  } else {
    await tx.insert(auditHead).values({ name: 'audit', seq, hash });
  }
}

/** What jsonb gives back for a value: hash what will be read, not what was passed. */
function normalizeJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

type EntryRow = typeof auditEntries.$inferSelect;

function fieldsOf(row: EntryRow): HashedFields {
  return {
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorLabel: row.actorLabel,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
    requestId: row.requestId,
    prevHash: row.prevHash,
  };
}

/** Lists audit entries, newest first. */
export async function listAuditEntries(ctx: ServiceContext, query: AuditListQuery) {
  const where: SQL[] = [];
  if (query.entityType) where.push(eq(auditEntries.entityType, query.entityType));
  if (query.entityId) where.push(eq(auditEntries.entityId, query.entityId));
  if (query.action) where.push(eq(auditEntries.action, query.action));
  if (query.beforeSeq) where.push(lt(auditEntries.seq, query.beforeSeq));
  const rows = await ctx.db
    .select()
    .from(auditEntries)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEntries.seq))
    .limit(query.limit);
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

/**
 * Recomputes the whole chain and names the first entry that was edited, deleted or reordered,
 * or a tail cut off after the head's last known entry.
 */
export async function verifyAuditChain(ctx: Pick<ServiceContext, 'db'>): Promise<AuditVerifyResult> {
  const links: { seq: number; prevHash: string; hash: string; selfOk: boolean }[] = [];
  const BATCH = 2000;
  let lastSeq = -Infinity;
  for (;;) {
    const rows: EntryRow[] = await ctx.db
      .select()
      .from(auditEntries)
      .where(Number.isFinite(lastSeq) ? gt(auditEntries.seq, lastSeq) : undefined)
      .orderBy(asc(auditEntries.seq))
      .limit(BATCH);
    for (const row of rows) {
      links.push({ seq: row.seq, prevHash: row.prevHash, hash: row.hash, selfOk: hashEntry(fieldsOf(row)) === row.hash });
    }
    if (rows.length < BATCH) break;
    lastSeq = rows[rows.length - 1].seq;
  }
  const [head] = await ctx.db.select().from(auditHead).where(eq(auditHead.name, 'audit'));
  const positionOf = new Map(links.map((l, i) => [l.hash, i]));

  let problem: AuditProblem | null = null;
  let expectedPrev = GENESIS_HASH;
  for (let i = 0; i < links.length && !problem; i++) {
    const link = links[i];
    if (!link.selfOk) {
      problem = { kind: 'edited', seq: link.seq, message: `audit entry #${link.seq} was edited: its content does not match its hash` };
    } else if (link.prevHash !== expectedPrev) {
      const at = positionOf.get(link.prevHash);
      problem =
        at !== undefined
          ? { kind: 'reordered', seq: link.seq, message: `audit entry #${link.seq} is out of order: it follows the entry now at #${links[at].seq}` }
          : { kind: 'deleted', seq: link.seq, message: `the audit entry before #${link.seq} was deleted or rewritten` };
    } else if (i > 0 && link.seq !== links[i - 1].seq + 1) {
      problem = { kind: 'edited', seq: link.seq, message: `audit entry #${link.seq} was renumbered (expected #${links[i - 1].seq + 1})` };
    }
    expectedPrev = link.hash;
  }
  const last = links[links.length - 1];
  if (!problem && head && (!last || last.seq !== head.seq || last.hash !== head.hash)) {
    const seq = (last?.seq ?? 0) + 1;
    problem = { kind: 'truncated', seq, message: `audit entries from #${seq} on were deleted (the chain head is #${head.seq})` };
  }
  return {
    ok: problem === null,
    entries: links.length,
    headSeq: head?.seq ?? 0,
    headHash: head?.hash ?? GENESIS_HASH,
    problem,
  };
}
