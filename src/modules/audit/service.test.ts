import { sql } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/rows.js';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { buildPerson, systemContext } from '../../../test/factories.js';
import { appendAudit, redactSecrets, verifyAuditChain } from './service.js';

let database: TestDatabase;
const ready = createTestDatabase().then((d) => (database = d));

afterAll(async () => {
  await database?.close();
});

/** Disables the append-only trigger, as an attacker with table-owner rights could. */
async function tamper(statement: ReturnType<typeof sql>) {
  await database.db.execute(sql`alter table audit_entries disable trigger user`);
  try {
    await database.db.execute(statement);
  } finally {
    await database.db.execute(sql`alter table audit_entries enable trigger user`);
  }
}

/** Starts every test from an empty chain of `n` entries. */
async function freshChain(n: number) {
  await tamper(sql`delete from audit_entries`);
  await database.db.execute(sql`delete from audit_head`);
  const ctx = systemContext(database.db);
  for (let i = 0; i < n; i++) {
    await database.db.transaction((tx) => appendAudit(tx, ctx, { action: 'test.write', entityType: 'thing', entityId: String(i), after: { i, note: `entry ${i}` } }));
  }
}

describe('audit chain', () => {
  beforeEach(async () => {
    await ready;
  });

  it('records every service write with actor, entity and after-image, and verifies', async () => {
    await freshChain(0);
    const ctx = systemContext(database.db);
    const person = await buildPerson(ctx, { name: '张三' });
    const rows = await queryRows<{ after: { name: string } }>(database.db, sql`select seq::int as seq, action, entity_id, actor_label, after from audit_entries order by seq`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ seq: 1, action: 'person.create', entity_id: person.id, actor_label: 'test' });
    expect(rows[0].after.name).toBe('张三');
    const result = await verifyAuditChain({ db: database.db });
    expect(result).toMatchObject({ ok: true, entries: 1, headSeq: 1, problem: null });
  });

  it('keeps seq gap-free under concurrent writers', async () => {
    await freshChain(0);
    const ctx = systemContext(database.db);
    await Promise.all(Array.from({ length: 25 }, (_, i) => buildPerson(ctx, { name: `p${i}` })));
    const result = await verifyAuditChain({ db: database.db });
    expect(result.ok).toBe(true);
    expect(result.entries).toBe(25);
    expect(result.headSeq).toBe(25);
  });

  it('the database refuses UPDATE and DELETE on audit entries', async () => {
    await freshChain(2);
    await expect(database.db.execute(sql`update audit_entries set action = 'x' where seq = 1`)).rejects.toThrow();
    await expect(database.db.execute(sql`delete from audit_entries where seq = 1`)).rejects.toThrow();
    expect((await verifyAuditChain({ db: database.db })).ok).toBe(true);
  });

  it('names an edited entry', async () => {
    await freshChain(5);
    await tamper(sql`update audit_entries set after = '{"i": 99}'::jsonb where seq = 3`);
    const result = await verifyAuditChain({ db: database.db });
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ kind: 'edited', seq: 3 });
  });

  it('names an edited entry whose hash was recomputed by the attacker, at the next link', async () => {
    await freshChain(5);
    await tamper(sql`update audit_entries set hash = repeat('a', 64) where seq = 2`);
    const result = await verifyAuditChain({ db: database.db });
    // Row 2's content no longer matches its hash.
    expect(result.problem).toMatchObject({ kind: 'edited', seq: 2 });
  });

  it('names a deleted entry', async () => {
    await freshChain(5);
    await tamper(sql`delete from audit_entries where seq = 3`);
    const result = await verifyAuditChain({ db: database.db });
    expect(result.problem).toMatchObject({ kind: 'deleted', seq: 4 });
  });

  it('names reordered entries', async () => {
    await freshChain(5);
    await tamper(sql`update audit_entries set seq = -1 where seq = 2`);
    await tamper(sql`update audit_entries set seq = 2 where seq = 4`);
    await tamper(sql`update audit_entries set seq = 4 where seq = -1`);
    const result = await verifyAuditChain({ db: database.db });
    expect(result.problem).toMatchObject({ kind: 'reordered', seq: 2 });
  });

  it('notices a cut-off tail through the chain head', async () => {
    await freshChain(5);
    await tamper(sql`delete from audit_entries where seq >= 4`);
    const result = await verifyAuditChain({ db: database.db });
    expect(result.problem).toMatchObject({ kind: 'truncated', seq: 4 });
  });

  it('an untouched chain after all that verifies again', async () => {
    await freshChain(3);
    expect((await verifyAuditChain({ db: database.db })).ok).toBe(true);
  });
});

describe('redactSecrets', () => {
  it('replaces secrets at any depth and keeps the rest', () => {
    expect(redactSecrets({ login: 'a', password: 'p', nested: { apiKey: 'k', token: 't', list: [{ secret: 's', ok: 1 }] } })).toEqual({
      login: 'a',
      password: '[redacted]',
      nested: { apiKey: '[redacted]', token: '[redacted]', list: [{ secret: '[redacted]', ok: 1 }] },
    });
  });
});
