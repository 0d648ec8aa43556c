import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { ServiceContext } from '../../context.js';
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { getDrill } from '../drills/service.js';
import { drillIncident } from '../incidents/service.js';
import { getScenario } from '../scenarios/service.js';
import { generateTraces, scoreFindings, type GroundTruth, type ScoreResult, TRACE_SCENARIO_KEYS } from '../scenarios/traces/index.js';
import { findingEvents, listFindings } from './findings.js';
import { drillTraces, type Evidence } from './schema.js';
import { addEvidence } from './service.js';
import type { EvidenceStore } from './store.js';

/** Who may see a drill's ground truth and score while it runs: those who direct and evaluate it. */
const SEE_TRUTH_LIVE = new Set(['admin', 'coordinator', 'observer']);
const OVER = new Set(['ended', 'evaluated', 'closed']);

async function checkTruthVisible(ctx: ServiceContext, drillId: string): Promise<void> {
  const drill = await getDrill(ctx, drillId);
  const role = ctx.actor.kind === 'user' ? ctx.actor.role : 'admin';
  if (!SEE_TRUTH_LIVE.has(role) && !OVER.has(drill.status)) throw new ForbiddenError('drill.truth: hidden until the drill ends');
}

export interface DrillTracesSummary {
  drillId: string;
  scenarioKey: string;
  seed: string;
  evidence: Evidence[];
  /** How many steps the attacker took (what the team should find); their details stay hidden until the end. */
  steps: number;
}

/**
 * The technical inject of a drill: generates, from the drill's scenario and window, log files with benign activity
 * and the attacker's traces woven in, files them as the drill's evidence (parsed, so the team can search them) and
 * keeps the ground truth apart. Deterministic from the seed (by default derived from the drill id). Throws
 * NotFound, `trace_scenario_unknown` (no generator for the scenario), `drill_no_scenario`, Conflict
 * `drill_traces_exist`.
 */
export async function generateDrillTraces(ctx: ServiceContext, store: EvidenceStore, drillId: string, options: { seed?: string; scale?: number } = {}): Promise<DrillTracesSummary> {
  const drill = await getDrill(ctx, drillId);
  if (!drill.scenarioId) throw new InvalidStateError('drill_no_scenario', 'This drill has no scenario to generate traces from', {});
  const [existing] = await ctx.db.select({ id: drillTraces.id }).from(drillTraces).where(eq(drillTraces.drillId, drillId));
  if (existing) throw new ConflictError('drill_traces_exist', 'This drill already has its generated evidence', {});
  const scenario = (await getScenario(ctx, drill.scenarioId)).definition;
  const start = Date.parse(drill.startedAt ?? drill.scheduledStart ?? ctx.clock.now().toISOString());
  const seed = options.seed ?? createHash('sha256').update(drillId).digest('hex').slice(0, 16);
  const bundle = generateTraces(scenario.key, { seed, start, end: start + scenario.durationMinutes * 60_000, scale: options.scale });
  const evidence: Evidence[] = [];
  for (const file of bundle.files) {
    const added = await addEvidence(ctx, store, drillId, {
      filename: file.name,
      source: [file.content],
      parser: file.parser,
      encoding: file.encoding,
      collectedAt: new Date(bundle.coverage.to).toISOString(),
      origin: file.host,
      description: file.description[drill.language === 'en' ? 'en' : 'zh-CN'],
      timeZone: bundle.timeZone,
      generated: true,
    });
    evidence.push(added.evidence);
  }
  await ctx.db.transaction(async (tx) => {
    await tx.insert(drillTraces).values({ drillId, scenarioKey: scenario.key, seed, truth: bundle.truth as unknown as Record<string, unknown>, evidenceIds: evidence.map((e) => e.id) });
    await appendAudit(tx, ctx, { action: 'drill.generate_traces', entityType: 'drill', entityId: drillId, after: { scenarioKey: scenario.key, seed, files: evidence.map((e) => ({ id: e.id, filename: e.filename, sha256: e.sha256 })) } });
  });
  return { drillId, scenarioKey: scenario.key, seed, evidence, steps: bundle.truth.steps.length };
}

async function loadTruth(ctx: ServiceContext, drillId: string): Promise<{ truth: GroundTruth; seed: string }> {
  const [row] = await ctx.db.select().from(drillTraces).where(eq(drillTraces.drillId, drillId));
  if (!row) throw new NotFoundError('drill_traces', drillId);
  return { truth: row.truth as unknown as GroundTruth, seed: row.seed };
}

/** Whether the scenario of a drill can generate traces, and whether it has. */
export async function drillTracesStatus(ctx: ServiceContext, drillId: string) {
  const drill = await getDrill(ctx, drillId);
  const scenario = drill.scenarioId ? (await getScenario(ctx, drill.scenarioId)).definition : null;
  const [row] = await ctx.db.select().from(drillTraces).where(eq(drillTraces.drillId, drillId));
  return {
    available: scenario !== null && TRACE_SCENARIO_KEYS.includes(scenario.key),
    generated: row !== undefined,
    seed: row?.seed ?? null,
    evidenceIds: row?.evidenceIds ?? [],
    steps: row ? (row.truth as unknown as GroundTruth).steps.length : 0,
  };
}

/** The ground truth: what the attacker did. Hidden from responders until the drill ends. Throws NotFound, Forbidden. */
export async function getDrillTruth(ctx: ServiceContext, drillId: string): Promise<GroundTruth & { seed: string }> {
  await checkTruthVisible(ctx, drillId);
  const { truth, seed } = await loadTruth(ctx, drillId);
  return { ...truth, seed };
}

/**
 * Scores the team's findings against the ground truth: each step found or missed (and how long it took, in drill
 * time), false leads. Hidden from responders until the drill ends. Throws NotFound, Forbidden.
 */
export async function scoreDrillFindings(ctx: ServiceContext, drillId: string): Promise<ScoreResult & { total: number }> {
  await checkTruthVisible(ctx, drillId);
  const { truth } = await loadTruth(ctx, drillId);
  const incident = await drillIncident(ctx.db, drillId);
  if (!incident) throw new NotFoundError('drill', drillId);
  const findings = await listFindings(ctx, drillId);
  const scored = [];
  for (const f of findings) {
    const events = await findingEvents(ctx, incident.id, f);
    scored.push({
      id: f.entryId,
      title: f.text,
      // Drill time: pauses do not count, as for every other drill figure.
      createdAt: f.drillTimeMs ?? 0,
      events: events.map((e) => ({ time: e.time ? Date.parse(e.time) : null, user: e.user, srcIp: e.srcIp, type: e.type, source: e.source })),
    });
  }
  return { ...scoreFindings(truth, scored, { drillStart: 0 }), total: truth.steps.length };
}
