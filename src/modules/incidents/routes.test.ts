import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { buildTestApp, signIn, type TestApp } from '../../../test/helpers/app.js';

const MIN = 60_000;
const clock = new ManualClock('2026-05-06T02:00:00Z');
let t: TestApp;
let responder: string;
let admin: string;
let auditor: string;

beforeAll(async () => {
  t = await buildTestApp({ clock, config: { loginRatePerMinute: 1000, sessionIdleMinutes: 24 * 60 } });
  responder = (await signIn(t, 'responder')).cookie;
  admin = (await signIn(t, 'admin')).cookie;
  auditor = (await signIn(t, 'auditor')).cookie;
});
afterAll(async () => {
  await t?.close();
});

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, cookie = responder) => t.app.inject({ method, url, payload, headers: { cookie } });

describe('real incidents', () => {
  it('are classified per GB/T 20986-2023 and refuse unknown classes, naming them', async () => {
    const bad = await api('POST', '/api/incidents', { title: 'x', category: 'network_attack', subcategory: 'ransomware' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'incident_subcategory_unknown', message: 'ransomware 不属于类别 network_attack' });
    const unknown = await api('POST', '/api/incidents', { title: 'x', category: 'aliens' });
    expect(unknown.json().error.code).toBe('incident_category_unknown');
    const taxonomy = (await api('GET', '/api/incident-taxonomy')).json();
    expect(taxonomy.categories.map((c: { name: { 'zh-CN': string } }) => c.name['zh-CN'])).toEqual([
      '恶意程序事件',
      '网络攻击事件',
      '数据安全事件',
      '信息内容安全事件',
      '设备设施故障事件',
      '违规操作事件',
      '安全隐患事件',
      '异常行为事件',
      '不可抗力事件',
      '其他事件',
    ]);
  });

  it('at level III the regulator clock runs: 4 hours for an ordinary operator, editable per company', async () => {
    const detectedAt = clock.now().toISOString();
    const incident = (await api('POST', '/api/incidents', { title: '数据库被拖库', category: 'data_security', subcategory: 'data_leak', level: 'III', detectedAt })).json();
    expect(incident).toMatchObject({ isDrill: false, exercise: false, status: 'open' });
    clock.advance(30 * MIN);
    let view = (await api('GET', `/api/incidents/${incident.id}/timeline`)).json();
    const regulator = view.escalations.find((c: { ruleKey: string }) => c.ruleKey === 'regulator-other_operator');
    expect(regulator).toMatchObject({ state: 'pending', withinMinutes: 240, remainingMs: 210 * MIN, recipient: '属地省级网信部门' });

    // A critical-infrastructure operator switches to the 1-hour preset; new incidents follow it.
    expect((await api('PATCH', '/api/reporting-presets/cii_operator', { active: true })).statusCode).toBe(403);
    expect((await api('PATCH', '/api/reporting-presets/cii_operator', { active: true }, admin)).json()).toMatchObject({ active: true, withinMinutes: 60 });
    const cii = (await api('POST', '/api/incidents', { title: '勒索软件', category: 'malware', subcategory: 'ransomware', level: 'II', detectedAt: clock.now().toISOString() })).json();
    clock.advance(61 * MIN);
    view = (await api('GET', `/api/incidents/${cii.id}/timeline`)).json();
    expect(view.escalations[0]).toMatchObject({ ruleKey: 'regulator-cii_operator', state: 'overdue', lateByMs: MIN });
  });

  it('a level IV incident has no regulator clock; status changes set key times and go on the timeline', async () => {
    const incident = (await api('POST', '/api/incidents', { title: '网页篡改', category: 'network_attack', level: 'IV', affectedSystems: ['官网'] })).json();
    let view = (await api('GET', `/api/incidents/${incident.id}/timeline`)).json();
    expect(view.escalations.every((c: { state: string }) => c.state === 'not_applicable')).toBe(true);
    await api('POST', `/api/incidents/${incident.id}/timeline`, { kind: 'finding', text: '首页被植入暗链', data: { milestone: 'detected' } });
    clock.advance(5 * MIN);
    const contained = (await api('PATCH', `/api/incidents/${incident.id}`, { status: 'contained' })).json();
    expect(contained.containedAt).toBe(clock.now().toISOString());
    expect(contained.detectedAt).not.toBeNull();
    const back = await api('PATCH', `/api/incidents/${incident.id}`, { status: 'open' });
    expect(back.json().error.code).toBe('incident_status_backwards');
    view = (await api('GET', `/api/incidents/${incident.id}/timeline`)).json();
    expect(view.entries.map((e: { kind: string }) => e.kind)).toEqual(['finding', 'status_change']);
    expect((await api('PATCH', `/api/incidents/${incident.id}`, { status: 'closed' }, auditor)).statusCode).toBe(403);
  });

  it('drill incidents never count among real ones', async () => {
    const drill = (await api('POST', '/api/drills', { title: '桌面推演', mode: 'tabletop', scope: 'single_topic', incidentCategory: 'malware', incidentLevel: 'III' }, admin)).json();
    const real = (await api('GET', '/api/incidents')).json().incidents;
    expect(real.some((i: { drillId: string | null }) => i.drillId === drill.id)).toBe(false);
    const drills = (await api('GET', '/api/incidents?drills=only')).json().incidents;
    expect(drills.find((i: { drillId: string }) => i.drillId === drill.id)).toMatchObject({ exercise: true, category: 'malware', level: 'III' });
  });
});
