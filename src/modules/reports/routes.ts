import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import { renderDrillRecord, type RenderedReport, type ReportFormat } from './service.js';

const ReportQuery = z.strictObject({ format: z.enum(['md', 'html', 'docx']).default('docx'), lang: z.enum(['zh-CN', 'en']).default('zh-CN') });

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
    '/drills/:drillId/reports/record',
    {
      config: { access: 'drill.read' },
      schema: {
        operationId: 'getDrillRecord',
        tags: ['reports'],
        description: 'The drill record (应急演练记录) in the seed template structure, as DOCX, Markdown or print-ready HTML (HTML inline, framable by this site only).',
        params: z.strictObject({ drillId: z.uuid() }),
        querystring: ReportQuery,
        produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/markdown', 'text/html'],
      },
    },
    async (request, reply) => sendReport(reply, await renderDrillRecord(request.ctx, request.params.drillId, request.query), request.query.format),
  );
};
