import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import { AuditEntry, AuditListQuery, AuditVerifyResult } from './schema.js';
import { listAuditEntries, verifyAuditChain } from './service.js';

export const auditRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app) => {
  const tags = ['audit'];
  app.get(
    '/audit',
    {
      config: { access: 'audit.read' },
      schema: { operationId: 'listAuditEntries', tags, querystring: AuditListQuery, response: { 200: z.object({ entries: z.array(AuditEntry) }) } },
    },
    async (request) => ({ entries: await listAuditEntries(request.ctx, request.query) }),
  );
  app.get(
    '/audit/verify',
    { config: { access: 'audit.read' }, schema: { operationId: 'verifyAuditChain', tags, response: { 200: AuditVerifyResult } } },
    async (request) => verifyAuditChain(request.ctx),
  );
};
