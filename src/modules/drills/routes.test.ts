import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { systemActor } from '../../context.js';
import { buildTestApp, signIn, type TestApp } from '../../../test/helpers/app.js';
import { deliverDueInjects } from './service.js';

const MIN = 60_000;
const clock = new ManualClock('2026-03-02T02:00:00Z');
let t: TestApp;
let coordinator: string;
let observer: string;
let responder: { cookie: string; userId: string; login: string };

beforeAll(async () => {
  t = await buildTestApp({ clock, config: { loginRatePerMinute: 1000, sessionIdleMinutes: 24 * 60 } });
  coordinator = (await signIn(t, 'coordinator')).cookie;
  observer = (await signIn(t, 'observer')).cookie;
  responder = await signIn(t, 'responder', { displayName: '郑玉茹' });
});
afterAll(async () => {
  await t?.close();
});

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, cookie = coordinator) => t.app.inject({ method, url, payload, headers: { cookie, 'accept-language': 'en' } });
const deliver = () => deliverDueInjects({ db: t.database.db, clock, actor: systemActor('scheduler') });

const inject = (key: string, offsetMinutes: number | null, recipients = ['responder']) => ({ key, offsetMinutes, channel: 'phone', sender: '财务部', recipients, content: `inject ${key}`, expectedActions: [] });

async function newDrill(extra: object = {}) {
  const res = await api('POST', '/api/drills', { title: '演练', mode: 'tabletop', scope: 'single_topic', injects: [inject('a', 5), inject('b', 10, ['observer'])], ...extra });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('drill lifecycle', () => {
  it('goes draft → approved → running ⇄ paused → ended → evaluated → closed, with a 409 naming the state otherwise', async () => {
    const drill = await newDrill();
    expect(drill).toMatchObject({ status: 'draft', exercise: true });
    const early = await api('POST', `/api/drills/${drill.id}/transitions/start`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'drill_invalid_transition' });
    expect(early.json().error.message).toContain('draft');
    for (const [transition, status] of [
      ['approve', 'approved'],
      ['start', 'running'],
      ['pause', 'paused'],
      ['resume', 'running'],
      ['end', 'ended'],
    ]) {
      const res = await api('POST', `/api/drills/${drill.id}/transitions/${transition}`);
      expect(res.statusCode, `${transition}: ${res.body}`).toBe(200);
      expect(res.json().status).toBe(status);
    }
    // Observers evaluate; only coordinators and administrators close.
    expect((await api('POST', `/api/drills/${drill.id}/transitions/close`)).statusCode).toBe(409);
    expect((await api('POST', `/api/drills/${drill.id}/transitions/evaluate`, undefined, observer)).json().status).toBe('evaluated');
    expect((await api('POST', `/api/drills/${drill.id}/transitions/close`, undefined, observer)).statusCode).toBe(403);
    expect((await api('POST', `/api/drills/${drill.id}/transitions/close`)).json().status).toBe('closed');
    const edit = await api('PATCH', `/api/drills/${drill.id}`, { title: 'x' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('drill_not_editable');
  });

  it('refuses participants who are not people of the organisation, naming them', async () => {
    const ghost = '00000000-0000-4000-8000-000000000001';
    const res = await api('POST', '/api/drills', { title: 'x', mode: 'tabletop', scope: 'single_topic', participants: [{ personId: ghost, role: 'responder' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'participant_unknown', message: `组织中没有人员 ${ghost}` });
  });

  it('takes the plan\'s rules and adds the scenario\'s only for recipients the plan does not cover', async () => {
    const plan = (
      await api('POST', '/api/plans', {
        title: 'P',
        content: { escalationRules: [{ key: 'rule-1', trigger: 'incident_detected', recipient: '总经理', withinMinutes: 15, channel: 'verbal', requiredFields: [] }] },
      })
    ).json();
    await api('POST', `/api/plans/${plan.id}/publish`, {});
    const { scenarios } = (await api('GET', '/api/scenarios')).json();
    const seed = scenarios.find((s: { key: string }) => s.key === 'seed-password-leak');
    const drill = (await api('POST', '/api/drills', { title: 'x', mode: 'simulated', scope: 'single_topic', planId: plan.id, scenarioId: seed.id })).json();
    const rules = drill.escalationRules.map((r: { recipient: string; withinMinutes: number }) => [r.recipient, r.withinMinutes]);
    expect(rules.filter(([recipient]: [string]) => recipient === '总经理')).toEqual([['总经理', 15]]);
    expect(rules.length).toBeGreaterThan(1); // the scenario's other recipients (finance staff, police) stay
  });

  it('pausing stops the clock and shifts every inject', async () => {
    const drill = await newDrill();
    await api('POST', `/api/drills/${drill.id}/transitions/approve`);
    await api('POST', `/api/drills/${drill.id}/transitions/start`);
    clock.advance(3 * MIN);
    await api('POST', `/api/drills/${drill.id}/transitions/pause`);
    clock.advance(20 * MIN); // paused: drill time stays at 3 min
    expect(await deliver()).toBe(0);
    expect((await api('GET', `/api/drills/${drill.id}`)).json().drillTimeMs).toBe(3 * MIN);
    await api('POST', `/api/drills/${drill.id}/transitions/resume`);
    clock.advance(2 * MIN); // drill time 5 min: inject a is due, b is not
    await deliver();
    const view = (await api('GET', `/api/drills/${drill.id}`)).json();
    expect(view.drillTimeMs).toBe(5 * MIN);
    expect(view.injects.map((i: { key: string; status: string }) => [i.key, i.status])).toEqual([
      ['a', 'delivered'],
      ['b', 'pending'],
    ]);
    expect(view.injects[0].deliveredDrillMs).toBe(5 * MIN);
  });

  it('delivers each inject once, however often the scheduler runs', async () => {
    const drill = await newDrill();
    await api('POST', `/api/drills/${drill.id}/transitions/approve`);
    await api('POST', `/api/drills/${drill.id}/transitions/start`);
    clock.advance(11 * MIN);
    await Promise.all([deliver(), deliver(), deliver()]);
    await deliver();
    const timeline = (await api('GET', `/api/drills/${drill.id}/timeline`)).json();
    const injects = timeline.entries.filter((e: { kind: string }) => e.kind === 'inject');
    expect(injects.map((e: { data: { inject: { key: string } } }) => e.data.inject.key)).toEqual(['a', 'b']);
  });

  it('the coordinator fires injects early and adds manual ones; firing twice is refused', async () => {
    const drill = await newDrill();
    await api('POST', `/api/drills/${drill.id}/transitions/approve`);
    await api('POST', `/api/drills/${drill.id}/transitions/start`);
    const b = drill.injects.find((i: { key: string }) => i.key === 'b');
    const fired = await api('POST', `/api/drills/${drill.id}/injects/${b.id}/fire`);
    expect(fired.statusCode).toBe(200);
    expect(fired.json()).toMatchObject({ kind: 'inject', text: 'inject b' });
    const again = await api('POST', `/api/drills/${drill.id}/injects/${b.id}/fire`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('inject_not_pending');
    const manual = await api('POST', `/api/drills/${drill.id}/injects`, { ...inject('ad-hoc', null), content: '临时注入：总经理来电询问进展' });
    expect(manual.json()).toMatchObject({ key: 'ad-hoc', status: 'delivered' });
    expect((await api('POST', `/api/drills/${drill.id}/injects`, inject('ad-hoc', null))).json().error.code).toBe('duplicate_key');
  });
});

describe('who writes on a drill timeline', () => {
  it('participating responders act, observers observe, others are refused; responders never see the script ahead', async () => {
    const responderPerson = (await api('POST', '/api/people', { name: '郑玉茹', userId: responder.userId })).json();
    const drill = await newDrill({ participants: [{ personId: responderPerson.id, role: 'responder' }] });
    await api('POST', `/api/drills/${drill.id}/transitions/approve`);
    await api('POST', `/api/drills/${drill.id}/transitions/start`);

    const write = (cookie: string, kind: string) => api('POST', `/api/drills/${drill.id}/timeline`, { kind, text: `${kind} text` }, cookie);
    expect((await write(responder.cookie, 'action')).statusCode).toBe(201);
    expect((await write(responder.cookie, 'observation')).statusCode).toBe(409);
    // The observer takes no part in this drill.
    expect((await write(observer, 'observation')).json().error.code).toBe('drill_entry_not_allowed');
    expect((await write(coordinator, 'decision')).statusCode).toBe(201);
    const report = await api('POST', `/api/drills/${drill.id}/timeline`, { kind: 'report', text: 'no details' }, coordinator);
    expect(report.json().error.code).toBe('report_details_missing');

    let seen = (await api('GET', `/api/drills/${drill.id}`, undefined, responder.cookie)).json();
    expect(seen.injects).toEqual([]);
    expect(seen.abilities).toContain('write:action');
    expect(seen.abilities).not.toContain('fire_inject');
    clock.advance(12 * MIN);
    await deliver();
    seen = (await api('GET', `/api/drills/${drill.id}`, undefined, responder.cookie)).json();
    // Inject b went to observers only: not in the drill, not on the timeline the responder reads.
    expect(seen.injects.map((i: { key: string }) => i.key)).toEqual(['a']);
    const injectKeys = (cookie: string) =>
      api('GET', `/api/drills/${drill.id}/timeline`, undefined, cookie).then((r) =>
        r.json().entries.filter((e: { kind: string }) => e.kind === 'inject').map((e: { data: { inject: { key: string } } }) => e.data.inject.key),
      );
    expect(await injectKeys(responder.cookie)).toEqual(['a']);
    expect(await injectKeys(coordinator)).toEqual(['a', 'b']);
    const action = (await api('GET', `/api/drills/${drill.id}/timeline`, undefined, coordinator)).json().entries.find((e: { kind: string }) => e.kind === 'action');
    // The record names people, not logins.
    expect(action.actorLabel).toBe('郑玉茹');
  });

  it('a correction is a new entry pointing at the one it corrects', async () => {
    const drill = await newDrill();
    await api('POST', `/api/drills/${drill.id}/transitions/approve`);
    await api('POST', `/api/drills/${drill.id}/transitions/start`);
    clock.advance(MIN);
    const wrong = (await api('POST', `/api/drills/${drill.id}/timeline`, { kind: 'action', text: '关闭了提现' })).json();
    const fix = await api('POST', `/api/drills/${drill.id}/timeline`, { kind: 'action', text: '关闭了移动端微信提现', correctsId: wrong.id });
    expect(fix.statusCode).toBe(201);
    const entries = (await api('GET', `/api/drills/${drill.id}/timeline`)).json().entries;
    expect(entries.find((e: { id: string }) => e.id === wrong.id).correctedBy).toBe(fix.json().id);
    const future = await api('POST', `/api/drills/${drill.id}/timeline`, { kind: 'action', text: 'x', at: new Date(clock.now().getTime() + MIN).toISOString() });
    expect(future.json().error.code).toBe('entry_in_future');
    const foreign = await api('POST', `/api/drills/${drill.id}/timeline`, { kind: 'action', text: 'x', correctsId: '00000000-0000-4000-8000-000000000000' });
    expect(foreign.json().error.code).toBe('correction_target_unknown');
  });
});
