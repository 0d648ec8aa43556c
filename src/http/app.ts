import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import { authRoutes } from '../modules/auth/routes.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { orgRoutes } from '../modules/org/routes.js';
import { systemActor } from '../context.js';
import { actionRoutes } from '../modules/actions/routes.js';
import { dashboardRoutes } from '../modules/dashboard/routes.js';
import { reportRoutes } from '../modules/reports/routes.js';
import { evidenceRoutes } from '../modules/evidence/routes.js';
import { drillRoutes } from '../modules/drills/routes.js';
import { InjectScheduler } from '../modules/drills/scheduler.js';
import { incidentRoutes } from '../modules/incidents/routes.js';
import { planRoutes } from '../modules/plans/routes.js';
import { programmeRoutes } from '../modules/programme/routes.js';
import { scenarioRoutes } from '../modules/scenarios/routes.js';
import { installLibrary } from '../modules/scenarios/service.js';
import { TimelineBus } from '../modules/timeline/bus.js';
import { LiveStreams } from '../modules/timeline/live-streams.js';
import { localeFromAcceptLanguage } from '../i18n/index.js';
import { webDistFolder } from '../paths.js';
import { accessControl } from './access.js';
import { handleError, sendError } from './errors.js';
import { staticSecurityHeaders } from './security-headers.js';
import { healthRoutes } from './health.js';

export interface AppDeps {
  database: Database;
  config: Config;
  clock?: Clock;
  /** Fastify logger options; false silences (tests). */
  logger?: boolean | object;
  /** Run the inject scheduler (default true; tests with a manual clock drive it themselves). */
  scheduler?: boolean;
}

export type App = FastifyInstance;

/** Fastify's logger, with every place a secret could travel redacted. */
export function loggerOptions(level: string) {
  return {
    level,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.token', '*.currentPassword', '*.newPassword'],
      censor: '[redacted]',
    },
  };
}

/**
 * Builds the HTTP application: plugins in order external → app → routes (CONVENTIONS §2).
 * The caller listens (serve) or injects (tests).
 */
export async function buildApp(deps: AppDeps): Promise<App> {
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(deps.config.logLevel),
    bodyLimit: 1024 * 1024,
    genReqId: () => randomUUID(),
    // One access-log line per request (below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: process.env.FIREDRILL_TRUST_PROXY === '1',
    routerOptions: { maxParamLength: 200 },
    // Errors Fastify raises before routing (e.g. an over-long path parameter) get our error shape too.
    frameworkErrors: (error, request, reply) => {
      request.locale = localeFromAcceptLanguage(request.headers['accept-language']);
      const status = error.statusCode ?? 400;
      return sendError(request, reply, status, status === 414 ? 'uri_too_long' : 'bad_request', { reason: error.message.slice(0, 200) });
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  // ---- external plugins ----
  const securityHeaders = staticSecurityHeaders();
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(securityHeaders);
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  // Access control goes before any plugin that adds routes: its onRoute hook must see every route.
  await app.register(accessControl, { database: deps.database, config: deps.config, clock });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Firedrill API', version: deps.config.version, description: 'Information-security emergency drills and incidents.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'firedrill_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // ---- live parts: timeline fan-out, inject scheduler, the shipped scenario library ----
  const timelineBus = new TimelineBus(deps.database);
  await timelineBus.start();
  const liveStreams = new LiveStreams(deps.database.db, clock, deps.config);
  liveStreams.start();
  const scheduler = new InjectScheduler(deps.database, clock, app.log);
  if (deps.scheduler !== false) app.addHook('onReady', async () => scheduler.start());
  // preClose: live streams end before Fastify waits for open connections to finish.
  app.addHook('preClose', async () => {
    await scheduler.stop();
    await timelineBus.stop();
    liveStreams.stop();
  });
  await installLibrary({ db: deps.database.db, clock, actor: systemActor('library') });

  // ---- routes ----
  const routeDeps = { database: deps.database, config: deps.config, clock, timelineBus, liveStreams };
  await app.register(
    async (api) => {
      await api.register(healthRoutes, routeDeps);
      await api.register(authRoutes, routeDeps);
      await api.register(auditRoutes, routeDeps);
      await api.register(orgRoutes, routeDeps);
      await api.register(planRoutes, routeDeps);
      await api.register(scenarioRoutes, routeDeps);
      await api.register(programmeRoutes, routeDeps);
      await api.register(drillRoutes, routeDeps);
      await api.register(incidentRoutes, routeDeps);
      await api.register(actionRoutes, routeDeps);
      await api.register(reportRoutes, routeDeps);
      await api.register(evidenceRoutes, routeDeps);
      await api.register(dashboardRoutes, routeDeps);
      api.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api' },
  );

  const hasWebApp = existsSync(join(webDistFolder, 'index.html'));
  if (hasWebApp) {
    await app.register(fastifyStatic, { root: webDistFolder, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api') || !hasWebApp || request.method !== 'GET') {
      return sendError(request, reply, 404, 'route_not_found', { method: request.method, url: request.url.split('?')[0] });
    }
    // Single-page app: every other GET gets index.html and the client routes it.
    return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
  });
  return app;
}
