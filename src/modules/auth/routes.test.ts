import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { queryRows } from '../../db/rows.js';
import { buildTestApp, sessionCookie, signIn, type TestApp } from '../../../test/helpers/app.js';
import { buildUser, systemContext, TEST_PASSWORD } from '../../../test/factories.js';
import { createSetupTokenIfNeeded } from './service.js';

const clock = new ManualClock('2026-01-05T01:00:00Z');
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ clock, config: { loginRatePerMinute: 1000 } });
});
afterAll(async () => {
  await t?.close();
});

const login = (loginName: string, password: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: loginName, password }, headers });

describe('first-run setup', () => {
  it('is needed on an empty database, accepts its single-use token once, then is done', async () => {
    expect((await t.app.inject({ url: '/api/auth/setup' })).json()).toEqual({ needed: true });
    const token = await createSetupTokenIfNeeded({ db: t.database.db, clock });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const body = { login: 'Admin', displayName: '管理员', password: 'a-long-password-1' };
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/setup', payload: { ...body, token: 'nope' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('setup_token_invalid');

    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/setup', payload: { ...body, token } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ login: 'admin', role: 'admin' });
    expect(ok.json().permissions).toContain('user.manage');
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: sessionCookie(ok) } });
    expect(me.json().user.login).toBe('admin');

    const again = await t.app.inject({ method: 'POST', url: '/api/auth/setup', payload: { ...body, login: 'other', token } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('setup_done');
    expect((await t.app.inject({ url: '/api/auth/setup' })).json()).toEqual({ needed: false });
    expect(await createSetupTokenIfNeeded({ db: t.database.db, clock })).toBeNull();
  });
});

describe('sign-in', () => {
  it('sets an httpOnly SameSite=Strict session cookie and never returns the password hash', async () => {
    const user = await buildUser(systemContext(t.database.db, clock), { role: 'coordinator' });
    const response = await login(user.login, TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'firedrill_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.path).toBe('/');
    expect(response.body).not.toMatch(/argon2|passwordHash/);
  });

  it('answers a wrong password with invalid_credentials in the caller\'s language', async () => {
    const user = await buildUser(systemContext(t.database.db, clock));
    const zh = await login(user.login, 'wrong-password', { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(zh.statusCode).toBe(401);
    expect(zh.json().error).toEqual({ code: 'invalid_credentials', message: '账号或密码错误' });
    const en = await login(user.login, 'wrong-password', { 'accept-language': 'en-US,en;q=0.9' });
    expect(en.json().error.message).toBe('Wrong login or password');
    const unknown = await login('nobody-here', 'whatever-123');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('invalid_credentials');
  });

  it('locks an account after repeated failures, even for the right password, until the lock expires', async () => {
    const user = await buildUser(systemContext(t.database.db, clock));
    for (let i = 0; i < t.config.loginMaxFailures; i++) expect((await login(user.login, 'bad-password')).statusCode).toBe(401);
    const locked = await login(user.login, TEST_PASSWORD, { 'accept-language': 'en' });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('account_locked');
    expect(locked.json().error.message).toContain(`${t.config.loginLockMinutes} more minutes`);
    clock.advance(t.config.loginLockMinutes * 60_000 + 1000);
    expect((await login(user.login, TEST_PASSWORD)).statusCode).toBe(200);
    const audit = await queryRows<{ action: string }>(t.database.db, sql`select action from audit_entries where entity_id = ${user.id} order by seq`);
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.account_locked']);
  });

  it('rate-limits sign-in attempts per client', async () => {
    const limited = await buildTestApp({ config: { loginRatePerMinute: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        codes.push((await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'x1', password: 'y' } })).statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      const body = (await limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'x1', password: 'y' } })).json();
      expect(body.error.code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });

  it('refuses a disabled account', async () => {
    const admin = await signIn(t, 'admin');
    const user = await buildUser(systemContext(t.database.db, clock));
    const session = sessionCookie(await login(user.login, TEST_PASSWORD));
    await t.app.inject({ method: 'PATCH', url: `/api/users/${user.id}`, payload: { disabled: true }, headers: { cookie: admin.cookie } });
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session } })).statusCode).toBe(401);
    const again = await login(user.login, TEST_PASSWORD);
    expect(again.statusCode).toBe(403);
    expect(again.json().error.code).toBe('account_disabled');
  });
});

describe('sessions', () => {
  it('expire after the idle limit', async () => {
    const { cookie } = await signIn(t, 'observer');
    clock.advance((t.config.sessionIdleMinutes - 1) * 60_000);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    clock.advance((t.config.sessionIdleMinutes + 1) * 60_000);
    const expired = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('session_expired');
  });

  it('expire at the absolute limit even when used all along', async () => {
    const { cookie } = await signIn(t, 'observer');
    const steps = Math.ceil((t.config.sessionAbsoluteHours * 60) / 30);
    let last = 200;
    for (let i = 0; i < steps; i++) {
      clock.advance(30 * 60_000);
      last = (await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode;
      if (last !== 200) break;
    }
    expect(last).toBe(401);
  });

  it('end at logout', async () => {
    const { cookie } = await signIn(t, 'responder');
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('are revoked by an administrator', async () => {
    const admin = await signIn(t, 'admin');
    const victim = await signIn(t, 'responder');
    // Used once, so the session sits in the server's session cache.
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: victim.cookie } })).statusCode).toBe(200);
    const revoked = await t.app.inject({ method: 'POST', url: `/api/users/${victim.userId}/revoke-sessions`, headers: { cookie: admin.cookie } });
    expect(revoked.json()).toEqual({ revoked: 1 });
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: victim.cookie } })).statusCode).toBe(401);
  });

  it('are signed out elsewhere when the password changes, and the old password stops working', async () => {
    const me = await signIn(t, 'coordinator');
    const other = sessionCookie(await login(me.login, TEST_PASSWORD));
    const noCurrent = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', payload: { newPassword: 'another-password-2' }, headers: { cookie: me.cookie } });
    expect(noCurrent.json().error.code).toBe('current_password_required');
    const wrong = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', payload: { currentPassword: 'nope', newPassword: 'another-password-2' }, headers: { cookie: me.cookie } });
    expect(wrong.json().error.code).toBe('wrong_password');
    const ok = await t.app.inject({ method: 'PATCH', url: '/api/auth/me', payload: { currentPassword: TEST_PASSWORD, newPassword: 'another-password-2', locale: 'en' }, headers: { cookie: me.cookie } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().locale).toBe('en');
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: me.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: other } })).statusCode).toBe(401);
    expect((await login(me.login, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(me.login, 'another-password-2')).statusCode).toBe(200);
    // The user's own language setting now picks the message language.
    const err = await t.app.inject({ url: '/api/users', headers: { cookie: me.cookie, 'accept-language': 'zh-CN' } });
    expect(err.json().error.message).toBe('You do not have permission to do this');
  });
});

describe('accounts', () => {
  it('an administrator creates accounts and changes roles; logins are unique', async () => {
    const admin = await signIn(t, 'admin');
    const create = (login: string) =>
      t.app.inject({ method: 'POST', url: '/api/users', payload: { login, displayName: '李二', role: 'responder', password: 'long-enough-pw' }, headers: { cookie: admin.cookie } });
    const created = await create('li.er');
    expect(created.statusCode).toBe(201);
    const dup = await create('LI.ER');
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('login_taken');
    const changed = await t.app.inject({ method: 'PATCH', url: `/api/users/${created.json().id}`, payload: { role: 'observer' }, headers: { cookie: admin.cookie } });
    expect(changed.json().role).toBe('observer');
    const list = await t.app.inject({ url: '/api/users', headers: { cookie: admin.cookie } });
    expect(list.json().users.find((u: { login: string }) => u.login === 'li.er').role).toBe('observer');
    expect(list.body).not.toMatch(/argon2|password/i);
    const audit = await queryRows<{ action: string; before: unknown; after: unknown }>(
      t.database.db,
      sql`select action, before, after from audit_entries where entity_id = ${created.json().id} order by seq`,
    );
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'user.set_role']);
    expect(JSON.stringify(audit)).not.toMatch(/argon2|long-enough-pw/);
  });

  it('never removes the last active administrator', async () => {
    const fresh = await buildTestApp({ config: { loginRatePerMinute: 1000 } });
    try {
      const admin = await signIn(fresh, 'admin');
      const demote = await fresh.app.inject({ method: 'PATCH', url: `/api/users/${admin.userId}`, payload: { role: 'auditor' }, headers: { cookie: admin.cookie } });
      expect(demote.statusCode).toBe(409);
      expect(demote.json().error.code).toBe('last_admin');
      const disable = await fresh.app.inject({ method: 'PATCH', url: `/api/users/${admin.userId}`, payload: { disabled: true }, headers: { cookie: admin.cookie } });
      expect(disable.json().error.code).toBe('last_admin');
    } finally {
      await fresh.close();
    }
  });
});

describe('security basics', () => {
  it('sends security headers', async () => {
    const response = await t.app.inject({ url: '/api/health' });
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses a write from another origin, accepts one from our own', async () => {
    const { cookie } = await signIn(t, 'coordinator');
    const evil = await t.app.inject({ method: 'POST', url: '/api/people', payload: { name: 'x' }, headers: { cookie, origin: 'https://evil.example', host: 'localhost:80' } });
    expect(evil.statusCode).toBe(403);
    expect(evil.json().error.code).toBe('origin_mismatch');
    const site = await t.app.inject({ method: 'POST', url: '/api/people', payload: { name: 'x' }, headers: { cookie, 'sec-fetch-site': 'cross-site' } });
    expect(site.statusCode).toBe(403);
    const ours = await t.app.inject({ method: 'POST', url: '/api/people', payload: { name: 'x' }, headers: { cookie, origin: 'http://localhost:80', host: 'localhost:80' } });
    expect(ours.statusCode).toBe(201);
  });

  it('serves health, OpenAPI and the API reference without signing in', async () => {
    const health = await t.app.inject({ url: '/api/health' });
    expect(health.json()).toMatchObject({ status: 'ok', version: t.config.version, database: t.database.kind });
    const openapi = await t.app.inject({ url: '/api/openapi.json' });
    expect(openapi.json().paths['/api/auth/login'].post.operationId).toBe('login');
    expect((await t.app.inject({ url: '/api/docs/' })).statusCode).toBe(200);
  });
});
