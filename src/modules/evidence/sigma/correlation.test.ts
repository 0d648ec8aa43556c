import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.js';
import { insertEvents, type TestEvent } from '../../../../test/helpers/events.js';
import { parseSigmaRules, runRules, type RuleHit } from './index.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const T0 = '2026-03-06T02:00:00Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

const base = (name: string, type: string, extra = '') => `title: ${name}
name: ${name}
logsource:
    product: firedrill
detection:
    selection:
        type: ${type}${extra}
    condition: selection
`;

function correlation(body: string): string {
  return `title: the correlation
id: 0e95725d-7320-415d-80f7-004da920fc11
name: corr
correlation:
${body}
level: high
---
${base('failure', 'auth.failure')}---
${base('success', 'auth.success')}---
${base('sudo', 'privilege.escalation')}`;
}

/** Runs the rules of a YAML text; returns the hits of the rule named corr unless all is set. */
async function run(yaml: string, events: TestEvent[], all = false): Promise<{ hits: RuleHit[]; events: number[][] }> {
  const incident = randomUUID();
  const ids = await insertEvents(database.db, incident, events);
  const hits = (await runRules(database.db, incident, parseSigmaRules(yaml))).filter((h) => all || h.name === 'corr');
  return { hits, events: hits.map((h) => h.eventIds.map((id) => ids.indexOf(id))) };
}

const ev = (type: TestEvent['type'], s: number, ip: string, user = 'root', extra: Partial<TestEvent> = {}): TestEvent => ({ time: at(s), source: 'sshd', type, srcIp: ip, user, ...extra });

describe('correlation rules', () => {
  it('event_count: a sliding window per group, overlapping windows merged into one hit', async () => {
    const yaml = correlation('    type: event_count\n    rules: [failure]\n    group-by: [SourceIp]\n    timespan: 5m\n    condition:\n        gte: 3');
    const events = [
      ev('auth.failure', 0, '10.0.0.1'),
      ev('auth.failure', 100, '10.0.0.1'),
      ev('auth.failure', 200, '10.0.0.1'), // 0–2 within 5 min: hit
      ev('auth.failure', 400, '10.0.0.1'), // 3 within 5 min of 1 and 2: same hit
      ev('auth.failure', 2000, '10.0.0.1'),
      ev('auth.failure', 2200, '10.0.0.1'), // 4–5 two only: no
      ev('auth.failure', 0, '10.0.0.2'),
      ev('auth.failure', 301, '10.0.0.2'),
      ev('auth.failure', 602, '10.0.0.2'), // 6–8 spread over 10 min: no
      ev('auth.success', 10, '10.0.0.1'), // 9 not a failure
      ev('auth.failure', 50, '10.0.0.3', 'root', { srcIp: null }), // 10 no group value: left out
    ];
    const { hits, events: got } = await run(yaml, events);
    expect(hits.map((h) => h.groupKey)).toEqual([{ SourceIp: '10.0.0.1' }]);
    expect(got).toEqual([[0, 1, 2, 3]]);
    expect(hits[0]).toMatchObject({ count: 4, firstTime: at(0), lastTime: at(400), level: 'high', ruleId: '0e95725d-7320-415d-80f7-004da920fc11' });
  });

  it('event_count: a range condition and no group-by', async () => {
    const yaml = correlation('    type: event_count\n    rules: [failure, sudo]\n    group-by: []\n    timespan: 1m\n    condition:\n        gt: 1\n        lte: 2');
    const events = [ev('auth.failure', 0, '10.0.0.1'), ev('privilege.escalation', 30, '10.0.0.2'), ev('auth.failure', 1000, '10.0.0.3')];
    const { hits, events: got } = await run(yaml, events);
    expect(hits).toHaveLength(1);
    expect(hits[0].groupKey).toBeUndefined();
    expect(got).toEqual([[0, 1]]);
  });

  it('value_count: distinct values of a field per group within the timespan', async () => {
    const yaml = correlation('    type: value_count\n    rules: [failure]\n    group-by: [SourceIp]\n    timespan: 5m\n    condition:\n        field: User\n        gte: 3');
    const events = [
      ev('auth.failure', 0, '10.0.0.1', 'root'),
      ev('auth.failure', 10, '10.0.0.1', 'root'),
      ev('auth.failure', 20, '10.0.0.1', 'admin'),
      ev('auth.failure', 250, '10.0.0.1', 'oracle'), // 0–3: three users within 5 min
      ev('auth.failure', 0, '10.0.0.2', 'root'),
      ev('auth.failure', 200, '10.0.0.2', 'admin'),
      ev('auth.failure', 400, '10.0.0.2', 'oracle'), // 4–6: three users over 400 s: no
      ev('auth.failure', 520, '10.0.0.2', 'root'), // 7: root again, still two within any 5 min
    ];
    const { hits, events: got } = await run(yaml, events);
    expect(hits.map((h) => h.groupKey)).toEqual([{ SourceIp: '10.0.0.1' }]);
    expect(got).toEqual([[0, 1, 2, 3]]);
  });

  it('temporal: all rules within the timespan, in any order, per group', async () => {
    const yaml = correlation('    type: temporal\n    rules: [success, sudo]\n    group-by: [User]\n    timespan: 2m');
    const events = [
      ev('privilege.escalation', 0, '10.0.0.1', 'alice'),
      ev('auth.success', 60, '10.0.0.1', 'alice'), // 0–1 sudo then login within 2 min: hit (any order)
      ev('auth.success', 0, '10.0.0.1', 'bob'),
      ev('privilege.escalation', 200, '10.0.0.1', 'bob'), // 2–3 too far apart
      ev('auth.success', 0, '10.0.0.1', 'carol'),
      ev('privilege.escalation', 30, '10.0.0.1', 'dave'), // 4–5 different users
    ];
    const { hits, events: got } = await run(yaml, events);
    expect(hits.map((h) => h.groupKey)).toEqual([{ User: 'alice' }]);
    expect(got).toEqual([[0, 1]]);
  });

  it('temporal_ordered: the rules in the listed order, within the timespan', async () => {
    const yaml = correlation('    type: temporal_ordered\n    rules: [failure, success, sudo]\n    group-by: [User]\n    timespan: 5m');
    const events = [
      ev('auth.failure', 0, '10.0.0.1', 'alice'),
      ev('auth.success', 60, '10.0.0.1', 'alice'),
      ev('privilege.escalation', 120, '10.0.0.1', 'alice'), // 0–2 in order: hit
      ev('auth.success', 0, '10.0.0.1', 'bob'),
      ev('auth.failure', 60, '10.0.0.1', 'bob'),
      ev('privilege.escalation', 120, '10.0.0.1', 'bob'), // 3–5 wrong order: no
      ev('auth.failure', 0, '10.0.0.1', 'carol'),
      ev('auth.success', 60, '10.0.0.1', 'carol'),
      ev('privilege.escalation', 400, '10.0.0.1', 'carol'), // 6–8 too slow: no
    ];
    const { hits, events: got } = await run(yaml, events);
    expect(hits.map((h) => h.groupKey)).toEqual([{ User: 'alice' }]);
    expect(got).toEqual([[0, 1, 2]]);
  });

  it('aliases group different fields of different rules together', async () => {
    const yaml = correlation(
      '    type: temporal\n    rules: [failure, sudo]\n    group-by: [who]\n    timespan: 1m\n    aliases:\n        who:\n            failure: User\n            sudo: TargetUserName',
    );
    const events = [ev('auth.failure', 0, '10.0.0.1', 'alice'), ev('privilege.escalation', 20, '10.0.0.1', 'bob', { fields: { target_user: 'alice' } }), ev('privilege.escalation', 20, '10.0.0.1', 'alice', { fields: { target_user: 'root' } })];
    const { hits, events: got } = await run(yaml, events);
    expect(hits.map((h) => h.groupKey)).toEqual([{ who: 'alice' }]);
    expect(got).toEqual([[0, 1]]);
  });

  it('generate: true also reports the referenced rules', async () => {
    const yaml = correlation('    type: event_count\n    rules: [failure]\n    group-by: [User]\n    timespan: 1m\n    generate: true\n    condition:\n        gte: 2');
    const { hits } = await run(yaml, [ev('auth.failure', 0, '10.0.0.1'), ev('auth.failure', 5, '10.0.0.1'), ev('auth.success', 5, '10.0.0.1')], true);
    expect(hits.map((h) => h.name).sort()).toEqual(['corr', 'failure', 'success']);
    // without generate, the referenced rule is not reported on its own
    const plain = await run(yaml.replace('    generate: true\n', ''), [ev('auth.failure', 0, '10.0.0.1'), ev('auth.failure', 5, '10.0.0.1')], true);
    expect(plain.hits.map((h) => h.name)).toEqual(['corr']);
  });

  it('refuses unknown references, self-references and chains whose groups do not fit', () => {
    expect(() => parseSigmaRules(correlation('    type: event_count\n    rules: [failure]\n    group-by: [Userr]\n    timespan: 1m\n    condition:\n        gte: 2'))).toThrow(
      expect.objectContaining({ code: 'rule_field_unknown' }),
    );
    expect(() => parseSigmaRules(correlation('    type: event_count\n    rules: [failure]\n    group-by: [User]\n    timespan: 1 minute\n    condition:\n        gte: 2'))).toThrow(
      expect.objectContaining({ code: 'rule_invalid', params: expect.objectContaining({ path: 'correlation.timespan' }) }),
    );
    const chained = `title: outer
name: outer
correlation:
    type: temporal_ordered
    rules: [inner, success]
    group-by: [User]
    timespan: 5m
---
title: inner
name: inner
correlation:
    type: event_count
    rules: [failure]
    group-by: [SourceIp]
    timespan: 5m
    condition:
        gte: 2
---
${base('failure', 'auth.failure')}---
${base('success', 'auth.success')}`;
    expect(() => parseSigmaRules(chained)).toThrow(expect.objectContaining({ code: 'rule_unsupported' }));
    const self = `title: loop
name: loop
correlation:
    type: temporal
    rules: [loop]
    group-by: [User]
    timespan: 5m
`;
    expect(() => parseSigmaRules(self)).toThrow(expect.objectContaining({ code: 'rule_invalid' }));
  });
});
