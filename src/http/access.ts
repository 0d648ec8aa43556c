import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { systemActor, type ServiceContext } from '../context.js';
import type { Database } from '../db/index.js';
import { isLocale, localeFromAcceptLanguage, type Locale } from '../i18n/index.js';
import { authenticate, type Authenticated, type SessionRecord } from '../modules/auth/service.js';
import { SessionCache } from '../modules/auth/session-cache.js';
import { canAccess, type RouteAccess } from '../modules/auth/permissions.js';
import { sendError } from './errors.js';

export const SESSION_COOKIE = 'firedrill_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route requires; every /api route must say (checked at start-up and by the route-table test). */
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every API route with what it requires: for the route-table test and the docs. */
    routeAccess: { method: string; url: string; access: RouteAccess }[];
  }
  interface FastifyRequest {
    auth: Authenticated | null;
    locale: Locale;
    /** The service context of this request: database, clock, actor. */
    ctx: ServiceContext;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function expectedOrigins(request: FastifyRequest, config: Config): string[] {
  const origins = [`${request.protocol}://${request.host}`];
  if (config.publicUrl) origins.push(new URL(config.publicUrl).origin);
  return origins;
}

/**
 * CSRF defence on top of SameSite=Strict: a browser write must come from our own origin.
 * Requests without Origin (curl, scripts) carry no ambient browser cookies cross-site, so they pass.
 */
function crossSite(request: FastifyRequest, config: Config): string | null {
  if (!UNSAFE_METHODS.has(request.method)) return null;
  const origin = request.headers.origin;
  if (origin && !expectedOrigins(request, config).includes(origin)) return origin;
  if (request.headers['sec-fetch-site'] === 'cross-site') return origin ?? 'cross-site';
  return null;
}

async function plugin(app: FastifyInstance, opts: { database: Database; config: Config; clock: Clock }) {
  const { database, config, clock } = opts;
  const settings = config;
  const sessionCache = new SessionCache<SessionRecord>();
  await sessionCache.start(database);
  app.addHook('onClose', async () => {
    await sessionCache.stop();
  });

  app.decorateRequest('auth', null);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('ctx', null as never);

  // Every API route must declare what it needs: a route without a declaration never starts.
  app.decorate('routeAccess', []);
  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    if (!url.startsWith('/api')) return;
    if (url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), access: 'public' } as never;
    const access = (route.config as { access?: RouteAccess } | undefined)?.access;
    if (!access) throw new Error(`route ${route.method} ${url} declares no access (config.access)`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') app.routeAccess.push({ method, url, access });
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    request.locale = localeFromAcceptLanguage(request.headers['accept-language']);
    request.ctx = { db: database.db, clock, actor: systemActor('anonymous'), requestId: request.id };

    const origin = crossSite(request, config);
    if (origin) return sendError(request, reply, 403, 'origin_mismatch', { origin });

    const access = request.routeOptions.config?.access;
    const token = request.cookies[SESSION_COOKIE];
    let expired = false;
    if (token && access !== undefined) {
      try {
        request.auth = await authenticate(database.db, clock, settings, token, sessionCache);
        const user = request.auth.user;
        request.ctx.actor = { kind: 'user', userId: user.id, login: user.login, role: user.role, name: user.displayName };
        if (isLocale(user.locale)) request.locale = user.locale;
      } catch {
        expired = true;
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    if (access === undefined) return; // not one of our routes: the not-found handler answers
    const role = request.auth?.user.role;
    if (canAccess(role, access)) return;
    if (!role) return sendError(request, reply, 401, expired ? 'session_expired' : 'unauthenticated');
    return sendError(request, reply, 403, 'forbidden', { permission: access });
  });
}

export const accessControl = fp(plugin, { name: 'access-control' });
