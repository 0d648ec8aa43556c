/**
 * The dashboard's charts as ECharts options: response times drill to drill (lines, minutes) and objectives
 * rated per drill (stacked bars). Pure; drill titles are user text, escaped in every tooltip.
 */
import type { EChartsOption } from 'echarts';
import { escapeHtml } from '../../lib/escape';
import type { DashboardDrill } from './api';

export const TIME_SERIES = ['timeToDetectMs', 'timeToFirstReportMs', 'timeToContainMs', 'timeToRecoverMs', 'totalDurationMs'] as const;
export type TimeSeries = (typeof TIME_SERIES)[number];
export const TIME_COLORS: Record<TimeSeries, string> = {
  timeToDetectMs: '#1677ff',
  timeToFirstReportMs: '#fa8c16',
  timeToContainMs: '#eb2f96',
  timeToRecoverMs: '#13c2c2',
  totalDurationMs: '#595959',
};
export const OBJECTIVE_SERIES = ['met', 'partlyMet', 'notMet', 'unrated'] as const;
export type ObjectiveSeries = (typeof OBJECTIVE_SERIES)[number];
export const OBJECTIVE_COLORS: Record<ObjectiveSeries, string> = { met: '#52c41a', partlyMet: '#fa8c16', notMet: '#f5222d', unrated: '#bfbfbf' };

export interface DashboardWords {
  time: Record<TimeSeries, string>;
  objectives: Record<ObjectiveSeries, string>;
  minutes: string;
  /** "12 min" */
  duration: (minutes: number) => string;
  none: string;
  trendDescription: string;
  objectivesDescription: string;
}

const minutesOf = (ms: number | null) => (ms === null ? null : Math.round(ms / 6_000) / 10);

/** A drill's label on the category axis: its start date (China time) and title. */
export function drillLabel(d: Pick<DashboardDrill, 'startedAt' | 'title'>): string {
  const day = new Date(Date.parse(d.startedAt) + 8 * 3600_000).toISOString().slice(5, 10);
  return `${day} ${d.title}`;
}

interface AxisItem {
  dataIndex: number;
  seriesName?: string;
  color?: unknown;
  value?: unknown;
}

/** An axis tooltip: the drill's label, then one line per series; every text escaped. */
function axisTooltip(drills: DashboardDrill[], params: unknown, value: (item: AxisItem) => string): string {
  const items = (Array.isArray(params) ? params : [params]) as AxisItem[];
  const drill = drills[items[0]?.dataIndex ?? -1];
  if (!drill) return '';
  const lines = items.map((i) => {
    const dot = typeof i.color === 'string' ? `<span style="display:inline-block;width:8px;height:8px;border-radius:4px;margin-right:6px;background:${escapeHtml(i.color)}"></span>` : '';
    return `${dot}${escapeHtml(i.seriesName ?? '')}：${escapeHtml(value(i))}`;
  });
  return [`<b>${escapeHtml(drillLabel(drill))}</b>`, ...lines].join('<br/>');
}

/** Response times drill to drill, in minutes (a gap where a milestone was never reached). */
export function trendOption(drills: DashboardDrill[], w: DashboardWords): EChartsOption {
  return {
    animation: false,
    aria: { enabled: true, label: { description: w.trendDescription } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 40, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    tooltip: {
      trigger: 'axis',
      confine: true,
      formatter: (params) => axisTooltip(drills, params, (i) => (typeof i.value === 'number' ? w.duration(i.value) : w.none)),
    },
    xAxis: { type: 'category', data: drills.map(drillLabel), axisLabel: { width: 120, overflow: 'truncate', interval: 0 } },
    yAxis: { type: 'value', name: w.minutes, min: 0 },
    series: TIME_SERIES.map((key) => ({
      id: key,
      name: w.time[key],
      type: 'line',
      connectNulls: false,
      symbolSize: 8,
      itemStyle: { color: TIME_COLORS[key] },
      lineStyle: key === 'totalDurationMs' ? { type: 'dashed' } : undefined,
      data: drills.map((d) => minutesOf(d[key])),
    })),
  };
}

/** The objectives of each drill by rating, stacked. */
export function objectivesOption(drills: DashboardDrill[], w: DashboardWords): EChartsOption {
  return {
    animation: false,
    aria: { enabled: true, label: { description: w.objectivesDescription } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 40, bottom: 8, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, formatter: (params) => axisTooltip(drills, params, (i) => String(i.value ?? 0)) },
    xAxis: { type: 'category', data: drills.map(drillLabel), axisLabel: { width: 120, overflow: 'truncate', interval: 0 } },
    yAxis: { type: 'value', minInterval: 1, min: 0 },
    series: OBJECTIVE_SERIES.map((key) => ({
      id: key,
      name: w.objectives[key],
      type: 'bar',
      stack: 'objectives',
      barMaxWidth: 36,
      itemStyle: { color: OBJECTIVE_COLORS[key] },
      data: drills.map((d) => d.objectives[key]),
    })),
  };
}
