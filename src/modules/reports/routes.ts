import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import { REPORT_FORMATS, REPORT_KINDS, renderDrillReport, renderIncidentReport, type RenderedReport } from './service.js';

const ReportQuery = z.strictObject({ format: z.enum(REPORT_FORMATS).default('docx'), lang: z.enum(['zh-CN', 'en']).default('zh-CN') });
const PRODUCES = ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/markdown', 'text/html'];

function send(reply: import('fastify').FastifyReply, report: RenderedReport) {
  return reply.type(report.contentType).header('content-disposition', `attachment; filename="${report.filename}"`).send(report.body);
}

export const reportRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app) => {
  app.get(
    '/drills/:drillId/reports/:kind',
    {
      config: { access: 'drill.read' },
      schema: {
        operationId: 'getDrillReport',
        tags: ['reports'],
        description:
          'A drill document as DOCX, Markdown or print-ready HTML: record = 应急演练记录 (the seed template), evaluation = 演练总结评估报告 (GB/T 38645-2020), investigation = 安全事件调查报告.',
        params: z.strictObject({ drillId: z.uuid(), kind: z.enum(REPORT_KINDS) }),
        querystring: ReportQuery,
        produces: PRODUCES,
      },
    },
    async (request, reply) => send(reply, await renderDrillReport(request.ctx, request.params.drillId, { kind: request.params.kind, ...request.query })),
  );
  app.get(
    '/incidents/:incidentId/reports/investigation',
    {
      config: { access: 'incident.read' },
      schema: {
        operationId: 'getIncidentInvestigationReport',
        tags: ['reports'],
        description: 'The incident investigation report (安全事件调查报告) as DOCX, Markdown or print-ready HTML.',
        params: z.strictObject({ incidentId: z.uuid() }),
        querystring: ReportQuery,
        produces: PRODUCES,
      },
    },
    async (request, reply) => send(reply, await renderIncidentReport(request.ctx, request.params.incidentId, request.query)),
  );
};
