import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signIn, type TestApp } from '../../../test/helpers/app.js';
import { weightedScore } from './evaluation.js';

let t: TestApp;
let coordinator: string;
let observer: string;
let responder: string;

beforeAll(async () => {
  t = await buildTestApp();
  coordinator = (await signIn(t, 'coordinator', { displayName: '张三' })).cookie;
  observer = (await signIn(t, 'observer', { displayName: '赵总' })).cookie;
  responder = (await signIn(t, 'responder')).cookie;
});
afterAll(async () => {
  await t?.close();
});

const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, cookie = coordinator) => t.app.inject({ method, url, payload, headers: { cookie } });

const objectives = [
  { key: 'report-gm-10min', text: '10 分钟内向总经理报告', criterion: '9:25 前报告，四项齐全' },
  { key: 'contain-loss', text: '迅速止损', criterion: '10 分钟内清空商户余额' },
];

describe('drill evaluation', () => {
  it('weights indicators into a 0–100 score', () => {
    expect(weightedScore([{ text: 'a', weight: 3, score: 100 }, { text: 'b', weight: 1, score: 60 }])).toBe(90);
    expect(weightedScore([])).toBeNull();
  });

  it('observers rate objectives with evidence and weighted indicators; the most cautious rating stands; lessons are kept', async () => {
    const drill = (await api('POST', '/api/drills', { title: '评估', mode: 'tabletop', scope: 'single_topic', objectives })).json();
    const rate = (cookie: string, body: object, key = 'report-gm-10min') => api('PUT', `/api/drills/${drill.id}/evaluation/objectives/${key}`, body, cookie);

    const early = await rate(observer, { rating: 'met', evidence: 'x' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('drill_not_evaluable');
    for (const transition of ['approve', 'start', 'end']) await api('POST', `/api/drills/${drill.id}/transitions/${transition}`);

    const first = await rate(observer, {
      rating: 'met',
      evidence: '9:25 口头报告，时间线第 10 条，四项齐全',
      indicators: [
        { text: '时限', weight: 3, score: 100 },
        { text: '内容完整', weight: 1, score: 60 },
      ],
    });
    expect(first.statusCode).toBe(200);
    let objective = first.json().objectives.find((o: { key: string }) => o.key === 'report-gm-10min');
    expect(objective).toMatchObject({ rating: 'met', score: 90, ratings: [{ raterName: '赵总', score: 90 }] });

    // A second evaluator is more cautious: the objective stands at partly met.
    objective = (await rate(coordinator, { rating: 'partly_met', evidence: '报告未提及已采取的措施' })).json().objectives.find((o: { key: string }) => o.key === 'report-gm-10min');
    expect(objective.rating).toBe('partly_met');
    expect(objective.ratings).toHaveLength(2);
    // Revising one's own rating replaces it.
    objective = (await rate(coordinator, { rating: 'met', evidence: '复核录音，措施已提及' })).json().objectives.find((o: { key: string }) => o.key === 'report-gm-10min');
    expect(objective).toMatchObject({ rating: 'met' });
    expect(objective.ratings).toHaveLength(2);

    expect((await rate(observer, { rating: 'met', evidence: 'x' }, 'no-such-objective')).statusCode).toBe(404);
    expect((await rate(responder, { rating: 'met', evidence: 'x' })).statusCode).toBe(403);

    await api('POST', `/api/drills/${drill.id}/evaluation/lessons`, { kind: 'went_well', text: '财务发现异常后立即电话报告' }, observer);
    const view = (await api('POST', `/api/drills/${drill.id}/evaluation/lessons`, { kind: 'accountability', text: '服务器口令长期未更换，由研发主管负责整改' })).json();
    expect(view.lessons.map((l: { kind: string; authorName: string }) => [l.kind, l.authorName])).toEqual([
      ['went_well', '赵总'],
      ['accountability', '张三'],
    ]);
    expect(view.objectives.find((o: { key: string }) => o.key === 'contain-loss').rating).toBeNull();
    expect(view.metrics.totalDurationMs).toBeGreaterThanOrEqual(0);
    expect(view.metrics.timeToDetectMs).toBeNull();
  });
});
