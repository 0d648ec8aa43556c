/**
 * Preparing the seed's drill through the web UI, as a coordinator (张三) would, in one real browser against the
 * real server: write and publish the plan 信息系统突发事件应急预案 (总经理, 10 minutes), revise it to 15 minutes
 * and compare the versions; prepare the drill in the wizard from the plan and the seed scenario, approve and
 * start it, tick a checklist item on the console; put it in the year's programme; record a real incident and
 * watch the regulator's clock. People are created through the API; everything else goes through the pages.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithPerson, setupAdmin, type Account, type ApiSession } from './api-client.js';
import { CONTEXT_DEFAULTS, launchChromium, startFiredrill, type RunningFiredrill } from './support.js';

const ADMIN: Account = { login: 'admin', name: '系统管理员', password: 'correct horse battery staple' };
const COORDINATOR: Account = { login: 'zhangsan', name: '张三', password: 'coordinator-password-1' };
const PLAN = '信息系统突发事件应急预案';
const GUIDING = '统一领导、分级负责；快速反应、协同应对；预防为主、常备不懈。';
const PROCEDURE = '服务器口令泄露处置';
/** The step as v1 words it, and as v2 rewords it (the drill's checklist must show v2's). */
const STEP_V1 = '核实异常流水';
const STEP = '登录微信商户平台核实异常流水并止损';
const DRILL = '服务器口令泄露专项演练（UI 准备）';
const PROGRAMME = '服务器口令泄露专项演练';
const INCIDENT = '官网后台遭暴力破解';

const shotsDir = new URL('../../.test-results/screenshots/', import.meta.url).pathname;
const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: `${shotsDir}prepare-${name}.png`, fullPage });

let server: RunningFiredrill;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let admin: ApiSession;
let drillUrl = '';
const problems: string[] = [];

/** The input of an antd field whose data-testid may sit on the input itself or on its wrapper. */
const inputOf = (locator: Locator) => locator.locator('xpath=self::input | self::textarea | .//input | .//textarea').first();
const openDropdown = () => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');

/** Opens an antd Select (clicked, then typed into when searchable) and picks the option showing `text`. */
async function pick(select: Locator, text: string, type = false) {
  await select.click();
  if (type) await page.keyboard.type(text);
  await openDropdown().locator('.ant-select-item-option', { hasText: text }).first().click();
}

/** Waits for the pop-up messages to go, so screenshots and clicks are not covered. */
async function noMessages() {
  await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => {});
}

describe('preparing a drill through the web UI', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startFiredrill(), launchChromium()]);
    admin = await setupAdmin(server.baseUrl, server.setupLink!, ADMIN);
    await createAccountWithPerson(admin, COORDINATOR, 'coordinator');
    for (const name of ['李二', '王二麻子']) await admin.post('/people', { name, department: '研发部' });
    await admin.post('/people', { name: '郑玉茹', title: '研发主管', department: '研发部' });
    mkdirSync(shotsDir, { recursive: true });
    context = await browser.newContext({ ...CONTEXT_DEFAULTS, viewport: { width: 1440, height: 900 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${server.baseUrl}/login`);
    await page.locator('#login_login').fill(COORDINATOR.login);
    await page.locator('#login_password').fill(COORDINATOR.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-page').waitFor();
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await server?.stop();
  }, 30_000);

  it('writes the plan, publishes v1, revises the rule to 15 minutes and shows the change readably', async () => {
    await page.getByTestId('nav-plans').click();
    await page.getByTestId('plans-page').waitFor();
    await page.getByTestId('plan-new').click();
    await page.locator('#plan_title').fill(PLAN);
    await page.getByTestId('plan-create-ok').click();
    await page.getByTestId('plan-page').waitFor();

    await page.getByTestId('plan-edit').click();
    await page.getByTestId('plan-guiding').fill(GUIDING);
    await page.getByTestId('plan-add-procedure').click();
    const procedure = page.getByTestId('procedure-card').first();
    await procedure.getByTestId('procedure-title').fill(PROCEDURE);
    await procedure.getByTestId('procedure-add-step').click();
    await inputOf(procedure.getByTestId('step-text').first()).fill(STEP_V1);
    expect(await procedure.getByTestId('procedure-step').first().textContent()).toContain('处置人员');
    await page.getByTestId('plan-add-rule').click();
    const rule = page.getByTestId('rule-row').first();
    await inputOf(rule.getByTestId('rule-recipient')).fill('总经理');
    expect(await inputOf(rule.getByTestId('rule-minutes')).inputValue()).toBe('10');
    const ruleText = await rule.textContent();
    expect(ruleText).toContain('口头');
    for (const field of ['事发时间', '影响范围', '发展趋势', '已采取的措施']) expect(ruleText).toContain(field);
    await shot(page, '1-plan-editor');
    await page.getByTestId('plan-save-draft').click();
    await page.getByTestId('plan-view').waitFor();

    await page.getByTestId('plan-publish').click();
    await page.getByTestId('plan-publish-ok').click();
    await page.locator('[data-testid=plan-version][data-number="1"][data-status=published]').waitFor();
    const view = page.getByTestId('plan-view-rule').first();
    await expect.poll(() => view.textContent()).toContain('10 分钟');

    // Revise: the published v1 stays; editing opens draft v2.
    await page.getByTestId('plan-edit').click();
    await inputOf(page.getByTestId('rule-row').first().getByTestId('rule-minutes')).fill('15');
    await inputOf(page.getByTestId('step-text').first()).fill(STEP);
    await page.getByTestId('plan-save-draft').click();
    await page.locator('[data-testid=plan-version][data-number="2"][data-status=draft]').waitFor();
    await page.getByTestId('plan-publish').click();
    await page.getByTestId('plan-publish-ok').click();
    await page.locator('[data-testid=plan-version][data-number="2"][data-status=published]').waitFor();
    await expect.poll(() => page.getByTestId('plan-view-rule').first().textContent()).toContain('15 分钟');

    await page.getByTestId('plan-compare-tab').click();
    const row = page.locator('[data-testid=diff-row][data-path$=".withinMinutes"]');
    await row.waitFor();
    expect(await page.getByTestId('diff-row').count()).toBe(2);
    // Procedures and steps by their title and number, not their storage keys.
    const stepRow = page.locator('[data-testid=diff-row][data-path$=".text"]');
    expect(await stepRow.getByTestId('diff-path').textContent()).toBe(`处置流程 · ${PROCEDURE} · 第 1 步 · 内容`);
    expect(await stepRow.getByTestId('diff-before').textContent()).toBe(STEP_V1);
    expect(await stepRow.getByTestId('diff-after').textContent()).toBe(STEP);
    expect(await row.getByTestId('diff-path').textContent()).toBe('上报规则 · 总经理 · 时限（分钟）');
    expect(await row.getByTestId('diff-before').textContent()).toBe('10 分钟');
    expect(await row.getByTestId('diff-after').textContent()).toBe('15 分钟');
    await noMessages();
    await shot(page, '2-plan-diff');

    // Once in English: the same change, readable in English.
    await page.getByTestId('language-switch').click();
    await page.getByTestId('plan-compare-tab').getByText('Compare versions').waitFor();
    await expect.poll(() => row.getByTestId('diff-path').textContent()).toBe('Escalation rule · 总经理 · Within (min)');
    expect(await row.getByTestId('diff-after').textContent()).toBe('15 min');
    expect(await stepRow.getByTestId('diff-path').textContent()).toBe(`Procedure · ${PROCEDURE} · step 1 · Text`);
    await shot(page, '3-plan-diff-en');
    await page.getByTestId('language-switch').click();
    await page.getByTestId('plan-compare-tab').getByText('版本对比').waitFor();
  });

  it('prepares the drill in the wizard from the plan and the seed scenario', async () => {
    await page.getByTestId('nav-drills').click();
    await page.getByTestId('drill-new').click();
    await page.getByTestId('drill-wizard').waitFor();
    await page.locator('#drill_title').fill(DRILL);
    await page.locator('#drill_place').fill('研发办公室');
    await page.getByTestId('wizard-next').click();

    await pick(page.getByTestId('wizard-plan'), `${PLAN}（v2）`);
    await page.getByTestId('wizard-scenario').filter({ hasText: '服务器口令泄露' }).click();
    await page.getByText('已载入场景').waitFor();

    // The drill's language changed after the scenario was picked: the script follows.
    await page.getByTestId('wizard-back').click();
    await pick(page.getByTestId('wizard-language'), 'English');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-next').click();
    const financeCall = page.locator('[data-testid=wizard-inject][data-key=finance-call]');
    expect(await inputOf(financeCall.getByTestId('inject-content-input')).inputValue()).toContain('This is finance');
    for (let i = 0; i < 3; i++) await page.getByTestId('wizard-back').click();
    await pick(page.getByTestId('wizard-language'), '中文');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-next').click();

    // Participants: 郑玉茹 responds, 张三 coordinates.
    await page.getByTestId('wizard-add-participant').click();
    await page.getByTestId('wizard-add-participant').click();
    const rows = page.getByTestId('participant-row');
    await pick(rows.nth(0).getByTestId('participant-person'), '郑玉茹', true);
    await inputOf(rows.nth(0).getByTestId('participant-duty')).fill('核实异常交易并止损，向总经理报告');
    await pick(rows.nth(1).getByTestId('participant-person'), '张三', true);
    await pick(rows.nth(1).getByTestId('participant-role'), '导调');
    await page.getByTestId('wizard-next').click();

    // The scenario's injects, in Chinese again; the 09:15 call is due at +15 min.
    await financeCall.waitFor();
    expect(await inputOf(financeCall.getByTestId('inject-offset')).inputValue()).toBe('15');
    // Shown as "+ 15 分钟": prefix, the number, suffix.
    expect((await financeCall.locator('td').first().textContent())?.replace(/\s/g, '')).toBe('+分钟');
    expect(await inputOf(financeCall.getByTestId('inject-content-input')).inputValue()).toContain('财务部');
    await shot(page, '4-wizard-injects');
    await page.getByTestId('wizard-next').click();

    // Review: one clock to 总经理, the plan's 15 minutes (not also the scenario's 10).
    const rules = page.getByTestId('wizard-rule');
    await rules.first().waitFor();
    const gm = rules.filter({ hasText: '总经理' });
    expect(await gm.count()).toBe(1);
    expect(await gm.textContent()).toContain('15 分钟内');
    await shot(page, '5-wizard-review');
    await page.getByTestId('wizard-create').click();

    await page.getByTestId('drill-page').waitFor();
    drillUrl = page.url();
    expect(await page.getByTestId('drill-title').textContent()).toBe(DRILL);
    expect(await page.getByTestId('drill-status').textContent()).toBe('草稿');
    expect(await page.getByTestId('drill-plan').textContent()).toContain(`${PLAN} v2`);
  });

  it('approves and starts it, ticks a checklist item and shows the 15-minute clock to 总经理', async () => {
    await page.getByTestId('drill-approve').click();
    await page.locator('[data-testid=drill-page][data-status=approved]').waitFor();
    await page.getByTestId('drill-start').click();
    await page.getByTestId('live-console').waitFor();
    await page.locator('[data-testid=drill-page][data-status=running]').waitFor();

    // The checklist is v2's: the reworded step.
    expect(await page.getByTestId('checklist-item').count()).toBe(1);
    const item = page.getByTestId('checklist-item').filter({ hasText: STEP });
    await item.getByTestId('checklist-tick').click();
    await page.locator('[data-testid=checklist-item][data-done=true]', { hasText: STEP }).waitFor();
    expect(await item.textContent()).toContain(COORDINATOR.name);
    await page.locator('[data-testid=timeline-entry]', { hasText: STEP }).first().waitFor();

    const clocks = page.getByTestId('escalation-clock').filter({ hasText: '总经理' });
    await clocks.first().waitFor();
    expect(await clocks.count()).toBe(1);
    expect(await clocks.textContent()).toContain('15 分钟内');
    expect(await clocks.textContent()).not.toContain('10 分钟内');
    await noMessages();
    await item.scrollIntoViewIfNeeded();
    await shot(page, '6-live-console', false);
  });

  it('adds the drill to this year’s programme, highlighted as due', async () => {
    const today = new Date();
    const soon = new Date(today.getTime() + 10 * 86_400_000);
    const date = soon.getFullYear() === today.getFullYear() ? soon : new Date(today.getFullYear(), 11, 31);
    const ymd = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

    await page.getByTestId('nav-programme').click();
    await page.getByTestId('programme-page').waitFor();
    await page.getByTestId('programme-new').click();
    await page.locator('#programme_project').fill(PROGRAMME);
    await page.locator('#programme_purpose').fill('检验口令泄露处置和 10 分钟内向总经理报告');
    await page.locator('#programme_plannedDate').click();
    await page.locator('#programme_plannedDate').fill(ymd);
    await page.keyboard.press('Enter');
    await pick(page.getByTestId('programme-drill'), DRILL);
    await page.getByTestId('programme-save').click();

    const row = page.getByTestId('programme-row').filter({ hasText: PROGRAMME });
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('due');
    expect(await row.getAttribute('class')).toContain('fd-row-due');
    expect(await row.getByTestId('programme-state').textContent()).toBe('即将到期');
    expect(await row.textContent()).toContain(ymd);
    expect(await row.getByTestId('programme-drill-link').getAttribute('href')).toBe(new URL(drillUrl).pathname);
    await noMessages();
    await shot(page, '7-programme');
  });

  it('records a real incident: the regulator clock runs, a status step records its time', async () => {
    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('incidents-page').waitFor();
    await page.getByTestId('incident-new').click();
    await page.locator('#incident_title').fill(INCIDENT);
    await page.locator('#incident_classification').click();
    await page.locator('.ant-cascader-menu-item', { hasText: '网络攻击事件' }).first().click();
    await page.keyboard.press('Escape');
    await pick(page.locator('.ant-drawer').getByRole('combobox').nth(1), '较大');
    await page.getByTestId('incident-save').click();
    await page.getByTestId('incident-page').waitFor();
    expect(await page.getByTestId('incident-status').textContent()).toBe('待处置');

    const regulator = page.locator('[data-testid=escalation-clock][data-rule^=regulator]');
    await regulator.waitFor();
    expect(await regulator.getAttribute('data-state')).toBe('pending');
    expect(await regulator.textContent()).toContain('属地省级网信部门');
    expect(await regulator.textContent()).toContain('240 分钟内');

    await page.getByTestId('incident-next-status').click();
    await expect.poll(() => page.getByTestId('incident-status').textContent()).toBe('处置中');
    const statusEntry = page.locator('[data-testid=timeline-entry][data-kind=status_change]').first();
    await statusEntry.waitFor();
    // A real incident's timeline speaks of the incident's status, not a drill's.
    expect(await statusEntry.getByTestId('entry-text').textContent()).toBe('事件状态：待处置 → 处置中');
    // 处置中 has no key time of its own; the next step, 已控制, records 控制时间.
    expect(await inputOf(page.getByTestId('key-time-containedAt')).inputValue()).toBe('');
    // The button stays busy until the page has reloaded what the first step changed; a click before is ignored.
    await expect.poll(() => page.getByTestId('incident-next-status').getAttribute('class')).not.toContain('ant-btn-loading');
    await page.getByTestId('incident-next-status').click();
    await expect.poll(() => page.getByTestId('incident-status').textContent()).toBe('已控制');
    await expect.poll(() => inputOf(page.getByTestId('key-time-containedAt')).inputValue()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(await inputOf(page.getByTestId('key-time-detectedAt')).inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}/);
    await noMessages();
    await shot(page, '8-incident');
    expect(problems).toEqual([]);
  });
});
