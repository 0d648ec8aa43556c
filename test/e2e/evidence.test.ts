/**
 * 证据与调查 through the web UI, in one real browser against the real server: a responder opens a real incident's
 * evidence page from the incident, uploads an auth.log (progress bar, then the ingestion report with the line that
 * did not parse), searches the events by user and by a pivot, opens an event's original line, saves a search,
 * makes a finding from picked events and sees it under 发现 with its severity and event count; the chain of custody
 * records the views. An observer sees the same evidence read-only. User text (a file name, a user name shaped like
 * HTML) is shown literally, never run. The incident and a larger pre-collected log are created through the API.
 *
 * FIREDRILL_DOCS_SCREENSHOTS=1 also writes docs/screenshots/evidence-explorer.zh.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, setupAdmin, type Account } from './api-client.js';
import { closeAll, launchChromium, signInPage, startFiredrill, type RunningFiredrill } from './support.js';

const ADMIN: Account = { login: 'admin', name: '系统管理员', password: 'correct horse battery staple' };
const RESPONDER: Account = { login: 'wangwu', name: '王五', password: 'responder-password-1' };
const OBSERVER: Account = { login: 'zhaoliu', name: '赵六', password: 'observer-password-1' };
const shotsDir = new URL('../../.test-results/screenshots/', import.meta.url).pathname;
const docsDir = new URL('../../docs/screenshots/', import.meta.url).pathname;
const docsShots = process.env.FIREDRILL_DOCS_SCREENSHOTS === '1';

const XSS_USER = '<script>alert(1)</script>';
const XSS_FILE = '<img src=x onerror=alert(1)>auth.log';
/** The small file uploaded through the UI: 5 events (3 for root) and one line that is not syslog. */
const UPLOADED_LINES = [
  'Apr 18 02:11:32 app-server sshd[16182]: Accepted password for root from 103.115.153.27 port 51544 ssh2',
  'Apr 18 02:12:01 app-server sshd[16190]: Failed password for invalid user admin from 45.9.20.1 port 40022 ssh2',
  `Apr 18 02:12:05 app-server sshd[16191]: Failed password for invalid user ${XSS_USER} from 45.9.20.1 port 40023 ssh2`,
  'Apr 18 02:14:11 app-server sshd[16200]: Failed password for root from 45.9.20.1 port 40030 ssh2',
  'Apr 18 02:14:19 app-server sshd[16201]: Accepted publickey for root from 45.9.20.1 port 40031 ssh2',
  'not a syslog line at all',
];

/**
 * A pre-collected secure log over a working day: office logins by three staff from the office network, then
 * a burst of failures on root from one outside address in the evening. Deterministic.
 */
function collectedLog(): { text: string; rootEvents: number; total: number } {
  const lines: string[] = [];
  let root = 0;
  const pad = (n: number) => String(n).padStart(2, '0');
  const staff = ['zhangsan', 'lisi', 'deploy'];
  for (let i = 0; i < 120; i++) {
    const minute = 8 * 60 + 30 + i * 4;
    const user = staff[i % staff.length];
    lines.push(`Apr 17 ${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:${pad((i * 7) % 60)} app-server sshd[${2000 + i}]: Accepted publickey for ${user} from 10.20.${i % 3}.${10 + (i % 40)} port ${40000 + i} ssh2`);
  }
  for (let i = 0; i < 40; i++) {
    lines.push(`Apr 17 21:${pad(10 + Math.floor(i / 4))}:${pad((i * 13) % 60)} app-server sshd[${3000 + i}]: Failed password for root from 185.220.101.${(i % 4) + 1} port ${50000 + i} ssh2`);
    root += 1;
  }
  return { text: `${lines.join('\n')}\n`, rootEvents: root, total: lines.length };
}

let server: RunningFiredrill;
let browser: Browser;
let admin: ApiSession;
let incidentId: string;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

/** Signs in with fetch and uploads a file as the web app does (multipart, the fields first). */
async function uploadByApi(account: Account, caseId: string, name: string, content: string, fields: Record<string, string>) {
  const login = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.baseUrl },
    body: JSON.stringify({ login: account.login, password: account.password }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([content]), name);
  const res = await fetch(`${server.baseUrl}/api/cases/${caseId}/evidence`, { method: 'POST', headers: { Cookie: cookie, Origin: server.baseUrl }, body: form });
  const body = await res.text();
  expect(res.status, body).toBe(201);
  return JSON.parse(body) as { report: { events: number } };
}

const signInAs = (account: Account) => signInPage({ browser, baseUrl: server.baseUrl, contexts, problems }, account, { height: 1000, timezoneId: 'Asia/Shanghai' });

const total = (page: Page) => page.getByTestId('events-total').getAttribute('data-total');

describe('evidence and investigation (证据与调查)', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startFiredrill(90_000), launchChromium()]);
    mkdirSync(shotsDir, { recursive: true });
    admin = await setupAdmin(server.baseUrl, server.setupLink!, ADMIN);
    await admin.post('/users', { login: RESPONDER.login, displayName: RESPONDER.name, password: RESPONDER.password, role: 'responder', locale: 'zh-CN' });
    await admin.post('/users', { login: OBSERVER.login, displayName: OBSERVER.name, password: OBSERVER.password, role: 'observer', locale: 'zh-CN' });
    incidentId = (await admin.post<{ id: string }>('/incidents', { title: '应用服务器遭 SSH 暴力破解', category: 'network_attack', level: 'IV' })).id;
    const log = collectedLog();
    const { report } = await uploadByApi(ADMIN, incidentId, 'secure', log.text, { collectedAt: '2026-04-18T09:00:00+08:00', origin: 'app-server:/var/log/secure', timeZone: 'Asia/Shanghai' });
    expect(report.events).toBe(log.total);
  }, 180_000);

  afterAll(() => closeAll(server, browser, contexts), 30_000);

  it('uploads an auth.log with a progress bar and shows what parsing made of it', async () => {
    const page = await signInAs(RESPONDER);
    await page.goto(`${server.baseUrl}/incidents/${incidentId}`);
    await page.getByTestId('incident-page').waitFor();
    await page.getByTestId('incident-evidence').click();
    await page.getByTestId('evidence-page').waitFor();
    expect(page.url()).toContain(`/incidents/${incidentId}/evidence`);
    expect(await page.getByTestId('evidence-owner').textContent()).toBe('应用服务器遭 SSH 暴力破解');
    await expect.poll(() => page.getByTestId('evidence-row').count()).toBe(1);

    await page.locator('[data-testid=evidence-upload] input[type=file]').setInputFiles({ name: XSS_FILE, mimeType: 'text/plain', buffer: Buffer.from(`${UPLOADED_LINES.join('\n')}\n`) });
    // Record every state the progress bar goes through (the file is small: it may jump straight to 100 %).
    await page.evaluate(`(() => {
      const seen = (window.progressSeen = []);
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid=evidence-upload-progress]');
        const phase = document.querySelector('[data-testid=evidence-upload-result]')?.getAttribute('data-phase');
        const state = bar ? phase + ':' + bar.getAttribute('aria-valuenow') : null;
        if (state && seen.at(-1) !== state) seen.push(state);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    })()`);
    await page.getByTestId('evidence-upload-submit').click();
    const result = page.getByTestId('evidence-upload-result');
    await expect.poll(() => result.getAttribute('data-phase'), { timeout: 60_000 }).toBe('done');
    const progress = page.getByTestId('evidence-upload-progress');
    expect(await progress.getAttribute('role')).toBe('progressbar');
    expect(await progress.getAttribute('aria-valuenow')).toBe('100');
    expect(await progress.getAttribute('class')).toContain('ant-progress-status-success');
    const seen = (await page.evaluate('window.progressSeen')) as string[];
    expect(seen[0]).toMatch(/^sending:\d+$/);
    expect(seen.at(-1)).toBe('done:100');
    expect(await page.getByTestId('evidence-report-lines').textContent()).toBe('6');
    expect(await page.getByTestId('evidence-report-events').textContent()).toBe('5');
    expect(await page.getByTestId('evidence-report-unparsed').textContent()).toBe('1 (前几行：第 6 行)');

    // The list now has both files; the uploaded name is shown literally, not as an image.
    await expect.poll(() => page.getByTestId('evidence-row').count()).toBe(2);
    const row = page.locator('[data-testid=evidence-row]').filter({ has: page.getByText(XSS_FILE, { exact: true }) });
    expect(await row.getByTestId('evidence-filename').textContent()).toBe(XSS_FILE);
    expect(await row.getByTestId('evidence-events').textContent()).toBe('5');
    // Exporting the bundle is for admins, coordinators and auditors.
    expect(await page.getByTestId('evidence-export').count()).toBe(0);
    expect(await row.getByTestId('evidence-sha').getAttribute('data-sha')).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('evidence-page').locator('img[src=x]').count()).toBe(0);

    // The same file again: refused, with the server's reason (naming the file, literally); nothing added.
    await page.locator('[data-testid=evidence-upload] input[type=file]').setInputFiles({ name: 'again.log', mimeType: 'text/plain', buffer: Buffer.from(`${UPLOADED_LINES.join('\n')}\n`) });
    await page.getByTestId('evidence-upload-submit').click();
    await expect.poll(() => result.getAttribute('data-phase'), { timeout: 60_000 }).toBe('failed');
    expect(await page.getByTestId('evidence-upload-error').textContent()).toBe(`该文件已作为证据上传：${XSS_FILE}`);
    expect(await page.getByTestId('evidence-upload-progress').getAttribute('class')).toContain('ant-progress-status-exception');
    expect(await page.getByTestId('evidence-row').count()).toBe(2);

    // Its chain of custody: collected and parsed by the responder.
    await row.getByTestId('evidence-custody-open').click();
    await page.getByTestId('evidence-custody').waitFor();
    expect(await page.getByTestId('evidence-custody-filename').textContent()).toBe(XSS_FILE);
    expect(await page.getByTestId('custody-entry').evaluateAll((els) => els.map((el) => el.getAttribute('data-action')))).toEqual(['collected', 'parsed']);
    await page.keyboard.press('Escape');
    await page.getByTestId('evidence-custody').waitFor({ state: 'detached' });
    await page.screenshot({ path: `${shotsDir}evidence-1-files.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('searches events by user and by pivot, opens a raw line, saves a search and makes a finding', async () => {
    const page = contexts[0].pages()[0];
    const log = collectedLog();
    await page.getByTestId('evidence-tab-events').click();
    await page.getByTestId('evidence-explorer').waitFor();
    await expect.poll(() => total(page)).toBe(String(log.total + 5));
    await page.locator('[data-testid=events-histogram][data-ready=true]').waitFor();

    // By user: root in the collected log and in the uploaded one.
    await page.locator('#eventFilters_user').fill('root');
    await page.getByTestId('filter-search').click();
    await expect.poll(() => total(page)).toBe(String(log.rootEvents + 3));
    expect(await page.getByTestId('events-total').textContent()).toBe(`共 ${log.rootEvents + 3} 条事件`);

    // A pivot: the outside address of the uploaded log narrows to its root events.
    await page.locator('[data-testid=pivot-ips] [data-testid=pivot-value][data-value="45.9.20.1"]').click();
    await expect.poll(() => total(page)).toBe('2');
    expect(await page.locator('#eventFilters_ip').inputValue()).toBe('45.9.20.1');

    // Save this search, clear the filters, apply it again, delete it.
    await page.getByTestId('saved-search-save').click();
    await page.getByTestId('saved-search-name').fill('root 来自 45.9.20.1');
    await page.getByTestId('saved-search-confirm').click();
    const saved = page.locator('[data-testid=saved-search][data-name="root 来自 45.9.20.1"]');
    await saved.waitFor();
    await page.getByTestId('filter-reset').click();
    await expect.poll(() => total(page)).toBe(String(log.total + 5));
    await saved.getByTestId('saved-search-apply').click();
    await expect.poll(() => total(page)).toBe('2');
    expect(await page.locator('#eventFilters_user').inputValue()).toBe('root');

    // The original line of the first event, read back from the file.
    const rows = page.getByTestId('event-row');
    await expect.poll(() => rows.count()).toBe(2);
    await rows.first().locator('.ant-table-row-expand-icon').click();
    const raw = page.getByTestId('event-raw-text');
    await raw.waitFor();
    expect(await raw.textContent()).toBe(UPLOADED_LINES[3]);

    // Make a finding from both events.
    await rows.nth(0).locator('.ant-checkbox-input').check();
    await rows.nth(1).locator('.ant-checkbox-input').check();
    await page.getByTestId('make-finding').click();
    await page.locator('#finding_title').fill('root 被境外地址 45.9.20.1 爆破后登录成功');
    await page.locator('#finding_details').fill('先失败后以公钥登录，需核查 authorized_keys');
    await page.getByTestId('finding-severity-choice').getByText('高', { exact: true }).click();
    await expect.poll(() => page.getByTestId('finding-severity-choice').locator('.ant-radio-button-wrapper-checked').textContent()).toBe('高');
    await page.getByTestId('finding-submit').click({ timeout: 60_000 }).catch(async (e) => {
      await page.screenshot({ path: `${shotsDir}evidence-finding-failed.png` });
      throw e;
    });
    await page.getByTestId('finding-submit').waitFor({ state: 'detached' });

    await page.getByTestId('evidence-tab-findings').click();
    const finding = page.getByTestId('finding-row').filter({ hasText: 'root 被境外地址 45.9.20.1 爆破后登录成功' });
    await finding.waitFor();
    expect(await finding.getByTestId('finding-title').textContent()).toBe('root 被境外地址 45.9.20.1 爆破后登录成功');
    expect(await finding.getByTestId('finding-severity').getAttribute('data-severity')).toBe('high');
    expect(await finding.getByTestId('finding-events').textContent()).toBe('2');
    // Opening the finding shows the events it rests on.
    await finding.locator('.ant-table-row-expand-icon').click();
    await expect.poll(() => page.getByTestId('finding-event').count()).toBe(2);
    expect(await page.getByTestId('finding-event').first().textContent()).toContain('45.9.20.1');

    // On the server: the finding is on the incident's timeline with those two events.
    const { findings } = await admin.get<{ findings: { text: string; evidence: { eventIds: number[]; severity?: string } }[] }>(`/cases/${incidentId}/findings`);
    const made = findings.find((f) => f.text.startsWith('root 被境外地址'))!;
    expect(made.evidence.eventIds).toHaveLength(2);
    expect(made.evidence.severity).toBe('high');

    // Delete the saved search.
    await page.getByTestId('evidence-tab-events').click();
    await saved.getByTestId('saved-search-delete').click();
    await page.locator('.ant-modal-confirm-btns .ant-btn-dangerous').click();
    await saved.waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
  });

  it('shows user text literally in the explorer, and narrows to a bar of the histogram', async () => {
    const page = contexts[0].pages()[0];
    await page.getByTestId('filter-reset').click();
    await page.locator('#eventFilters_text').fill('alert(1)');
    await page.getByTestId('filter-search').click();
    await expect.poll(() => total(page)).toBe('1');
    const message = page.getByTestId('event-message').first();
    expect(await message.textContent()).toBe(`Failed password for invalid user ${XSS_USER} from 45.9.20.1 port 40023 ssh2`);
    await expect.poll(() => page.locator('[data-testid=pivot-users] [data-testid=pivot-value]').allTextContents()).toEqual([XSS_USER]);
    expect(await page.getByTestId('evidence-explorer').locator('script').count()).toBe(0);
    await page.getByTestId('event-row').first().locator('.ant-table-row-expand-icon').click();
    expect(await page.getByTestId('event-raw-text').textContent()).toBe(UPLOADED_LINES[2]);

    // Every event again; a click on a bar narrows the time range to that bar (fewer events, a time range set).
    await page.getByTestId('filter-reset').click();
    const all = collectedLog().total + 5;
    await expect.poll(() => total(page)).toBe(String(all));
    const bars = page.locator('[data-testid=events-histogram] svg path[fill="#1677ff"]');
    await expect.poll(() => bars.count()).toBeGreaterThan(1);
    await bars.last().click();
    await expect.poll(async () => Number(await total(page))).toBeLessThan(all);
    expect(await page.getByTestId('evidence-explorer').locator('.ant-picker-range input').first().inputValue()).not.toBe('');
    expect(problems).toEqual([]);
  });

  it('takes the screenshot of the explorer', async () => {
    const page = contexts[0].pages()[0];
    await page.getByTestId('filter-reset').click();
    await expect.poll(() => total(page)).toBe(String(collectedLog().total + 5));
    await page.locator('[data-testid=events-histogram][data-ready=true] svg path[fill="#1677ff"]').first().waitFor();
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => {});
    await page.mouse.move(0, 0);
    await page.evaluate('window.scrollTo(0, 0)');
    await expect.poll(() => page.evaluate('window.scrollY')).toBe(0);
    await page.screenshot({ path: `${shotsDir}evidence-2-explorer.png`, fullPage: true });
    if (docsShots) {
      mkdirSync(docsDir, { recursive: true });
      await page.screenshot({ path: `${docsDir}evidence-explorer.zh.png`, fullPage: true, clip: { x: 0, y: 0, width: 1440, height: 1400 } });
    }
  });

  it('lets an admin download the evidence bundle as a ZIP', async () => {
    const page = await signInAs(ADMIN);
    await page.goto(`${server.baseUrl}/incidents/${incidentId}/evidence`);
    await expect.poll(() => page.getByTestId('evidence-row').count()).toBe(2);
    const link = page.getByTestId('evidence-export');
    expect(await link.getAttribute('href')).toBe(`/api/cases/${incidentId}/evidence/export`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^evidence-[0-9a-f]{8}\.zip$/);
    const zip = readFileSync((await download.path())!);
    expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(zip.includes(Buffer.from('SHA256SUMS'))).toBe(true);
    await page.context().close();
  });

  it('shows the evidence read-only to an observer, and the server refuses their upload', async () => {
    const page = await signInAs(OBSERVER);
    await page.goto(`${server.baseUrl}/incidents/${incidentId}/evidence`);
    await page.getByTestId('evidence-page').waitFor();
    await expect.poll(() => page.getByTestId('evidence-row').count()).toBe(2);
    await page.getByTestId('evidence-readonly').waitFor();
    expect(await page.getByTestId('evidence-upload').count()).toBe(0);
    await page.getByTestId('evidence-tab-events').click();
    await page.getByTestId('evidence-explorer').waitFor();
    await expect.poll(() => total(page)).toBe(String(collectedLog().total + 5));
    expect(await page.getByTestId('make-finding').count()).toBe(0);
    expect(await page.getByTestId('saved-search-save').count()).toBe(0);
    expect(await page.getByTestId('event-row').first().locator('.ant-checkbox-input').count()).toBe(0);
    await page.getByTestId('evidence-tab-findings').click();
    await page.getByTestId('evidence-findings').waitFor();
    expect(await page.getByTestId('run-detection').count()).toBe(0);
    await expect.poll(() => page.getByTestId('finding-row').count()).toBeGreaterThan(0);

    const observer = new ApiSession(server.baseUrl);
    await observer.post('/auth/login', { login: OBSERVER.login, password: OBSERVER.password });
    await expect(observer.post(`/cases/${incidentId}/findings`, { text: 'x', eventIds: [1] })).rejects.toThrow(/→ 403/);
    expect(problems).toEqual([]);
  });

  it("opens a drill's evidence from the drill page, marked as an exercise, in English too", async () => {
    const drill = await admin.post<{ id: string }>('/drills', { title: '勒索软件桌面推演', mode: 'tabletop', scope: 'single_topic' });
    await uploadByApi(ADMIN, drill.id, 'drill-auth.log', `${UPLOADED_LINES.slice(0, 2).join('\n')}\n`, { collectedAt: '2026-04-18T09:00:00+08:00' });
    const page = await signInAs(OBSERVER);
    await page.goto(`${server.baseUrl}/drills/${drill.id}`);
    await page.getByTestId('drill-page').waitFor();
    await page.getByTestId('drill-evidence').click();
    await page.getByTestId('evidence-page').waitFor();
    expect(page.url()).toContain(`/drills/${drill.id}/evidence`);
    await page.getByTestId('exercise-banner').waitFor();
    expect(await page.getByTestId('evidence-owner').textContent()).toBe('勒索软件桌面推演');
    const row = page.getByTestId('evidence-row');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('evidence-filename').textContent()).toBe('drill-auth.log');
    expect(await row.getByTestId('exercise-mark').count()).toBe(1);
    expect(await page.getByTestId('evidence-back').textContent()).toBe('返回演练');

    // Every word translated, in Chinese and in English.
    await page.getByTestId('evidence-tab-events').click();
    await expect.poll(() => total(page)).toBe('2');
    expect(await page.getByTestId('events-total').textContent()).toBe('共 2 条事件');
    expect(await page.getByTestId('evidence-page').textContent()).not.toMatch(/evidence\.[a-z]/);
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByTestId('events-total').textContent()).toBe('2 events');
    expect(await page.getByTestId('evidence-tab-files').textContent()).toBe('Files');
    expect(await page.getByTestId('evidence-back').textContent()).toBe('Back to drill');
    expect(await page.getByTestId('evidence-page').textContent()).not.toMatch(/evidence\.[a-z]/);
    await page.getByTestId('evidence-tab-findings').click();
    await page.getByTestId('evidence-findings').waitFor();
    expect(await page.getByTestId('evidence-page').textContent()).not.toMatch(/evidence\.[a-z]/);
    expect(problems).toEqual([]);
  });

  it('runs the detection rules from the findings tab and says how many findings were made', async () => {
    const page = contexts[0].pages()[0];
    await page.getByTestId('evidence-tab-findings').click();
    const before = await page.getByTestId('finding-row').count();
    await page.getByTestId('run-detection').click();
    const result = page.getByTestId('detection-result');
    await result.waitFor({ timeout: 60_000 });
    const created = Number(await result.getAttribute('data-created'));
    expect(created).toBeGreaterThan(0);
    expect(await result.textContent()).toContain(`新增 ${created} 条发现`);
    await expect.poll(() => page.getByTestId('finding-row').count()).toBe(before + created);
    await page.screenshot({ path: `${shotsDir}evidence-3-findings.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
