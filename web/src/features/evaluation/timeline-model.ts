/**
 * The drill's response timeline as a chart: phases as consecutive bands, injects and reports as markers, each
 * escalation rule as a bar from its trigger to its deadline with the report marked, coloured by state. Pure
 * (data in, ECharts option out) so it is tested without a browser; every user text in a tooltip is escaped.
 */
import type { CustomSeriesOption, EChartsOption, ScatterSeriesOption } from 'echarts';
import type { DrillTimelineView, EscalationClock, TimelineEntry } from '../../api/types';
import { escapeHtml } from '../../lib/escape';
import type { DrillMetrics } from './api';

export const PHASES = ['before_detection', 'to_first_report', 'to_containment', 'to_recovery', 'to_end', 'ongoing'] as const;
export type PhaseKey = (typeof PHASES)[number];
export const RULE_GROUPS = ['met', 'late', 'missed', 'pending', 'not_applicable'] as const;
export type RuleGroup = (typeof RULE_GROUPS)[number];

export const PHASE_COLORS: Record<PhaseKey, string> = {
  before_detection: '#d9d9d9',
  to_first_report: '#ffd591',
  to_containment: '#ffadd2',
  to_recovery: '#91caff',
  to_end: '#b7eb8f',
  ongoing: '#bae0ff',
};
export const GROUP_COLORS: Record<RuleGroup, string> = { met: '#52c41a', late: '#fa8c16', missed: '#f5222d', pending: '#1677ff', not_applicable: '#bfbfbf' };
const INJECT_COLOR = '#2f54eb';
const REPORT_COLOR = '#722ed1';
const REPORT_MARK_COLOR = '#262626';

export interface PhaseBand {
  key: PhaseKey;
  fromMs: number;
  toMs: number;
}

export interface Marker {
  atMs: number;
  text: string;
  actor: string;
  /** Reports: who was told. */
  recipient?: string;
}

export interface RuleBar {
  /** Row on the chart (0 phases, 1 injects, 2 reports, then one per rule). */
  row: number;
  clock: EscalationClock;
  group: RuleGroup;
}

export interface TimelineModel {
  startMs: number;
  /** The end of the drill, or its drill time now while it runs. */
  endMs: number;
  ended: boolean;
  phases: PhaseBand[];
  injects: Marker[];
  reports: Marker[];
  rules: RuleBar[];
}

const plus = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);

/** Which colour a clock gets: a clock still pending after the drill ended was missed. */
export function ruleGroup(clock: EscalationClock, ended: boolean): RuleGroup {
  switch (clock.state) {
    case 'met':
      return 'met';
    case 'late':
      return 'late';
    case 'overdue':
      return 'missed';
    case 'pending':
      return ended ? 'missed' : 'pending';
    default:
      return 'not_applicable';
  }
}

/** The phases, markers and rule bars of a drill, from its timeline and its metrics (drill time). */
export function buildTimelineModel(view: Pick<DrillTimelineView, 'drill' | 'entries' | 'escalations'>, metrics: DrillMetrics): TimelineModel {
  const standing = view.entries.filter((e) => !e.correctedBy && e.drillTimeMs !== null);
  const startEntry = standing.filter((e) => e.data.milestone === 'started').sort((a, b) => a.drillTimeMs! - b.drillTimeMs!)[0];
  const startMs = startEntry?.drillTimeMs ?? 0;
  const ended = metrics.totalDurationMs !== null;
  const endMs = ended ? startMs + metrics.totalDurationMs! : Math.max(view.drill.drillTimeMs, startMs);

  const detected = plus(startMs, metrics.timeToDetectMs);
  const phases: PhaseBand[] = [];
  if (detected === null) {
    if (endMs > startMs) phases.push({ key: 'before_detection', fromMs: startMs, toMs: endMs });
  } else {
    const points: [number | null, PhaseKey][] = [
      [detected, 'before_detection'],
      [plus(detected, metrics.timeToFirstReportMs), 'to_first_report'],
      [plus(detected, metrics.timeToContainMs), 'to_containment'],
      [plus(detected, metrics.timeToRecoverMs), 'to_recovery'],
      [endMs, ended ? 'to_end' : 'ongoing'],
    ];
    let cursor = startMs;
    for (const [at, key] of points) {
      // A milestone reached before the previous one (contained before the first report, say) adds no band.
      if (at === null || at <= cursor) continue;
      phases.push({ key, fromMs: cursor, toMs: at });
      cursor = at;
    }
  }

  const marker = (e: TimelineEntry): Marker => ({ atMs: e.drillTimeMs!, text: e.text, actor: e.actorLabel, recipient: e.data.report?.recipient });
  return {
    startMs,
    endMs,
    ended,
    phases,
    injects: standing.filter((e) => e.kind === 'inject').map(marker),
    reports: standing.filter((e) => e.kind === 'report' || (e.kind === 'notification' && e.data.report)).map(marker),
    rules: view.escalations.map((clock, i) => ({ row: 3 + i, clock, group: ruleGroup(clock, ended) })),
  };
}

/** Minutes with one decimal. */
export function toMinutes(ms: number): number {
  return Math.round(ms / 6_000) / 10;
}

/** The words of the chart, in the interface language. */
export interface ChartWords {
  rows: { phases: string; injects: string; reports: string; rule: (recipient: string, minutes: number) => string };
  legend: Record<'phases' | 'injects' | 'reports' | RuleGroup, string>;
  phase: (key: PhaseKey) => string;
  state: (state: string) => string;
  /** "T+12.5 min" */
  at: (minutes: number) => string;
  /** "7 min" */
  duration: (minutes: number) => string;
  minutesAxis: string;
  triggered: string;
  deadline: string;
  reported: string;
  notReported: string;
  lateBy: string;
  to: string;
  description: string;
}

const TEXT_LIMIT = 300;
const clip = (s: string) => (s.length > TEXT_LIMIT ? `${s.slice(0, TEXT_LIMIT)}…` : s);

/** The tooltip of one item, as HTML: user text escaped, line breaks kept. */
function markerTooltip(title: string, m: Marker, w: ChartWords): string {
  const who = m.recipient ? ` ${escapeHtml(w.to)} ${escapeHtml(m.recipient)}` : '';
  return `<b>${escapeHtml(title)}</b> ${escapeHtml(w.at(toMinutes(m.atMs)))}${who}<br/>${escapeHtml(clip(m.text)).replace(/\n/g, '<br/>')}<br/><span style="color:#8c8c8c">${escapeHtml(m.actor)}</span>`;
}

function ruleTooltip(r: RuleBar, w: ChartWords): string {
  const c = r.clock;
  const lines = [`<b>${escapeHtml(w.rows.rule(c.recipient, c.withinMinutes))}</b>`, `${escapeHtml(w.state(c.state))}`];
  if (c.triggeredAtMs !== null) lines.push(`${escapeHtml(w.triggered)} ${escapeHtml(w.at(toMinutes(c.triggeredAtMs)))}`);
  if (c.dueAtMs !== null) lines.push(`${escapeHtml(w.deadline)} ${escapeHtml(w.at(toMinutes(c.dueAtMs)))}`);
  if (c.triggeredAtMs !== null) lines.push(c.reportedAtMs !== null ? `${escapeHtml(w.reported)} ${escapeHtml(w.at(toMinutes(c.reportedAtMs)))}` : escapeHtml(w.notReported));
  if (c.lateByMs !== null) lines.push(`${escapeHtml(w.lateBy)} ${escapeHtml(w.duration(toMinutes(c.lateByMs)))}`);
  return lines.join('<br/>');
}

/** The tooltip of the item under the pointer (series id + data index), as escaped HTML. */
export function tooltipHtml(model: TimelineModel, w: ChartWords, seriesId: string, dataIndex: number): string {
  if (seriesId === 'phases') {
    const p = model.phases[dataIndex];
    return p ? `<b>${escapeHtml(w.phase(p.key))}</b><br/>${escapeHtml(w.at(toMinutes(p.fromMs)))} – ${escapeHtml(w.at(toMinutes(p.toMs)))}（${escapeHtml(w.duration(toMinutes(p.toMs - p.fromMs)))}）` : '';
  }
  if (seriesId === 'injects') return model.injects[dataIndex] ? markerTooltip(w.legend.injects, model.injects[dataIndex], w) : '';
  if (seriesId === 'reports') return model.reports[dataIndex] ? markerTooltip(w.legend.reports, model.reports[dataIndex], w) : '';
  const group = seriesId.replace(/^rules-/, '') as RuleGroup;
  const rule = model.rules.filter((r) => r.group === group)[dataIndex];
  return rule ? ruleTooltip(rule, w) : '';
}

/** The axis end in minutes: everything on the chart fits, rounded up to 5. */
export function axisMaxMinutes(model: TimelineModel): number {
  const times = [model.endMs, ...model.injects.map((m) => m.atMs), ...model.reports.map((m) => m.atMs)];
  for (const r of model.rules) times.push(r.clock.dueAtMs ?? 0, r.clock.reportedAtMs ?? 0);
  return Math.max(5, Math.ceil(Math.max(...times) / 60_000 / 5) * 5);
}

type RenderItem = NonNullable<CustomSeriesOption['renderItem']>;
type RenderApi = Parameters<RenderItem>[1];

function rowBox(api: RenderApi, fromMin: number, toMin: number, row: number, share: number) {
  const start = api.coord([fromMin, row]);
  const end = api.coord([toMin, row]);
  const height = (api.size!([0, 1]) as number[])[1] * share;
  return { x: start[0], y: start[1] - height / 2, width: Math.max(end[0] - start[0], 1), height };
}

/** The chart's option: rows (phases, injects, reports, one per rule) against drill minutes. */
export function timelineOption(model: TimelineModel, w: ChartWords): EChartsOption {
  const max = axisMaxMinutes(model);
  const rows = [w.rows.phases, w.rows.injects, w.rows.reports, ...model.rules.map((r) => w.rows.rule(r.clock.recipient, r.clock.withinMinutes))];
  const groups = RULE_GROUPS.filter((g) => g !== 'pending' || model.rules.some((r) => r.group === 'pending'));

  const phaseRender: RenderItem = (params, api) => {
    const band = model.phases[params.dataIndex];
    const box = rowBox(api, toMinutes(band.fromMs), toMinutes(band.toMs), 0, 0.7);
    const label = w.phase(band.key);
    // About 13 px per CJK character and 7 px per other character at 12 px.
    const labelWidth = [...label].reduce((sum, c) => sum + (c.charCodeAt(0) > 0x2e80 ? 13 : 7), 0);
    return {
      type: 'rect',
      shape: box,
      style: { fill: PHASE_COLORS[band.key], stroke: '#ffffff', lineWidth: 1 },
      // The phase's name inside its band when it fits.
      textContent: box.width > labelWidth + 8 ? { type: 'text', style: { text: label, fill: '#262626', fontSize: 12 } } : undefined,
      textConfig: { position: 'inside' },
    };
  };

  const ruleRender =
    (group: RuleGroup): RenderItem =>
    (params, api) => {
      const r = model.rules.filter((x) => x.group === group)[params.dataIndex];
      const c = r.clock;
      const color = GROUP_COLORS[group];
      if (c.triggeredAtMs === null || c.dueAtMs === null) {
        // Not applicable or never triggered: a thin grey line across the drill.
        return { type: 'rect', shape: rowBox(api, 0, toMinutes(model.endMs) || max, r.row, 0.18), style: { fill: color, opacity: 0.6 } };
      }
      const children: NonNullable<Extract<ReturnType<RenderItem>, { type: 'group' }>['children']> = [
        { type: 'rect', shape: rowBox(api, toMinutes(c.triggeredAtMs), toMinutes(c.dueAtMs), r.row, 0.5), style: { fill: color, opacity: 0.85 } },
      ];
      // Past the deadline: a thin bar in the same colour up to the report (late) or to now / the end (missed).
      const lateUntil = c.reportedAtMs !== null ? c.reportedAtMs : group === 'missed' ? Math.max(model.endMs, c.dueAtMs) : null;
      if (lateUntil !== null && lateUntil > c.dueAtMs) {
        children.push({ type: 'rect', shape: rowBox(api, toMinutes(c.dueAtMs), toMinutes(lateUntil), r.row, 0.14), style: { fill: color } });
      }
      if (c.reportedAtMs !== null) {
        const at = api.coord([toMinutes(c.reportedAtMs), r.row]);
        const height = (api.size!([0, 1]) as number[])[1] * 0.8;
        children.push({ type: 'rect', shape: { x: at[0] - 1.5, y: at[1] - height / 2, width: 3, height }, style: { fill: REPORT_MARK_COLOR } });
      }
      return { type: 'group', children };
    };

  const scatter = (id: 'injects' | 'reports', markers: Marker[], row: number, symbol: string, color: string): ScatterSeriesOption => ({
    id,
    name: w.legend[id],
    type: 'scatter',
    symbol,
    symbolSize: 14,
    itemStyle: { color },
    data: markers.map((m) => [toMinutes(m.atMs), row]),
  });

  return {
    animation: false,
    aria: { enabled: true, label: { description: w.description } },
    legend: { top: 0, left: 'center', itemWidth: 18, itemHeight: 10 },
    grid: { left: 8, right: 24, top: 40, bottom: 40, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (params) => {
        const p = (Array.isArray(params) ? params[0] : params) as { seriesId?: string; dataIndex: number };
        return tooltipHtml(model, w, p.seriesId ?? '', p.dataIndex);
      },
    },
    xAxis: { type: 'value', min: 0, max, name: w.minutesAxis, nameLocation: 'middle', nameGap: 26, splitLine: { lineStyle: { type: 'dashed' } } },
    yAxis: { type: 'category', data: rows, inverse: true, axisTick: { show: false }, axisLabel: { width: 160, overflow: 'truncate' } },
    series: [
      {
        id: 'phases',
        name: w.legend.phases,
        type: 'custom',
        renderItem: phaseRender,
        itemStyle: { color: PHASE_COLORS.to_first_report },
        encode: { x: [0, 1], y: 2 },
        data: model.phases.map((p) => [toMinutes(p.fromMs), toMinutes(p.toMs), 0]),
      },
      scatter('injects', model.injects, 1, 'triangle', INJECT_COLOR),
      scatter('reports', model.reports, 2, 'diamond', REPORT_COLOR),
      ...groups.map(
        (g): CustomSeriesOption => ({
          id: `rules-${g}`,
          name: w.legend[g],
          type: 'custom',
          renderItem: ruleRender(g),
          itemStyle: { color: GROUP_COLORS[g] },
          encode: { x: [0, 1], y: 2 },
          data: model.rules
            .filter((r) => r.group === g)
            .map((r) => [toMinutes(r.clock.triggeredAtMs ?? 0), toMinutes(r.clock.reportedAtMs ?? r.clock.dueAtMs ?? model.endMs), r.row]),
        }),
      ),
    ],
  };
}
