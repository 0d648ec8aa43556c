import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE } from '../../http/access.js';
import type { RouteDeps } from '../../http/types.js';
import { permissionsOf } from './permissions.js';
import { CreateUserBody, LoginBody, Me, SetupBody, UpdateMeBody, UpdateUserBody, User, UserIdParams } from './schema.js';
import * as auth from './service.js';

function me(row: Parameters<typeof auth.toUser>[0], now: Date) {
  return { user: auth.toUser(row, now), permissions: permissionsOf(row.role) };
}

function setSessionCookie(request: FastifyRequest, reply: FastifyReply, deps: RouteDeps, session: auth.SessionInfo) {
  reply.setCookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: request.protocol === 'https' || deps.config.publicUrl?.startsWith('https:') === true,
    expires: session.expiresAt,
  });
}

export const authRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  const tags = ['auth'];
  const loginRate = { max: deps.config.loginRatePerMinute, timeWindow: '1 minute' };

  app.get(
    '/auth/setup',
    { config: { access: 'public' }, schema: { operationId: 'getSetupStatus', tags, response: { 200: z.object({ needed: z.boolean() }) } } },
    async (request) => ({ needed: (await auth.countUsers(request.ctx.db)) === 0 }),
  );

  app.post(
    '/auth/setup',
    {
      config: { access: 'public', rateLimit: loginRate },
      schema: { operationId: 'completeSetup', tags, body: SetupBody, response: { 200: Me } },
    },
    async (request, reply) => {
      await auth.completeSetup(request.ctx, request.body);
      const session = await auth.login(request.ctx, deps.config, { login: request.body.login, password: request.body.password, ip: request.ip, userAgent: request.headers['user-agent'] });
      setSessionCookie(request, reply, deps, session);
      return me(session.user, deps.clock.now());
    },
  );

  app.post(
    '/auth/login',
    { config: { access: 'public', rateLimit: loginRate }, schema: { operationId: 'login', tags, body: LoginBody, response: { 200: Me } } },
    async (request, reply) => {
      const session = await auth.login(request.ctx, deps.config, { ...request.body, ip: request.ip, userAgent: request.headers['user-agent'] });
      setSessionCookie(request, reply, deps, session);
      return me(session.user, deps.clock.now());
    },
  );

  app.post(
    '/auth/logout',
    { config: { access: 'session' }, schema: { operationId: 'logout', tags, response: { 204: z.null() } } },
    async (request, reply) => {
      await auth.logout(request.ctx, request.auth!.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    { config: { access: 'session' }, schema: { operationId: 'getMe', tags, response: { 200: Me } } },
    async (request) => me(request.auth!.user, deps.clock.now()),
  );

  app.patch(
    '/auth/me',
    { config: { access: 'session' }, schema: { operationId: 'updateMe', tags, body: UpdateMeBody, response: { 200: User } } },
    async (request) => auth.updateMe(request.ctx, request.auth!.sessionId, request.body),
  );

  app.get(
    '/users',
    { config: { access: 'user.read' }, schema: { operationId: 'listUsers', tags, response: { 200: z.object({ users: z.array(User) }) } } },
    async (request) => ({ users: await auth.listUsers(request.ctx) }),
  );

  app.post(
    '/users',
    { config: { access: 'user.manage' }, schema: { operationId: 'createUser', tags, body: CreateUserBody, response: { 201: User } } },
    async (request, reply) => reply.status(201).send(await auth.createUser(request.ctx, request.body)),
  );

  app.patch(
    '/users/:userId',
    { config: { access: 'user.manage' }, schema: { operationId: 'updateUser', tags, params: UserIdParams, body: UpdateUserBody, response: { 200: User } } },
    async (request) => auth.updateUser(request.ctx, request.params.userId, request.body),
  );

  app.post(
    '/users/:userId/revoke-sessions',
    {
      config: { access: 'user.manage' },
      schema: { operationId: 'revokeUserSessions', tags, params: UserIdParams, response: { 200: z.object({ revoked: z.number() }) } },
    },
    async (request) => ({ revoked: await auth.revokeSessions(request.ctx, request.params.userId) }),
  );
};
