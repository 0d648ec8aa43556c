import { z } from 'zod';
import type { EscalationClock } from '../timeline/escalation.js';
import { milestoneTime, standingEntries } from '../timeline/escalation.js';
import type { TimelineEntry } from '../timeline/schema.js';

/** How long an inject may go unanswered and still count as answered in time (drill time). */
export const ANSWER_WINDOW_MS = 10 * 60_000;

const RESPONSE_KINDS = new Set(['action', 'decision', 'report', 'notification', 'finding']);

export const DrillMetrics = z.object({
  /** Drill start → detection (the inject or entry marked `detected`). */
  timeToDetectMs: z.number().nullable(),
  /** Detection → the first report to anyone. */
  timeToFirstReportMs: z.number().nullable(),
  /** Detection → containment / recovery milestones. */
  timeToContainMs: z.number().nullable(),
  timeToRecoverMs: z.number().nullable(),
  /** Start → end. */
  totalDurationMs: z.number().nullable(),
  /** Per escalation rule: trigger → the report that satisfied it (null: not reported). */
  reports: z.array(z.object({ ruleKey: z.string(), recipient: z.string(), tookMs: z.number().nullable(), state: z.string() })),
  injects: z.object({ delivered: z.number(), answered: z.number(), answeredInTime: z.number() }),
  escalations: z.object({ applicable: z.number(), met: z.number(), late: z.number(), missed: z.number() }),
});
export type DrillMetrics = z.infer<typeof DrillMetrics>;

const between = (from: number | null, to: number | null) => (from === null || to === null ? null : to - from);

/**
 * The drill's figures, computed from its timeline (never typed in), in drill time so pauses do not count:
 * times to detect, report, contain and recover, total duration, injects answered (in time), escalation rules met.
 * Corrections replace the entries they correct. An inject counts as answered by the first response entry that
 * names it (data.injectId) or, failing that, the first response after it and before the next inject.
 */
export function computeDrillMetrics(entries: TimelineEntry[], clocks: EscalationClock[]): DrillMetrics {
  const standing = standingEntries(entries).sort((a, b) => (a.drillTimeMs ?? 0) - (b.drillTimeMs ?? 0) || a.seq - b.seq);
  const t = (e: TimelineEntry) => e.drillTimeMs ?? 0;
  const started = milestoneTime(standing, 'started', 'drill');
  const detected = milestoneTime(standing, 'detected', 'drill');
  const firstReport = standing.find((e) => e.kind === 'report' && detected !== null && t(e) >= detected);

  const injects = standing.filter((e) => e.kind === 'inject');
  const responses = standing.filter((e) => RESPONSE_KINDS.has(e.kind));
  let answered = 0;
  let answeredInTime = 0;
  injects.forEach((inject, i) => {
    const next = injects[i + 1];
    const injectId = (inject.data as { injectId?: string }).injectId;
    const reply =
      responses.find((r) => injectId !== undefined && (r.data as { injectId?: string }).injectId === injectId) ??
      responses.find(
        (r) =>
          (r.data as { injectId?: string }).injectId === undefined &&
          t(r) >= t(inject) &&
          r.seq > inject.seq &&
          (!next || t(r) < t(next) || (t(r) === t(next) && r.seq < next.seq)),
      );
    if (!reply) return;
    answered++;
    if (t(reply) - t(inject) <= ANSWER_WINDOW_MS) answeredInTime++;
  });

  const applicable = clocks.filter((c) => c.state !== 'not_applicable' && c.state !== 'waiting');
  return {
    timeToDetectMs: between(started, detected),
    timeToFirstReportMs: firstReport ? between(detected, t(firstReport)) : null,
    timeToContainMs: between(detected, milestoneTime(standing, 'contained', 'drill')),
    timeToRecoverMs: between(detected, milestoneTime(standing, 'recovered', 'drill')),
    totalDurationMs: between(started, milestoneTime(standing, 'ended', 'drill')),
    reports: clocks.map((c) => ({ ruleKey: c.ruleKey, recipient: c.recipient, tookMs: between(c.triggeredAtMs, c.reportedAtMs), state: c.state })),
    injects: { delivered: injects.length, answered, answeredInTime },
    escalations: {
      applicable: applicable.length,
      met: applicable.filter((c) => c.state === 'met').length,
      late: applicable.filter((c) => c.state === 'late').length,
      missed: applicable.filter((c) => c.state === 'pending' || c.state === 'overdue').length,
    },
  };
}
