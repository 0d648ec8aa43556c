import { describe, expect, it } from 'vitest';
import { generateTraces } from './index.js';
import { eventMatchesStep, scoreFindings, type FindingEvent, type ScoreFinding } from './score.js';
import type { GroundTruth, TruthStep } from './types.js';

const MIN = 60_000;
const drillStart = Date.parse('2020-04-18T09:00:00+08:00');
const T1 = Date.parse('2020-04-17T23:31:07+08:00');
const T2 = Date.parse('2020-04-17T23:36:10+08:00');
const T3 = Date.parse('2020-04-17T23:47:00+08:00');
const T4 = Date.parse('2020-04-18T08:48:00+08:00');

const step = (key: string, time: number, match: TruthStep['match'], extra: Partial<TruthStep> = {}): TruthStep => ({
  key,
  title: { 'zh-CN': key, en: key },
  description: { 'zh-CN': key, en: key },
  time,
  ruleNames: [],
  match,
  ...extra,
});

const truth: GroundTruth = {
  scenarioKey: 'hand-made',
  steps: [
    step('illegal-login', T1, { type: ['auth.success'], user: 'root', srcIp: '103.1.2.27' }),
    step('balance-tampering', T2, { type: ['db.connect', 'db.query'], user: 'root' }, { endTime: T2 + 8 * MIN }),
    step('payout-path', T3, { user: ['agent_1027', 'o3xAbc'] }, { endTime: T4 }),
  ],
  placeholders: { admin_accounts: ['root'], finance_accounts: ['cw_a'], app_db_accounts: ['shop_app'] },
};

const ev = (e: Partial<FindingEvent>): FindingEvent => ({ time: T1, user: null, srcIp: null, type: 'log', source: 'test', ...e });
const loginEvent = ev({ time: T1, user: 'root', srcIp: '103.1.2.27', type: 'auth.success', source: 'sshd' });
const updateEvent = ev({ time: T2 + 3 * MIN, user: 'root', type: 'db.query', source: 'mysql' });
const withdrawEvent = ev({ time: T3 + 2 * 3600_000, user: 'agent_1027', srcIp: '39.144.1.2', type: 'payment', source: 'json' });
const finding = (id: string, createdAt: number, events: FindingEvent[]): ScoreFinding => ({ id, title: `finding ${id}`, createdAt, events });

describe('scoreFindings', () => {
  it('finds nothing without findings', () => {
    const r = scoreFindings(truth, [], { drillStart });
    expect(r).toMatchObject({ found: 0, missed: 3, recall: 0, falseLeads: [] });
    expect(r.steps.map((s) => [s.key, s.found, s.findingIds, s.timeToFindMs])).toEqual([
      ['illegal-login', false, [], null],
      ['balance-tampering', false, [], null],
      ['payout-path', false, [], null],
    ]);
  });

  it('finds a step from a finding that links one of its events; time to find runs from the drill start', () => {
    const r = scoreFindings(truth, [finding('f1', drillStart + 42 * MIN, [ev({ user: 'cw_a', type: 'auth.success' }), loginEvent])], { drillStart });
    expect(r.steps[0]).toMatchObject({ found: true, findingIds: ['f1'], timeToFindMs: 42 * MIN });
    expect(r).toMatchObject({ found: 1, missed: 2, falseLeads: [] });
    expect(r.recall).toBeCloseTo(1 / 3);
  });

  it('lets one finding find two steps, and is then no false lead', () => {
    const r = scoreFindings(truth, [finding('both', drillStart + 50 * MIN, [loginEvent, updateEvent])], { drillStart });
    expect(r.steps.filter((s) => s.found).map((s) => s.key)).toEqual(['illegal-login', 'balance-tampering']);
    expect(r.steps[1].findingIds).toEqual(['both']);
    expect(r.falseLeads).toEqual([]);
  });

  it('lists duplicate findings of one step earliest first and times the step by the earliest', () => {
    const late = finding('late', drillStart + 70 * MIN, [loginEvent]);
    const early = finding('early', drillStart + 30 * MIN, [{ ...loginEvent, time: T1 + 2 * MIN }]);
    const r = scoreFindings(truth, [late, early, late], { drillStart });
    expect(r.steps[0]).toMatchObject({ findingIds: ['early', 'late'], timeToFindMs: 30 * MIN });
    expect(r.found).toBe(1);
  });

  it('counts findings that match no step as false leads, once each', () => {
    const bruteForce = finding('brute', drillStart + 20 * MIN, [ev({ time: T1 - 3600_000, user: 'root', srcIp: '218.92.1.146', type: 'auth.failure', source: 'sshd' })]);
    const wrongIp = finding('office', drillStart + 25 * MIN, [{ ...loginEvent, srcIp: '115.236.1.2' }]);
    const empty = finding('empty', drillStart + 26 * MIN, []);
    const r = scoreFindings(truth, [bruteForce, wrongIp, empty, bruteForce, finding('ok', drillStart + 40 * MIN, [withdrawEvent])], { drillStart });
    expect(r.falseLeads).toEqual([
      { findingId: 'brute', title: 'finding brute' },
      { findingId: 'office', title: 'finding office' },
      { findingId: 'empty', title: 'finding empty' },
    ]);
    expect(r.steps[2]).toMatchObject({ found: true, findingIds: ['ok'] });
  });

  it('needs every criterion: type, user, address and time', () => {
    const s = truth.steps[0];
    expect(eventMatchesStep(loginEvent, s)).toBe(true);
    expect(eventMatchesStep({ ...loginEvent, type: 'session.open' }, s)).toBe(false);
    expect(eventMatchesStep({ ...loginEvent, user: 'Root' }, s)).toBe(false);
    expect(eventMatchesStep({ ...loginEvent, user: null }, s)).toBe(false);
    expect(eventMatchesStep({ ...loginEvent, srcIp: null }, s)).toBe(false);
    expect(eventMatchesStep({ ...loginEvent, time: null }, s)).toBe(false);
    // Any of a list; no type criterion means any type.
    expect(eventMatchesStep(ev({ time: T4, user: 'o3xAbc', type: 'payment' }), truth.steps[2])).toBe(true);
    expect(eventMatchesStep(ev({ time: T4, user: 'agent_1028', type: 'payment' }), truth.steps[2])).toBe(false);
    expect(eventMatchesStep(ev({ time: T2, user: 'root', type: 'db.query', source: 'mysql' }), step('s', T2, { source: ['postgres', 'mysql'] }))).toBe(true);
    expect(eventMatchesStep(ev({ time: T2, user: 'root', type: 'db.query', source: 'mysql' }), step('s', T2, { source: 'postgres' }))).toBe(false);
  });

  it('recognises a step by any of its alternative matches', () => {
    const s = step('payout', T3, { user: 'agent_1027' }, { endTime: T4, also: [{ type: ['http.request'], srcIp: '39.144.1.2' }] });
    expect(eventMatchesStep(ev({ time: T3 + MIN, srcIp: '39.144.1.2', type: 'http.request', source: 'nginx' }), s)).toBe(true);
    expect(eventMatchesStep(ev({ time: T3 + MIN, srcIp: '39.144.1.2', type: 'log', source: 'nginx' }), s)).toBe(false);
    expect(eventMatchesStep(ev({ time: T4 + 11 * MIN, srcIp: '39.144.1.2', type: 'http.request', source: 'nginx' }), s)).toBe(false);
  });

  it('accepts events within the tolerance around the step, and not beyond', () => {
    const s = truth.steps[1]; // T2 … T2 + 8 min
    const at = (t: number) => ({ ...updateEvent, time: t });
    expect(eventMatchesStep(at(T2 - 10 * MIN), s)).toBe(true);
    expect(eventMatchesStep(at(T2 - 10 * MIN - 1), s)).toBe(false);
    expect(eventMatchesStep(at(T2 + 18 * MIN), s)).toBe(true);
    expect(eventMatchesStep(at(T2 + 18 * MIN + 1), s)).toBe(false);
    expect(eventMatchesStep(at(T2 - 20 * MIN), s, 30 * MIN)).toBe(true);
    // A step's own tolerance wins over the default.
    expect(eventMatchesStep(at(T2 - 2 * MIN), { ...s, toleranceMs: MIN })).toBe(false);
    const r = scoreFindings(truth, [finding('f', drillStart, [at(T2 - 20 * MIN)])], { drillStart, toleranceMs: 30 * MIN });
    expect(r.steps[1].found).toBe(true);
  });

  it('is pure: inputs are left as they were and the same inputs give the same result', () => {
    const findings = [finding('b', drillStart + 9 * MIN, [updateEvent]), finding('a', drillStart + 3 * MIN, [loginEvent])];
    const before = structuredClone(findings);
    const r1 = scoreFindings(truth, findings, { drillStart });
    const r2 = scoreFindings(truth, findings, { drillStart });
    expect(findings).toEqual(before);
    expect(r2).toEqual(r1);
  });

  it('gives recall 1 when there is nothing to find', () => {
    const r = scoreFindings({ ...truth, steps: [] }, [finding('x', drillStart, [loginEvent])], { drillStart });
    expect(r).toMatchObject({ found: 0, missed: 0, recall: 1, falseLeads: [{ findingId: 'x', title: 'finding x' }] });
  });
});

describe('scoring a generated bundle', () => {
  const start = drillStart;
  const bundle = generateTraces('seed-password-leak', { seed: 'score', start, end: start + 150 * MIN });
  const [login, tampering, payout] = bundle.truth.steps;

  it('finds every step from events like the parsers make of the attacker lines, and flags the false lead', () => {
    const findings: ScoreFinding[] = [
      finding('login', start + 55 * MIN, [{ time: login.time, user: 'root', srcIp: login.srcIp!, type: 'auth.success', source: 'sshd' }]),
      finding('db', start + 62 * MIN, [{ time: tampering.time + 2 * MIN, user: 'root', srcIp: null, type: 'db.query', source: 'mysql' }]),
      finding('payout', start + 21 * MIN, [{ time: payout.endTime! - 10 * MIN, user: 'agent_1027', srcIp: null, type: 'payment', source: 'json' }]),
      finding('scanner', start + 40 * MIN, [{ time: login.time - 5 * 3600_000, user: 'root', srcIp: '45.10.1.1', type: 'auth.failure', source: 'sshd' }]),
    ];
    const r = scoreFindings(bundle.truth, findings, { drillStart: start });
    expect(r.steps.map((s) => [s.key, s.found, s.timeToFindMs])).toEqual([
      ['illegal-login', true, 55 * MIN],
      ['balance-tampering', true, 62 * MIN],
      ['payout-path', true, 21 * MIN],
    ]);
    expect(r.recall).toBe(1);
    expect(r.falseLeads).toEqual([{ findingId: 'scanner', title: 'finding scanner' }]);
  });
});
