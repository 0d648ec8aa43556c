import { describe, expect, it } from 'vitest';
import type { EscalationRule } from '../plans/schema.js';
import { computeEscalationClocks } from '../timeline/escalation.js';
import type { TimelineEntry } from '../timeline/schema.js';
import { computeDrillMetrics } from './metrics.js';

const MIN = 60_000;
let seq = 0;
/** An entry at drill minute `m`, recorded at wall time 09:00 + `wall` minutes (default: no pause, wall = drill). */
function entry(m: number, kind: TimelineEntry['kind'], data: Record<string, unknown> = {}, extra: Partial<TimelineEntry> & { wall?: number } = {}): TimelineEntry {
  seq++;
  const { wall = m, ...rest } = extra;
  return {
    id: `e${seq}`,
    seq,
    kind,
    at: new Date(Date.UTC(2020, 3, 18, 1, 0) + wall * MIN).toISOString(),
    drillTimeMs: m * MIN,
    actorId: null,
    actorLabel: 'test',
    text: kind,
    data,
    correctsId: null,
    attachments: [],
    createdAt: new Date().toISOString(),
    ...rest,
  };
}

const gm: EscalationRule = { key: 'report-gm', trigger: 'incident_detected', recipient: '总经理', withinMinutes: 10, channel: 'verbal', requiredFields: ['occurred_at', 'scope', 'trend', 'measures'] };
const fields = { occurred_at: '9:15', scope: '商户平台', trend: '已止损', measures: '清空余额' };
const report = (recipient = '总经理') => ({ report: { recipient, channel: 'verbal', fields } });

function metrics(entries: TimelineEntry[], rules = [gm], nowMinute = 200) {
  return computeDrillMetrics(entries, computeEscalationClocks({ rules, entries, level: 'IV', nowMs: nowMinute * MIN, basis: 'drill' }));
}

/** The seed record (四.(二)): start 09:00, call 09:15, report 09:25, withdrawal off 09:28, hardened 10:55, end 11:00. */
function seedTimeline(reportMinute = 25): TimelineEntry[] {
  seq = 0;
  return [
    entry(0, 'status_change', { milestone: 'started' }),
    entry(0, 'inject', { injectId: 'i0' }),
    entry(15, 'inject', { injectId: 'i1', milestone: 'detected' }),
    entry(16, 'action'),
    entry(19, 'action'),
    entry(20, 'decision', { milestone: 'plan_activated' }),
    entry(reportMinute, 'report', report()),
    entry(28, 'action', { milestone: 'contained' }),
    entry(40, 'inject', { injectId: 'i2' }),
    entry(65, 'action'),
    entry(115, 'action', { milestone: 'recovered' }),
    entry(120, 'status_change', { milestone: 'ended' }),
  ];
}

describe('drill metrics, computed from the timeline', () => {
  it('the seed drill: detected 09:15, general manager told 09:25 → 10 minutes', () => {
    const m = metrics(seedTimeline());
    expect(m.timeToDetectMs).toBe(15 * MIN);
    expect(m.timeToFirstReportMs).toBe(10 * MIN);
    expect(m.reports).toEqual([{ ruleKey: 'report-gm', recipient: '总经理', tookMs: 10 * MIN, state: 'met' }]);
    expect(m.timeToContainMs).toBe(13 * MIN);
    expect(m.timeToRecoverMs).toBe(100 * MIN);
    expect(m.totalDurationMs).toBe(120 * MIN);
    // i0 (the opening message) gets no response before the 09:15 call; i1 is answered at 09:16 (1 min),
    // i2 at 10:05 (25 min: answered, not in time).
    expect(m.injects).toEqual({ delivered: 3, answered: 2, answeredInTime: 1 });
    expect(m.escalations).toEqual({ applicable: 1, met: 1, late: 0, missed: 0 });
  });

  it('a pause does not count: times are drill time, not wall time', () => {
    seq = 0;
    // Paused 20 minutes between detection (drill 15) and the report (drill 25, wall 45).
    const entries = [
      entry(0, 'status_change', { milestone: 'started' }),
      entry(15, 'inject', { milestone: 'detected' }),
      entry(25, 'report', report(), { wall: 45 }),
      entry(30, 'status_change', { milestone: 'ended' }, { wall: 50 }),
    ];
    const m = metrics(entries);
    expect(m.timeToFirstReportMs).toBe(10 * MIN);
    expect(m.reports[0]).toMatchObject({ tookMs: 10 * MIN, state: 'met' });
    expect(m.totalDurationMs).toBe(30 * MIN);
  });

  it('a correction replaces what it corrects', () => {
    const entries = seedTimeline(40);
    const late = entries.find((e) => e.kind === 'report')!;
    // The report was really made at 09:24; recorded late, corrected afterwards.
    const fixed = entry(24, 'report', report(), { correctsId: late.id });
    const m = metrics([...entries, fixed]);
    expect(m.timeToFirstReportMs).toBe(9 * MIN);
    expect(m.reports[0]).toMatchObject({ tookMs: 9 * MIN, state: 'met' });
  });

  it('a missing report leaves the figure empty and counts the rule as missed; a late one as late', () => {
    const noReport = seedTimeline().filter((e) => e.kind !== 'report');
    const m = metrics(noReport);
    expect(m.timeToFirstReportMs).toBeNull();
    expect(m.reports[0]).toMatchObject({ tookMs: null, state: 'overdue' });
    expect(m.escalations).toEqual({ applicable: 1, met: 0, late: 0, missed: 1 });
    const late = metrics(seedTimeline(27));
    expect(late.reports[0]).toMatchObject({ tookMs: 12 * MIN, state: 'late' });
    expect(late.escalations).toMatchObject({ met: 0, late: 1 });
  });

  it('a drill never detected has no detection-based figures', () => {
    seq = 0;
    const m = metrics([entry(0, 'status_change', { milestone: 'started' }), entry(10, 'status_change', { milestone: 'ended' })]);
    expect(m).toMatchObject({ timeToDetectMs: null, timeToFirstReportMs: null, timeToContainMs: null, totalDurationMs: 10 * MIN });
    expect(m.escalations.applicable).toBe(0);
  });

  it('an answer that names its inject counts for that inject', () => {
    seq = 0;
    const entries = [
      entry(0, 'status_change', { milestone: 'started' }),
      entry(5, 'inject', { injectId: 'a' }),
      entry(6, 'inject', { injectId: 'b' }),
      entry(8, 'action', { injectId: 'a' }),
    ];
    // b has no answer before the end: the reply to a names a.
    expect(metrics(entries, []).injects).toEqual({ delivered: 2, answered: 1, answeredInTime: 1 });
  });
});
