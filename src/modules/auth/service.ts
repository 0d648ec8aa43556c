import { and, asc, count, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import { systemActor, type Actor, type ServiceContext } from '../../context.js';
import { preparedPerDb } from '../../db/prepared.js';
import type { Db } from '../../db/types.js';
import { AppError, ConflictError, ForbiddenError, isUniqueViolation, NotFoundError, UnauthenticatedError, ValidationError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { hashPassword, verifyPassword } from './password.js';
import type { Role } from './permissions.js';
import {
  sessions,
  setupTokens,
  users,
  type CreateUserBody,
  type SetupBody,
  type UpdateMeBody,
  type UpdateUserBody,
  type User,
} from './schema.js';
import { notifyAuthChange, type SessionCache } from './session-cache.js';
import { newToken, tokenHash } from './tokens.js';

export interface AuthSettings {
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
}

type UserRow = typeof users.$inferSelect;

const MINUTE = 60_000;
const SETUP_TOKEN_HOURS = 24;
/** lastSeenAt is refreshed at most this often, so reads do not turn into writes. */
const TOUCH_INTERVAL_MS = MINUTE;

export function toUser(row: UserRow, now: Date): User {
  return {
    id: row.id,
    login: row.login,
    displayName: row.displayName,
    email: row.email,
    role: row.role,
    locale: row.locale === 'en' ? 'en' : 'zh-CN',
    disabled: row.disabledAt !== null,
    locked: row.lockedUntil !== null && row.lockedUntil > now,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** What the audit log keeps of a user (no password hash). */
function auditView(row: UserRow) {
  return { login: row.login, displayName: row.displayName, email: row.email, role: row.role, locale: row.locale, disabled: row.disabledAt !== null };
}

// ---------- first-run setup ----------

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row.n;
}

/**
 * When no account exists, makes a single-use setup token (valid 24 h) and returns it; otherwise null.
 * The caller prints the link once; only the token's hash is stored.
 */
export async function createSetupTokenIfNeeded(ctx: Pick<ServiceContext, 'db' | 'clock'>): Promise<string | null> {
  if ((await countUsers(ctx.db)) > 0) return null;
  const token = newToken();
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(setupTokens).values({ tokenHash: tokenHash(token), expiresAt: new Date(now.getTime() + SETUP_TOKEN_HOURS * 60 * MINUTE) });
    await appendAudit(tx, { clock: ctx.clock, actor: systemActor() }, { action: 'setup.token_issued', entityType: 'setup' });
  });
  return token;
}

/**
 * Creates the first administrator from a setup token. Throws `setup_done` once any account exists and
 * `setup_token_invalid` for an unknown, used or expired token.
 */
export async function completeSetup(ctx: Pick<ServiceContext, 'db' | 'clock' | 'requestId'>, body: SetupBody): Promise<UserRow> {
  const passwordHash = await hashPassword(body.password);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    // Serializes concurrent setup attempts: only one can see zero users.
    await tx.execute(sql`select pg_advisory_xact_lock(${0x46445354})`);
    if ((await countUsers(tx)) > 0) throw new ConflictError('setup_done', 'Firedrill is already set up');
    const [token] = await tx.select().from(setupTokens).where(eq(setupTokens.tokenHash, tokenHash(body.token)));
    if (!token || token.usedAt || token.expiresAt <= now) {
      throw new AppError('setup_token_invalid', 403, 'The setup token is invalid, used or expired');
    }
    await tx.update(setupTokens).set({ usedAt: now, updatedAt: now }).where(eq(setupTokens.id, token.id));
    const [row] = await tx
      .insert(users)
      .values({ login: body.login.toLowerCase(), displayName: body.displayName, email: body.email ?? null, role: 'admin', passwordHash, locale: body.locale ?? 'zh-CN' })
      .returning();
    const actor: Actor = { kind: 'user', userId: row.id, login: row.login, role: row.role };
    await appendAudit(tx, { clock: ctx.clock, actor, requestId: ctx.requestId }, { action: 'setup.completed', entityType: 'user', entityId: row.id, after: auditView(row) });
    return row;
  });
}

// ---------- sign-in and sessions ----------

export interface LoginInput {
  login: string;
  password: string;
  ip?: string;
  userAgent?: string;
}

export interface SessionInfo {
  sessionId: string;
  token: string;
  expiresAt: Date;
  user: UserRow;
}

/**
 * Signs in with login (or e-mail) and password and opens a session. Repeated failures lock the account
 * for a while; every attempt, good or bad, is audited. Throws `invalid_credentials`, `account_locked`,
 * `account_disabled`.
 */
export async function login(ctx: Pick<ServiceContext, 'db' | 'clock' | 'requestId'>, settings: AuthSettings, input: LoginInput): Promise<SessionInfo> {
  const now = ctx.clock.now();
  const name = input.login.trim().toLowerCase();
  const [row] = await ctx.db
    .select()
    .from(users)
    .where(or(eq(users.login, name), eq(sql`lower(${users.email})`, name)))
    .limit(1);
  const auditCtx = { clock: ctx.clock, requestId: ctx.requestId };

  if (row?.lockedUntil && row.lockedUntil > now) {
    const minutes = Math.ceil((row.lockedUntil.getTime() - now.getTime()) / MINUTE);
    throw new AppError('account_locked', 423, `Account locked for ${minutes} more minutes`, { minutes }, { minutes });
  }
  const ok = await verifyPassword(row?.passwordHash, input.password);
  if (!row) {
    await ctx.db.transaction((tx) =>
      appendAudit(tx, { ...auditCtx, actor: systemActor('anonymous') }, { action: 'auth.login_failed', entityType: 'user', after: { login: name, ip: input.ip ?? null, reason: 'unknown_login' } }),
    );
    throw new UnauthenticatedError('invalid_credentials', 'Wrong login or password');
  }
  if (!ok) {
    await ctx.db.transaction(async (tx) => {
      const failures = row.failedLoginCount + 1;
      const locks = failures >= settings.loginMaxFailures;
      await tx
        .update(users)
        .set({
          failedLoginCount: locks ? 0 : failures,
          lockedUntil: locks ? new Date(now.getTime() + settings.loginLockMinutes * MINUTE) : row.lockedUntil,
          updatedAt: now,
        })
        .where(eq(users.id, row.id));
      await appendAudit(tx, { ...auditCtx, actor: systemActor('anonymous') }, {
        action: locks ? 'auth.account_locked' : 'auth.login_failed',
        entityType: 'user',
        entityId: row.id,
        after: { login: row.login, ip: input.ip ?? null, failures },
      });
    });
    throw new UnauthenticatedError('invalid_credentials', 'Wrong login or password');
  }
  if (row.disabledAt) throw new AppError('account_disabled', 403, 'Account disabled');

  const token = newToken();
  const expiresAt = new Date(now.getTime() + settings.sessionAbsoluteHours * 60 * MINUTE);
  const actor: Actor = { kind: 'user', userId: row.id, login: row.login, role: row.role };
  const sessionId = await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: now, updatedAt: now }).where(eq(users.id, row.id));
    const [s] = await tx
      .insert(sessions)
      .values({ tokenHash: tokenHash(token), userId: row.id, lastSeenAt: now, expiresAt, ip: input.ip ?? null, userAgent: input.userAgent?.slice(0, 300) ?? null })
      .returning({ id: sessions.id });
    await appendAudit(tx, { ...auditCtx, actor }, { action: 'auth.login', entityType: 'session', entityId: s.id, after: { userId: row.id, ip: input.ip ?? null } });
    return s.id;
  });
  return { sessionId, token, expiresAt, user: row };
}

export interface Authenticated {
  sessionId: string;
  user: UserRow;
}

/** The session lookup every signed-in request makes: prepared once per database. */
const sessionByTokenHash = preparedPerDb((db) =>
  db
    .select({
      session: { id: sessions.id, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt, revokedAt: sessions.revokedAt },
      user: users,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, sql.placeholder('hash')))
    .prepare('firedrill_session_by_token'),
);

export type SessionRecord = Awaited<ReturnType<ReturnType<typeof sessionByTokenHash>['execute']>>[number];

/**
 * Resolves a session cookie to its user, or throws `session_expired` when the session is revoked,
 * idle too long, past its absolute expiry, or its user is disabled.
 */
export async function authenticate(db: Db, clock: Clock, settings: AuthSettings, token: string, cache?: SessionCache<SessionRecord>): Promise<Authenticated> {
  const now = clock.now();
  const hash = tokenHash(token);
  let record = cache?.get(hash, now.getTime())?.value;
  if (!record) {
    const [found] = await sessionByTokenHash(db).execute({ hash });
    if (!found) throw new UnauthenticatedError('session_expired', 'Session expired');
    record = found;
    cache?.set(hash, { sessionId: found.session.id, userId: found.user.id, value: found, cachedAt: now.getTime() });
  }
  const { session, user } = record;
  const idleLimit = session.lastSeenAt.getTime() + settings.sessionIdleMinutes * MINUTE;
  if (session.revokedAt || session.expiresAt <= now || idleLimit <= now.getTime() || user.disabledAt) {
    cache?.delete(hash);
    throw new UnauthenticatedError('session_expired', 'Session expired');
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    // Bookkeeping, not a user's change: not audited (see docs/decisions/0004-session-touch-not-audited.md).
    await db.update(sessions).set({ lastSeenAt: now, updatedAt: now }).where(eq(sessions.id, session.id));
    session.lastSeenAt = now;
  }
  return { sessionId: session.id, user };
}

/** Ends one session. */
export async function logout(ctx: ServiceContext, sessionId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx.update(sessions).set({ revokedAt: now, updatedAt: now }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
    await notifyAuthChange(tx, 'session', sessionId);
    await appendAudit(tx, ctx, { action: 'auth.logout', entityType: 'session', entityId: sessionId });
  });
}

async function revokeUserSessions(tx: Db, userId: string, now: Date, exceptSessionId?: string): Promise<number> {
  await notifyAuthChange(tx, 'user', userId);
  const revoked = await tx
    .update(sessions)
    .set({ revokedAt: now, updatedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), exceptSessionId ? ne(sessions.id, exceptSessionId) : undefined))
    .returning({ id: sessions.id });
  return revoked.length;
}

// ---------- accounts ----------

export async function listUsers(ctx: ServiceContext): Promise<User[]> {
  const rows = await ctx.db.select().from(users).orderBy(asc(users.login));
  const now = ctx.clock.now();
  return rows.map((r) => toUser(r, now));
}

export async function getUserByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.login, login.toLowerCase()));
  return row;
}

async function loadUser(db: Db, userId: string): Promise<UserRow> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  if (!row) throw new NotFoundError('user', userId);
  return row;
}

/** Creates an account. Throws `login_taken`. */
export async function createUser(ctx: ServiceContext, body: CreateUserBody): Promise<User> {
  const passwordHash = await hashPassword(body.password);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({ login: body.login.toLowerCase(), displayName: body.displayName, email: body.email ?? null, role: body.role, passwordHash, locale: body.locale ?? 'zh-CN' })
        .returning();
      await appendAudit(tx, ctx, { action: 'user.create', entityType: 'user', entityId: row.id, after: auditView(row) });
      return toUser(row, ctx.clock.now());
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('login_taken', `Login ${body.login} is taken`, { login: body.login });
    throw err;
  }
}

async function assertNotLastAdmin(tx: Db, row: UserRow): Promise<void> {
  if (row.role !== 'admin' || row.disabledAt) return;
  const [other] = await tx
    .select({ n: count() })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt), ne(users.id, row.id)));
  if (other.n === 0) throw new ConflictError('last_admin', 'Cannot remove the last active administrator');
}

/**
 * Changes an account: name, e-mail, role, locale, password, disabled. Disabling or a new password
 * revokes its sessions. Throws `last_admin` when the change would leave no active administrator.
 */
export async function updateUser(ctx: ServiceContext, userId: string, body: UpdateUserBody): Promise<User> {
  const passwordHash = body.password ? await hashPassword(body.password) : undefined;
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${0x46445553})`);
    const before = await loadUser(tx, userId);
    const demotes = body.role !== undefined && body.role !== 'admin';
    if (demotes || body.disabled === true) await assertNotLastAdmin(tx, before);
    const [row] = await tx
      .update(users)
      .set({
        displayName: body.displayName,
        email: body.email,
        role: body.role,
        locale: body.locale,
        passwordHash,
        disabledAt: body.disabled === undefined ? undefined : body.disabled ? (before.disabledAt ?? now) : null,
        ...(body.disabled === false ? { failedLoginCount: 0, lockedUntil: null } : {}),
        updatedAt: now,
      })
      .where(eq(users.id, userId))
      .returning();
    if (body.disabled || passwordHash || (body.role && body.role !== before.role)) await revokeUserSessions(tx, userId, now);
    await notifyAuthChange(tx, 'user', userId);
    await appendAudit(tx, ctx, {
      action: body.role && body.role !== before.role ? 'user.set_role' : 'user.update',
      entityType: 'user',
      entityId: userId,
      before: auditView(before),
      after: { ...auditView(row), passwordChanged: passwordHash !== undefined },
    });
    return toUser(row, now);
  });
}

/** Revokes every session of an account (e.g. a lost phone). Returns how many were open. */
export async function revokeSessions(ctx: ServiceContext, userId: string): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    await loadUser(tx, userId);
    const n = await revokeUserSessions(tx, userId, now);
    await appendAudit(tx, ctx, { action: 'user.revoke_sessions', entityType: 'user', entityId: userId, after: { revoked: n } });
    return n;
  });
}

/**
 * The signed-in user changes their own name, language or password. A new password needs the current
 * one and signs out their other sessions. Throws `current_password_required`, `wrong_password`.
 */
export async function updateMe(ctx: ServiceContext, sessionId: string, body: UpdateMeBody): Promise<User> {
  if (ctx.actor.kind !== 'user') throw new ForbiddenError();
  const userId = ctx.actor.userId;
  const current = await loadUser(ctx.db, userId);
  let passwordHash: string | undefined;
  if (body.newPassword) {
    if (!body.currentPassword) throw new ValidationError('current_password_required', 'Current password required');
    if (!(await verifyPassword(current.passwordHash, body.currentPassword))) throw new ValidationError('wrong_password', 'Wrong current password');
    passwordHash = await hashPassword(body.newPassword);
  }
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ displayName: body.displayName, locale: body.locale, passwordHash, updatedAt: now })
      .where(eq(users.id, userId))
      .returning();
    if (passwordHash) await revokeUserSessions(tx, userId, now, sessionId);
    await notifyAuthChange(tx, 'user', userId);
    await appendAudit(tx, ctx, {
      action: 'user.update_self',
      entityType: 'user',
      entityId: userId,
      before: auditView(current),
      after: { ...auditView(row), passwordChanged: passwordHash !== undefined },
    });
    return toUser(row, now);
  });
}

/** Sets an account's role by login (CLI). Throws NotFound, `last_admin`. */
export async function setRoleByLogin(ctx: ServiceContext, login: string, role: Role): Promise<User> {
  const row = await getUserByLogin(ctx.db, login);
  if (!row) throw new NotFoundError('user', login);
  return updateUser(ctx, row.id, { role });
}

/** Whether an account with this id exists (for other modules linking to accounts). */
export async function userExists(db: Db, userId: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  return row !== undefined;
}

/**
 * For long-lived connections (live timeline streams): which of these sessions still hold — not revoked,
 * expired or disabled. Those that do have their open connection counted as activity for the idle timeout.
 * One query for all of a process's streams.
 */
export async function keepSessionsAlive(db: Db, clock: Clock, settings: AuthSettings, sessionIds: string[]): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set();
  const now = clock.now();
  const rows = await db
    .select({ id: sessions.id, revokedAt: sessions.revokedAt, expiresAt: sessions.expiresAt, lastSeenAt: sessions.lastSeenAt, disabledAt: users.disabledAt })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(inArray(sessions.id, sessionIds));
  const valid = rows.filter(
    (r) => !r.revokedAt && !r.disabledAt && r.expiresAt > now && r.lastSeenAt.getTime() + settings.sessionIdleMinutes * MINUTE > now.getTime(),
  );
  const stale = valid.filter((r) => now.getTime() - r.lastSeenAt.getTime() > TOUCH_INTERVAL_MS).map((r) => r.id);
  if (stale.length) await db.update(sessions).set({ lastSeenAt: now, updatedAt: now }).where(inArray(sessions.id, stale));
  return new Set(valid.map((r) => r.id));
}
