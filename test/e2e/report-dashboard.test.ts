/**
 * Evaluating, reporting and improving across drills, in a real browser against the real server. The database is
 * prepared first through the services with a manual clock: the seed company and its drill of 2020-04-18, and a
 * second drill of 2020-10-20 whose four escalation rules end met, late, missed and not applicable. Then:
 * the evaluation page draws the response timeline; the drill record is previewed in a sandboxed frame and
 * downloaded as DOCX; corrective actions are dragged across the kanban board and edited; the dashboard shows
 * the year's figures and charts (and its empty state for a year without drills).
 *
 * FIREDRILL_DOCS_SCREENSHOTS=1 also writes docs/screenshots/evaluation-chart.zh.png and dashboard.zh.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import { systemActor, type ServiceContext } from '../../src/context.js';
import type { Database } from '../../src/db/index.js';
import { loadSeedCompany } from '../../src/demo/seed-company.js';
import { rateObjective } from '../../src/modules/drills/evaluation.js';
import { CreateDrillBody } from '../../src/modules/drills/schema.js';
import { addDrillEntry, createDrill, fireInject, listDrills, transitionDrill } from '../../src/modules/drills/service.js';
import { CreateProgrammeItemBody } from '../../src/modules/programme/schema.js';
import { createProgrammeItem } from '../../src/modules/programme/service.js';
import { setupAdmin, type Account, type ApiSession } from './api-client.js';
import { closeAll, launchChromium, signInPage, startFiredrill, type RunningFiredrill } from './support.js';

const ADMIN: Account = { login: 'admin', name: '系统管理员', password: 'correct horse battery staple' };
const SECOND_DRILL = '勒索病毒处置专项演练';
const ACTION = '更换服务器远程登录端口并修改口令';
const ACTION_EDITED = '更换远程登录端口、修改全部服务器口令';
const LATE_ACTION = '付款模块增加二次验证';

const shotsDir = new URL('../../.test-results/screenshots/', import.meta.url).pathname;
const docsDir = new URL('../../docs/screenshots/', import.meta.url).pathname;
const docsShots = process.env.FIREDRILL_DOCS_SCREENSHOTS === '1';

let server: RunningFiredrill;
let browser: Browser;
let admin: ApiSession;
let seedDrillId = '';
let secondDrillId = '';
const contexts: BrowserContext[] = [];
const problems: string[] = [];

const MIN = 60_000;
/** 14:00 on 2020-10-20 in China. */
const SECOND_START = Date.parse('2020-10-20T06:00:00Z');

/** The seed company, and a second drill replayed minute by minute with rules that end in every state. */
async function prepare(database: Database): Promise<void> {
  await loadSeedCompany(database.db);
  const clock = new ManualClock('2020-10-01T02:00:00Z');
  const ctx: ServiceContext = { db: database.db, clock, actor: systemActor('e2e') };
  const fields = { occurred_at: '14:10', scope: '财务部 3 台终端', trend: '已隔离，未扩散', measures: '断网隔离；备份恢复' };
  const drill = await createDrill(
    ctx,
    CreateDrillBody.parse({
      title: SECOND_DRILL,
      mode: 'tabletop',
      scope: 'single_topic',
      place: '会议室',
      scheduledStart: new Date(SECOND_START).toISOString(),
      incidentLevel: 'IV',
      objectives: [
        { key: 'detect', text: '15 分钟内发现并上报' },
        { key: 'isolate', text: '30 分钟内隔离受感染终端' },
        { key: 'restore', text: '从备份恢复业务' },
      ],
      escalationRules: [
        { key: 'ops', trigger: 'incident_detected', recipient: '运维负责人', withinMinutes: 5, channel: 'phone', requiredFields: [] },
        { key: 'gm', trigger: 'incident_detected', recipient: '总经理', withinMinutes: 10, channel: 'verbal', requiredFields: ['occurred_at', 'scope', 'trend', 'measures'] },
        { key: 'regulator', trigger: 'plan_activated', recipient: '网信部门', withinMinutes: 30, channel: 'phone', requiredFields: [] },
        { key: 'board', trigger: 'level_at_least', minLevel: 'II', recipient: '董事会', withinMinutes: 60, channel: 'email', requiredFields: [] },
      ],
      injects: [
        { key: 'alert', offsetMinutes: null, channel: 'system_alert', sender: '终端安全系统', recipients: ['all'], content: '财务部终端出现大量 .locked 文件', marksDetection: true },
        { key: 'ransom-note', offsetMinutes: null, channel: 'email', sender: '攻击者', recipients: ['all'], content: '勒索信：72 小时内支付比特币' },
      ],
    }),
  );
  await createProgrammeItem(ctx, CreateProgrammeItemBody.parse({ year: 2020, project: SECOND_DRILL, plannedDate: '2020-10-20', drillId: drill.id }));
  await createProgrammeItem(ctx, CreateProgrammeItemBody.parse({ year: 2020, project: '年度综合演练', plannedDate: '2020-12-15' }));
  const at = (minute: number) => clock.set(new Date(SECOND_START + minute * MIN));
  await transitionDrill(ctx, drill.id, 'approve');
  at(0);
  await transitionDrill(ctx, drill.id, 'start');
  at(10);
  await fireInject(ctx, drill.id, drill.injects[0].id); // detected at 10
  at(13);
  await addDrillEntry(ctx, drill.id, { kind: 'report', text: '电话告知运维负责人', data: { report: { recipient: '运维负责人', channel: 'phone', fields: {} } } }); // met (due 15)
  at(16);
  await addDrillEntry(ctx, drill.id, { kind: 'action', text: '断开财务部终端网络' });
  at(18);
  await fireInject(ctx, drill.id, drill.injects[1].id);
  at(20);
  await addDrillEntry(ctx, drill.id, { kind: 'decision', text: '启动应急预案', data: { milestone: 'plan_activated' } });
  at(22);
  await addDrillEntry(ctx, drill.id, { kind: 'report', text: '向总经理报告', data: { report: { recipient: '总经理', channel: 'verbal', fields } } }); // late by 2
  at(35);
  await addDrillEntry(ctx, drill.id, { kind: 'action', text: '受感染终端全部隔离', data: { milestone: 'contained' } });
  at(70);
  await addDrillEntry(ctx, drill.id, { kind: 'action', text: '从备份恢复财务系统', data: { milestone: 'recovered' } });
  at(90);
  await transitionDrill(ctx, drill.id, 'end'); // the regulator (due 50) was never told: overdue
  await rateObjective(ctx, drill.id, 'detect', { rating: 'met', evidence: '14:10 发现，14:13 上报运维' });
  await rateObjective(ctx, drill.id, 'isolate', { rating: 'partly_met', evidence: '35 分钟完成隔离' });
  await rateObjective(ctx, drill.id, 'restore', { rating: 'not_met', evidence: '恢复用了 1 小时' });
  const drills = await listDrills(ctx);
  secondDrillId = drill.id;
  seedDrillId = drills.find((d) => d.id !== drill.id)!.id;
}

const signIn = (account: Account) => signInPage({ browser, baseUrl: server.baseUrl, contexts, problems }, account);

const inputOf = (locator: Locator) => locator.locator('xpath=self::input | self::textarea | .//input | .//textarea').first();

/** The texts an SVG chart draws (legend, axes, labels). */
async function svgTexts(chart: Locator): Promise<string[]> {
  await chart.locator('svg text').first().waitFor();
  return chart.locator('svg text').allTextContents();
}

/** A full-page screenshot for the test run; for the docs, the page from its top down to `until`'s bottom. */
async function shot(page: Page, name: string, docs?: { name: string; until: Locator }) {
  await page.screenshot({ path: `${shotsDir}${name}`, fullPage: true });
  if (!docsShots || !docs) return;
  const box = await docs.until.boundingBox();
  const width = page.viewportSize()!.width;
  await page.screenshot({ path: `${docsDir}${docs.name}`, fullPage: true, clip: { x: 0, y: 0, width, height: Math.ceil((box?.y ?? 0) + (box?.height ?? 900) + 24) } });
}

describe('evaluation chart, reports, kanban and dashboard', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startFiredrill(90_000, prepare), launchChromium()]);
    admin = await setupAdmin(server.baseUrl, server.setupLink!, ADMIN);
    mkdirSync(shotsDir, { recursive: true });
  }, 180_000);

  afterAll(() => closeAll(server, browser, contexts), 30_000);

  it('the evaluation page draws the response timeline: phases, injects, reports, each rule in its state, with a legend', async () => {
    const page = await signIn(ADMIN);
    await page.goto(`${server.baseUrl}/drills/${secondDrillId}/evaluation`);
    await page.getByTestId('evaluation-page').waitFor();
    const chart = page.locator('[data-testid=timeline-chart][data-ready=true]');
    await chart.locator('svg').waitFor();
    const texts = await svgTexts(chart);
    await shot(page, 'report-dashboard-1-evaluation-chart.png', { name: 'evaluation-chart.zh.png', until: page.getByTestId('timeline-chart-card') });
    // Legend (zh-CN), phase bands, and one row per rule.
    for (const word of ['阶段', '注入', '上报', '按时', '超时', '未报/逾期', '不适用']) expect(texts, word).toContain(word);
    // The bands wide enough for their names (detection → first report is 3 minutes: named in its tooltip only).
    for (const band of ['发现前', '→ 控制', '→ 恢复', '→ 结束']) expect(texts, band).toContain(band);
    for (const row of ['运维负责人 · 5 分钟', '总经理 · 10 分钟', '网信部门 · 30 分钟', '董事会 · 60 分钟']) expect(texts, row).toContain(row);
    expect(texts).toContain('演练时间（分钟）');
    // Two injects (triangles) and two reports (diamonds) drawn as paths; the metric cards agree with the chart.
    expect(await page.getByTestId('evaluation-metrics').textContent()).toContain('90');

    // In English, then back (the language is saved on the account: put back through the API whatever happens).
    const chartTexts = () => chart.locator('svg text').allTextContents();
    try {
      await page.getByTestId('language-switch').click();
      await expect.poll(async () => (await chartTexts()).includes('Missed / overdue'), { timeout: 15_000 }).toBe(true);
      const en = await chartTexts();
      for (const word of ['Phases', 'Injects', 'Reports', 'Met', 'Late', 'Not applicable', '→ Containment', '→ Recovery', 'Drill time (minutes)', '运维负责人 · 5 min']) expect(en, word).toContain(word);
    } finally {
      await admin.call('PATCH', '/auth/me', { locale: 'zh-CN' });
    }
  }, 60_000);

  it('the drill record is previewed in a sandboxed frame and downloaded as DOCX', async () => {
    const page = await signIn(ADMIN);
    await page.goto(`${server.baseUrl}/drills/${seedDrillId}`);
    await page.getByTestId('drill-reports').click();
    await page.getByTestId('reports-page').waitFor();
    const frame = page.getByTestId('report-preview');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('src')).toBe(`/api/drills/${seedDrillId}/reports/record?format=html&lang=zh-CN`);
    const heading = page.frameLocator('[data-testid=report-preview]').locator('h1');
    await expect.poll(() => heading.textContent(), { timeout: 15_000 }).toBe('【演练】进出口企业信息安全应急演练记录');
    expect(await page.frameLocator('[data-testid=report-preview]').locator('h2').first().textContent()).toBe('一、指导思想');
    await shot(page, 'report-dashboard-2-record-preview.png');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download-docx').click()]);
    expect(download.suggestedFilename()).toBe('drill-record-2020-04-18.zh-CN.docx');
    const path = await download.path();
    expect(readFileSync(path).subarray(0, 2).toString('latin1')).toBe('PK');

    // English, then the other kinds: each is previewed, or said to be not available yet (the server may not offer it).
    await page.getByTestId('report-lang-en').click();
    await expect.poll(() => page.getByTestId('report-preview').getAttribute('src')).toContain('lang=en');
    await expect.poll(() => page.frameLocator('[data-testid=report-preview]').locator('h1').textContent(), { timeout: 15_000 }).toContain('EXERCISE');
    await page.getByTestId('report-kind-evaluation').click();
    await page.locator('[data-testid=report-unavailable], [data-testid=report-preview][src*="/reports/evaluation?"]').first().waitFor();
    expect(problems).toEqual([]);
  }, 60_000);

  it('corrective actions move across the kanban board (a note where one is needed) and are edited', async () => {
    const people = await admin.get<{ people: { id: string; name: string }[] }>('/people?limit=100');
    const li = people.people.find((p) => p.name === '李二')!;
    await admin.post('/corrective-actions', { title: ACTION, ownerPersonId: li.id, dueDate: '2099-12-31', priority: 'medium', drillId: seedDrillId });
    await admin.post('/corrective-actions', { title: LATE_ACTION, ownerPersonId: li.id, dueDate: '2024-01-15', priority: 'high', drillId: seedDrillId });

    const page = await signIn(ADMIN);
    await page.goto(`${server.baseUrl}/corrective-actions`);
    await page.getByTestId('actions-page').waitFor();
    await page.getByTestId('actions-view-board').click();
    await page.getByTestId('action-board').waitFor();
    const card = (title: string) => page.locator(`[data-testid=action-card][data-title="${title}"]`);
    const column = (status: string) => page.locator(`[data-testid=board-column][data-status=${status}]`);

    // The overdue card is highlighted in its column.
    await column('open').locator(`[data-testid=action-card][data-title="${LATE_ACTION}"][data-overdue=true]`).waitFor();
    expect(await card(LATE_ACTION).getAttribute('class')).toContain('fd-card-overdue');
    expect(await card(LATE_ACTION).getByTestId('action-overdue').textContent()).toBe('已逾期');

    // open → in progress: start, no note.
    await card(ACTION).dragTo(column('in_progress'));
    await column('in_progress').locator(`[data-testid=action-card][data-title="${ACTION}"]`).waitFor();
    // in progress → done: complete asks for what was done.
    await card(ACTION).dragTo(column('done'));
    const dialog = page.locator('.ant-modal-wrap:visible').filter({ has: page.getByTestId('action-note') });
    await dialog.waitFor();
    await inputOf(dialog.getByTestId('action-note')).fill('端口改为 22022，全部口令已更换');
    await dialog.getByTestId('action-note-ok').click();
    await dialog.waitFor({ state: 'hidden' });
    await column('done').locator(`[data-testid=action-card][data-title="${ACTION}"][data-status=done]`).waitFor();
    // done → open is no move of the workflow: refused, the card stays.
    await card(ACTION).dragTo(column('open'));
    await page.locator('.ant-message-notice').filter({ hasText: '不能从「已完成」直接移到「待处理」' }).waitFor();
    expect(await card(ACTION).getAttribute('data-status')).toBe('done');

    // Edit the late one: new title, high → low, due in the future (no longer overdue).
    await card(LATE_ACTION).getByTestId('action-edit').click();
    const form = page.getByTestId('action-edit-form');
    await form.waitFor();
    await inputOf(page.getByTestId('action-edit-title')).fill(ACTION_EDITED);
    await page.getByTestId('action-edit-priority').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: /^低$/ }).click();
    const due = inputOf(page.getByTestId('action-edit-due'));
    await due.click();
    await due.fill('2099-06-30');
    await due.press('Enter');
    await page.getByTestId('action-edit-ok').click();
    await form.waitFor({ state: 'hidden' });
    const edited = card(ACTION_EDITED);
    await edited.waitFor();
    expect(await edited.getAttribute('data-overdue')).toBe('false');
    expect(await edited.getByTestId('action-card-priority').textContent()).toBe('低');
    expect(await edited.getByTestId('action-card-due').textContent()).toContain('2099-06-30');
    await shot(page, 'report-dashboard-3-kanban.png');

    // The server has them so.
    const { actions } = await admin.get<{ actions: { title: string; status: string; priority: string; dueDate: string; doneNote: string | null }[] }>('/corrective-actions');
    // (The seed drill's own measures a, b, c are on the board too.)
    const ours = actions.filter((a) => a.title === ACTION || a.title === ACTION_EDITED);
    expect(ours.map((a) => [a.title, a.status, a.priority, a.dueDate])).toEqual([
      [ACTION_EDITED, 'open', 'low', '2099-06-30'],
      [ACTION, 'done', 'medium', '2099-12-31'],
    ]);
    expect(problems).toEqual([]);
  }, 90_000);

  it('the dashboard: an empty year, then 2020 with its programme, trends, objectives and the corrective actions', async () => {
    // One overdue action for the overdue list.
    const people = await admin.get<{ people: { id: string; name: string }[] }>('/people?limit=100');
    const wang = people.people.find((p) => p.name === '王二麻子')!;
    await admin.post('/corrective-actions', { title: '统一服务器口令管理制度', ownerPersonId: wang.id, dueDate: '2024-03-01', priority: 'high' });

    const page = await signIn(ADMIN);
    await page.getByTestId('home-dashboard').waitFor();
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('dashboard-page').waitFor();
    // This year: no drills yet, no programme; the actions are not bound to a year.
    await page.getByTestId('dash-no-drills').waitFor();
    await page.getByTestId('dash-programme-empty').waitFor();
    await expect.poll(() => page.getByTestId('dash-actions-overdue').locator('.ant-statistic-content-value').textContent()).toBe('1');

    await page.goto(`${server.baseUrl}/dashboard?year=2020`);
    await page.locator('[data-testid=dashboard-content][data-year="2020"]').waitFor();
    const trend = page.locator('[data-testid=dash-trend-chart][data-ready=true]');
    const objectives = page.locator('[data-testid=dash-objectives-chart][data-ready=true]');
    const [trendTexts, objectiveTexts] = [await svgTexts(trend), await svgTexts(objectives)];
    await shot(page, 'report-dashboard-4-dashboard.png', { name: 'dashboard.zh.png', until: page.getByTestId('dash-actions-card') });
    // Programme 2020: both drills' rows done, the December one overdue.
    expect(await page.getByTestId('dash-programme-done').textContent()).toContain('2/ 3');
    expect(await page.getByTestId('dash-programme-overdue').textContent()).toBe('逾期 1');
    expect(await page.getByTestId('dash-drills-count').locator('.ant-statistic-content-value').textContent()).toBe('2');
    // Rules met over the year: the seed drill's 2 of 3 (the police were never told), the second drill's 1 of 3.
    expect(await page.getByTestId('dash-escalations-met').textContent()).toContain('3/ 6');
    expect(await page.getByTestId('dash-actions-open').locator('.ant-statistic-content-value').textContent()).toBe('2');
    // Done, awaiting verification: the seed's measure c and the action completed on the board.
    expect(await page.getByTestId('dash-actions-status-done').locator('.ant-statistic-content-value').textContent()).toBe('2');
    const overdueRows = page.getByTestId('dash-overdue-row');
    await expect.poll(() => overdueRows.count()).toBe(1);
    expect(await overdueRows.first().getAttribute('data-title')).toBe('统一服务器口令管理制度');

    for (const word of ['发现用时', '首次上报用时', '控制用时', '恢复用时', '演练总时长']) expect(trendTexts, word).toContain(word);
    for (const word of ['达成', '部分达成', '未达成', '未评定']) expect(objectiveTexts, word).toContain(word);

    // The overdue list leads to the board, filtered to what is overdue.
    await overdueRows.first().locator('a').click();
    await page.getByTestId('actions-page').waitFor();
    await expect.poll(() => page.getByTestId('action-row').count()).toBe(1);
    expect(problems).toEqual([]);
  }, 90_000);
});
