/**
 * The first run, end to end, in a real browser against the real server: set up the first administrator,
 * build the seed's working group (应急演练工作组: 组长 张三, 成员 李二、王二麻子), switch to English and back,
 * sign out, then check what a responder and an auditor may see.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXT_DEFAULTS, closeAll, launchChromium, startFiredrill, type RunningFiredrill } from './support.js';

const DUTIES =
  '负责信息系统突发事件应急演练的具体工作;对信息系统突发事件应急演练业务影响情况进行分析和评估;收集分析信息系统突发事件应急演练处置过程中的数据信息和记录;向上级部门报告应急演练进展情况和事态发展情况,确保演练工作达到预期目的。并做好后勤保障工作:提供应急演练所需人力和物力等资源保障;其它为降低事件负面影响或损失提供的应急支持保障等。';
const ADMIN = { login: 'admin', name: '系统管理员', password: 'correct horse battery staple' };
const RESPONDER = { login: 'zhaoliu', name: '赵六', password: 'responder-password-1' };
const AUDITOR = { login: 'qianqi', name: '钱七', password: 'auditor-password-1' };
/** The committed screenshot is refreshed only on request (FIREDRILL_UPDATE_SCREENSHOTS=1); a normal run writes under .test-results/. */
const screenshotPath = new URL(
  process.env.FIREDRILL_UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/groups.zh.png' : '../../.test-results/screenshots/groups.zh.png',
  import.meta.url,
).pathname;

let server: RunningFiredrill;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Page errors and CSP violations: the built app must run cleanly under the server's CSP. */
const problems: string[] = [];

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ ...CONTEXT_DEFAULTS, viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return page;
}

async function pickOption(page: Page, inputSelector: string, text: string) {
  await page.locator(inputSelector).fill(text);
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first().click();
}

async function signIn(page: Page, login: string, password: string) {
  await page.goto(`${server.baseUrl}/login`);
  await page.locator('#login_login').fill(login);
  await page.locator('#login_password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-page').waitFor();
}

describe('first run in the browser', () => {
  let admin: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startFiredrill(), launchChromium()]);
  }, 90_000);

  afterAll(() => closeAll(server, browser, contexts), 30_000);

  it('creates the first administrator from the setup link', async () => {
    expect(server.setupLink).toMatch(/\/setup#token=/);
    admin = await newPage();
    await admin.goto(server.setupLink!);
    await admin.locator('#setup_login').fill(ADMIN.login);
    await admin.locator('#setup_displayName').fill(ADMIN.name);
    await admin.locator('#setup_email').fill('admin@example.com');
    await admin.locator('#setup_password').fill(ADMIN.password);
    await admin.locator('#setup_confirm').fill(ADMIN.password);
    await admin.getByTestId('setup-submit').click();
    await admin.getByTestId('home-page').waitFor();
    expect(await admin.getByTestId('user-name').textContent()).toBe(ADMIN.name);
    expect(await admin.getByTestId('user-role').textContent()).toBe('管理员');
    expect(await admin.getByTestId('product-name').textContent()).toBe('Firedrill 应急演练');
    // The token left the address bar once spent.
    expect(admin.url()).not.toContain('token=');
  });

  it('builds the seed working group: people, leader, members, duties', async () => {
    await admin.getByTestId('nav-people').click();
    await admin.getByTestId('people-page').waitFor();
    for (const [name, title] of [
      ['张三', '研发主管'],
      ['李二', ''],
      ['王二麻子', ''],
    ]) {
      await admin.getByTestId('person-new').click();
      await admin.locator('#person_name').fill(name);
      await admin.locator('#person_department').fill('研发部');
      if (title) await admin.locator('#person_title').fill(title);
      await admin.getByTestId('person-save').click();
      await admin.getByTestId('people-table').locator('tr', { hasText: name }).waitFor();
    }
    await expect.poll(() => admin.getByTestId('people-table').locator('tbody tr', { hasText: '研发部' }).count()).toBe(3);

    await admin.getByTestId('nav-groups').click();
    await admin.getByTestId('groups-empty').waitFor();
    await admin.getByTestId('group-new').click();
    await admin.locator('#group_name').fill('应急演练工作组');
    await pickOption(admin, '#group_leaderId', '张三');
    await pickOption(admin, '#group_memberIds', '李二');
    await pickOption(admin, '#group_memberIds', '王二麻子');
    await admin.keyboard.press('Escape');
    await admin.locator('#group_duties').fill(DUTIES);
    await admin.getByTestId('group-save').click();

    const card = admin.getByTestId('group-card').filter({ hasText: '应急演练工作组' });
    await card.waitFor();
    expect(await card.getByTestId('group-leader').textContent()).toContain('张三');
    const members = await card.getByTestId('group-members').textContent();
    expect(members).toContain('李二');
    expect(members).toContain('王二麻子');
    expect(members).not.toContain('张三');
    // Each new-person form started empty: 张三's title did not leak into the next people.
    expect(members).not.toContain('研发主管');
    expect(await card.getByTestId('group-duties').textContent()).toBe(DUTIES);
    await expect.poll(() => admin.locator('.ant-drawer-open').count()).toBe(0);

    mkdirSync(dirname(screenshotPath), { recursive: true });
    await admin.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
    await admin.screenshot({ path: screenshotPath, fullPage: true });
  });

  it('switches to English (saved on the account) and back to Chinese', async () => {
    await admin.getByTestId('language-switch').click();
    await admin.getByTestId('nav-groups').getByText('Working groups').waitFor();
    await admin.getByRole('heading', { name: 'Working groups' }).waitFor();
    expect(await admin.getByTestId('user-role').textContent()).toBe('Administrator');
    // The choice is on the account: a reload keeps it.
    await admin.reload();
    await admin.getByRole('heading', { name: 'Working groups' }).waitFor();
    expect(await admin.locator('html').getAttribute('lang')).toBe('en');
    await admin.getByTestId('language-switch').click();
    await admin.getByRole('heading', { name: '工作组' }).waitFor();
  });

  it('lets the administrator create accounts, then signs out', async () => {
    await admin.getByTestId('nav-users').click();
    await admin.getByTestId('users-page').waitFor();
    await admin.getByTestId('user-new').click();
    await admin.locator('#user_login').fill(RESPONDER.login);
    await admin.locator('#user_displayName').fill(RESPONDER.name);
    // The role select starts on 处置人员 (responder).
    await admin.locator('.ant-drawer').getByText('处置人员').waitFor();
    await admin.locator('#user_password').fill(RESPONDER.password);
    await admin.locator('#user_confirm').fill(RESPONDER.password);
    await admin.getByTestId('user-save').click();
    const row = admin.getByTestId('users-table').locator('tr', { hasText: RESPONDER.login });
    await row.waitFor();
    expect(await row.getByTestId('role-responder').count()).toBe(1);

    // An auditor, through the API with the administrator's session (same origin, cookie attached).
    const status = await admin.evaluate(
      (body) => fetch('/api/users', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status),
      { login: AUDITOR.login, displayName: AUDITOR.name, role: 'auditor', password: AUDITOR.password },
    );
    expect(status).toBe(201);

    await admin.getByTestId('user-menu').click();
    await admin.getByTestId('logout').click();
    await admin.locator('#login_login').waitFor();
    expect(new URL(admin.url()).pathname).toBe('/login');
    // Signed out means signed out: a protected page sends us back to /login.
    await admin.goto(`${server.baseUrl}/org/groups`);
    await admin.locator('#login_login').waitFor();
    // And the setup link is spent.
    await admin.goto(`${server.baseUrl}/setup`);
    await admin.getByTestId('setup-not-needed').waitFor();
  });

  it('shows a responder the 403 page for accounts, and the API refuses too', async () => {
    const page = await newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.locator('#login_login').fill(RESPONDER.login);
    await page.locator('#login_password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    expect(await page.getByTestId('login-error').textContent()).toContain('账号或密码错误');

    await signIn(page, RESPONDER.login, RESPONDER.password);
    expect(await page.getByTestId('user-role').textContent()).toBe('处置人员');
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    expect(await page.getByTestId('nav-audit').count()).toBe(0);

    await page.goto(`${server.baseUrl}/admin/users`);
    await page.getByTestId('forbidden-title').waitFor();
    expect(await page.getByTestId('forbidden-title').textContent()).toBe('无权访问');
    expect(await page.getByTestId('users-table').count()).toBe(0);
    expect(await page.getByText(ADMIN.login, { exact: true }).count()).toBe(0);
    const status = await page.evaluate(() => fetch('/api/users').then((r) => r.status));
    expect(status).toBe(403);

    // A responder reads the organisation but cannot change it.
    await page.getByTestId('nav-groups').click();
    await page.getByTestId('group-card').filter({ hasText: '应急演练工作组' }).waitFor();
    expect(await page.getByTestId('group-new').count()).toBe(0);
    expect(await page.getByTestId('group-edit').count()).toBe(0);

    await page.goto(`${server.baseUrl}/no/such/page`);
    await page.getByTestId('not-found-title').waitFor();
  });

  it('lets an auditor read accounts and verify the audit chain, read-only', async () => {
    const page = await newPage();
    await signIn(page, AUDITOR.login, AUDITOR.password);
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-read-only').waitFor();
    await page.getByTestId('users-table').locator('tr', { hasText: RESPONDER.login }).waitFor();
    expect(await page.getByTestId('user-new').count()).toBe(0);
    expect(await page.getByTestId('user-edit').count()).toBe(0);

    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-table').locator('tr', { hasText: '新建工作组' }).first().waitFor();
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('verify-ok').waitFor();
    expect(problems).toEqual([]);
  });
});
