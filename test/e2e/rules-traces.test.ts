/**
 * Detection rules, the company, the investigation and the technical inject, in a real browser against the real
 * server: the rules page lists the bundled rules with their Chinese titles, refuses an invalid upload showing the
 * server's error and where it is, lists a valid upload (its <script> title shown as text) and switches it off;
 * detection settings are saved; the company's name is saved and shown; an incident's investigation is saved and
 * read back after a reload; on a drill of the seed scenario the coordinator generates the traces from the drill
 * page, the responder sees the ground truth hidden while the drill runs and, once it has ended, the score.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithPerson, setupAdmin, type Account, type ApiSession } from './api-client.js';
import { closeAll, launchChromium, signInPage, startFiredrill, type RunningFiredrill } from './support.js';

const ADMIN: Account = { login: 'admin', name: '系统管理员', password: 'correct horse battery staple' };
const RESPONDER: Account = { login: 'zhangsan', name: '张三', password: 'responder-password-1' };
const OBSERVER: Account = { login: 'wangwu', name: '王五', password: 'observer-password-1' };
const SCRIPT = '<script>window.__pwned = 1</script>';
const RULE_TITLE = `${SCRIPT} 深夜 root 登录`;
const RULE_ID = '6f1d2c3e-4b5a-4c7d-9e8f-0a1b2c3d4e5f';
const VALID_RULE = `title: '${RULE_TITLE}'
id: ${RULE_ID}
status: experimental
description: e2e upload
logsource:
    product: linux
    service: auth
detection:
    selection:
        type: auth.success
        User: root
    condition: selection
level: high
tags:
    - attack.t1078
`;
const INVALID_RULE = `title: 级别写错的规则
id: 0b0b0b0b-1111-4222-8333-444455556666
logsource:
    product: linux
    service: auth
detection:
    selection:
        User: root
    condition: selection
level: urgent
`;

const shotsDir = new URL('../../.test-results/screenshots/', import.meta.url).pathname;

let server: RunningFiredrill;
let browser: Browser;
let admin: ApiSession;
let drillId = '';
const contexts: BrowserContext[] = [];
const problems: string[] = [];

const inputOf = (locator: Locator) => locator.locator('xpath=self::input | self::textarea | .//input | .//textarea').first();

const signIn = (account: Account) => signInPage({ browser, baseUrl: server.baseUrl, contexts, problems }, account);

/** No script from user text ran. */
async function noScriptRan(page: Page) {
  expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
}

describe('rules, company, investigation and technical inject pages', () => {
  let adminPage: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startFiredrill(), launchChromium()]);
    admin = await setupAdmin(server.baseUrl, server.setupLink!, ADMIN);
    const responder = await createAccountWithPerson(admin, RESPONDER, 'responder');
    await createAccountWithPerson(admin, OBSERVER, 'observer');
    const { scenarios } = await admin.get<{ scenarios: { id: string; key: string }[] }>('/scenarios');
    const seed = scenarios.find((s) => s.key === 'seed-password-leak');
    expect(seed).toBeDefined();
    const drill = await admin.post<{ id: string }>('/drills', {
      title: '服务器口令泄露技术演练',
      mode: 'hands_on',
      scope: 'single_topic',
      language: 'zh-CN',
      scenarioId: seed!.id,
      scheduledStart: new Date().toISOString(),
      participants: [{ personId: responder.personId, role: 'responder', duty: '日志分析' }],
    });
    drillId = drill.id;
    await admin.post(`/drills/${drillId}/transitions/approve`);
    mkdirSync(shotsDir, { recursive: true });
    adminPage = await signIn(ADMIN);
  }, 180_000);

  afterAll(() => closeAll(server, browser, contexts), 30_000);

  it('lists the bundled rules in Chinese, refuses an invalid upload with its place, lists a valid one, switches it off and deletes it', async () => {
    const page = adminPage;
    const { rules } = await admin.get<{ rules: { id: string; title: string; titleZh: string; origin: string }[] }>('/rules');
    const bundled = rules.filter((r) => r.origin === 'bundled');
    const translated = bundled.find((r) => r.titleZh !== r.title);
    expect(translated).toBeDefined();

    await page.getByTestId('nav-rules').click();
    await page.getByTestId('rules-page').waitFor();
    await expect.poll(() => page.locator('[data-testid=rule-row][data-origin=bundled]').count(), { timeout: 15_000 }).toBe(bundled.length);
    const row = page.locator(`[data-testid=rule-row][data-id="${translated!.id}"]`);
    expect(await row.getByTestId('rule-title').textContent()).toBe(translated!.titleZh);
    expect(await row.getByTestId('rule-origin').textContent()).toBe('内置');
    await row.getByTestId('rule-view').click();
    await expect.poll(() => page.getByTestId('rule-yaml').textContent()).toContain(`id: ${translated!.id}`);
    await page.keyboard.press('Escape');
    await page.getByTestId('rule-yaml').waitFor({ state: 'hidden' });

    // An invalid rule: the server's message, naming the field, and where it is.
    await page.getByTestId('rule-upload').click();
    await inputOf(page.getByTestId('rule-source')).fill(INVALID_RULE);
    await page.getByTestId('rule-upload-submit').click();
    await page.getByTestId('rule-upload-error').waitFor();
    // The server's message in Chinese names the rule, the field path and the line.
    expect(await page.getByTestId('rule-upload-error').textContent()).toMatch(/^规则“级别写错的规则”无效：level（第 \d+ 行）：/);
    await page.screenshot({ path: `${shotsDir}rules-1-invalid.png` });

    // A valid one, its title holding a script tag.
    await inputOf(page.getByTestId('rule-source')).fill(VALID_RULE);
    await page.getByTestId('rule-upload-submit').click();
    const custom = page.locator(`[data-testid=rule-row][data-id="${RULE_ID}"]`);
    await custom.waitFor();
    expect(await custom.getAttribute('data-origin')).toBe('custom');
    expect(await custom.getByTestId('rule-title').textContent()).toBe(RULE_TITLE);
    expect(await custom.getByTestId('rule-origin').textContent()).toBe('用户上传');
    expect(await custom.getByTestId('rule-level').textContent()).toBe('高');
    expect(await custom.textContent()).toContain('attack.t1078');
    await noScriptRan(page);

    // Switched off, in the page and on the server.
    expect(await custom.getAttribute('data-enabled')).toBe('true');
    await custom.getByTestId('rule-enabled').click();
    await page.locator(`[data-testid=rule-row][data-id="${RULE_ID}"][data-enabled=false]`).waitFor();
    expect(await custom.getByTestId('rule-status').textContent()).toBe('停用');
    const after = await admin.get<{ rules: { id: string; enabled: boolean }[] }>('/rules');
    expect(after.rules.find((r) => r.id === RULE_ID)?.enabled).toBe(false);
    await page.screenshot({ path: `${shotsDir}rules-2-list.png`, fullPage: true });

    // Bundled rules cannot be deleted; the uploaded one can.
    expect(await row.getByTestId('rule-delete').count()).toBe(0);
    await custom.getByTestId('rule-delete').click();
    await page.getByTestId('rule-delete-ok').click();
    await custom.waitFor({ state: 'detached' });
    expect((await admin.get<{ rules: { id: string }[] }>('/rules')).rules.some((r) => r.id === RULE_ID)).toBe(false);

    // In English, the rule's own title.
    await page.getByTestId('language-switch').click();
    await expect.poll(() => row.getByTestId('rule-title').textContent()).toBe(translated!.title);
    expect(await row.getByTestId('rule-origin').textContent()).toBe('Bundled');
    await page.getByTestId('language-switch').click();
    await expect.poll(() => row.getByTestId('rule-title').textContent()).toBe(translated!.titleZh);
  }, 120_000);

  it('saves the detection settings: a new placeholder and the admin accounts', async () => {
    const page = adminPage;
    await page.getByTestId('detection-settings').waitFor();
    const admins = inputOf(page.locator('[data-testid=placeholder-values][data-name=admin_accounts]'));
    await expect.poll(() => admins.inputValue()).toContain('root');
    await admins.fill('root\nopsadmin');
    await inputOf(page.getByTestId('placeholder-new-name')).fill('office_networks');
    await page.getByTestId('placeholder-add').click();
    await inputOf(page.locator('[data-testid=placeholder-values][data-name=office_networks]')).fill('10.10.0.0/16\n192.168.1.0/24');
    await page.getByTestId('settings-save').click();
    await expect
      .poll(async () => (await admin.get<{ placeholders: Record<string, string[]> }>('/detection-settings')).placeholders.office_networks)
      .toEqual(['10.10.0.0/16', '192.168.1.0/24']);
    expect((await admin.get<{ placeholders: Record<string, string[]> }>('/detection-settings')).placeholders.admin_accounts).toEqual(['root', 'opsadmin']);
    await page.reload();
    await expect.poll(() => inputOf(page.locator('[data-testid=placeholder-values][data-name=office_networks]')).inputValue()).toBe('10.10.0.0/16\n192.168.1.0/24');
  }, 60_000);

  it('saves the company name and shows it, script tags as text', async () => {
    const page = adminPage;
    await page.getByTestId('nav-company').click();
    await page.getByTestId('company-page').waitFor();
    const name = `${SCRIPT}某某网络科技有限公司`;
    await inputOf(page.getByTestId('company-name')).fill(name);
    await inputOf(page.getByTestId('company-nameEn')).fill('Moumou Network Technology Co., Ltd.');
    await inputOf(page.getByTestId('company-department')).fill('信息技术部');
    await page.getByTestId('company-save').click();
    await expect.poll(() => page.getByTestId('company-saved-name').textContent()).toBe(name);
    expect(await page.getByTestId('company-saved-department').textContent()).toBe('信息技术部');
    expect(await admin.get('/company')).toEqual({ name, nameEn: 'Moumou Network Technology Co., Ltd.', department: '信息技术部' });
    await page.reload();
    await expect.poll(() => inputOf(page.getByTestId('company-name')).inputValue()).toBe(name);
    await noScriptRan(page);
    await page.screenshot({ path: `${shotsDir}rules-3-company.png` });
  }, 60_000);

  it('saves an incident investigation and reads it back after a reload', async () => {
    const page = adminPage;
    const incident = await admin.post<{ id: string }>('/incidents', { title: '服务器口令泄露导致资金损失', category: 'network_attack', level: 'III' });
    await page.goto(`${server.baseUrl}/incidents/${incident.id}`);
    await page.getByTestId('investigation-card').waitFor();
    const rootCause = `${SCRIPT}服务器口令被写在共享文档中`;
    await inputOf(page.getByTestId('investigation-rootCause')).fill(rootCause);
    await inputOf(page.getByTestId('investigation-leakSource')).fill('研发共享盘中的运维手册');
    await inputOf(page.getByTestId('investigation-reportedTo')).fill('总经理（9:25）；公安机关（次日）');
    await page.getByTestId('investigation-save').click();
    await page.getByTestId('investigation-updated').waitFor();
    const saved = await admin.get<Record<string, string>>(`/incidents/${incident.id}/investigation`);
    expect(saved.rootCause).toBe(rootCause);
    expect(saved.leakSource).toBe('研发共享盘中的运维手册');
    await page.reload();
    await page.getByTestId('investigation-card').waitFor();
    await expect.poll(() => inputOf(page.getByTestId('investigation-rootCause')).inputValue()).toBe(rootCause);
    expect(await inputOf(page.getByTestId('investigation-reportedTo')).inputValue()).toBe('总经理（9:25）；公安机关（次日）');
    await noScriptRan(page);

    // An observer may read it, not change it.
    const observer = await signIn(OBSERVER);
    await observer.goto(`${server.baseUrl}/incidents/${incident.id}`);
    await observer.getByTestId('investigation-readonly').waitFor();
    expect(await observer.getByTestId('investigation-value-rootCause').textContent()).toBe(rootCause);
    expect(await observer.getByTestId('investigation-save').count()).toBe(0);
    await noScriptRan(observer);
    await page.getByTestId('investigation-card').screenshot({ path: `${shotsDir}rules-5-investigation.png` });
  }, 60_000);

  it('generates the traces from the drill page; the responder sees the truth only after the end, with the score', async () => {
    const page = adminPage;
    await page.goto(`${server.baseUrl}/drills/${drillId}`);
    const panel = page.locator('[data-testid=traces-panel][data-generated=false]');
    await panel.waitFor();
    await inputOf(page.getByTestId('traces-seed')).fill('e2e-seed');
    await inputOf(page.getByTestId('traces-scale')).fill('0.2');
    await page.getByTestId('traces-generate').click();
    await page.locator('[data-testid=traces-panel][data-generated=true]').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('traces-seed-value').textContent()).toBe('e2e-seed');
    const status = await admin.get<{ generated: boolean; evidenceIds: string[]; steps: number }>(`/drills/${drillId}/traces`);
    expect(status.generated).toBe(true);
    await expect.poll(() => page.getByTestId('traces-evidence-row').count()).toBe(status.evidenceIds.length);
    expect(status.evidenceIds.length).toBeGreaterThan(0);

    await admin.post(`/drills/${drillId}/transitions/start`);
    const responder = await signIn(RESPONDER);
    await responder.goto(`${server.baseUrl}/drills/${drillId}`);
    await responder.getByTestId('traces-hidden').waitFor();
    expect(await responder.getByTestId('traces-hidden').textContent()).toContain('标准答案在演练结束前不公开');
    expect(await responder.getByTestId('truth-step').count()).toBe(0);

    // The team's work: the detection rules over the generated evidence make findings, then the drill ends.
    await admin.post(`/cases/${drillId}/detections`);
    await admin.post(`/drills/${drillId}/transitions/end`);
    const score = await admin.get<{ found: number; missed: number; total: number; falseLeads: unknown[] }>(`/drills/${drillId}/traces/score`);
    expect(score.total).toBe(status.steps);

    await responder.reload();
    await responder.locator('[data-testid=drill-page][data-status=ended]').waitFor();
    await responder.getByTestId('traces-score').waitFor({ timeout: 30_000 });
    expect(await responder.getByTestId('traces-hidden').count()).toBe(0);
    await expect.poll(() => responder.getByTestId('truth-step').count()).toBe(score.total);
    expect(await responder.getByTestId('score-found').getAttribute('data-value')).toBe(String(score.found));
    expect(await responder.getByTestId('score-missed').getAttribute('data-value')).toBe(String(score.missed));
    expect(await responder.getByTestId('score-false-leads').getAttribute('data-value')).toBe(String(score.falseLeads.length));
    const results = await responder.getByTestId('truth-step-result').allTextContents();
    expect(results.filter((r) => r === '已发现').length).toBe(score.found);
    expect(results.filter((r) => r === '未发现').length).toBe(score.missed);
    await responder.screenshot({ path: `${shotsDir}rules-4-score.png`, fullPage: true });
    expect(problems).toEqual([]);
  }, 240_000);
});
