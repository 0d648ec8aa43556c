/**
 * 上报时限设置 through the web UI, in one real browser against the real server: the administrator sees the three
 * regulator presets (1 h / 2 h / 4 h, 其他网络运营者 in force), edits one, and declares the company a critical
 * information infrastructure operator; a real level III incident recorded afterwards must then be reported within
 * 60 minutes. A responder sees the same page read-only. Accounts and the incident are created through the API.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, setupAdmin, type Account } from './api-client.js';
import { CONTEXT_DEFAULTS, closeAll, launchChromium, startFiredrill, type RunningFiredrill } from './support.js';

const ADMIN: Account = { login: 'admin', name: '系统管理员', password: 'correct horse battery staple' };
const RESPONDER: Account = { login: 'lisi', name: '李四', password: 'responder-password-1' };
const KEYS = ['cii_operator', 'central_state_body', 'other_operator'];
const shotsDir = new URL('../../.test-results/screenshots/', import.meta.url).pathname;
const shot = (page: Page, name: string) => page.screenshot({ path: `${shotsDir}reporting-presets-${name}.png`, fullPage: true });

interface Preset {
  key: string;
  withinMinutes: number;
  minLevel: string;
  recipient: { 'zh-CN': string; en: string };
  requiredFields: string[];
  active: boolean;
}

let server: RunningFiredrill;
let browser: Browser;
let admin: ApiSession;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

/** A fresh browser context signed in as `account`, on the reporting deadlines page reached from 安全事件. */
async function openPresetsAs(account: Account): Promise<Page> {
  const context = await browser.newContext({ ...CONTEXT_DEFAULTS, viewport: { width: 1440, height: 900 } });
  contexts.push(context);
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto(`${server.baseUrl}/login`);
  await page.locator('#login_login').fill(account.login);
  await page.locator('#login_password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-page').waitFor();
  await page.getByTestId('nav-incidents').click();
  await page.getByTestId('incidents-page').waitFor();
  await page.getByTestId('incidents-reporting-presets').click();
  await page.getByTestId('reporting-presets-page').waitFor();
  await expect.poll(() => page.getByTestId('preset-row').count()).toBe(3);
  return page;
}

const row = (page: Page, key: string): Locator => page.locator(`[data-testid=preset-row][data-key=${key}]`);

describe('reporting deadlines (上报时限设置)', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startFiredrill(), launchChromium()]);
    mkdirSync(shotsDir, { recursive: true });
    admin = await setupAdmin(server.baseUrl, server.setupLink!, ADMIN);
    await admin.post('/users', { login: RESPONDER.login, displayName: RESPONDER.name, password: RESPONDER.password, role: 'responder', locale: 'zh-CN' });
  }, 120_000);

  afterAll(() => closeAll(server, browser, contexts), 30_000);

  it('shows the three presets to the administrator, who edits one and declares the company a CII operator', async () => {
    const page = await openPresetsAs(ADMIN);
    expect(await page.getByTestId('reporting-presets-regulation').textContent()).toContain('国家网络安全事件报告管理办法');
    expect(await page.getByTestId('reporting-presets-readonly').count()).toBe(0);

    // Shortest deadline first, each with its minutes, hours, operator type, level and recipient.
    const rows = page.getByTestId('preset-row');
    expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-key')))).toEqual(KEYS);
    const minutes = await page.getByTestId('preset-minutes-value').evaluateAll((els) => els.map((el) => el.getAttribute('data-minutes')));
    expect(minutes).toEqual(['60', '120', '240']);
    const cii = row(page, 'cii_operator');
    expect(await cii.getByTestId('preset-operator').textContent()).toBe('关键信息基础设施运营者');
    expect(await cii.getByTestId('preset-minutes-value').textContent()).toBe('60 分钟（1 小时）');
    expect(await cii.getByTestId('preset-min-level-value').textContent()).toContain('III');
    expect(await cii.getByTestId('preset-recipient').textContent()).toBe('保护工作部门、公安机关');
    expect(await cii.getByTestId('preset-fields').textContent()).toContain('事件类型');
    expect(await row(page, 'central_state_body').getByTestId('preset-operator').textContent()).toBe('中央和国家机关各部门及其直属单位');
    expect(await row(page, 'central_state_body').getByTestId('preset-minutes-value').textContent()).toBe('120 分钟（2 小时）');
    const other = row(page, 'other_operator');
    expect(await other.getByTestId('preset-operator').textContent()).toBe('其他网络运营者');
    expect(await other.getByTestId('preset-minutes-value').textContent()).toBe('240 分钟（4 小时）');

    // 其他网络运营者 applies until the administrator says otherwise.
    expect(await other.getAttribute('data-active')).toBe('true');
    expect(await other.getByTestId('preset-active-tag').textContent()).toBe('本公司适用');
    expect(await page.getByTestId('preset-active-tag').count()).toBe(1);
    expect(await page.getByTestId('preset-activate').count()).toBe(3);
    expect(await page.getByTestId('preset-edit').count()).toBe(3);

    // Edit a preset that does not apply: its deadline and recipient change, the active one stays.
    await row(page, 'central_state_body').getByTestId('preset-edit').click();
    const minutesInput = page.locator('#preset_withinMinutes');
    expect(await minutesInput.inputValue()).toBe('120');
    await minutesInput.fill('150');
    await page.locator('#preset_recipientZh').fill('本部门网信工作机构（值班室）');
    await page.getByTestId('preset-save').click();
    await expect.poll(() => row(page, 'central_state_body').getByTestId('preset-minutes-value').textContent()).toBe('150 分钟（2.5 小时）');
    expect(await row(page, 'central_state_body').getByTestId('preset-recipient').textContent()).toBe('本部门网信工作机构（值班室）');
    expect(await other.getAttribute('data-active')).toBe('true');

    // The company is a CII operator: pick its type.
    await cii.getByTestId('preset-activate').click();
    await expect.poll(() => cii.getAttribute('data-active')).toBe('true');
    await expect.poll(() => other.getAttribute('data-active')).toBe('false');
    expect(await page.getByTestId('preset-active-tag').count()).toBe(1);
    expect(await cii.getByTestId('preset-active-tag').count()).toBe(1);
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => {});
    await shot(page, '1-admin');

    const { presets } = await admin.get<{ presets: Preset[] }>('/reporting-presets');
    expect(presets.filter((p) => p.active).map((p) => p.key)).toEqual(['cii_operator']);
    expect(presets.find((p) => p.key === 'central_state_body')).toMatchObject({ withinMinutes: 150, recipient: { 'zh-CN': '本部门网信工作机构（值班室）' } });
    expect(problems).toEqual([]);
  });

  it('gives a real level III incident recorded afterwards the 60-minute regulator deadline', async () => {
    const incident = await admin.post<{ id: string }>('/incidents', { title: '核心业务系统遭勒索软件攻击', category: 'network_attack', level: 'III' });
    const view = await admin.get<{ escalations: { ruleKey: string; withinMinutes: number; recipient: string; state: string }[] }>(`/incidents/${incident.id}/timeline`);
    const regulator = view.escalations.filter((e) => e.ruleKey.startsWith('regulator'));
    expect(regulator).toHaveLength(1);
    expect(regulator[0]).toMatchObject({ ruleKey: 'regulator-cii_operator', withinMinutes: 60, recipient: '保护工作部门、公安机关' });

    // And the incident page's clock says so.
    const page = contexts[0].pages()[0];
    await page.goto(`${server.baseUrl}/incidents/${incident.id}`);
    await page.getByTestId('incident-page').waitFor();
    const clock = page.locator('[data-testid=escalation-clock][data-rule^=regulator]');
    await clock.waitFor();
    expect(await clock.getAttribute('data-rule')).toBe('regulator-cii_operator');
    expect(await clock.textContent()).toContain('60 分钟内');
  });

  it('shows the page read-only to a responder', async () => {
    const page = await openPresetsAs(RESPONDER);
    await page.getByTestId('reporting-presets-readonly').waitFor();
    expect(await row(page, 'cii_operator').getAttribute('data-active')).toBe('true');
    expect(await row(page, 'cii_operator').getByTestId('preset-active-tag').textContent()).toBe('本公司适用');
    expect(await page.getByTestId('preset-minutes-value').evaluateAll((els) => els.map((el) => el.getAttribute('data-minutes')))).toEqual(['60', '150', '240']);
    // No edit controls at all.
    expect(await page.getByTestId('preset-activate').count()).toBe(0);
    expect(await page.getByTestId('preset-edit').count()).toBe(0);
    await shot(page, '2-responder');
    expect(await page.getByTestId('reporting-presets-page').locator('.ant-radio').count()).toBe(0);
    expect(await page.getByTestId('reporting-presets-page').locator('input, textarea, button.ant-btn-link').count()).toBe(0);

    // The server refuses them too.
    const responder = new ApiSession(server.baseUrl);
    await responder.post('/auth/login', { login: RESPONDER.login, password: RESPONDER.password });
    await expect(responder.call('PATCH', '/reporting-presets/other_operator', { active: true })).rejects.toThrow(/→ 403/);
    expect(problems).toEqual([]);
  });
});
