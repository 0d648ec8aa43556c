/**
 * The evaluation page's response-timeline chart and the dashboard's charts, as pure option builders: phases from
 * the metrics, markers from the standing entries, rule bars coloured by state, and every user text escaped in
 * the tooltips (ECharts renders them as HTML).
 * (Type-checked with the web app: web/tsconfig.json includes test/web.)
 */
import { describe, expect, it } from 'vitest';
import type { DrillTimelineView, EscalationClock, TimelineEntry } from '../../web/src/api/types';
import { objectivesOption, trendOption, type DashboardWords } from '../../web/src/features/dashboard/charts';
import type { DashboardDrill } from '../../web/src/features/dashboard/api';
import type { DrillMetrics } from '../../web/src/features/evaluation/api';
import { axisMaxMinutes, buildTimelineModel, timelineOption, tooltipHtml, type ChartWords } from '../../web/src/features/evaluation/timeline-model';

const MIN = 60_000;
const EVIL = '<img src=x onerror=alert(1)>';

let seq = 0;
function entry(minute: number, kind: TimelineEntry['kind'], data: TimelineEntry['data'] = {}, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  seq++;
  return { id: `e${seq}`, seq, kind, at: new Date(Date.UTC(2020, 3, 18, 1) + minute * MIN).toISOString(), drillTimeMs: minute * MIN, actorId: null, actorLabel: '郑玉茹', text: kind, data, correctsId: null, correctedBy: null, attachments: [], createdAt: '', ...extra };
}

function clock(overrides: Partial<EscalationClock>): EscalationClock {
  return { ruleKey: 'r', recipient: '总经理', channel: 'verbal', withinMinutes: 10, requiredFields: [], state: 'met', triggeredAtMs: null, dueAtMs: null, reportedAtMs: null, reportEntryId: null, remainingMs: null, lateByMs: null, missingFields: [], ...overrides };
}

const metrics = (m: Partial<DrillMetrics>): DrillMetrics => ({
  timeToDetectMs: null,
  timeToFirstReportMs: null,
  timeToContainMs: null,
  timeToRecoverMs: null,
  totalDurationMs: null,
  reports: [],
  injects: { delivered: 0, answered: 0, answeredInTime: 0 },
  escalations: { applicable: 0, met: 0, late: 0, missed: 0 },
  ...m,
});

const view = (entries: TimelineEntry[], escalations: EscalationClock[], drillTimeMs = 0): Pick<DrillTimelineView, 'drill' | 'entries' | 'escalations'> => ({
  drill: { id: 'd', title: 'd', status: 'ended', mode: 'tabletop', scope: 'single_topic', scheduledStart: null, startedAt: null, endedAt: null, place: '', exercise: true, drillTimeMs } as DrillTimelineView['drill'],
  entries,
  escalations,
});

const words: ChartWords = {
  rows: { phases: 'Phases', injects: 'Injects', reports: 'Reports', rule: (r, m) => `${r} · ${m} min` },
  legend: { phases: 'Phases', injects: 'Injects', reports: 'Reports', met: 'Met', late: 'Late', missed: 'Missed', pending: 'Pending', not_applicable: 'N/A' },
  phase: (k) => `phase:${k}`,
  state: (s) => `state:${s}`,
  at: (m) => `T+${m}`,
  duration: (m) => `${m} min`,
  minutesAxis: 'min',
  triggered: 'Triggered',
  deadline: 'Deadline',
  reported: 'Reported',
  notReported: 'Not reported',
  lateBy: 'Late by',
  to: '→',
  description: 'd',
};

describe('the response-timeline chart', () => {
  it('phases: consecutive bands from start to end, cut at detection, first report, containment, recovery', () => {
    seq = 0;
    const entries = [entry(0, 'status_change', { milestone: 'started' }), entry(15, 'inject', { milestone: 'detected' })];
    // The seed drill: detected 15, first report +10, contained +13, recovered +100, ended 120.
    const model = buildTimelineModel(view(entries, []), metrics({ timeToDetectMs: 15 * MIN, timeToFirstReportMs: 10 * MIN, timeToContainMs: 13 * MIN, timeToRecoverMs: 100 * MIN, totalDurationMs: 120 * MIN }));
    expect(model.phases.map((p) => [p.key, p.fromMs / MIN, p.toMs / MIN])).toEqual([
      ['before_detection', 0, 15],
      ['to_first_report', 15, 25],
      ['to_containment', 25, 28],
      ['to_recovery', 28, 115],
      ['to_end', 115, 120],
    ]);
    expect(model.ended).toBe(true);
  });

  it('a milestone reached before the previous one adds no band; a running drill ends at its drill time now', () => {
    seq = 0;
    // Contained (5 after detection) before the first report (8 after): no containment band; still running at 40.
    const model = buildTimelineModel(view([], [], 40 * MIN), metrics({ timeToDetectMs: 10 * MIN, timeToFirstReportMs: 8 * MIN, timeToContainMs: 5 * MIN }));
    expect(model.phases.map((p) => [p.key, p.fromMs / MIN, p.toMs / MIN])).toEqual([
      ['before_detection', 0, 10],
      ['to_first_report', 10, 18],
      ['ongoing', 18, 40],
    ]);
    expect(model.ended).toBe(false);
    // Nothing detected, ended at 30: one band, before detection.
    expect(buildTimelineModel(view([], []), metrics({ totalDurationMs: 30 * MIN })).phases).toEqual([{ key: 'before_detection', fromMs: 0, toMs: 30 * MIN }]);
  });

  it('markers: injects and reports (a notification carrying a report counts), corrected entries left out', () => {
    seq = 0;
    const wrong = entry(12, 'report', { report: { recipient: '总经理', channel: 'verbal', fields: {} } }, { correctedBy: 'e9' });
    const entries = [entry(5, 'inject'), wrong, entry(13, 'report', { report: { recipient: '总经理', channel: 'verbal', fields: {} } }), entry(14, 'notification', { report: { recipient: '财务', channel: 'chat', fields: {} } }), entry(15, 'notification'), entry(16, 'action')];
    const model = buildTimelineModel(view(entries, []), metrics({ totalDurationMs: 20 * MIN }));
    expect(model.injects.map((m) => m.atMs / MIN)).toEqual([5]);
    expect(model.reports.map((m) => [m.atMs / MIN, m.recipient])).toEqual([
      [13, '总经理'],
      [14, '财务'],
    ]);
  });

  it('rules: one row each, coloured met / late / missed / pending / not applicable; pending after the end is missed', () => {
    const clocks = [
      clock({ state: 'met', triggeredAtMs: 10 * MIN, dueAtMs: 20 * MIN, reportedAtMs: 15 * MIN }),
      clock({ state: 'late', triggeredAtMs: 10 * MIN, dueAtMs: 20 * MIN, reportedAtMs: 22 * MIN, lateByMs: 2 * MIN }),
      clock({ state: 'overdue', triggeredAtMs: 10 * MIN, dueAtMs: 20 * MIN, lateByMs: 40 * MIN }),
      clock({ state: 'pending', triggeredAtMs: 50 * MIN, dueAtMs: 70 * MIN }),
      clock({ state: 'not_applicable' }),
      clock({ state: 'waiting' }),
    ];
    const ended = buildTimelineModel(view([], clocks), metrics({ totalDurationMs: 60 * MIN }));
    expect(ended.rules.map((r) => [r.row, r.group])).toEqual([
      [3, 'met'],
      [4, 'late'],
      [5, 'missed'],
      [6, 'missed'],
      [7, 'not_applicable'],
      [8, 'not_applicable'],
    ]);
    expect(buildTimelineModel(view([], clocks, 60 * MIN), metrics({})).rules[3].group).toBe('pending');
    // The axis reaches the latest deadline (70), rounded up to 5.
    expect(axisMaxMinutes(ended)).toBe(70);

    const option = timelineOption(ended, words) as { series: { id: string; name: string; data: unknown[] }[]; yAxis: { data: string[] } };
    expect(option.series.map((s) => [s.id, s.name, s.data.length])).toEqual([
      ['phases', 'Phases', 1],
      ['injects', 'Injects', 0],
      ['reports', 'Reports', 0],
      ['rules-met', 'Met', 1],
      ['rules-late', 'Late', 1],
      ['rules-missed', 'Missed', 2],
      ['rules-not_applicable', 'N/A', 2],
    ]);
    expect(option.yAxis.data.slice(0, 4)).toEqual(['Phases', 'Injects', 'Reports', '总经理 · 10 min']);
  });

  it('tooltips escape every user text: inject and report texts, actors, recipients', () => {
    seq = 0;
    const entries = [entry(5, 'inject', {}, { text: `${EVIL}\n第二行`, actorLabel: EVIL }), entry(8, 'report', { report: { recipient: EVIL, channel: 'phone', fields: {} } }, { text: EVIL })];
    const clocks = [clock({ recipient: EVIL, state: 'late', triggeredAtMs: 5 * MIN, dueAtMs: 7 * MIN, reportedAtMs: 8 * MIN, lateByMs: MIN })];
    const model = buildTimelineModel(view(entries, clocks), metrics({ timeToDetectMs: 5 * MIN, timeToFirstReportMs: 3 * MIN, totalDurationMs: 10 * MIN }));
    const inject = tooltipHtml(model, words, 'injects', 0);
    const report = tooltipHtml(model, words, 'reports', 0);
    const rule = tooltipHtml(model, words, 'rules-late', 0);
    for (const html of [inject, report, rule]) {
      expect(html).not.toContain('<img');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
    expect(inject).toContain('<br/>第二行');
    expect(rule).toContain('Late by 1 min');
    expect(tooltipHtml(model, words, 'phases', 1)).toBe('<b>phase:to_first_report</b><br/>T+5 – T+8（3 min）');
  });
});

describe('the dashboard charts', () => {
  const drill = (title: string, startedAt: string, minutes: (number | null)[], objectives: DashboardDrill['objectives']): DashboardDrill => ({
    id: title,
    title,
    status: 'ended',
    mode: 'tabletop',
    startedAt,
    endedAt: null,
    exercise: true,
    timeToDetectMs: minutes[0] === null ? null : minutes[0] * MIN,
    timeToFirstReportMs: minutes[1] === null ? null : minutes[1] * MIN,
    timeToContainMs: null,
    timeToRecoverMs: null,
    totalDurationMs: minutes[2] === null ? null : minutes[2] * MIN,
    escalations: { applicable: 0, met: 0, late: 0, missed: 0 },
    injects: { delivered: 0, answered: 0, answeredInTime: 0 },
    objectives,
  });
  const w: DashboardWords = {
    time: { timeToDetectMs: 'detect', timeToFirstReportMs: 'report', timeToContainMs: 'contain', timeToRecoverMs: 'recover', totalDurationMs: 'total' },
    objectives: { met: 'met', partlyMet: 'partly', notMet: 'not met', unrated: 'unrated' },
    minutes: 'min',
    duration: (m) => `${m} min`,
    none: '—',
    trendDescription: '',
    objectivesDescription: '',
  };
  const drills = [
    drill(EVIL, '2020-04-18T01:00:00Z', [15, 10, 120], { total: 2, met: 1, partlyMet: 0, notMet: 1, unrated: 0 }),
    // 23:30 UTC on 19 October is 20 October in China.
    drill('勒索病毒', '2020-10-19T23:30:00Z', [10, null, 90], { total: 3, met: 0, partlyMet: 1, notMet: 0, unrated: 2 }),
  ];

  it('trends: one line per time in minutes, a gap where a milestone was never reached; labels by China date', () => {
    const option = trendOption(drills, w) as { series: { id: string; data: (number | null)[] }[]; xAxis: { data: string[] } };
    expect(option.xAxis.data).toEqual([`04-18 ${EVIL}`, '10-20 勒索病毒']);
    expect(option.series.map((s) => [s.id, s.data])).toEqual([
      ['timeToDetectMs', [15, 10]],
      ['timeToFirstReportMs', [10, null]],
      ['timeToContainMs', [null, null]],
      ['timeToRecoverMs', [null, null]],
      ['totalDurationMs', [120, 90]],
    ]);
    const tooltip = (option as unknown as { tooltip: { formatter: (p: unknown) => string } }).tooltip.formatter([
      { dataIndex: 0, seriesName: 'detect', color: '#1677ff', value: 15 },
      { dataIndex: 0, seriesName: 'report', color: '#fa8c16', value: null },
    ]);
    expect(tooltip).not.toContain('<img');
    expect(tooltip).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(tooltip).toContain('detect：15 min');
    expect(tooltip).toContain('report：—');
  });

  it('objectives: stacked by rating', () => {
    const option = objectivesOption(drills, w) as { series: { id: string; stack: string; data: number[] }[] };
    expect(option.series.map((s) => [s.id, s.stack, s.data])).toEqual([
      ['met', 'objectives', [1, 0]],
      ['partlyMet', 'objectives', [0, 1]],
      ['notMet', 'objectives', [1, 0]],
      ['unrated', 'objectives', [0, 2]],
    ]);
  });
});
