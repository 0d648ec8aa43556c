/**
 * The dashboard across drills, on a real database: four drills replayed through the API with a controllable
 * clock (two in 2026 with hand-timed milestones, one on New Year's Eve in China's 2025, one just after
 * midnight in China's 2026), the year's programme and five corrective actions in every state. Every figure
 * below is worked out by hand from the replay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { buildTestApp, signIn, type TestApp } from '../../../test/helpers/app.js';

const MIN = 60_000;
const clock = new ManualClock('2025-12-01T02:00:00Z');
let t: TestApp;
let coordinator: string;
let observer: string;
let auditor: string;
let ownerPersonId: string;
let emptyInstall: Record<string, unknown>;
const ids: Record<string, string> = {};

async function api(method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, cookie = coordinator) {
  const res = await t.app.inject({ method, url, payload, headers: { cookie } });
  if (res.statusCode >= 400) throw new Error(`${clock.now().toISOString()} ${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json();
}

const FIELDS = { occurred_at: '发生时间', scope: '影响范围', trend: '发展趋势', measures: '已采取措施' };
const RULES = [
  { key: 'report-gm', trigger: 'incident_detected', recipient: '总经理', withinMinutes: 10, channel: 'verbal', requiredFields: Object.keys(FIELDS) },
  // Never triggered (no plan activation on these timelines): waiting, so it counts nowhere.
  { key: 'report-regulator', trigger: 'plan_activated', recipient: '网信部门', withinMinutes: 60, channel: 'phone', requiredFields: [] },
];

/** Creates a drill with objectives, the two rules and one manual inject; approves and starts it at `start`. */
async function startDrill(title: string, start: string, objectiveKeys: string[]) {
  clock.set(start);
  const drill = await api('POST', '/api/drills', {
    title,
    mode: 'tabletop',
    scope: 'single_topic',
    scheduledStart: start,
    objectives: objectiveKeys.map((key) => ({ key, text: `目标 ${key}` })),
    escalationRules: RULES,
    injects: [{ key: 'call', offsetMinutes: null, channel: 'phone', sender: '财务', recipients: ['all'], content: '财务来电：有异常交易' }],
  });
  await api('POST', `/api/drills/${drill.id}/transitions/approve`);
  await api('POST', `/api/drills/${drill.id}/transitions/start`);
  return drill as { id: string; injects: { id: string }[] };
}

/** Moves the clock to `start` + `minutes` of wall time. */
const wall = (start: string, minutes: number) => clock.set(new Date(Date.parse(start) + minutes * MIN));
const write = (drillId: string, body: object) => api('POST', `/api/drills/${drillId}/timeline`, body);

beforeAll(async () => {
  t = await buildTestApp({ clock, config: { sessionIdleMinutes: 24 * 60 * 400, sessionAbsoluteHours: 24 * 400 } });
  coordinator = (await signIn(t, 'coordinator')).cookie;
  observer = (await signIn(t, 'observer')).cookie;
  auditor = (await signIn(t, 'auditor')).cookie;
  emptyInstall = await api('GET', '/api/dashboard', undefined, auditor);
  ownerPersonId = (await api('POST', '/api/people', { name: '郑玉茹', title: '研发主管' })).id;

  // C: 23:30 on 31 December 2025 in China — China's 2025.
  const C = '2025-12-31T15:30:00Z';
  const c = await startDrill('C 跨年前', C, []);
  wall(C, 20);
  await api('POST', `/api/drills/${c.id}/transitions/end`);
  ids.C = c.id;

  // D: 00:30 on 1 January 2026 in China (still 2025 in UTC): started and ended 30 minutes later, nothing else.
  const D = '2025-12-31T16:30:00Z';
  const d = await startDrill('D 元旦', D, []);
  wall(D, 30);
  await api('POST', `/api/drills/${d.id}/transitions/end`);
  ids.D = d.id;

  // The 2026 programme; the first row is drill A's, done when A ends.
  clock.set('2026-01-05T02:00:00Z');
  const A = '2026-03-10T01:00:00Z'; // 09:00 in China
  const a = await startDrill('A 口令泄露', A, ['a1', 'a2']);
  await api('POST', '/api/programme', { year: 2026, project: 'A 口令泄露', plannedDate: '2026-03-10', drillId: a.id });
  await api('POST', '/api/programme', { year: 2026, project: '勒索病毒专项', plannedDate: '2026-05-01' });
  await api('POST', '/api/programme', { year: 2026, project: '钓鱼邮件桌面推演', plannedDate: '2026-07-01' });
  await api('POST', '/api/programme', { year: 2026, project: '综合演练', plannedDate: '2026-11-01' });
  await api('POST', '/api/programme', { year: 2025, project: '去年的演练', plannedDate: '2025-10-01' });

  // A: inject at 3, detected at 5, answered at 8, GM told at 12, contained at 20, paused 09:25–09:35,
  // recovered at wall 50 (drill 40), ended at wall 70 (drill 60).
  wall(A, 3);
  await api('POST', `/api/drills/${a.id}/injects/${a.injects[0].id}/fire`);
  wall(A, 5);
  await write(a.id, { kind: 'observation', text: '值班发现异常', data: { milestone: 'detected' } });
  wall(A, 8);
  await write(a.id, { kind: 'action', text: '登录商户平台核查' });
  wall(A, 12);
  await write(a.id, { kind: 'report', text: '向总经理报告', data: { report: { recipient: '总经理', channel: 'verbal', fields: FIELDS } } });
  wall(A, 20);
  await write(a.id, { kind: 'action', text: '清空余额', data: { milestone: 'contained' } });
  wall(A, 25);
  await api('POST', `/api/drills/${a.id}/transitions/pause`);
  wall(A, 35);
  await api('POST', `/api/drills/${a.id}/transitions/resume`);
  wall(A, 50);
  await write(a.id, { kind: 'action', text: '系统加固完成', data: { milestone: 'recovered' } });
  wall(A, 70);
  await api('POST', `/api/drills/${a.id}/transitions/end`);
  // a1 met; a2 met by one rater, not met by another: the most cautious rating stands.
  await api('PUT', `/api/drills/${a.id}/evaluation/objectives/a1`, { rating: 'met', evidence: '按时上报' });
  await api('PUT', `/api/drills/${a.id}/evaluation/objectives/a2`, { rating: 'met', evidence: '已止损' });
  await api('PUT', `/api/drills/${a.id}/evaluation/objectives/a2`, { rating: 'not_met', evidence: '止损超过 10 分钟' }, observer);
  ids.A = a.id;

  // B: inject at 2, detected at 10, GM told at 25 (due 20: late by 5), contained at 30, never recovered, ended at 60.
  const B = '2026-05-20T06:00:00Z';
  const b = await startDrill('B 勒索病毒', B, ['b1', 'b2', 'b3']);
  wall(B, 2);
  await api('POST', `/api/drills/${b.id}/injects/${b.injects[0].id}/fire`);
  wall(B, 10);
  await write(b.id, { kind: 'observation', text: '终端告警', data: { milestone: 'detected' } });
  wall(B, 25);
  await write(b.id, { kind: 'report', text: '向总经理报告', data: { report: { recipient: '总经理', channel: 'phone', fields: FIELDS } } });
  wall(B, 30);
  await write(b.id, { kind: 'action', text: '隔离主机', data: { milestone: 'contained' } });
  wall(B, 60);
  await api('POST', `/api/drills/${b.id}/transitions/end`);
  await api('PUT', `/api/drills/${b.id}/evaluation/objectives/b1`, { rating: 'partly_met', evidence: '上报迟了 5 分钟' });
  ids.B = b.id;

  // A drill planned for July, not started: not on the dashboard.
  await api('POST', '/api/drills', { title: 'E 未开始', mode: 'tabletop', scope: 'single_topic', scheduledStart: '2026-07-01T01:00:00Z' });

  // Corrective actions, looked at on 15 June 2026.
  const action = async (title: string, dueDate: string, ...steps: [string, string?][]) => {
    const created = await api('POST', '/api/corrective-actions', { title, dueDate, ownerPersonId, drillId: ids.A });
    for (const [transition, note] of steps) await api('POST', `/api/corrective-actions/${created.id}/transitions/${transition}`, note ? { note } : {});
    ids[title] = created.id;
  };
  await action('A1 修改口令', '2026-06-01');
  await action('A2 二次验证', '2026-06-10', ['start']);
  await action('A3 口令制度', '2026-12-01');
  await action('A4 端口', '2026-05-01', ['complete', '已改端口']);
  await action('A5 培训', '2026-04-01', ['complete', '已培训'], ['verify', '抽查通过']);
  clock.set('2026-06-15T02:00:00Z');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('GET /api/dashboard', () => {
  it('a new install: an empty year, no drills, no corrective actions', () => {
    expect(emptyInstall).toEqual({
      year: 2025,
      programme: { total: 0, planned: 0, due: 0, overdue: 0, done: 0 },
      drills: [],
      correctiveActions: { total: 0, open: 0, inProgress: 0, done: 0, verified: 0, overdue: 0, overdueList: [] },
    });
  });

  it('2026 (this year by default): the programme, the drills started in China’s 2026 with their figures, the actions', async () => {
    const board = await api('GET', '/api/dashboard', undefined, auditor);
    expect(board.year).toBe(2026);
    // A's row done (A ended), 05-01 passed (overdue), 07-01 within 30 days (due), 11-01 planned; the 2025 row not counted.
    expect(board.programme).toEqual({ total: 4, planned: 1, due: 1, overdue: 1, done: 1 });

    // D (00:30 on 1 January in China) first, then A and B; C (China's 2025) and E (never started) are not here.
    expect(board.drills.map((d: { id: string }) => d.id)).toEqual([ids.D, ids.A, ids.B]);
    const [d, a, b] = board.drills;
    expect(d).toMatchObject({ title: 'D 元旦', status: 'ended', exercise: true, startedAt: '2025-12-31T16:30:00.000Z' });
    expect(d).toMatchObject({ timeToDetectMs: null, timeToFirstReportMs: null, timeToContainMs: null, timeToRecoverMs: null, totalDurationMs: 30 * MIN });
    expect(d.escalations).toEqual({ applicable: 0, met: 0, late: 0, missed: 0 });
    expect(d.objectives).toEqual({ total: 0, met: 0, partlyMet: 0, notMet: 0, unrated: 0 });

    // A: detect 5; report 12 − 5 = 7; contain 20 − 5 = 15; recover drill 40 − 5 = 35 (the 10-minute pause does not
    // count); total drill 60. The GM rule met; the regulator rule never triggered. Inject at 3 answered at 8.
    expect(a).toMatchObject({ title: 'A 口令泄露', status: 'ended', exercise: true, startedAt: '2026-03-10T01:00:00.000Z', endedAt: '2026-03-10T02:10:00.000Z' });
    expect(a).toMatchObject({ timeToDetectMs: 5 * MIN, timeToFirstReportMs: 7 * MIN, timeToContainMs: 15 * MIN, timeToRecoverMs: 35 * MIN, totalDurationMs: 60 * MIN });
    expect(a.escalations).toEqual({ applicable: 1, met: 1, late: 0, missed: 0 });
    expect(a.injects).toEqual({ delivered: 1, answered: 1, answeredInTime: 1 });
    expect(a.objectives).toEqual({ total: 2, met: 1, partlyMet: 0, notMet: 1, unrated: 0 });

    // B: detect 10; report 25 − 10 = 15 (due at 20: late); contain 20; no recovery; total 60. The inject at 2 is
    // first answered by the report at 25: answered, not in time.
    expect(b).toMatchObject({ timeToDetectMs: 10 * MIN, timeToFirstReportMs: 15 * MIN, timeToContainMs: 20 * MIN, timeToRecoverMs: null, totalDurationMs: 60 * MIN });
    expect(b.escalations).toEqual({ applicable: 1, met: 0, late: 1, missed: 0 });
    expect(b.injects).toEqual({ delivered: 1, answered: 1, answeredInTime: 0 });
    expect(b.objectives).toEqual({ total: 3, met: 0, partlyMet: 1, notMet: 0, unrated: 2 });

    // On 15 June: A1 (due 06-01, open) and A2 (due 06-10, in progress) are overdue; A4 is done, so not overdue.
    const actions = board.correctiveActions;
    expect({ ...actions, overdueList: undefined }).toEqual({ total: 5, open: 2, inProgress: 1, done: 1, verified: 1, overdue: 2, overdueList: undefined });
    expect(actions.overdueList.map((x: { id: string; status: string; dueDate: string }) => [x.id, x.status, x.dueDate])).toEqual([
      [ids['A1 修改口令'], 'open', '2026-06-01'],
      [ids['A2 二次验证'], 'in_progress', '2026-06-10'],
    ]);
    expect(actions.overdueList[0]).toMatchObject({ title: 'A1 修改口令', owner: { personId: ownerPersonId, name: '郑玉茹' }, overdue: true, drillId: ids.A });
  });

  it('another year: its own programme and drills; the corrective-action backlog is the same', async () => {
    const board = await api('GET', '/api/dashboard?year=2025');
    expect(board.year).toBe(2025);
    expect(board.programme).toEqual({ total: 1, planned: 0, due: 0, overdue: 1, done: 0 });
    expect(board.drills.map((d: { id: string; totalDurationMs: number }) => [d.id, d.totalDurationMs])).toEqual([[ids.C, 20 * MIN]]);
    expect(board.correctiveActions).toMatchObject({ total: 5, overdue: 2 });

    const empty = await api('GET', '/api/dashboard?year=2030');
    expect(empty.programme.total).toBe(0);
    expect(empty.drills).toEqual([]);
  });

  it('refuses a year out of range', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/dashboard?year=99', headers: { cookie: coordinator } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });
});
