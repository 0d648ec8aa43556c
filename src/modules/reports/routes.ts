import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import { renderDrillRecord } from './service.js';

const ReportQuery = z.strictObject({ format: z.enum(['md', 'html', 'docx']).default('docx'), lang: z.enum(['zh-CN', 'en']).default('zh-CN') });

export const reportRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app) => {
  app.get(
    '/drills/:drillId/reports/record',
    {
      config: { access: 'drill.read' },
      schema: {
        operationId: 'getDrillRecord',
        tags: ['reports'],
        description: 'The drill record (应急演练记录) in the seed template structure, as DOCX, Markdown or print-ready HTML.',
        params: z.strictObject({ drillId: z.uuid() }),
        querystring: ReportQuery,
        produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/markdown', 'text/html'],
      },
    },
    async (request, reply) => {
      const report = await renderDrillRecord(request.ctx, request.params.drillId, request.query);
      return reply.type(report.contentType).header('content-disposition', `attachment; filename="${report.filename}"`).send(report.body);
    },
  );
};
