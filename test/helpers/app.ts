import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { systemClock, type Clock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import { buildApp, type App } from '../../src/http/app.js';
import type { Role } from '../../src/modules/auth/permissions.js';
import { buildUser, systemContext, TEST_PASSWORD } from '../factories.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  app: App;
  database: TestDatabase;
  config: Config;
  clock: Clock;
  close(): Promise<void>;
}

/** The whole application on a fresh database, for app.inject() tests. */
export async function buildTestApp(options: { clock?: Clock; config?: Partial<Config> } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = options.clock ?? systemClock;
  // Evidence files go to a folder of this test's own, removed on close.
  const dataDir = options.config?.dataDir ?? mkdtempSync(join(tmpdir(), 'firedrill-test-data-'));
  const config = loadConfig({ logLevel: 'silent', ...options.config, dataDir }, {});
  const app = await buildApp({ database, config, clock, logger: options.config?.logLevel === 'error' ? { level: 'error' } : false });
  await app.ready();
  return {
    app,
    database,
    config,
    clock,
    async close() {
      await app.close();
      await database.close();
      if (!options.config?.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The session cookie from a response, as a Cookie header value. */
export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'firedrill_session');
  if (!cookie) throw new Error(`no session cookie (status ${response.statusCode}: ${response.body})`);
  return `firedrill_session=${cookie.value}`;
}

/** Creates an account with the role and signs it in; returns its cookie and login. */
export async function signIn(t: TestApp, role: Role, options: { displayName?: string } = {}): Promise<{ cookie: string; login: string; userId: string }> {
  const user = await buildUser(systemContext(t.database.db, t.clock), { role, displayName: options.displayName });
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: user.login, password: TEST_PASSWORD } });
  return { cookie: sessionCookie(response), login: user.login, userId: user.id };
}
