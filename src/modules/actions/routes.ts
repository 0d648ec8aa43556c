import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import { ActionIdParams, ActionTransitionBody, ActionTransitionParams, CorrectiveAction, CreateActionBody, ListActionsQuery, UpdateActionBody } from './schema.js';
import * as actions from './service.js';

export const actionRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app) => {
  const tags = ['corrective-actions'];
  app.get(
    '/corrective-actions',
    { config: { access: 'action.read' }, schema: { operationId: 'listCorrectiveActions', tags, querystring: ListActionsQuery, response: { 200: z.object({ actions: z.array(CorrectiveAction) }) } } },
    async (request) => ({ actions: await actions.listActions(request.ctx, request.query) }),
  );
  app.post(
    '/corrective-actions',
    { config: { access: 'action.write' }, schema: { operationId: 'createCorrectiveAction', tags, body: CreateActionBody, response: { 201: CorrectiveAction } } },
    async (request, reply) => reply.status(201).send(await actions.createAction(request.ctx, request.body)),
  );
  app.patch(
    '/corrective-actions/:actionId',
    { config: { access: 'action.write' }, schema: { operationId: 'updateCorrectiveAction', tags, params: ActionIdParams, body: UpdateActionBody, response: { 200: CorrectiveAction } } },
    async (request) => actions.updateAction(request.ctx, request.params.actionId, request.body),
  );
  app.post(
    '/corrective-actions/:actionId/transitions/:transition',
    {
      config: { access: 'action.write' },
      schema: { operationId: 'transitionCorrectiveAction', tags, params: ActionTransitionParams, body: ActionTransitionBody.optional(), response: { 200: CorrectiveAction } },
    },
    async (request) => actions.transitionAction(request.ctx, request.params.actionId, request.params.transition, request.body?.note),
  );
};
