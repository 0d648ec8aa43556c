/**
 * Scores what a team found against a bundle's ground truth: a step is found when a finding links an event that
 * matches the step (type, user, address, source) within a tolerance window around the step's time.
 */
import type { GroundTruth, Localized, StepMatch, TruthStep } from './types.js';

/** The fields of an event a finding links to that scoring looks at. */
export interface FindingEvent {
  time: number | null;
  user: string | null;
  srcIp: string | null;
  type: string;
  source: string;
}

export interface ScoreFinding {
  id: string;
  title: string;
  /** When the team recorded it (ms). */
  createdAt: number;
  events: FindingEvent[];
}

export interface ScoreOptions {
  drillStart: number;
  /** How far before a step's time or after its end a matching event may lie (default 10 minutes; a step's own wins). */
  toleranceMs?: number;
}

export interface StepScore {
  key: string;
  title: Localized;
  found: boolean;
  /** The findings that found it, earliest recorded first. */
  findingIds: string[];
  /** From the drill's start to the first finding that found it; null when not found. */
  timeToFindMs: number | null;
}

export interface ScoreResult {
  steps: StepScore[];
  found: number;
  missed: number;
  /** Findings that match no step. */
  falseLeads: Array<{ findingId: string; title: string }>;
  /** found / steps (1 when the truth has no step). */
  recall: number;
}

export const DEFAULT_TOLERANCE_MS = 10 * 60_000;

function oneOf(expected: string | string[] | undefined, actual: string | null): boolean {
  if (expected === undefined) return true;
  if (actual === null) return false;
  return Array.isArray(expected) ? expected.includes(actual) : expected === actual;
}

function matches(event: FindingEvent, m: StepMatch): boolean {
  if (m.type && !m.type.includes(event.type as never)) return false;
  return oneOf(m.user, event.user) && oneOf(m.srcIp, event.srcIp) && oneOf(m.source, event.source);
}

/**
 * True when the event is one of the step's: its time is in the step's window (widened by the tolerance) and
 * every criterion of `match`, or of one of the `also` alternatives, holds.
 */
export function eventMatchesStep(
  event: FindingEvent,
  step: Pick<TruthStep, 'time' | 'endTime' | 'toleranceMs' | 'also'> & { match: StepMatch },
  defaultToleranceMs = DEFAULT_TOLERANCE_MS,
): boolean {
  if (event.time === null) return false;
  const toleranceMs = step.toleranceMs ?? defaultToleranceMs;
  if (event.time < step.time - toleranceMs || event.time > (step.endTime ?? step.time) + toleranceMs) return false;
  return matches(event, step.match) || (step.also ?? []).some((m) => matches(event, m));
}

/** Pure: the same truth, findings and options always give the same result. */
export function scoreFindings(truth: GroundTruth, findings: ScoreFinding[], options: ScoreOptions): ScoreResult {
  const tolerance = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  const ordered = [...findings].sort((a, b) => a.createdAt - b.createdAt);
  const useful = new Set<string>();
  const steps: StepScore[] = truth.steps.map((step) => {
    const ids: string[] = [];
    let first: number | null = null;
    for (const f of ordered) {
      if (!f.events.some((e) => eventMatchesStep(e, step, tolerance))) continue;
      useful.add(f.id);
      if (!ids.includes(f.id)) ids.push(f.id);
      if (first === null) first = f.createdAt;
    }
    return { key: step.key, title: step.title, found: ids.length > 0, findingIds: ids, timeToFindMs: first === null ? null : first - options.drillStart };
  });
  const falseLeads: ScoreResult['falseLeads'] = [];
  const listed = new Set<string>();
  for (const f of findings) {
    if (useful.has(f.id) || listed.has(f.id)) continue;
    listed.add(f.id);
    falseLeads.push({ findingId: f.id, title: f.title });
  }
  const found = steps.filter((s) => s.found).length;
  return { steps, found, missed: steps.length - found, falseLeads, recall: steps.length === 0 ? 1 : found / steps.length };
}
