/**
 * The seed's drill (shared/seed/drill-record-template.zh.md, section 四) replayed through the API with a
 * controllable clock: 09:00 start, 09:15 the finance call, the merchant account emptied, the plan activated,
 * 09:25 the verbal report to the general manager — the 10-minute rule met — through to the end announcement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { systemActor } from '../src/context.js';
import { deliverDueInjects } from '../src/modules/drills/service.js';
import { buildTestApp, signIn, type TestApp } from './helpers/app.js';

const MIN = 60_000;
/** 09:00 on 2020-04-18 in China (UTC+8). */
const START = Date.parse('2020-04-18T01:00:00Z');
const at = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(START + ((h - 9) * 60 + m) * MIN);
};

const clock = new ManualClock(at('08:30'));
let t: TestApp;
let coordinator: string;
let responder: { cookie: string; userId: string };

beforeAll(async () => {
  // The replay jumps hours ahead between calls; keep sessions from idling out meanwhile.
  t = await buildTestApp({ clock, config: { loginRatePerMinute: 1000, sessionIdleMinutes: 24 * 60, sessionAbsoluteHours: 24 * 7 } });
  coordinator = (await signIn(t, 'coordinator')).cookie;
  responder = await signIn(t, 'responder');
});
afterAll(async () => {
  await t?.close();
});

async function api(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, cookie = coordinator) {
  const res = await t.app.inject({ method, url, payload, headers: { cookie } });
  if (res.statusCode >= 400) throw new Error(`${clock.now().toISOString()} ${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.json();
}

const REPORT_FIELDS = { occurred_at: '9:15 左右', scope: '微信商户平台，若干笔异常交易流水', trend: '已清空商户账户余额，未继续扩大', measures: '清空余额；通知财务暂停微信支付；关闭移动端微信提现' };

/** Prepares the seed drill (plan, people, scenario), runs it to `reportAt` for the GM report, and ends it. */
async function runSeedDrill(reportAt: string) {
  const person = (name: string, title: string, userId?: string) => api('POST', '/api/people', { name, title, department: '研发部', userId });
  const lead = await person('郑玉茹', '研发主管', responder.userId);
  const zhang = await person('张三', '组长');
  const plan = await api('POST', '/api/plans', {
    title: '信息系统突发事件应急预案',
    content: {
      guidingPrinciple: '以维护我司重要业务系统网络及设备的正常运行为宗旨。按照“预防为主，积极处置”的原则……',
      escalationRules: [
        { key: 'report-gm', trigger: 'incident_detected', recipient: '总经理', withinMinutes: 10, channel: 'verbal', requiredFields: ['occurred_at', 'scope', 'trend', 'measures'] },
      ],
      procedures: [{ key: 'contain', title: '止损', steps: [{ key: 'empty-balance', role: 'responder', text: '清空微信商户平台账户余额' }] }],
    },
  });
  await api('POST', `/api/plans/${plan.id}/publish`, {});
  const { scenarios } = await api('GET', '/api/scenarios');
  const seed = scenarios.find((s: { key: string }) => s.key === 'seed-password-leak');
  const drill = await api('POST', '/api/drills', {
    title: '进出口企业信息安全应急演练',
    mode: 'simulated',
    scope: 'single_topic',
    planId: plan.id,
    scenarioId: seed.id,
    place: '研发办公室',
    scheduledStart: at('09:00').toISOString(),
    participants: [
      { personId: lead.id, role: 'responder', duty: '研发主管：处置与上报' },
      { personId: zhang.id, role: 'coordinator', duty: '组长' },
    ],
  });
  await api('POST', `/api/drills/${drill.id}/transitions/approve`);

  const tick = async (hhmm: string) => {
    clock.set(at(hhmm));
    await deliverDueInjects({ db: t.database.db, clock, actor: systemActor('scheduler') });
  };
  const write = (hhmm: string, body: object, cookie = responder.cookie) => tick(hhmm).then(() => api('POST', `/api/drills/${drill.id}/timeline`, body, cookie));

  await tick('09:00');
  await api('POST', `/api/drills/${drill.id}/transitions/start`); // 1. 09:00 应急预案演练开始
  await tick('09:00'); // the scheduler's next pass delivers the opening inject
  await tick('09:15'); // 2. the finance call (inject, marks detection)
  await write('09:17', { kind: 'action', text: '登录微信商户平台管理员账号，发现几笔异常交易流水' });
  await write('09:18', { kind: 'action', text: '迅速将微信商户平台账号金额清空', data: { checklist: { itemKey: 'contain.empty-balance', done: true } } }); // 3.
  await write('09:20', { kind: 'decision', text: '因涉及信息泄露，启动应急预案', data: { milestone: 'plan_activated' } }, coordinator);
  await write(reportAt, { kind: 'report', text: '研发主管口头向总经理报告', data: { report: { recipient: '总经理', channel: 'verbal', fields: REPORT_FIELDS } } }); // 4.
  await write('09:28', { kind: 'notification', text: '通知使用财务相关员工暂停使用微信支付' });
  await write('09:30', { kind: 'action', text: '后台开发人员关闭移动端微信提现服务和微信提现服务关闭提醒', data: { milestone: 'contained' } });
  await write('09:45', { kind: 'action', text: '对云服务器进行漏洞扫描，查看防火墙运行状况，查询数据库和操作日志' }); // 5.
  await write('10:20', { kind: 'finding', text: '服务器无安全漏洞，防火墙运行正常；事件根源为服务端口令泄露' }); // 6.
  await write('10:30', { kind: 'decision', text: '解决方案：a) 更换远程登录端口、修改口令和数据库口令；b) 付款模块增加二次验证；c) 统一服务器口令管理制度' }, coordinator);
  await write('10:50', { kind: 'action', text: '研发部根据方案对系统进行加固', data: { milestone: 'recovered' } }); // 7.
  await write('11:00', { kind: 'notification', text: '信息系统应急行动结束，通过微信群进行通告' }); // 8.
  await tick('11:00');
  await api('POST', `/api/drills/${drill.id}/transitions/end`);
  return { drill, timeline: await api('GET', `/api/drills/${drill.id}/timeline`) };
}

type Entry = { kind: string; text: string; drillTimeMs: number; data: Record<string, unknown>; seq: number };

describe('the seed drill', () => {
  it('reported at 09:25: the 10-minute report to the general manager is met, and the timeline holds every step in order', async () => {
    const { drill, timeline } = await runSeedDrill('09:25');
    const gm = timeline.escalations.find((c: { ruleKey: string }) => c.ruleKey === 'report-gm');
    expect(gm).toMatchObject({ state: 'met', recipient: '总经理', triggeredAtMs: 15 * MIN, dueAtMs: 25 * MIN, reportedAtMs: 25 * MIN, lateByMs: null });

    const entries: Entry[] = timeline.entries;
    const minute = (e: Entry) => e.drillTimeMs / MIN;
    // Every step, in the order it happened, with its drill time (minutes after 09:00).
    const steps = entries.filter((e) => e.kind !== 'inject' || [0, 15].includes(minute(e))).map((e) => [minute(e), e.kind]);
    expect(steps).toEqual([
      [0, 'status_change'],
      [0, 'inject'],
      [15, 'inject'],
      [17, 'action'],
      [18, 'action'],
      [20, 'decision'],
      [25, 'report'],
      [28, 'notification'],
      [30, 'action'],
      [45, 'action'],
      [80, 'finding'],
      [90, 'decision'],
      [110, 'action'],
      [120, 'notification'],
      [120, 'status_change'],
    ]);
    const financeCall = entries.find((e) => e.kind === 'inject' && minute(e) === 15)!;
    expect(financeCall.data).toMatchObject({ milestone: 'detected', inject: { key: 'finance-call', channel: 'phone' } });
    // Every scenario inject due by 11:00 was delivered once, in order.
    const injectKeys = entries.filter((e) => e.kind === 'inject').map((e) => (e.data.inject as { key: string }).key);
    expect(injectKeys).toEqual(['drill-start', 'finance-call', 'merchant-records', 'finance-denial', 'gm-followup', 'scan-result', 'log-excerpt', 'leak-clue', 'close-out']);
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(entries.map((_, i) => i + 1));

    // The drill's incident got its key times from the milestones; the checklist item is ticked.
    const checklist = await api('GET', `/api/drills/${drill.id}/checklist`);
    expect(checklist.items).toEqual([expect.objectContaining({ key: 'contain.empty-balance', done: true, doneAtMs: 18 * MIN })]);
    const { incidents } = await api('GET', '/api/incidents?drills=only');
    const incident = incidents.find((i: { drillId: string }) => i.drillId === drill.id);
    expect(incident).toMatchObject({ isDrill: true, exercise: true, category: 'network_attack', level: 'IV' });
    expect(incident.detectedAt).toBe(at('09:15').toISOString());
    expect(incident.containedAt).toBe(at('09:30').toISOString());
    expect(incident.recoveredAt).toBe(at('10:50').toISOString());
    expect((await api('GET', '/api/incidents')).incidents.some((i: { id: string }) => i.id === incident.id)).toBe(false);

    // The figures the evaluation starts from, computed from this timeline.
    const { metrics } = await api('GET', `/api/drills/${drill.id}/metrics`);
    expect(metrics).toMatchObject({ timeToDetectMs: 15 * MIN, timeToFirstReportMs: 10 * MIN, timeToContainMs: 15 * MIN, timeToRecoverMs: 95 * MIN, totalDurationMs: 120 * MIN });
    expect(metrics.reports.find((r: { ruleKey: string }) => r.ruleKey === 'report-gm')).toEqual({ ruleKey: 'report-gm', recipient: '总经理', tookMs: 10 * MIN, state: 'met' });
  });

  it('reported at 09:27: late by 2 minutes', async () => {
    const { timeline } = await runSeedDrill('09:27');
    const gm = timeline.escalations.find((c: { ruleKey: string }) => c.ruleKey === 'report-gm');
    expect(gm).toMatchObject({ state: 'late', lateByMs: 2 * MIN, reportedAtMs: 27 * MIN });
  });
});
