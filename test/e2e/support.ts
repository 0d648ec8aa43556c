import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openDatabase, type Database } from '../../src/db/index.js';
import { createPgDatabase, dropPgDatabase, testDbKind } from '../helpers/db.js';

const root = new URL('../..', import.meta.url).pathname;

export interface RunningFiredrill {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** The single-use first-run link printed by the server (null when the database was already set up). */
  setupLink: string | null;
  /** Everything the server printed so far (for failure messages). */
  output: string[];
  stop(): Promise<void>;
}

/**
 * Starts the real server (`firedrill serve` from the TypeScript sources) on a free port with a fresh
 * PGlite data folder, or a fresh PostgreSQL database when FIREDRILL_TEST_DB=postgres, and waits for
 * its setup link. `prepare` fills the database first (migrated, through the services, e.g. drills replayed
 * with a manual clock), before the server opens it.
 */
export async function startFiredrill(timeoutMs = 60_000, prepare?: (database: Database) => Promise<void>): Promise<RunningFiredrill> {
  const dataDir = mkdtempSync(join(tmpdir(), 'firedrill-e2e-'));
  const databaseUrl = testDbKind === 'postgres' ? await createPgDatabase() : undefined;
  if (prepare) {
    const database = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir });
    try {
      await database.migrate();
      await prepare(database);
    } finally {
      await database.close();
    }
  }
  const env: NodeJS.ProcessEnv = { ...process.env, FIREDRILL_FROM_SOURCE: '1', FIREDRILL_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;

  const child: ChildProcess = spawn(process.execPath, ['bin/firedrill.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (line: string) => {
    output.push(line);
    if (output.length > 500) output.shift();
  };
  // Keep draining both pipes for the whole run, or a chatty server would block on a full pipe.
  createInterface({ input: child.stderr! }).on('line', (line) => keep(`[stderr] ${line}`));
  const lines = createInterface({ input: child.stdout! });

  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitedPromise;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropPgDatabase(databaseUrl);
  };

  try {
    const { baseUrl, setupLink } = await new Promise<{ baseUrl: string; setupLink: string | null }>((resolve, reject) => {
      let baseUrl: string | null = null;
      const timer = setTimeout(() => reject(new Error(`server did not print its setup link within ${timeoutMs} ms:\n${output.join('\n')}`)), timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited early (code ${code}):\n${output.join('\n')}`));
      });
      lines.on('line', (line) => {
        keep(line);
        // Bound to 127.0.0.1: use that rather than "localhost" (which may resolve to ::1 first).
        const first = /(http:\/\/localhost:(\d+))/.exec(line);
        if (!baseUrl && first) baseUrl = `http://127.0.0.1:${first[2]}`;
        const link = /(https?:\/\/\S+\/setup#token=\S+)/.exec(line);
        if (link && baseUrl) {
          clearTimeout(timer);
          resolve({ baseUrl, setupLink: link[1].replace(/^http:\/\/localhost:/, 'http://127.0.0.1:') });
        }
      });
    });
    return { baseUrl, setupLink, output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Debian's Chromium, headless (see scripts/test.mjs, which installs it). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.FIREDRILL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    timeout: 30_000,
  });
}

/**
 * Options every browser test's context starts from: Chinese, 1:1 pixels, and reduced motion, so the app draws no
 * opening or closing animation a click could land in the middle of.
 */
export const CONTEXT_DEFAULTS = { locale: 'zh-CN', deviceScaleFactor: 1, reducedMotion: 'reduce' } as const;

/** A browser test's afterAll: closes its browser contexts and the browser, then stops the server. */
export async function closeAll(server: RunningFiredrill | undefined, browser: Browser | undefined, contexts: BrowserContext[]): Promise<void> {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close().catch(() => {});
  await server?.stop();
}

/** What a browser test keeps of the pages it opened: their contexts (closed at the end) and what went wrong in them. */
export interface BrowserSessions {
  browser: Browser;
  baseUrl: string;
  contexts: BrowserContext[];
  /** Page errors and native dialogs (user text must never run as script); a test expects it to stay empty. */
  problems: string[];
}

/**
 * Signs `account` in through the login page in a new zh-CN browser context, 1440 pixels wide, and waits for the
 * home page. Page errors and native dialogs (dismissed) are written to `sessions.problems`.
 */
export async function signInPage(
  sessions: BrowserSessions,
  account: { login: string; password: string },
  options: { height?: number; timezoneId?: string; timeoutMs?: number } = {},
): Promise<Page> {
  const context = await sessions.browser.newContext({ ...CONTEXT_DEFAULTS, viewport: { width: 1440, height: options.height ?? 900 }, timezoneId: options.timezoneId });
  context.setDefaultTimeout(options.timeoutMs ?? 20_000);
  sessions.contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => sessions.problems.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    sessions.problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(`${sessions.baseUrl}/login`);
  await page.locator('#login_login').fill(account.login);
  await page.locator('#login_password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('home-page').waitFor();
  return page;
}
