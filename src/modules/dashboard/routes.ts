import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteDeps } from '../../http/types.js';
import { Dashboard, DashboardQuery } from './schema.js';
import { getDashboard } from './service.js';

export const dashboardRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app) => {
  app.get(
    '/dashboard',
    {
      config: { access: 'dashboard.read' },
      schema: {
        operationId: 'getDashboard',
        tags: ['dashboard'],
        description: "The year across drills: programme done vs due, each drill's response times, escalation rules and objective ratings, corrective actions open and overdue.",
        querystring: DashboardQuery,
        response: { 200: Dashboard },
      },
    },
    async (request) => getDashboard(request.ctx, request.query),
  );
};
