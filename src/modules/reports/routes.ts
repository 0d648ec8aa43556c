import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import { REPORT_FORMATS, REPORT_KINDS, renderDrillReport, renderIncidentReport, type RenderedReport, type ReportFormat } from './service.js';

const ReportQuery = z.strictObject({ format: z.enum(REPORT_FORMATS).default('docx'), lang: z.enum(['zh-CN', 'en']).default('zh-CN') });
const PRODUCES = ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/markdown', 'text/html'];

/**
 * The policy of an HTML report: no script, no fetch, only its own inline <style> and data: images; framed by
 * our own pages only (the web app previews it in a sandboxed iframe), never by another site.
 */
export const REPORT_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

/**
 * Sends a rendered report: HTML inline (for the preview; the download buttons force a file), under its own
 * CSP; Markdown and DOCX as attachments. Every report route answers through this.
 */
export function sendReport(reply: FastifyReply, report: RenderedReport, format: ReportFormat) {
  reply.type(report.contentType).header('content-disposition', `${format === 'html' ? 'inline' : 'attachment'}; filename="${report.filename}"`);
  if (format === 'html') reply.header('content-security-policy', REPORT_HTML_CSP);
  return reply.send(report.body);
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
          'A drill document as DOCX, Markdown or print-ready HTML (HTML inline, framable by this site only): record = 应急演练记录 (the seed template), evaluation = 演练总结评估报告 (GB/T 38645-2020), investigation = 安全事件调查报告.',
        params: z.strictObject({ drillId: z.uuid(), kind: z.enum(REPORT_KINDS) }),
        querystring: ReportQuery,
        produces: PRODUCES,
      },
    },
    async (request, reply) => sendReport(reply, await renderDrillReport(request.ctx, request.params.drillId, { kind: request.params.kind, ...request.query }), request.query.format),
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
    async (request, reply) => sendReport(reply, await renderIncidentReport(request.ctx, request.params.incidentId, request.query), request.query.format),
  );
};
