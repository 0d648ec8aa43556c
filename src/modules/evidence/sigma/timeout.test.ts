import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDbKind, type TestDatabase } from '../../../../test/helpers/db.js';
import { parseSigmaRules, runRules, runRulesReport } from './index.js';

/**
 * Rules never hang the database. PostgreSQL stops a rule at its statement timeout (rule_timeout). PGlite is
 * single-threaded WASM where statement_timeout has no effect, so there a rule is safe by construction:
 * patterns that need backtracking are refused when the rule is read, and what is accepted runs in linear time.
 */
let database: TestDatabase;
const incident = randomUUID();
const EVENTS = 3000;

beforeAll(async () => {
  database = await createTestDatabase();
  // Long messages made to make backtracking engines explode: 20 000 × "a" then "!".
  await database.db.execute(sql`insert into evidence_events (incident_id, evidence_id, time, source, type, message, line_no, raw_offset, raw_length)
    select ${incident}::uuid, ${randomUUID()}::uuid, now(), 'app', 'log', repeat('a', 20000) || '!', g, g * 20001, 20001
    from generate_series(1, ${EVENTS}) g`);
});
afterAll(async () => {
  await database?.close();
});

const rule = (re: string) => `title: pathological
logsource:
    product: firedrill
detection:
    sel:
        message|re: '${re}'
    condition: sel
`;

describe('pathological rules', () => {
  it('refuses backreferences and lookaround when the rule is read', () => {
    for (const re of ['^(a+)\\1$', '(a*)*\\1b', '(?=(a+))a*b', '(?<=a)b', '(a++)+b']) {
      expect(() => parseSigmaRules(rule(re)), re).toThrow(expect.objectContaining({ code: 'rule_unsupported' }));
    }
  });

  it('runs nested quantifiers over long messages in linear time (PostgreSQL matches them with a DFA)', { timeout: 30_000 }, async () => {
    const report = await runRulesReport(database.db, incident, parseSigmaRules(rule('(a+)+$')), { timeoutMs: 20_000 });
    expect(report.errors).toEqual([]);
    expect(report.hits).toEqual([]);
    const both = await runRules(database.db, incident, parseSigmaRules(rule('^(a|aa)+!$')));
    expect(both[0].count).toBe(EVENTS);
  });

  it('stops a rule at the statement timeout with rule_timeout (PostgreSQL)', async () => {
    const slow = parseSigmaRules(rule('(a|aa|aaa)*b'));
    if (testDbKind === 'postgres') {
      await expect(runRules(database.db, incident, slow, { timeoutMs: 5 })).rejects.toMatchObject({ code: 'rule_timeout', params: { rule: 'pathological', seconds: 0.005 } });
      // the run goes on with the next rule
      const report = await runRulesReport(database.db, incident, [...slow, ...parseSigmaRules(rule('^b').replace('pathological', 'next'))], { timeoutMs: 5 });
      expect(report.errors[0]).toMatchObject({ title: 'pathological', error: { code: 'rule_timeout' } });
      // the shared scan of both rules timed out first, and each rule then ran on its own
      expect(report.scan).toMatchObject({ skipped: expect.stringContaining('took longer') });
      expect(report.timings.map((t) => t.ruleId)).toHaveLength(2);
    } else {
      // PGlite cannot interrupt a statement: the rule runs to the end, which is linear and quick.
      const report = await runRulesReport(database.db, incident, slow, { timeoutMs: 5 });
      expect(report.errors).toEqual([]);
    }
  });
});
