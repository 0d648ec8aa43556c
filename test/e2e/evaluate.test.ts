/**
 * Evaluating a drill and following up its corrective actions, in a real browser against the real server:
 * an observer rates an objective "met" with evidence and a weighted indicator and adds a lesson learned; the
 * administrator raises a corrective action from the evaluation (past due, so it shows overdue in red on the
 * board), completes it with a note and verifies it with evidence (the administrator is not its owner).
 * Accounts, people and the drill (started and ended) are prepared through the API.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithPerson, setupAdmin, type Account, type ApiSession } from './api-client.js';
import { closeAll, launchChromium, signInPage, startFiredrill, type RunningFiredrill } from './support.js';

const ADMIN: Account = { login: 'admin', name: '系统管理员', password: 'correct horse battery staple' };
const OBSERVER: Account = { login: 'wangwu', name: '王五', password: 'observer-password-1' };
const OWNER = '李二';
const EVIDENCE = '9:25 口头报告总经理，时间线第 10 条，四项齐全';
const INDICATOR = '报告要素齐全';
const LESSON = '值班人员发现异常后立即上报，响应迅速';
const ACTION = '修订口令管理制度并全员培训';

const shotsDir = new URL('../../.test-results/screenshots/', import.meta.url).pathname;

let server: RunningFiredrill;
let browser: Browser;
let admin: ApiSession;
let drillId = '';
const contexts: BrowserContext[] = [];
const problems: string[] = [];

const inputOf = (locator: Locator) => locator.locator('xpath=self::input | self::textarea | .//input | .//textarea').first();

const signIn = (account: Account) => signInPage({ browser, baseUrl: server.baseUrl, contexts, problems }, account);

/**
 * Fills and confirms the note dialog, then waits until it has closed: the next dialog must not catch the
 * previous one still fading out (slow machines).
 */
async function noteDialog(page: Page, note: string): Promise<void> {
  const dialog = page.locator('.ant-modal-wrap:visible').filter({ has: page.getByTestId('action-note') });
  await dialog.waitFor({ state: 'visible' });
  await inputOf(dialog.getByTestId('action-note')).fill(note);
  await dialog.getByTestId('action-note-ok').click();
  await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
}

describe('evaluating a drill and following up its corrective actions', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startFiredrill(), launchChromium()]);
    admin = await setupAdmin(server.baseUrl, server.setupLink!, ADMIN);
    await createAccountWithPerson(admin, OBSERVER, 'observer');
    await admin.post('/people', { name: OWNER, department: '研发部' });
    const drill = await admin.post<{ id: string }>('/drills', {
      title: '服务器口令泄露专项演练（评估）',
      mode: 'tabletop',
      scope: 'single_topic',
      objectives: [
        { key: 'report-gm-10min', text: '10 分钟内向总经理报告', criterion: '9:25 前报告，四项齐全' },
        { key: 'contain-loss', text: '迅速止损', criterion: '10 分钟内清空商户余额' },
      ],
    });
    drillId = drill.id;
    for (const transition of ['approve', 'start', 'end']) await admin.post(`/drills/${drillId}/transitions/${transition}`);
    mkdirSync(shotsDir, { recursive: true });
  }, 120_000);

  afterAll(() => closeAll(server, browser, contexts), 30_000);

  it('an observer rates an objective with evidence and an indicator, and adds a lesson learned', async () => {
    const page = await signIn(OBSERVER);
    await page.goto(`${server.baseUrl}/drills/${drillId}`);
    await page.getByTestId('drill-page').waitFor();
    await page.getByTestId('drill-evaluation').click();
    await page.getByTestId('evaluation-page').waitFor();
    await page.getByTestId('evaluation-metrics').waitFor();

    const card = page.locator('[data-testid=objective-card][data-key=report-gm-10min]');
    await card.locator('label.ant-radio-wrapper').filter({ hasText: /^达成$/ }).click();
    await inputOf(card.getByTestId('rate-evidence')).fill(EVIDENCE);
    await card.getByTestId('indicator-add').click();
    await inputOf(card.getByTestId('indicator-text')).fill(INDICATOR);
    await inputOf(card.getByTestId('indicator-weight')).fill('2');
    await inputOf(card.getByTestId('indicator-score')).fill('80');
    await card.getByTestId('rate-submit').click();

    await page.locator('[data-testid=objective-card][data-key=report-gm-10min][data-rating=met]').waitFor();
    await expect.poll(() => card.getByTestId('objective-rating').textContent()).toBe('达成');
    await expect.poll(() => card.getByTestId('objective-score').textContent()).toBe('80 分');
    const row = card.getByTestId('objective-rating-row').first();
    expect(await row.textContent()).toContain(OBSERVER.name);
    expect(await row.getByTestId('rating-evidence').textContent()).toBe(EVIDENCE);
    expect(await row.textContent()).toContain(INDICATOR);

    await inputOf(page.getByTestId('lesson-text')).fill(LESSON);
    await page.getByTestId('lesson-submit').click();
    await expect.poll(() => page.getByTestId('lessons-went_well').textContent()).toContain(LESSON);
    await page.screenshot({ path: `${shotsDir}evaluate-1-evaluation.png`, fullPage: true });

    // The other objective stays unrated.
    expect(await page.locator('[data-testid=objective-card][data-key=contain-loss]').getAttribute('data-rating')).toBe('');
  }, 60_000);

  it('the administrator raises a corrective action past due, completes it and verifies it', async () => {
    const page = await signIn(ADMIN);
    await page.goto(`${server.baseUrl}/drills/${drillId}/evaluation`);
    await page.getByTestId('evaluation-page').waitFor();
    await page.getByTestId('raise-action').click();
    await page.getByTestId('actions-page').waitFor();
    await page.getByTestId('action-form').waitFor();

    await inputOf(page.getByTestId('action-title')).fill(ACTION);
    await page.getByTestId('action-owner').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: OWNER }).first().click();
    const due = inputOf(page.getByTestId('action-due'));
    await due.click();
    await due.fill('2024-01-15');
    await due.press('Enter');
    await page.getByTestId('action-create-ok').click();

    const row = page.locator(`[data-testid=action-row][data-title="${ACTION}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-overdue')).toBe('true');
    expect(await row.getAttribute('class')).toContain('fd-row-overdue');
    expect(await row.getByTestId('action-overdue').textContent()).toBe('已逾期');
    expect(await row.getByTestId('action-status').textContent()).toBe('待处理');
    expect(await row.textContent()).toContain(OWNER);
    await page.screenshot({ path: `${shotsDir}evaluate-2-overdue.png`, fullPage: true });

    await row.getByTestId('action-complete').click();
    await noteDialog(page, '已修订《口令管理制度》并完成全员培训');
    await page.locator(`[data-testid=action-row][data-title="${ACTION}"][data-status=done]`).waitFor();
    expect(await row.getAttribute('data-overdue')).toBe('false');

    await row.getByTestId('action-verify').click();
    await noteDialog(page, '抽查 5 名员工，均能说明新口令要求');
    await page.locator(`[data-testid=action-row][data-title="${ACTION}"][data-status=verified]`).waitFor();
    await expect.poll(() => row.getByTestId('action-status').textContent()).toBe('已验证');
    expect(await row.textContent()).toContain('抽查 5 名员工');
    await page.screenshot({ path: `${shotsDir}evaluate-3-verified.png`, fullPage: true });
    expect(problems).toEqual([]);
  }, 60_000);
});
