import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { queryRows } from '../src/db/rows.js';
import { buildApp, loggerOptions, type App } from '../src/http/app.js';
import { createSetupTokenIfNeeded } from '../src/modules/auth/service.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';

const lines: string[] = [];
let app: App;
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  // The production logger configuration, at its most talkative level.
  app = await buildApp({ database, config: loadConfig({}, {}), clock: systemClock, logger: { ...loggerOptions('trace'), stream } });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('secrets', () => {
  it('never appear in a log line, an error, an API answer or the audit log', async () => {
    const token = (await createSetupTokenIfNeeded({ db: database.db, clock: systemClock }))!;
    const password = 'Sup3r-Secret-Passw0rd';
    const setup = await app.inject({ method: 'POST', url: '/api/auth/setup', payload: { token, login: 'root', displayName: 'Root', password } });
    expect(setup.statusCode).toBe(200);
    const cookieValue = setup.cookies.find((c) => c.name === 'firedrill_session')!.value;
    const cookie = `firedrill_session=${cookieValue}`;
    const newPassword = 'An0ther-Secret-Passw0rd';
    const answers = [
      setup.body,
      (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'root', password: 'Wrong-Secret-Attempt' } })).body,
      (await app.inject({ method: 'PATCH', url: '/api/auth/me', payload: { currentPassword: password, newPassword }, headers: { cookie } })).body,
      (await app.inject({ method: 'POST', url: '/api/users', payload: { login: 'u1', displayName: 'U', role: 'observer', password: 'Third-Secret-Passw0rd' }, headers: { cookie } })).body,
      (await app.inject({ method: 'POST', url: '/api/users', payload: { login: 'u1', displayName: 'U', role: 'observer', password: 'Fourth-Secret-Passw0rd' }, headers: { cookie } })).body,
      (await app.inject({ method: 'GET', url: '/api/audit?limit=500', headers: { cookie } })).body,
    ];
    const auditRows = await queryRows(database.db, sql`select * from audit_entries`);
    const haystacks = { logs: lines.join('\n'), answers: answers.join('\n'), audit: JSON.stringify(auditRows) };
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(haystacks.logs).toContain('/api/auth/setup');
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of [token, password, newPassword, 'Wrong-Secret-Attempt', 'Third-Secret-Passw0rd', 'Fourth-Secret-Passw0rd', cookieValue, '$argon2id$']) {
        expect(text.includes(secret), `${secret.slice(0, 12)}… found in ${where}`).toBe(false);
      }
    }
  });
});
