import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import { CreatePlanBody, DiffQuery, Plan, PlanDiffChange, PlanIdParams, PlanSummary, PlanVersion, PlanVersionParams, PublishBody, ReviseBody, SaveDraftBody } from './schema.js';
import * as plans from './service.js';

export const planRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app) => {
  const tags = ['plans'];
  const read = { access: 'plan.read' as const };
  const write = { access: 'plan.write' as const };
  app.get('/plans', { config: read, schema: { operationId: 'listPlans', tags, response: { 200: z.object({ plans: z.array(PlanSummary) }) } } }, async (request) => ({
    plans: await plans.listPlans(request.ctx),
  }));
  app.post('/plans', { config: write, schema: { operationId: 'createPlan', tags, body: CreatePlanBody, response: { 201: Plan } } }, async (request, reply) =>
    reply.status(201).send(await plans.createPlan(request.ctx, request.body)),
  );
  app.get('/plans/:planId', { config: read, schema: { operationId: 'getPlan', tags, params: PlanIdParams, response: { 200: Plan } } }, async (request) =>
    plans.getPlan(request.ctx, request.params.planId),
  );
  app.get(
    '/plans/:planId/versions/:number',
    { config: read, schema: { operationId: 'getPlanVersion', tags, params: PlanVersionParams, response: { 200: PlanVersion } } },
    async (request) => plans.getPlanVersion(request.ctx, request.params.planId, request.params.number),
  );
  app.put(
    '/plans/:planId/draft',
    { config: write, schema: { operationId: 'savePlanDraft', tags, params: PlanIdParams, body: SaveDraftBody, response: { 200: PlanVersion } } },
    async (request) => plans.saveDraft(request.ctx, request.params.planId, request.body),
  );
  app.post(
    '/plans/:planId/publish',
    { config: write, schema: { operationId: 'publishPlanDraft', tags, params: PlanIdParams, body: PublishBody.optional(), response: { 200: PlanVersion } } },
    async (request) => plans.publishDraft(request.ctx, request.params.planId, request.body?.changeNote),
  );
  app.post(
    '/plans/:planId/revise',
    { config: write, schema: { operationId: 'revisePlan', tags, params: PlanIdParams, body: ReviseBody, response: { 201: PlanVersion } } },
    async (request, reply) => reply.status(201).send(await plans.revisePlan(request.ctx, request.params.planId, request.body.causes, request.body.changeNote)),
  );
  app.get(
    '/plans/:planId/diff',
    { config: read, schema: { operationId: 'diffPlanVersions', tags, params: PlanIdParams, querystring: DiffQuery, response: { 200: z.object({ changes: z.array(PlanDiffChange) }) } } },
    async (request) => ({ changes: await plans.diffPlanVersions(request.ctx, request.params.planId, request.query.from, request.query.to) }),
  );
  app.post(
    '/plans/:planId/archive',
    { config: write, schema: { operationId: 'archivePlan', tags, params: PlanIdParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await plans.archivePlan(request.ctx, request.params.planId);
      return reply.status(204).send(null);
    },
  );
};
