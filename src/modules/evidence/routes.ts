import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import type { RouteDeps } from '../../http/types.js';
import { safeText } from '../../http/zod.js';
import { drillTracesStatus, generateDrillTraces, getDrillTruth, scoreDrillFindings } from './drill-traces.js';
import { createFinding, getFindingEvents, listFindings, runDetection } from './findings.js';
import { addRule, deleteRule, getDetectionSettings, listRules, setRuleEnabled, updateDetectionSettings } from './rules.js';
import { EvidenceEvent, EvidenceFields, EvidenceDetail, Evidence, Histogram, IngestReport, Pivots, SearchFilters, SearchQuery, SearchResult } from './schema.js';
import { deleteSavedSearch, eventHistogram, eventPivots, listSavedSearches, saveSearch, searchEvents } from './search.js';
import { addEvidence, downloadEvidence, exportEvidenceZip, getEvidence, getRawLine, listEvidence } from './service.js';
import { FolderEvidenceStore } from './store.js';

/** Largest evidence file accepted (bytes); FIREDRILL_EVIDENCE_MAX_MB changes it. */
export function maxEvidenceBytes(): number {
  const mb = Number(process.env.FIREDRILL_EVIDENCE_MAX_MB);
  return (Number.isInteger(mb) && mb > 0 ? mb : 2048) * 1024 * 1024;
}

const CaseParams = z.strictObject({ caseId: z.uuid() });
const DrillParams = z.strictObject({ drillId: z.uuid() });
const Finding = z.object({
  entryId: z.uuid(),
  text: z.string(),
  at: z.string(),
  createdAt: z.string(),
  drillTimeMs: z.number().nullable(),
  actor: z.string(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
});
const CreateFindingBody = z.strictObject({
  text: safeText(4000).min(1),
  /** The events a search matches … */
  query: SearchFilters.optional(),
  /** … or events picked one by one. */
  eventIds: z.array(z.number().int().min(1)).min(1).max(1000).optional(),
  /** How serious the finding is judged (Sigma's levels). */
  severity: z.enum(['informational', 'low', 'medium', 'high', 'critical']).optional(),
});
const RuleSummary = z.object({
  id: z.string(),
  name: z.string().nullable(),
  title: z.string(),
  titleZh: z.string(),
  level: z.string().nullable(),
  status: z.string().nullable(),
  description: z.string().nullable(),
  author: z.string().nullable(),
  tags: z.array(z.string()),
  origin: z.enum(['bundled', 'custom']),
  enabled: z.boolean(),
  correlation: z.string().nullable(),
  source: z.string(),
});
const DetectionSettings = z.object({ placeholders: z.record(z.string(), z.array(z.string())), disabledRules: z.array(z.string()), timeZone: z.string() });
const UpdateDetectionSettingsBody = z.strictObject({
  placeholders: z.record(safeText(60).regex(/^[a-z][a-z0-9_]*$/), z.array(safeText(200)).max(500)).optional(),
  timeZone: safeText(64).optional(),
});

/** Reads the multipart fields (which must come before the file) into EvidenceFields. */
function fieldsFrom(values: Record<string, string>): EvidenceFields {
  const raw: Record<string, unknown> = { ...values };
  if (typeof raw.csvColumns === 'string') {
    try {
      raw.csvColumns = JSON.parse(raw.csvColumns);
    } catch {
      throw new ValidationError('validation_failed', 'csvColumns is not JSON', { summary: 'body.csvColumns: not JSON' });
    }
  }
  for (const [k, v] of Object.entries(raw)) if (v === '') delete raw[k];
  const parsed = EvidenceFields.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError('validation_failed', parsed.error.issues.map((i) => `body.${i.path.join('.')}: ${i.message}`).join('; '), {
      summary: parsed.error.issues.map((i) => `body.${i.path.join('.')}: ${i.message}`).join('; '),
    });
  }
  return parsed.data;
}

export const evidenceRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, deps) => {
  const store = new FolderEvidenceStore(deps.config.dataDir);
  await app.register(fastifyMultipart, { limits: { fileSize: maxEvidenceBytes(), files: 1, fields: 20, fieldSize: 64 * 1024, parts: 21 } });
  const tags = ['evidence'];
  const read = { access: 'evidence.read' as const };
  const add = { access: 'evidence.add' as const };

  app.get('/cases/:caseId/evidence', { config: read, schema: { operationId: 'listEvidence', tags, description: 'Evidence of an incident or a drill (its incident).', params: CaseParams, response: { 200: z.object({ evidence: z.array(Evidence) }) } } }, async (request) => ({
    evidence: await listEvidence(request.ctx, request.params.caseId),
  }));

  app.post(
    '/cases/:caseId/evidence',
    {
      config: add,
      schema: {
        operationId: 'addEvidence',
        tags,
        consumes: ['multipart/form-data'],
        description:
          'Uploads one evidence file (multipart; the fields collectedAt, origin, description, timeZone, parser, encoding, csvColumns come before the file). Streamed: SHA-256 while it arrives, gzip accepted, parsed into events; all or nothing.',
        params: CaseParams,
        response: { 201: z.object({ evidence: Evidence, report: IngestReport.nullable() }) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw new ValidationError('evidence_multipart_required', 'Send the file as multipart/form-data', {});
      const values: Record<string, string> = {};
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          values[part.fieldname] = String(part.value);
          continue;
        }
        const file = part.file;
        const fields = fieldsFrom(values);
        // busboy stops at the size limit and marks the stream truncated: that upload must not be stored.
        async function* whole() {
          for await (const chunk of file) yield chunk as Buffer;
          if (file.truncated) throw new ValidationError('evidence_too_large', `The file is larger than ${maxEvidenceBytes() / 1024 / 1024} MB`, { maxMb: maxEvidenceBytes() / 1024 / 1024 });
        }
        const added = await addEvidence(request.ctx, store, request.params.caseId, { ...fields, filename: part.filename || 'evidence', mediaType: part.mimetype, source: whole() });
        return reply.status(201).send(added);
      }
      throw new ValidationError('evidence_file_missing', 'The upload has no file', {});
    },
  );

  app.get(
    '/cases/:caseId/evidence/export',
    {
      config: { access: 'evidence.export' },
      schema: {
        operationId: 'exportEvidenceBundle',
        tags,
        description: 'The evidence bundle as a ZIP: files/ as collected, SHA256SUMS (check with `sha256sum -c SHA256SUMS`) and manifest.json with each file\'s chain of custody. Recorded in the custody of every file.',
        params: CaseParams,
        produces: ['application/zip'],
      },
    },
    async (request, reply) => {
      const bundle = await exportEvidenceZip(request.ctx, store, request.params.caseId);
      return reply.type('application/zip').header('content-disposition', `attachment; filename="${bundle.filename}"`).send(bundle.stream);
    },
  );
  app.get('/evidence/:evidenceId', { config: read, schema: { operationId: 'getEvidence', tags, params: z.strictObject({ evidenceId: z.uuid() }), response: { 200: EvidenceDetail } } }, async (request) =>
    getEvidence(request.ctx, request.params.evidenceId),
  );
  app.get(
    '/evidence/:evidenceId/download',
    { config: read, schema: { operationId: 'downloadEvidence', tags, description: 'The file as collected (recorded in its chain of custody).', params: z.strictObject({ evidenceId: z.uuid() }), produces: ['application/octet-stream'] } },
    async (request, reply) => {
      const file = await downloadEvidence(request.ctx, store, request.params.evidenceId);
      return reply
        .type('application/octet-stream')
        .header('content-length', file.size)
        .header('content-disposition', `attachment; filename="${file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .send(file.stream);
    },
  );
  app.get(
    '/events/:eventId/raw',
    {
      config: read,
      schema: {
        operationId: 'getEventRawLine',
        tags,
        description: 'The original line(s) of an event, read from its evidence file (recorded in its chain of custody).',
        params: z.strictObject({ eventId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }),
      },
    },
    async (request) => getRawLine(request.ctx, store, request.params.eventId),
  );

  app.get('/cases/:caseId/events', { config: read, schema: { operationId: 'searchEvents', tags, params: CaseParams, querystring: SearchQuery, response: { 200: SearchResult } } }, async (request) =>
    searchEvents(request.ctx, request.params.caseId, request.query),
  );
  app.get(
    '/cases/:caseId/events/histogram',
    { config: read, schema: { operationId: 'eventHistogram', tags, params: CaseParams, querystring: SearchFilters, response: { 200: Histogram } } },
    async (request) => eventHistogram(request.ctx, request.params.caseId, request.query, (await getDetectionSettings(request.ctx.db)).timeZone),
  );
  app.get('/cases/:caseId/events/pivots', { config: read, schema: { operationId: 'eventPivots', tags, params: CaseParams, querystring: SearchFilters, response: { 200: Pivots } } }, async (request) =>
    eventPivots(request.ctx, request.params.caseId, request.query),
  );

  const SavedSearch = z.object({ id: z.uuid(), incidentId: z.string().nullable(), name: z.string(), query: z.record(z.string(), z.unknown()), createdBy: z.string(), createdAt: z.string() });
  app.get('/cases/:caseId/saved-searches', { config: read, schema: { operationId: 'listSavedSearches', tags, params: CaseParams, response: { 200: z.object({ searches: z.array(SavedSearch) }) } } }, async (request) => ({
    searches: await listSavedSearches(request.ctx, request.params.caseId),
  }));
  app.post(
    '/cases/:caseId/saved-searches',
    { config: add, schema: { operationId: 'saveSearch', tags, params: CaseParams, body: z.strictObject({ name: safeText(200).min(1), query: SearchFilters, global: z.boolean().optional() }), response: { 201: SavedSearch } } },
    async (request, reply) => reply.status(201).send(await saveSearch(request.ctx, request.params.caseId, request.body)),
  );
  app.delete('/saved-searches/:searchId', { config: add, schema: { operationId: 'deleteSavedSearch', tags, params: z.strictObject({ searchId: z.uuid() }) } }, async (request, reply) => {
    await deleteSavedSearch(request.ctx, request.params.searchId);
    return reply.status(204).send();
  });

  app.get('/cases/:caseId/findings', { config: read, schema: { operationId: 'listFindings', tags, params: CaseParams, response: { 200: z.object({ findings: z.array(Finding) }) } } }, async (request) => ({
    findings: await listFindings(request.ctx, request.params.caseId),
  }));
  app.get(
    '/cases/:caseId/findings/:entryId/events',
    { config: read, schema: { operationId: 'getFindingEvents', tags, description: 'A finding with the events it rests on (up to 1,000 kept on it).', params: z.strictObject({ caseId: z.uuid(), entryId: z.uuid() }), response: { 200: z.object({ finding: Finding, events: z.array(EvidenceEvent) }) } } },
    async (request) => getFindingEvents(request.ctx, request.params.caseId, request.params.entryId),
  );
  app.post(
    '/cases/:caseId/findings',
    { config: add, schema: { operationId: 'createFinding', tags, description: 'A finding on the timeline resting on the events a search matches, or on events picked by id.', params: CaseParams, body: CreateFindingBody, response: { 201: Finding } } },
    async (request, reply) => {
      if (!request.body.query === !request.body.eventIds) throw new ValidationError('finding_events_or_query', 'Give either a search or event ids', {});
      return reply.status(201).send(await createFinding(request.ctx, request.params.caseId, request.body));
    },
  );
  app.post(
    '/cases/:caseId/detections',
    {
      config: add,
      schema: {
        operationId: 'runDetection',
        tags,
        description: 'Runs the enabled detection rules over the events; each new hit becomes a finding on the timeline with its matched events.',
        params: CaseParams,
        response: {
          200: z.object({
            hits: z.number(),
            created: z.array(Finding),
            errors: z.array(z.object({ ruleId: z.string(), title: z.string(), code: z.string(), message: z.string() })),
            timings: z.array(z.object({ ruleId: z.string(), name: z.string().optional(), ms: z.number() })),
          }),
        },
      },
    },
    async (request) => runDetection(request.ctx, request.params.caseId, request.locale),
  );

  // ---- detection rules ----
  const ruleTags = ['rules'];
  app.get('/rules', { config: { access: 'evidence.read' }, schema: { operationId: 'listRules', tags: ruleTags, response: { 200: z.object({ rules: z.array(RuleSummary) }) } } }, async (request) => ({
    rules: await listRules(request.ctx),
  }));
  app.post(
    '/rules',
    { config: { access: 'rule.write' }, schema: { operationId: 'addRule', tags: ruleTags, description: 'Adds a Sigma rule file (YAML; one or more documents).', body: z.strictObject({ source: safeText(200_000).min(1) }), response: { 201: z.object({ rules: z.array(RuleSummary) }) } } },
    async (request, reply) => reply.status(201).send({ rules: await addRule(request.ctx, request.body.source) }),
  );
  app.patch(
    '/rules/:ruleId',
    { config: { access: 'rule.write' }, schema: { operationId: 'setRuleEnabled', tags: ruleTags, params: z.strictObject({ ruleId: safeText(100) }), body: z.strictObject({ enabled: z.boolean() }), response: { 200: RuleSummary } } },
    async (request) => setRuleEnabled(request.ctx, request.params.ruleId, request.body.enabled),
  );
  app.delete('/rules/:ruleId', { config: { access: 'rule.write' }, schema: { operationId: 'deleteRule', tags: ruleTags, params: z.strictObject({ ruleId: safeText(100) }) } }, async (request, reply) => {
    await deleteRule(request.ctx, request.params.ruleId);
    return reply.status(204).send();
  });
  app.get('/detection-settings', { config: { access: 'evidence.read' }, schema: { operationId: 'getDetectionSettings', tags: ruleTags, response: { 200: DetectionSettings } } }, async (request) =>
    getDetectionSettings(request.ctx.db),
  );
  app.put(
    '/detection-settings',
    { config: { access: 'rule.write' }, schema: { operationId: 'updateDetectionSettings', tags: ruleTags, body: UpdateDetectionSettingsBody, response: { 200: DetectionSettings } } },
    async (request) => updateDetectionSettings(request.ctx, request.body),
  );

  // ---- technical injects: generated traces, ground truth, score ----
  const traceTags = ['drills'];
  app.get('/drills/:drillId/traces', { config: { access: 'drill.read' }, schema: { operationId: 'getDrillTraces', tags: traceTags, params: DrillParams } }, async (request) =>
    drillTracesStatus(request.ctx, request.params.drillId),
  );
  app.post(
    '/drills/:drillId/traces',
    {
      config: { access: 'drill.manage' },
      schema: {
        operationId: 'generateDrillTraces',
        tags: traceTags,
        description: "Generates the scenario's evidence bundle (benign activity with the attacker's traces) as the drill's evidence; the ground truth is kept apart.",
        params: DrillParams,
        body: z.strictObject({ seed: safeText(64).optional(), scale: z.number().min(0.1).max(50).optional() }).optional(),
      },
    },
    async (request, reply) => reply.status(201).send(await generateDrillTraces(request.ctx, store, request.params.drillId, request.body ?? {})),
  );
  app.get('/drills/:drillId/traces/truth', { config: { access: 'drill.read' }, schema: { operationId: 'getDrillTruth', tags: traceTags, description: 'What the attacker did. Hidden from responders until the drill ends.', params: DrillParams } }, async (request) =>
    getDrillTruth(request.ctx, request.params.drillId),
  );
  app.get('/drills/:drillId/traces/score', { config: { access: 'drill.read' }, schema: { operationId: 'scoreDrillFindings', tags: traceTags, description: "The team's findings scored against the ground truth.", params: DrillParams } }, async (request) =>
    scoreDrillFindings(request.ctx, request.params.drillId),
  );
};
