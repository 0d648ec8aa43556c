/**
 * A live drill, end to end, in two real browsers against the real server: the coordinator runs the console,
 * a responder follows on a phone-sized screen. An inject fired on the console reaches the responder within
 * 2 s without a reload; the responder's action and report reach the console within 2 s; both pages carry
 * the 【演练】 marking. The drill is prepared through the API (the wizard has its own checks).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithPerson, setupAdmin, type Account, type ApiSession } from './api-client.js';
import { CONTEXT_DEFAULTS, closeAll, launchChromium, startFiredrill, type RunningFiredrill } from './support.js';

const ADMIN: Account = { login: 'admin', name: '系统管理员', password: 'correct horse battery staple' };
const COORDINATOR: Account = { login: 'zhangsan', name: '张三', password: 'coordinator-password-1' };
const RESPONDER: Account = { login: 'lier', name: '李二', password: 'responder-password-1' };
/** Live updates must reach the other screen within this long. */
const LIVE_MS = 2000;

const shots = process.env.FIREDRILL_UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../../.test-results/screenshots/';
const screenshot = (name: string, committed = false) =>
  new URL(committed ? `${shots}${name}` : `../../.test-results/screenshots/${name}`, import.meta.url).pathname;

let server: RunningFiredrill;
let browser: Browser;
let admin: ApiSession;
let drillId: string;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ ...CONTEXT_DEFAULTS, viewport });
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return page;
}

async function signIn(page: Page, account: Account) {
  await page.goto(`${server.baseUrl}/login`);
  await page.locator('#login_login').fill(account.login);
  await page.locator('#login_password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-page').waitFor();
}

describe('a live drill in two browsers', () => {
  let coordinator: Page;
  let responder: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startFiredrill(), launchChromium()]);
    admin = await setupAdmin(server.baseUrl, server.setupLink!, ADMIN);
    const coord = await createAccountWithPerson(admin, COORDINATOR, 'coordinator');
    const resp = await createAccountWithPerson(admin, RESPONDER, 'responder');
    const { scenarios } = await admin.get<{ scenarios: { id: string; key: string }[] }>('/scenarios');
    const seed = scenarios.find((s) => s.key === 'seed-password-leak');
    expect(seed).toBeDefined();
    const drill = await admin.post<{ id: string; exercise: boolean }>('/drills', {
      title: '服务器口令泄露专项演练',
      mode: 'simulated',
      scope: 'single_topic',
      language: 'zh-CN',
      scenarioId: seed!.id,
      place: '研发办公室',
      participants: [
        { personId: coord.personId, role: 'coordinator', duty: '导调' },
        { personId: resp.personId, role: 'responder', duty: '核实异常交易并止损' },
      ],
    });
    expect(drill.exercise).toBe(true);
    drillId = drill.id;
    await admin.post(`/drills/${drillId}/transitions/approve`);
    await admin.post(`/drills/${drillId}/transitions/start`);
  }, 120_000);

  afterAll(() => closeAll(server, browser, contexts), 30_000);

  it('signs both in through the login page and opens the console and the responder view', async () => {
    coordinator = await newPage({ width: 1440, height: 900 });
    responder = await newPage({ width: 375, height: 812 });
    await Promise.all([signIn(coordinator, COORDINATOR), signIn(responder, RESPONDER)]);

    await coordinator.goto(`${server.baseUrl}/drills/${drillId}`);
    await coordinator.getByTestId('live-console').waitFor();
    await responder.goto(`${server.baseUrl}/drills/${drillId}/respond`);
    await responder.getByTestId('respond-page').waitFor();
    // Both follow the timeline live before anything happens.
    await coordinator.locator('[data-testid=live-state][data-state=open]').waitFor();
    await responder.locator('[data-testid=live-state][data-state=open]').waitFor();

    // 【演练】 on both pages.
    for (const page of [coordinator, responder]) {
      await page.getByTestId('exercise-banner').waitFor();
      expect(await page.getByTestId('exercise-mark').first().textContent()).toBe('【演练】');
    }
    // The drill clock runs on the console: HH:MM:SS.
    expect(await coordinator.getByTestId('drill-clock-time').textContent()).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    // The responder page fits a phone: nothing wider than the screen.
    expect(await responder.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  });

  it('delivers an inject fired on the console to the responder within 2 s, without a reload', async () => {
    const card = responder.locator('[data-testid=inject-card][data-key=finance-call]');
    expect(await card.count()).toBe(0);
    const row = coordinator.locator('[data-testid=upcoming-inject][data-key=finance-call]');
    await row.getByTestId('inject-fire').click();
    await card.waitFor({ timeout: LIVE_MS });
    expect(await card.getByTestId('exercise-mark').textContent()).toBe('【演练】');
    expect(await card.getByTestId('inject-content').textContent()).toContain('财务');
    // The console shows it on its timeline, and the detection started the 10-minute clock to 总经理.
    await coordinator.locator('[data-testid=timeline-entry][data-kind=inject]', { hasText: '财务' }).first().waitFor({ timeout: LIVE_MS });
    await coordinator.locator('[data-testid=escalation-clock][data-rule=report-gm][data-state=pending]').waitFor({ timeout: LIVE_MS });
    await expect.poll(() => row.count()).toBe(0);
  });

  it("shows the responder's action on the console within 2 s", async () => {
    const text = '已登录微信商户平台核实异常流水，商户余额已转出清空';
    const input = responder.getByTestId('entry-text-input');
    await input.fill(text);
    await input.press('Enter');
    await coordinator.locator('[data-testid=timeline-entry][data-kind=action]', { hasText: text }).waitFor({ timeout: LIVE_MS });
    expect(await coordinator.locator('[data-testid=timeline-entry][data-kind=action]', { hasText: text }).textContent()).toMatch(new RegExp(`${RESPONDER.login}|${RESPONDER.name}`));
    // The responder sees their own entry too, and the box is empty again for the next one.
    await responder.locator('[data-testid=timeline-entry]', { hasText: text }).waitFor({ timeout: LIVE_MS });
    expect(await input.inputValue()).toBe('');
  });

  it("turns the escalation clock green on the console when the responder's report arrives", async () => {
    await responder.getByTestId('entry-text-input').focus();
    await responder.keyboard.press('Alt+Digit3');
    await responder.getByTestId('report-form').waitFor();
    await responder.getByTestId('report-rule').click();
    await responder.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: '总经理' }).first().click();
    await responder.getByTestId('report-field-occurred_at').fill('9:15 财务部来电发现异常交易');
    await responder.getByTestId('report-field-scope').fill('微信商户平台，3 笔异常提现');
    await responder.getByTestId('report-field-trend').fill('已止损，未再发生');
    await responder.getByTestId('report-field-measures').fill('清空商户余额，暂停微信支付和移动端提现');
    await responder.getByTestId('entry-text-input').fill('研发主管口头向总经理报告');
    await responder.getByTestId('entry-text-input').press('Enter');

    const clock = coordinator.locator('[data-testid=escalation-clock][data-rule=report-gm]');
    await coordinator.locator('[data-testid=escalation-clock][data-rule=report-gm][data-state=met]').waitFor({ timeout: LIVE_MS });
    expect(await clock.textContent()).toContain('总经理');
    const report = coordinator.locator('[data-testid=timeline-entry][data-kind=report]').first();
    expect(await report.getByTestId('entry-report').textContent()).toContain('事发时间');
  });

  it('takes screenshots of the console, the responder view and the wall', async () => {
    mkdirSync(dirname(screenshot('x.png', true)), { recursive: true });
    mkdirSync(dirname(screenshot('x.png')), { recursive: true });
    await coordinator.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
    await coordinator.screenshot({ path: screenshot('live-console.zh.png', true), fullPage: false });
    await responder.screenshot({ path: screenshot('respond.zh.png'), fullPage: true });
    const wall = await newPage({ width: 1600, height: 900 });
    await signIn(wall, COORDINATOR);
    await wall.goto(`${server.baseUrl}/drills/${drillId}/wall`);
    await wall.getByTestId('wall-page').waitFor();
    await wall.getByTestId('timeline-entry').first().waitFor();
    expect(await wall.getByTestId('side-menu').count()).toBe(0);
    await wall.screenshot({ path: screenshot('wall.zh.png') });
    expect(problems).toEqual([]);
  });
});
