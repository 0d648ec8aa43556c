import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import { AppendEntryBody, TimelineEntry } from '../timeline/schema.js';
import { streamTimeline } from '../timeline/sse.js';
import { CreateIncidentBody, Incident, IncidentIdParams, IncidentTimelineView, Investigation, ListIncidentsQuery, PresetKeyParams, ReportingPreset, UpdateIncidentBody, UpdateInvestigationBody, UpdateReportingPresetBody } from './schema.js';
import * as incidents from './service.js';
import { INCIDENT_CATEGORIES, INCIDENT_LEVELS, REPORT_FIELDS } from './taxonomy.js';

export const incidentRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  const tags = ['incidents'];
  const read = { access: 'incident.read' as const };
  const write = { access: 'incident.write' as const };

  app.get('/incident-taxonomy', { config: read, schema: { operationId: 'getIncidentTaxonomy', tags, description: 'GB/T 20986-2023 categories, levels and report fields, in zh-CN and en.' } }, async () => ({
    categories: INCIDENT_CATEGORIES,
    levels: INCIDENT_LEVELS,
    reportFields: REPORT_FIELDS,
  }));
  app.get('/reporting-presets', { config: read, schema: { operationId: 'listReportingPresets', tags, response: { 200: z.object({ presets: z.array(ReportingPreset) }) } } }, async (request) => ({
    presets: await incidents.listReportingPresets(request.ctx.db),
  }));
  app.patch(
    '/reporting-presets/:key',
    { config: { access: 'settings.write' }, schema: { operationId: 'updateReportingPreset', tags, params: PresetKeyParams, body: UpdateReportingPresetBody, response: { 200: ReportingPreset } } },
    async (request) => incidents.updateReportingPreset(request.ctx, request.params.key, request.body),
  );

  app.get('/incidents', { config: read, schema: { operationId: 'listIncidents', tags, querystring: ListIncidentsQuery, response: { 200: z.object({ incidents: z.array(Incident) }) } } }, async (request) => ({
    incidents: await incidents.listIncidents(request.ctx, request.query.drills),
  }));
  app.post('/incidents', { config: write, schema: { operationId: 'createIncident', tags, body: CreateIncidentBody, response: { 201: Incident } } }, async (request, reply) =>
    reply.status(201).send(await incidents.createIncident(request.ctx, request.body, { language: request.locale })),
  );
  app.get('/incidents/:incidentId', { config: read, schema: { operationId: 'getIncident', tags, params: IncidentIdParams, response: { 200: Incident } } }, async (request) =>
    incidents.getIncident(request.ctx, request.params.incidentId),
  );
  app.patch(
    '/incidents/:incidentId',
    { config: write, schema: { operationId: 'updateIncident', tags, params: IncidentIdParams, body: UpdateIncidentBody, response: { 200: Incident } } },
    async (request) => incidents.updateIncident(request.ctx, request.params.incidentId, request.body),
  );
  app.get(
    '/incidents/:incidentId/timeline',
    { config: read, schema: { operationId: 'getIncidentTimeline', tags, params: IncidentIdParams, response: { 200: IncidentTimelineView } } },
    async (request) => incidents.getIncidentTimeline(request.ctx, request.params.incidentId),
  );
  app.post(
    '/incidents/:incidentId/timeline',
    { config: write, schema: { operationId: 'addIncidentTimelineEntry', tags, params: IncidentIdParams, body: AppendEntryBody, response: { 201: TimelineEntry } } },
    async (request, reply) => reply.status(201).send(await incidents.addIncidentEntry(request.ctx, request.params.incidentId, request.body)),
  );
  app.get(
    '/incidents/:incidentId/timeline/stream',
    {
      config: read,
      schema: {
        operationId: 'streamIncidentTimeline',
        tags,
        params: IncidentIdParams,
        querystring: z.strictObject({ after: z.coerce.number().int().min(0).optional() }),
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      await incidents.getIncident(request.ctx, request.params.incidentId);
      return streamTimeline(request, reply, deps.timelineBus, deps.liveStreams, request.params.incidentId, request.query.after);
    },
  );
  app.get(
    '/incidents/:incidentId/investigation',
    { config: read, schema: { operationId: 'getIncidentInvestigation', tags, params: IncidentIdParams, response: { 200: Investigation } } },
    async (request) => incidents.getInvestigation(request.ctx, request.params.incidentId),
  );
  app.put(
    '/incidents/:incidentId/investigation',
    { config: write, schema: { operationId: 'updateIncidentInvestigation', tags, params: IncidentIdParams, body: UpdateInvestigationBody, response: { 200: Investigation } } },
    async (request) => incidents.updateInvestigation(request.ctx, request.params.incidentId, request.body),
  );
};
