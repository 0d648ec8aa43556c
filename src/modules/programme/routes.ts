import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import { CreateProgrammeItemBody, ProgrammeItem, ProgrammeItemParams, ProgrammeQuery, UpdateProgrammeItemBody } from './schema.js';
import * as programme from './service.js';

export const programmeRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app) => {
  const tags = ['programme'];
  app.get(
    '/programme',
    { config: { access: 'programme.read' }, schema: { operationId: 'listProgramme', tags, querystring: ProgrammeQuery, response: { 200: z.object({ items: z.array(ProgrammeItem) }) } } },
    async (request) => ({ items: await programme.listProgramme(request.ctx, request.query.year) }),
  );
  app.post(
    '/programme',
    { config: { access: 'programme.write' }, schema: { operationId: 'createProgrammeItem', tags, body: CreateProgrammeItemBody, response: { 201: ProgrammeItem } } },
    async (request, reply) => reply.status(201).send(await programme.createProgrammeItem(request.ctx, request.body)),
  );
  app.patch(
    '/programme/:itemId',
    { config: { access: 'programme.write' }, schema: { operationId: 'updateProgrammeItem', tags, params: ProgrammeItemParams, body: UpdateProgrammeItemBody, response: { 200: ProgrammeItem } } },
    async (request) => programme.updateProgrammeItem(request.ctx, request.params.itemId, request.body),
  );
};
