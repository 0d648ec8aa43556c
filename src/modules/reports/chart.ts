import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import * as echarts from 'echarts';
import type { EscalationClock } from '../timeline/escalation.js';
import { formatWithin, type ReportLang } from './model.js';

/** A chart as the renderers need it: SVG (HTML, Markdown, DOCX); the DOCX renderer adds a PNG fallback. */
export interface ChartImage {
  svg: string;
  /** Size in CSS pixels (96 per inch). */
  width: number;
  height: number;
}

/** Drill-time milestones of a drill in milliseconds (null: not reached). */
export interface TimelineChartInput {
  lang: ReportLang;
  milestones: { detected: number | null; planActivated: number | null; contained: number | null; recovered: number | null; ended: number | null };
  /** When each inject was delivered. */
  injects: number[];
  /** When each report or notification was recorded. */
  reports: number[];
  clocks: EscalationClock[];
}

const TEXT = {
  'zh-CN': {
    title: '响应时间线与报告时限',
    axis: '演练时间(分钟)',
    phases: '响应阶段',
    injects: '情景注入',
    reports: '报告/通知',
    toDetect: '发现前',
    toContain: '发现→控制',
    toRecover: '控制→恢复',
    toEnd: '恢复→结束',
    window: '报告时限',
    reported: '报告时间',
    detected: '发现',
    planActivated: '启动预案',
    contained: '控制',
    recovered: '恢复',
    ended: '结束',
    state: { met: '按时', late: '超时', overdue: '逾期未报', pending: '未报', waiting: '未触发', not_applicable: '不适用' } as Record<string, string>,
  },
  en: {
    title: 'Response timeline and reporting deadlines',
    axis: 'Drill time (minutes)',
    phases: 'Response phases',
    injects: 'Injects',
    reports: 'Reports',
    toDetect: 'Before detection',
    toContain: 'Detection → containment',
    toRecover: 'Containment → recovery',
    toEnd: 'Recovery → end',
    window: 'Reporting window',
    reported: 'Reported',
    detected: 'Detected',
    planActivated: 'Plan activated',
    contained: 'Contained',
    recovered: 'Recovered',
    ended: 'Ended',
    state: { met: 'met', late: 'late', overdue: 'overdue', pending: 'not reported', waiting: 'not triggered', not_applicable: 'n/a' } as Record<string, string>,
  },
};

const STATE_COLOR: Record<string, string> = { met: '#389e0d', late: '#d46b08', overdue: '#cf1322', pending: '#cf1322', waiting: '#8c8c8c', not_applicable: '#bfbfbf' };
const PHASE_COLORS = ['#d9d9d9', '#1677ff', '#69b1ff', '#bae0ff'];
// Unquoted: ECharts writes the family into a double-quoted style attribute.
const FONT = 'Microsoft YaHei, PingFang SC, Noto Sans CJK SC, Source Han Sans SC, sans-serif';

const minutes = (ms: number | null) => (ms === null ? null : Math.round((ms / 60_000) * 10) / 10);

/**
 * The ECharts option of the response timeline: the phases as consecutive bands, injects and reports as markers,
 * and each escalation rule as its window from trigger to deadline (coloured by its state) with the report marked.
 * Pure: the same input gives the same chart. Labels are plain text (ECharts draws them as SVG text, escaped).
 */
export function timelineChartOption(input: TimelineChartInput): echarts.EChartsCoreOption {
  const t = TEXT[input.lang];
  const m = input.milestones;
  const rules = input.clocks.map((c) => `${c.recipient} ≤ ${formatWithin(c.withinMinutes, input.lang)}`);
  const categories = [...rules.reverse(), t.reports, t.injects, t.phases];
  const phaseRow = categories.length - 1;
  const clockRow = (i: number) => input.clocks.length - 1 - i;
  const end = m.ended ?? Math.max(0, ...input.injects, ...input.reports, ...input.clocks.map((c) => c.dueAtMs ?? 0), m.recovered ?? 0);

  // Phases: stacked segments in the phase row; an invisible base offsets each rule's window to its trigger.
  const bounds = [0, m.detected, m.contained, m.recovered, end];
  const phaseNames = [t.toDetect, t.toContain, t.toRecover, t.toEnd];
  const row = (value: number | null, at: number) => categories.map((_, i) => (i === at ? value : null));
  const phaseSeries = phaseNames.map((name, i) => {
    const from = bounds[i];
    const to = bounds[i + 1];
    const span = from !== null && to !== null && to >= from ? minutes(to - from) : null;
    return { name, type: 'bar', stack: 'time', barWidth: 18, barGap: '-100%', itemStyle: { color: PHASE_COLORS[i] }, data: row(span, phaseRow) };
  });
  const base = categories.map((_, i) => {
    const c = input.clocks[input.clocks.length - 1 - i];
    return i < input.clocks.length && c?.triggeredAtMs != null ? minutes(c.triggeredAtMs) : null;
  });
  const windows = categories.map((_, i) => {
    const c = input.clocks[input.clocks.length - 1 - i];
    if (i >= input.clocks.length || !c || c.triggeredAtMs === null || c.dueAtMs === null) return null;
    return { value: minutes(c.dueAtMs - c.triggeredAtMs), itemStyle: { color: STATE_COLOR[c.state] ?? '#8c8c8c', opacity: 0.45 }, label: { show: true, position: 'insideLeft', formatter: t.state[c.state] ?? c.state, color: '#000' } };
  });
  const reported = input.clocks.flatMap((c, i) => (c.reportedAtMs === null ? [] : [{ value: [minutes(c.reportedAtMs), clockRow(i)], itemStyle: { color: STATE_COLOR[c.state] } }]));
  const markers = [
    [t.detected, m.detected],
    [t.planActivated, m.planActivated],
    [t.contained, m.contained],
    [t.recovered, m.recovered],
    [t.ended, m.ended],
  ].filter((x): x is [string, number] => x[1] !== null);

  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT },
    title: { text: t.title, left: 'center', top: 4, textStyle: { fontSize: 14, fontFamily: FONT } },
    legend: { bottom: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 10 }, data: [...phaseNames, t.window, t.reported, t.injects, t.reports] },
    grid: { left: 8, right: 24, top: 64, bottom: 56, containLabel: true },
    xAxis: { type: 'value', name: t.axis, nameLocation: 'middle', nameGap: 24, min: 0, max: Math.ceil((minutes(end) ?? 0) / 10) * 10 || 10, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'category', data: categories, axisLabel: { fontSize: 10, width: 130, overflow: 'truncate' } },
    series: [
      ...phaseSeries.slice(0, 1).map((s) => ({
        ...s,
        markLine: {
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#595959' },
          label: { formatter: '{b}', fontSize: 9, position: 'end' },
          // Alternate heights so the labels of close milestones do not overlap.
          data: markers.map(([name, at], i) => ({ name, xAxis: minutes(at), label: { distance: i % 2 ? 14 : 3 } })),
        },
      })),
      ...phaseSeries.slice(1),
      { name: 'base', type: 'bar', stack: 'clock', barWidth: 14, barGap: '-100%', itemStyle: { color: 'transparent' }, data: base, silent: true },
      { name: t.window, type: 'bar', stack: 'clock', barWidth: 14, barGap: '-100%', itemStyle: { color: '#8c8c8c', opacity: 0.45 }, data: windows },
      { name: t.reported, type: 'scatter', symbol: 'diamond', symbolSize: 12, itemStyle: { color: '#000' }, data: reported, z: 5 },
      { name: t.injects, type: 'scatter', symbol: 'triangle', symbolSize: 9, itemStyle: { color: '#722ed1' }, data: input.injects.map((x) => [minutes(x), phaseRow - 1]) },
      { name: t.reports, type: 'scatter', symbol: 'circle', symbolSize: 8, itemStyle: { color: '#13c2c2' }, data: input.reports.map((x) => [minutes(x), phaseRow - 2]) },
    ],
  };
}

/** CJK fonts the PNG fallback is drawn with, where the machine has them (Debian fonts-noto-cjk, WenQuanYi, …). */
const CJK_FONT_FILES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  '/System/Library/Fonts/PingFang.ttc',
  'C:\\Windows\\Fonts\\msyh.ttc',
];

/** resvg's WebAssembly module and the font, loaded once per process (the font is read into memory once). */
let rasteriser: Promise<{ fonts: Uint8Array[] }> | undefined;
function loadRasteriser() {
  rasteriser ??= (async () => {
    await initWasm(await readFile(createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm')));
    const file = CJK_FONT_FILES.find((f) => existsSync(f));
    return { fonts: file ? [await readFile(file)] : [] };
  })();
  return rasteriser;
}

const pngCache = new Map<string, Buffer>();
const PNG_CACHE_SIZE = 32;

/**
 * Rasterises an SVG for viewers that cannot show SVG (older Word and WPS), at twice its size. The same SVG is drawn
 * once (small cache). Without a CJK font on the machine Chinese labels are missing from the PNG only: Word and WPS
 * draw the SVG with their own fonts.
 */
export async function svgToPng(svg: string, width: number): Promise<Buffer> {
  const key = createHash('sha256').update(svg).digest('hex');
  const cached = pngCache.get(key);
  if (cached) return cached;
  const { fonts } = await loadRasteriser();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: width * 2 },
    background: '#ffffff',
    font: { loadSystemFonts: false, fontBuffers: fonts, ...(fonts.length ? { defaultFontFamily: 'Noto Sans CJK SC' } : {}) },
  });
  try {
    const png = Buffer.from(resvg.render().asPng());
    pngCache.set(key, png);
    if (pngCache.size > PNG_CACHE_SIZE) pngCache.delete(pngCache.keys().next().value!);
    return png;
  } finally {
    resvg.free();
  }
}

/** Renders an ECharts option on the server (no DOM) as SVG text. */
export function renderChart(option: echarts.EChartsCoreOption, width = 640, height = 320): ChartImage {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    const svg = chart.renderToSVGString();
    return { svg, width, height };
  } finally {
    chart.dispose();
  }
}

/** The response-timeline chart of a drill, sized for an A4 page. */
export function renderTimelineChart(input: TimelineChartInput): ChartImage {
  const rows = input.clocks.length + 3;
  return renderChart(timelineChartOption(input), 640, 150 + rows * 34);
}
