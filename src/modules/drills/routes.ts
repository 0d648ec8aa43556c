import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import { AppendEntryBody, TimelineEntry } from '../timeline/schema.js';
import { streamTimeline } from '../timeline/sse.js';
import { ChecklistItem, CreateDrillBody, Drill, DrillIdParams, DrillSummary, Inject, InjectBody, InjectIdParams, TimelineView, TransitionParams, UpdateDrillBody } from './schema.js';
import * as evaluation from './evaluation.js';
import { AddLessonBody, Evaluation, ObjectiveParams, RateObjectiveBody } from './evaluation-schema.js';
import { DrillMetrics } from './metrics.js';
import * as drills from './service.js';

export const drillRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  const tags = ['drills'];
  const read = { access: 'drill.read' as const };
  const manage = { access: 'drill.manage' as const };

  app.get('/drills', { config: read, schema: { operationId: 'listDrills', tags, response: { 200: z.object({ drills: z.array(DrillSummary) }) } } }, async (request) => ({
    drills: await drills.listDrills(request.ctx),
  }));
  app.post('/drills', { config: manage, schema: { operationId: 'createDrill', tags, body: CreateDrillBody, response: { 201: Drill } } }, async (request, reply) =>
    reply.status(201).send(await drills.createDrill(request.ctx, request.body)),
  );
  app.get('/drills/:drillId', { config: read, schema: { operationId: 'getDrill', tags, params: DrillIdParams, response: { 200: Drill } } }, async (request) =>
    drills.getDrill(request.ctx, request.params.drillId),
  );
  app.patch(
    '/drills/:drillId',
    { config: manage, schema: { operationId: 'updateDrill', tags, params: DrillIdParams, body: UpdateDrillBody, response: { 200: Drill } } },
    async (request) => drills.updateDrill(request.ctx, request.params.drillId, request.body),
  );
  app.post(
    '/drills/:drillId/transitions/:transition',
    { config: { access: 'drill.transition' }, schema: { operationId: 'transitionDrill', tags, params: TransitionParams, response: { 200: Drill } } },
    async (request) => drills.transitionDrill(request.ctx, request.params.drillId, request.params.transition),
  );

  app.get(
    '/drills/:drillId/timeline',
    { config: read, schema: { operationId: 'getDrillTimeline', tags, params: DrillIdParams, response: { 200: TimelineView } } },
    async (request) => drills.getDrillTimeline(request.ctx, request.params.drillId),
  );
  app.post(
    '/drills/:drillId/timeline',
    { config: { access: 'timeline.write' }, schema: { operationId: 'addDrillTimelineEntry', tags, params: DrillIdParams, body: AppendEntryBody, response: { 201: TimelineEntry } } },
    async (request, reply) => reply.status(201).send(await drills.addDrillEntry(request.ctx, request.params.drillId, request.body)),
  );
  app.get(
    '/drills/:drillId/timeline/stream',
    {
      config: read,
      schema: {
        operationId: 'streamDrillTimeline',
        tags,
        description: 'Server-sent events: one `entry` event per timeline entry (id = seq); send Last-Event-ID to resume.',
        params: DrillIdParams,
        querystring: z.strictObject({ after: z.coerce.number().int().min(0).optional() }),
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      await drills.loadDrill(request.ctx.db, request.params.drillId);
      return streamTimeline(request, reply, deps.timelineBus, deps.liveStreams, request.params.drillId, request.query.after, drills.entryVisibleTo(request.ctx.actor));
    },
  );
  app.get(
    '/drills/:drillId/metrics',
    { config: read, schema: { operationId: 'getDrillMetrics', tags, params: DrillIdParams, response: { 200: z.object({ metrics: DrillMetrics }) } } },
    async (request) => ({ metrics: await drills.getDrillMetrics(request.ctx, request.params.drillId) }),
  );
  app.get(
    '/drills/:drillId/evaluation',
    { config: read, schema: { operationId: 'getDrillEvaluation', tags, params: DrillIdParams, response: { 200: Evaluation } } },
    async (request) => evaluation.getEvaluation(request.ctx, request.params.drillId),
  );
  app.put(
    '/drills/:drillId/evaluation/objectives/:objectiveKey',
    { config: { access: 'evaluation.write' }, schema: { operationId: 'rateDrillObjective', tags, params: ObjectiveParams, body: RateObjectiveBody, response: { 200: Evaluation } } },
    async (request) => evaluation.rateObjective(request.ctx, request.params.drillId, request.params.objectiveKey, request.body),
  );
  app.post(
    '/drills/:drillId/evaluation/lessons',
    { config: { access: 'evaluation.write' }, schema: { operationId: 'addDrillLesson', tags, params: DrillIdParams, body: AddLessonBody, response: { 201: Evaluation } } },
    async (request, reply) => reply.status(201).send(await evaluation.addLesson(request.ctx, request.params.drillId, request.body)),
  );
  app.get(
    '/drills/:drillId/checklist',
    { config: read, schema: { operationId: 'getDrillChecklist', tags, params: DrillIdParams, response: { 200: z.object({ items: z.array(ChecklistItem) }) } } },
    async (request) => ({ items: await drills.getChecklist(request.ctx, request.params.drillId) }),
  );

  app.post(
    '/drills/:drillId/injects',
    { config: manage, schema: { operationId: 'addDrillInject', tags, params: DrillIdParams, body: InjectBody, response: { 201: Inject } } },
    async (request, reply) => reply.status(201).send(await drills.addInject(request.ctx, request.params.drillId, request.body)),
  );
  app.post(
    '/drills/:drillId/injects/:injectId/fire',
    { config: manage, schema: { operationId: 'fireDrillInject', tags, params: InjectIdParams, response: { 200: TimelineEntry } } },
    async (request) => drills.fireInject(request.ctx, request.params.drillId, request.params.injectId),
  );
};
