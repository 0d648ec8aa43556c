import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signIn, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
let coordinator: string;
let responder: string;

beforeAll(async () => {
  t = await buildTestApp();
  coordinator = (await signIn(t, 'coordinator')).cookie;
  responder = (await signIn(t, 'responder')).cookie;
});
afterAll(async () => {
  await t?.close();
});

const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, cookie = coordinator) => t.app.inject({ method, url, payload, headers: { cookie } });

const rule = { key: 'report-gm', trigger: 'incident_detected', recipient: '总经理', withinMinutes: 10, channel: 'verbal', requiredFields: ['occurred_at', 'scope', 'trend', 'measures'] };

describe('emergency plans', () => {
  it('are versioned: publish makes an immutable version, editing opens the next draft, and the diff names what changed', async () => {
    const created = await api('POST', '/api/plans', { title: '应急预案', content: { guidingPrinciple: '预防为主，积极处置', escalationRules: [rule] } });
    expect(created.statusCode).toBe(201);
    const planId = created.json().id;
    expect(created.json()).toMatchObject({ publishedNumber: null, hasDraft: true });

    const v1 = (await api('POST', `/api/plans/${planId}/publish`, { changeNote: '首版' })).json();
    expect(v1).toMatchObject({ number: 1, status: 'published', changeNote: '首版' });
    const noDraft = await api('POST', `/api/plans/${planId}/publish`, {});
    expect(noDraft.statusCode).toBe(409);
    expect(noDraft.json().error.code).toBe('plan_no_draft');

    const draft = (
      await api('PUT', `/api/plans/${planId}/draft`, {
        content: { guidingPrinciple: '预防为主，积极处置，快速响应', escalationRules: [{ ...rule, withinMinutes: 15 }] },
        revisionCauses: [{ kind: 'lesson', text: '演练发现上报时限过紧' }],
      })
    ).json();
    expect(draft).toMatchObject({ number: 2, status: 'draft', basedOnId: v1.id });
    await api('POST', `/api/plans/${planId}/publish`, {});

    const diff = (await api('GET', `/api/plans/${planId}/diff?from=1&to=2`)).json().changes;
    expect(diff).toEqual([
      { path: 'escalationRules[report-gm].withinMinutes', kind: 'changed', before: 10, after: 15 },
      { path: 'guidingPrinciple', kind: 'changed', before: '预防为主，积极处置', after: '预防为主，积极处置，快速响应' },
    ]);
    const first = (await api('GET', `/api/plans/${planId}/versions/1`)).json();
    expect(first.content.escalationRules[0].withinMinutes).toBe(10);
    const plan = (await api('GET', `/api/plans/${planId}`)).json();
    expect(plan.versions.map((v: { number: number; status: string }) => [v.number, v.status])).toEqual([
      [1, 'published'],
      [2, 'published'],
    ]);
  });

  it('an emptied list shows as its items removed, without a bare "[]" row', async () => {
    const planId = (await api('POST', '/api/plans', { title: 'P', content: { escalationRules: [rule] } })).json().id;
    await api('POST', `/api/plans/${planId}/publish`, {});
    await api('PUT', `/api/plans/${planId}/draft`, { content: { escalationRules: [] } });
    await api('POST', `/api/plans/${planId}/publish`, {});
    const diff = (await api('GET', `/api/plans/${planId}/diff?from=1&to=2`)).json().changes;
    expect(diff.every((c: { kind: string }) => c.kind === 'removed')).toBe(true);
    expect(diff.map((c: { path: string }) => c.path)).toContain('escalationRules[report-gm].withinMinutes');
  });

  it('a revision is a draft of the published content linked to what caused it (the seed step 9)', async () => {
    const planId = (await api('POST', '/api/plans', { title: 'P', content: { escalationRules: [rule] } })).json().id;
    const unpublished = await api('POST', `/api/plans/${planId}/revise`, { causes: [{ kind: 'lesson', text: 'x' }] });
    expect(unpublished.json().error.code).toBe('plan_not_published');
    await api('POST', `/api/plans/${planId}/publish`, {});
    const causes = [
      { kind: 'finding', refId: 'entry-19', text: '事件根源为服务端口令泄露' },
      { kind: 'corrective_action', refId: 'action-c', text: 'c) 统一服务器口令管理制度' },
    ];
    const revision = await api('POST', `/api/plans/${planId}/revise`, { causes, changeNote: '依据演练修订' });
    expect(revision.statusCode).toBe(201);
    expect(revision.json()).toMatchObject({ number: 2, status: 'draft', revisionCauses: causes, changeNote: '依据演练修订' });
    expect(revision.json().content.escalationRules[0].withinMinutes).toBe(10);
    expect((await api('POST', `/api/plans/${planId}/revise`, { causes })).json().error.code).toBe('plan_draft_open');
    const published = (await api('POST', `/api/plans/${planId}/publish`, {})).json();
    expect(published).toMatchObject({ number: 2, status: 'published', revisionCauses: causes });
  });

  it('the database itself refuses to change a published version', async () => {
    const planId = (await api('POST', '/api/plans', { title: 'P' })).json().id;
    await api('POST', `/api/plans/${planId}/publish`, {});
    await expect(t.database.db.execute(sql`update plan_versions set change_note = 'x' where plan_id = ${planId}`)).rejects.toThrow();
  });

  it('refuses bad rules with the field named, and responders cannot edit', async () => {
    const bad = await api('POST', '/api/plans', { title: 'P', content: { escalationRules: [{ ...rule, withinMinutes: 0 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe('body.content.escalationRules.0.withinMinutes');
    expect((await api('POST', '/api/plans', { title: 'P' }, responder)).statusCode).toBe(403);
    expect((await api('GET', '/api/plans', undefined, responder)).statusCode).toBe(200);
  });
});
