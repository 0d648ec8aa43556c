import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/rows.js';
import { buildTestApp, signIn, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
let coordinator: string;
let observer: string;

beforeAll(async () => {
  t = await buildTestApp();
  coordinator = (await signIn(t, 'coordinator')).cookie;
  observer = (await signIn(t, 'observer')).cookie;
});
afterAll(async () => {
  await t?.close();
});

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, cookie = coordinator) =>
  t.app.inject({ method, url, payload, headers: { cookie } });

const SEED_DUTIES =
  '负责信息系统突发事件应急演练的具体工作；对信息系统突发事件应急演练业务影响情况进行分析和评估；收集分析信息系统突发事件应急演练处置过程中的数据信息和记录；向上级部门报告应急演练进展情况和事态发展情况，确保演练工作达到预期目的。';

describe('the seed working group', () => {
  it('is built from three people, read back with leader, members in order and duties, and audited', async () => {
    const ids: Record<string, string> = {};
    for (const name of ['张三', '李二', '王二麻子']) {
      const res = await api('POST', '/api/people', { name, department: '研发部', phone: '+86 138-0000-0000' });
      expect(res.statusCode).toBe(201);
      ids[name] = res.json().id;
    }
    const created = await api('POST', '/api/groups', { name: '应急演练工作组', duties: SEED_DUTIES, leaderId: ids['张三'], memberIds: [ids['李二'], ids['王二麻子']] });
    expect(created.statusCode).toBe(201);
    const group = (await api('GET', `/api/groups/${created.json().id}`, undefined, observer)).json();
    expect(group.name).toBe('应急演练工作组');
    expect(group.leader).toMatchObject({ personId: ids['张三'], name: '张三', role: 'leader' });
    expect(group.members.map((m: { name: string }) => m.name)).toEqual(['李二', '王二麻子']);
    expect(group.duties).toBe(SEED_DUTIES);

    const audit = await queryRows<{ action: string; actor_label: string }>(t.database.db, sql`select action, actor_label from audit_entries where entity_id = ${group.id}`);
    expect(audit).toEqual([{ action: 'group.create', actor_label: expect.stringMatching(/^coordinator-/) }]);
  });

  it('changing the leader keeps one leader and moves the old one out', async () => {
    const a = (await api('POST', '/api/people', { name: 'A' })).json().id;
    const b = (await api('POST', '/api/people', { name: 'B' })).json().id;
    const group = (await api('POST', '/api/groups', { name: 'G', leaderId: a, memberIds: [b] })).json();
    const changed = (await api('PATCH', `/api/groups/${group.id}`, { leaderId: b, memberIds: [] })).json();
    expect(changed.leader.personId).toBe(b);
    expect(changed.members).toEqual([]);
  });

  it('refuses unknown or archived people as members, naming them', async () => {
    const gone = (await api('POST', '/api/people', { name: 'Gone' })).json().id;
    await api('POST', `/api/people/${gone}/archive`);
    // The coordinator's account language (zh-CN, the default) wins over the browser's Accept-Language.
    const res = await t.app.inject({ method: 'POST', url: '/api/groups', payload: { name: 'G2', leaderId: gone }, headers: { cookie: coordinator, 'accept-language': 'en' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'group_member_unknown', message: `工作组中有未知或已归档的人员：${gone}` });
    const groups = (await api('GET', '/api/groups?archived=all')).json().groups;
    expect(groups.some((g: { name: string }) => g.name === 'G2')).toBe(false);
  });
});

describe('people', () => {
  it('lists by name with search, archive filter and total', async () => {
    const zhao = (await api('POST', '/api/people', { name: '赵六', department: '财务部', title: '会计' })).json();
    const found = (await api('GET', `/api/people?q=${encodeURIComponent('财务')}`)).json();
    expect(found.people.map((p: { id: string }) => p.id)).toContain(zhao.id);
    expect(found.total).toBe(found.people.length);
    const literal = (await api('GET', `/api/people?q=${encodeURIComponent('%')}`)).json();
    expect(literal.total).toBe(0);
    const all = (await api('GET', '/api/people?limit=2')).json();
    expect(all.people).toHaveLength(2);
    const pastTheEnd = (await api('GET', '/api/people?offset=100000')).json();
    expect(pastTheEnd).toEqual({ people: [], total: all.total });

    await api('POST', `/api/people/${zhao.id}/archive`);
    expect((await api('GET', '/api/people?q=赵六')).json().total).toBe(0);
    expect((await api('GET', '/api/people?q=赵六&archived=true')).json().people[0].archived).toBe(true);
    const restored = (await api('POST', `/api/people/${zhao.id}/restore`)).json();
    expect(restored.archived).toBe(false);
  });

  it('updates a person and keeps before/after in the audit log', async () => {
    const p = (await api('POST', '/api/people', { name: '钱七' })).json();
    const updated = (await api('PATCH', `/api/people/${p.id}`, { title: '研发主管', wecomId: 'qianqi' })).json();
    expect(updated).toMatchObject({ name: '钱七', title: '研发主管', wecomId: 'qianqi' });
    const [entry] = await queryRows<{ before: { title: string | null }; after: { title: string } }>(
      t.database.db,
      sql`select before, after from audit_entries where entity_id = ${p.id} and action = 'person.update'`,
    );
    expect(entry.before.title).toBeNull();
    expect(entry.after.title).toBe('研发主管');
  });

  it('keeps markup as plain text', async () => {
    const name = '<script>alert(1)</script> **bold** | pipe';
    const p = (await api('POST', '/api/people', { name })).json();
    expect((await api('GET', `/api/people/${p.id}`)).json().name).toBe(name);
  });

  it('observers read but cannot write', async () => {
    expect((await api('GET', '/api/people', undefined, observer)).statusCode).toBe(200);
    const res = await api('POST', '/api/people', { name: 'x' }, observer);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });

  it('answers 404 with the entity named for an unknown id', async () => {
    const res = await t.app.inject({ url: '/api/people/00000000-0000-4000-8000-000000000000', headers: { cookie: coordinator, 'accept-language': 'en' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'not_found', message: '未找到人员 00000000-0000-4000-8000-000000000000' });
    const anonymous = await t.app.inject({ url: '/api/nothing-here', headers: { 'accept-language': 'en' } });
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.json().error).toMatchObject({ code: 'route_not_found', message: 'No such API route: GET /api/nothing-here' });
  });
});

describe('on-call contacts', () => {
  it('orders by priority and shows the address of the chosen channel', async () => {
    const duty = (await api('POST', '/api/people', { name: '值班甲', phone: '13800000001', email: 'a@example.com' })).json();
    const second = (await api('POST', '/api/people', { name: '值班乙', email: 'b@example.com' })).json();
    await api('POST', '/api/on-call', { personId: second.id, label: '备岗', channel: 'email', priority: 2 });
    const first = await api('POST', '/api/on-call', { personId: duty.id, label: '7×24 值班', channel: 'phone', priority: 1, availability: '7×24' });
    expect(first.statusCode).toBe(201);
    const list = (await api('GET', '/api/on-call')).json().contacts;
    expect(list.map((c: { personName: string; address: string }) => [c.personName, c.address])).toEqual([
      ['值班甲', '13800000001'],
      ['值班乙', 'b@example.com'],
    ]);
  });

  it('refuses a channel the person has no address for', async () => {
    const p = (await api('POST', '/api/people', { name: '无电话' })).json();
    const res = await t.app.inject({ method: 'POST', url: '/api/on-call', payload: { personId: p.id, label: 'x', channel: 'phone' }, headers: { cookie: coordinator, 'accept-language': 'zh-CN' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('无电话 没有电话联系方式，请先在人员信息中补充');
  });
});
