import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { buildTestApp, signIn, type TestApp } from '../../../test/helpers/app.js';
import { programmeState } from './service.js';

const clock = new ManualClock('2026-06-10T02:00:00Z');
let t: TestApp;
let coordinator: string;

beforeAll(async () => {
  t = await buildTestApp({ clock });
  coordinator = (await signIn(t, 'coordinator')).cookie;
});
afterAll(async () => {
  await t?.close();
});

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => t.app.inject({ method, url, payload, headers: { cookie: coordinator } });

describe('annual drill programme', () => {
  it('states: overdue once the date passed, due within 30 days, done when marked', () => {
    expect(programmeState({ plannedDate: '2026-06-01', doneAt: null }, '2026-06-10')).toBe('overdue');
    expect(programmeState({ plannedDate: '2026-07-10', doneAt: null }, '2026-06-10')).toBe('due');
    expect(programmeState({ plannedDate: '2026-07-11', doneAt: null }, '2026-06-10')).toBe('planned');
    expect(programmeState({ plannedDate: '2026-06-01', doneAt: new Date() }, '2026-06-10')).toBe('done');
  });

  it('lists the year in the columns of GB/T 38645 table A.1, and a drill that ends marks its row done', async () => {
    const drill = (await api('POST', '/api/drills', { title: '上半年专项演练', mode: 'simulated', scope: 'single_topic' })).json();
    const row = (
      await api('POST', '/api/programme', {
        year: 2026,
        project: '服务器口令泄露专项演练',
        purpose: '检验 10 分钟上报',
        mode: '模拟演练',
        plannedDate: '2026-06-05',
        departments: '研发部、财务部',
        arrangement: '9:00 开始，11:00 结束',
        budget: '0',
        drillId: drill.id,
      })
    ).json();
    expect(row.state).toBe('overdue');
    await api('POST', '/api/programme', { year: 2026, kind: 'plan_review', project: '预案年度评审', plannedDate: '2026-06-30' });
    for (const transition of ['approve', 'start', 'end']) await api('POST', `/api/drills/${drill.id}/transitions/${transition}`);
    const items = (await api('GET', '/api/programme?year=2026')).json().items;
    expect(items.map((i: { project: string; state: string }) => [i.project, i.state])).toEqual([
      ['服务器口令泄露专项演练', 'done'],
      ['预案年度评审', 'due'],
    ]);
  });
});
