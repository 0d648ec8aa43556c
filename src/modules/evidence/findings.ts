import { eq } from 'drizzle-orm';
import type { ServiceContext } from '../../context.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { addDrillEntry, getDrillTimeline } from '../drills/service.js';
import type { Incident } from '../incidents/schema.js';
import { addIncidentEntry, getIncidentTimeline } from '../incidents/service.js';
import { standingEntries } from '../timeline/escalation.js';
import type { EntryData, TimelineEntry } from '../timeline/schema.js';
import { activeRules, getDetectionSettings } from './rules.js';
import { drillTraces, type EvidenceEvent, type SearchFilters } from './schema.js';
import { eventsByIds, matchingEventIds } from './search.js';
import { resolveCase } from './service.js';
import { runRulesReport, type RuleHit } from './sigma/index.js';
import { localRuleTitle } from './rules/titles.js';

/** Event ids kept on a finding's timeline entry; the total and the query say how many there are in all. */
const KEPT_IDS = 1000;

export type FindingEvidence = NonNullable<EntryData['evidence']>;

/** A finding as the evidence pages show it: its timeline entry and what it rests on. */
export interface Finding {
  entryId: string;
  text: string;
  at: string;
  createdAt: string;
  drillTimeMs: number | null;
  actor: string;
  evidence: FindingEvidence | null;
}

async function appendFinding(ctx: ServiceContext, incident: Incident, text: string, evidence: FindingEvidence): Promise<TimelineEntry> {
  const body = { kind: 'finding' as const, text, data: { evidence } };
  return incident.isDrill && incident.drillId ? addDrillEntry(ctx, incident.drillId, body) : addIncidentEntry(ctx, incident.id, body);
}

async function timelineOf(ctx: ServiceContext, incident: Incident): Promise<TimelineEntry[]> {
  return incident.isDrill && incident.drillId ? (await getDrillTimeline(ctx, incident.drillId)).entries : (await getIncidentTimeline(ctx, incident.id)).entries;
}

/**
 * Puts a finding on the incident's (or drill's) timeline, resting on events: the events a search matches, or
 * events picked by id. Throws NotFound, `finding_without_events`, and what writing on that timeline throws
 * (a drill that is not live, a responder not taking part, a closed incident).
 */
export async function createFinding(ctx: ServiceContext, targetId: string, body: { text: string; query?: SearchFilters; eventIds?: number[]; severity?: FindingEvidence['severity'] }): Promise<Finding> {
  const incident = await resolveCase(ctx, targetId);
  let evidence: FindingEvidence;
  if (body.query) {
    const match = await matchingEventIds(ctx, incident.id, body.query, KEPT_IDS);
    const query = Object.fromEntries(Object.entries(body.query).filter(([, v]) => v !== undefined && v !== '')) as FindingEvidence['query'];
    evidence = { eventIds: match.ids, total: match.total, query, firstTime: match.firstTime, lastTime: match.lastTime };
  } else {
    const events = await eventsByIds(ctx, incident.id, (body.eventIds ?? []).slice(0, KEPT_IDS));
    evidence = { eventIds: events.map((e) => e.id), total: events.length, firstTime: events[0]?.time ?? null, lastTime: events.at(-1)?.time ?? null };
  }
  if (body.severity) evidence.severity = body.severity;
  if (evidence.total === 0) throw new ValidationError('finding_without_events', 'A finding must rest on at least one event of this incident', {});
  return toFinding(await appendFinding(ctx, incident, body.text, evidence));
}

function toFinding(entry: TimelineEntry): Finding {
  return {
    entryId: entry.id,
    text: entry.text,
    at: entry.at,
    createdAt: entry.createdAt,
    drillTimeMs: entry.drillTimeMs,
    actor: entry.actorLabel,
    evidence: ((entry.data as EntryData).evidence as FindingEvidence | undefined) ?? null,
  };
}

/** The findings of an incident or drill (corrected ones replaced by their corrections), oldest first. */
export async function listFindings(ctx: ServiceContext, targetId: string): Promise<Finding[]> {
  const incident = await resolveCase(ctx, targetId);
  return standingEntries(await timelineOf(ctx, incident))
    .filter((e) => e.kind === 'finding')
    .map(toFinding);
}

/** The events a finding rests on (those kept on it), for showing and scoring. */
export async function findingEvents(ctx: ServiceContext, incidentId: string, finding: Finding): Promise<EvidenceEvent[]> {
  return eventsByIds(ctx, incidentId, finding.evidence?.eventIds ?? []);
}

/** A finding of an incident or drill with the events it rests on (the kept ones, up to 1,000). Throws NotFound. */
export async function getFindingEvents(ctx: ServiceContext, targetId: string, entryId: string): Promise<{ finding: Finding; events: EvidenceEvent[] }> {
  const incident = await resolveCase(ctx, targetId);
  const finding = standingEntries(await timelineOf(ctx, incident))
    .filter((e) => e.kind === 'finding' && e.id === entryId)
    .map(toFinding)[0];
  if (!finding) throw new NotFoundError('finding', entryId);
  return { finding, events: await findingEvents(ctx, incident.id, finding) };
}

const hitKey = (ruleId: string, groupKey: Record<string, string> | undefined, firstTime: string | null | undefined) => `${ruleId}|${JSON.stringify(groupKey ?? {})}|${firstTime ?? ''}`;

function hitText(hit: RuleHit, lang: 'zh-CN' | 'en'): string {
  const group = hit.groupKey ? Object.entries(hit.groupKey).map(([k, v]) => `${k}=${v}`).join(', ') : '';
  const zh = `【规则】${localRuleTitle(hit, 'zh-CN')}${group ? `(${group})` : ''}:${hit.count} 条事件`;
  const en = `[Rule] ${hit.title}${group ? ` (${group})` : ''}: ${hit.count} events`;
  return lang === 'zh-CN' ? zh : en;
}

/**
 * Runs the enabled detection rules over an incident's or drill's events and puts each new hit on the timeline as a
 * finding with its matched events (a hit already recorded by an earlier run is not recorded again). A drill with
 * generated traces uses the placeholders of its generated company (admin and finance accounts). Rules that fail
 * are reported, not fatal. Throws NotFound and what writing on the timeline throws.
 */
export async function runDetection(ctx: ServiceContext, targetId: string, lang: 'zh-CN' | 'en' = 'zh-CN') {
  const incident = await resolveCase(ctx, targetId);
  const settings = await getDetectionSettings(ctx.db);
  let placeholders = settings.placeholders;
  if (incident.drillId) {
    const [traces] = await ctx.db.select().from(drillTraces).where(eq(drillTraces.drillId, incident.drillId));
    const generated = (traces?.truth as { placeholders?: Record<string, string[]> } | undefined)?.placeholders;
    if (generated) placeholders = { ...placeholders, ...generated };
  }
  const rules = await activeRules(ctx.db);
  const report = await runRulesReport(ctx.db, incident.id, rules.run, { placeholders, timeZone: settings.timeZone, ruleSet: rules.all, maxEventIds: KEPT_IDS });
  const recorded = new Set(
    (await listFindings(ctx, incident.id)).filter((f) => f.evidence?.rule).map((f) => hitKey(f.evidence!.rule!.id, f.evidence!.rule!.groupKey, f.evidence!.firstTime)),
  );
  const created: Finding[] = [];
  for (const hit of report.hits) {
    if (recorded.has(hitKey(hit.ruleId, hit.groupKey, hit.firstTime))) continue;
    const evidence: FindingEvidence = {
      eventIds: hit.eventIds,
      total: hit.count,
      rule: { id: hit.ruleId, title: hit.title, ...(hit.name ? { name: hit.name } : {}), ...(hit.level ? { level: hit.level } : {}), ...(hit.author ? { author: hit.author.slice(0, 500) } : {}), ...(hit.groupKey ? { groupKey: hit.groupKey } : {}) },
      firstTime: hit.firstTime,
      lastTime: hit.lastTime,
    };
    created.push(toFinding(await appendFinding(ctx, incident, hitText(hit, lang).slice(0, 4000), evidence)));
  }
  return {
    hits: report.hits.length,
    created,
    errors: report.errors.map((e) => ({ ruleId: e.ruleId, title: e.title, code: e.error.code, message: e.error.message })),
    timings: report.timings,
  };
}
