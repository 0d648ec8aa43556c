import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { buildTestApp, signIn, type TestApp } from '../../../test/helpers/app.js';

const clock = new ManualClock('2026-07-01T02:00:00Z');
let t: TestApp;
let coordinator: string;
let owner: { cookie: string; userId: string };
let auditor: string;
let ownerPersonId: string;

beforeAll(async () => {
  t = await buildTestApp({ clock, config: { sessionIdleMinutes: 24 * 60 * 90, sessionAbsoluteHours: 24 * 90 } });
  coordinator = (await signIn(t, 'coordinator')).cookie;
  owner = await signIn(t, 'responder', { displayName: '郑玉茹' });
  auditor = (await signIn(t, 'auditor')).cookie;
  ownerPersonId = (await api('POST', '/api/people', { name: '郑玉茹', title: '研发主管', userId: owner.userId })).json().id;
});
afterAll(async () => {
  await t?.close();
});

function api(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, cookie = coordinator) {
  return t.app.inject({ method, url, payload, headers: { cookie } });
}

/** The seed's measures a, b and c (四.6). */
const SEED = [
  { title: 'a) 更换服务器远程登录端口号，修改口令，修改数据库口令', priority: 'high', dueDate: '2026-07-03' },
  { title: 'b) 后台管理系统付款模块增加二次验证功能，验证程序存放在另一台服务器中', priority: 'high', dueDate: '2026-07-31' },
  { title: 'c) 统一服务器口令管理制度，端口与口令由研发主管统一管理、定期修改', priority: 'medium', dueDate: '2026-08-15' },
];

describe('corrective actions', () => {
  it('the seed measures a, b, c: raised from the finding, worked on, completed, verified by someone else; overdue ones listed', async () => {
    const created = [];
    for (const m of SEED) {
      const res = await api('POST', '/api/corrective-actions', { ...m, sourceKind: 'finding', sourceRef: 'root-cause', ownerPersonId });
      expect(res.statusCode).toBe(201);
      created.push(res.json());
    }
    expect(created[0], JSON.stringify(created[0])).toMatchObject({ status: 'open', owner: { name: '郑玉茹' }, overdue: false });

    const [a, b] = created;
    expect((await api('POST', `/api/corrective-actions/${a.id}/transitions/start`, {}, owner.cookie)).json().status).toBe('in_progress');
    const noNote = await api('POST', `/api/corrective-actions/${a.id}/transitions/complete`, {}, owner.cookie);
    expect(noNote.json().error.code).toBe('action_note_required');
    const done = (await api('POST', `/api/corrective-actions/${a.id}/transitions/complete`, { note: '端口改为 22022，口令已全部更换' }, owner.cookie)).json();
    expect(done).toMatchObject({ status: 'done', doneNote: '端口改为 22022，口令已全部更换' });

    // The owner may not verify their own work; someone else does, with evidence.
    const selfCheck = await api('POST', `/api/corrective-actions/${a.id}/transitions/verify`, { note: '我查过了' }, owner.cookie);
    expect(selfCheck.statusCode).toBe(403);
    const verified = (await api('POST', `/api/corrective-actions/${a.id}/transitions/verify`, { note: '复核：旧口令登录失败，新端口生效' })).json();
    expect(verified).toMatchObject({ status: 'verified', verificationEvidence: '复核：旧口令登录失败，新端口生效' });
    expect(verified.verifiedBy).toMatch(/^coordinator-/);
    const again = await api('POST', `/api/corrective-actions/${a.id}/transitions/verify`, { note: 'x' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('action_invalid_transition');
    expect((await api('PATCH', `/api/corrective-actions/${a.id}`, { title: 'x' })).json().error.code).toBe('action_verified');

    clock.set('2026-08-02T02:00:00Z'); // b is past due (07-31), c is not
    const overdue = (await api('GET', '/api/corrective-actions?overdue=true')).json().actions;
    expect(overdue.map((x: { id: string }) => x.id)).toEqual([b.id]);
    const all = (await api('GET', '/api/corrective-actions', undefined, auditor)).json().actions;
    expect(all.map((x: { status: string; overdue: boolean }) => [x.status, x.overdue])).toEqual([
      ['verified', false],
      ['open', true],
      ['open', false],
    ]);
    expect((await api('POST', '/api/corrective-actions', { ...SEED[0], ownerPersonId }, auditor)).statusCode).toBe(403);
  });

  it('refuses an owner who is not a person of the organisation', async () => {
    const res = await api('POST', '/api/corrective-actions', { title: 'x', dueDate: '2026-09-01', ownerPersonId: '00000000-0000-4000-8000-000000000009' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('person_not_found');
  });
});
