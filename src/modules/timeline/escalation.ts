import type { EscalationRule, IncidentLevel } from '../plans/schema.js';
import type { Milestone, TimelineEntry } from './schema.js';

export const CLOCK_STATES = ['not_applicable', 'waiting', 'pending', 'overdue', 'met', 'late'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export interface EscalationClock {
  ruleKey: string;
  recipient: string;
  channel: string;
  withinMinutes: number;
  requiredFields: string[];
  state: ClockState;
  /** On the clock's time basis (drill time or epoch ms). */
  triggeredAtMs: number | null;
  dueAtMs: number | null;
  reportedAtMs: number | null;
  reportEntryId: string | null;
  /** Pending: time left. */
  remainingMs: number | null;
  /** Late or overdue: by how much. */
  lateByMs: number | null;
  /** Fields the latest report to this recipient left out (why it does not count yet). */
  missingFields: string[];
}

export interface ClockInput {
  rules: EscalationRule[];
  entries: TimelineEntry[];
  level: IncidentLevel | null;
  /** Now, on the same basis as the entries' times. */
  nowMs: number;
  /** Drills count in drill time (pauses stop the clocks); real incidents in wall time. */
  basis: 'drill' | 'wall';
}

const RANK: Record<IncidentLevel, number> = { I: 1, II: 2, III: 3, IV: 4 };

/** Whether `level` is `min` or more severe (I is the most severe). */
export function levelAtLeast(level: IncidentLevel | null, min: IncidentLevel): boolean {
  return level !== null && RANK[level] <= RANK[min];
}

function timeOf(entry: TimelineEntry, basis: ClockInput['basis']): number {
  return basis === 'drill' ? (entry.drillTimeMs ?? 0) : Date.parse(entry.at);
}

function normalize(label: string): string {
  return label.replace(/\s+/g, '').toLowerCase();
}

/** Entries that stand: anything corrected by a later entry is replaced by that correction. */
export function standingEntries(entries: TimelineEntry[]): TimelineEntry[] {
  const corrected = new Set(entries.filter((e) => e.correctsId).map((e) => e.correctsId));
  return entries.filter((e) => !corrected.has(e.id));
}

/** When a milestone was first reached on the timeline, or null. */
export function milestoneTime(entries: TimelineEntry[], milestone: Milestone, basis: ClockInput['basis']): number | null {
  const times = standingEntries(entries)
    .filter((e) => (e.data as { milestone?: string }).milestone === milestone)
    .map((e) => timeOf(e, basis));
  return times.length ? Math.min(...times) : null;
}

interface ReportData {
  recipient?: string;
  recipientPersonId?: string;
  ruleKey?: string;
  fields?: Record<string, string>;
}

/**
 * The state of every escalation clock: waiting for its trigger, pending with time left, overdue, met
 * (a report to the right recipient with every required field, in time) or late by how much.
 */
export function computeEscalationClocks(input: ClockInput): EscalationClock[] {
  const entries = standingEntries(input.entries);
  const reports = entries
    // A notification carrying report details counts too (telling finance staff to stop WeChat Pay, say).
    .filter((e) => (e.kind === 'report' || e.kind === 'notification') && (e.data as { report?: unknown }).report)
    .map((e) => ({ entry: e, at: timeOf(e, input.basis), report: (e.data as { report: ReportData }).report }))
    .sort((a, b) => a.at - b.at);

  return input.rules.map((rule): EscalationClock => {
    const clock: EscalationClock = {
      ruleKey: rule.key,
      recipient: rule.recipient,
      channel: rule.channel,
      withinMinutes: rule.withinMinutes,
      requiredFields: rule.requiredFields,
      state: 'waiting',
      triggeredAtMs: null,
      dueAtMs: null,
      reportedAtMs: null,
      reportEntryId: null,
      remainingMs: null,
      lateByMs: null,
      missingFields: [],
    };
    const minLevel = rule.minLevel ?? (rule.trigger === 'level_at_least' ? 'IV' : undefined);
    if (minLevel && !levelAtLeast(input.level, minLevel)) return { ...clock, state: 'not_applicable' };

    const trigger = milestoneTime(entries, rule.trigger === 'plan_activated' ? 'plan_activated' : 'detected', input.basis);
    if (trigger === null) return clock;
    const due = trigger + rule.withinMinutes * 60_000;
    clock.triggeredAtMs = trigger;
    clock.dueAtMs = due;

    const toRecipient = reports.filter(
      (r) =>
        r.at >= trigger &&
        (r.report.ruleKey === rule.key ||
          (rule.recipientPersonId !== undefined && r.report.recipientPersonId === rule.recipientPersonId) ||
          (r.report.recipient !== undefined && normalize(r.report.recipient) === normalize(rule.recipient))),
    );
    const missing = (r: (typeof toRecipient)[number]) => rule.requiredFields.filter((f) => !r.report.fields?.[f]?.trim());
    const complete = toRecipient.find((r) => missing(r).length === 0);
    if (complete) {
      clock.reportedAtMs = complete.at;
      clock.reportEntryId = complete.entry.id;
      if (complete.at <= due) return { ...clock, state: 'met' };
      return { ...clock, state: 'late', lateByMs: complete.at - due };
    }
    const latest = toRecipient.at(-1);
    clock.missingFields = latest ? missing(latest) : [];
    if (input.nowMs <= due) return { ...clock, state: 'pending', remainingMs: due - input.nowMs };
    return { ...clock, state: 'overdue', lateByMs: input.nowMs - due };
  });
}
