/**
 * The explorer's histogram as pure functions: the server's buckets with the empty ones filled in, and the ECharts
 * option drawing them (the tooltip escapes its text: ECharts renders it as HTML).
 */
import type { EChartsOption } from 'echarts';
import dayjs from 'dayjs';
import { escapeHtml } from '../../lib/escape';
import type { Histogram } from './api';

export const BUCKET_MS = { minute: 60_000, hour: 3600_000, day: 24 * 3600_000 } as const;
const BUCKET_FORMAT = { minute: 'MM-DD HH:mm', hour: 'MM-DD HH:00', day: 'YYYY-MM-DD' } as const;

/** At most this many bars: a longer span is drawn with its empty buckets left out. */
const MAX_SLOTS = 3000;

export interface Slot {
  at: number;
  count: number;
}

/**
 * The buckets with the empty ones between them filled in, so that a quiet hour looks quiet rather than absent.
 * Days are placed by rounding (a daylight-saving day is 23 or 25 hours long).
 */
export function histogramSlots(h: Histogram): Slot[] {
  if (h.buckets.length === 0) return [];
  const width = BUCKET_MS[h.bucket];
  const first = Date.parse(h.buckets[0].at);
  const last = Date.parse(h.buckets[h.buckets.length - 1].at);
  const n = Math.round((last - first) / width) + 1;
  if (n > MAX_SLOTS) return h.buckets.map((b) => ({ at: Date.parse(b.at), count: b.count }));
  const slots: Slot[] = Array.from({ length: n }, (_, i) => ({ at: first + i * width, count: 0 }));
  for (const b of h.buckets) {
    const at = Date.parse(b.at);
    slots[Math.round((at - first) / width)] = { at, count: b.count };
  }
  return slots;
}

/** The histogram as an ECharts option: one bar per minute, hour or day; labels in local time. */
export function histogramOption(h: Histogram, slots: Slot[], words: { events: string }): EChartsOption {
  const labels = slots.map((b) => dayjs(b.at).format(BUCKET_FORMAT[h.bucket]));
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const item = (Array.isArray(params) ? params[0] : params) as { dataIndex: number };
        const b = slots[item?.dataIndex ?? -1];
        return b ? `${escapeHtml(labels[item.dataIndex])}<br/>${escapeHtml(words.events)}：${b.count}` : '';
      },
    },
    xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name: words.events, data: slots.map((b) => b.count), itemStyle: { color: '#1677ff' }, barMaxWidth: 28, barCategoryGap: '20%', cursor: 'pointer' }],
  };
}
