import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ping } from '../db/index.js';
import type { RouteDeps } from './types.js';

const Health = z.object({ status: z.literal('ok'), version: z.string(), database: z.enum(['pglite', 'postgres']) });

export const healthRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  app.get(
    '/health',
    { config: { access: 'public' }, schema: { operationId: 'getHealth', tags: ['system'], response: { 200: Health } } },
    async () => {
      await ping(deps.database.db);
      return { status: 'ok' as const, version: deps.config.version, database: deps.database.kind };
    },
  );
};
