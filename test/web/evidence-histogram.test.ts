/**
 * The evidence explorer's histogram: empty buckets filled in between the server's, bars clickable by index, and
 * the tooltip escaping what it shows. (Type-checked with the web app: web/tsconfig.json includes test/web.)
 */
import { describe, expect, it } from 'vitest';
import { histogramOption, histogramSlots } from '../../web/src/features/evidence/histogram';

describe('evidence histogram', () => {
  it('fills the quiet hours between buckets with zeros', () => {
    const slots = histogramSlots({
      bucket: 'hour',
      buckets: [
        { at: '2026-04-17T13:00:00.000Z', count: 4 },
        { at: '2026-04-17T16:00:00.000Z', count: 2 },
      ],
    });
    expect(slots.map((s) => s.count)).toEqual([4, 0, 0, 2]);
    expect(slots.map((s) => new Date(s.at).toISOString().slice(11, 16))).toEqual(['13:00', '14:00', '15:00', '16:00']);
  });

  it('places days by rounding, across a daylight-saving change', () => {
    const slots = histogramSlots({
      bucket: 'day',
      buckets: [
        { at: '2026-03-28T23:00:00.000Z', count: 1 },
        { at: '2026-03-30T22:00:00.000Z', count: 3 },
      ],
    });
    expect(slots.map((s) => s.count)).toEqual([1, 0, 3]);
  });

  it('leaves a span too long to fill as it is, and draws one bar per slot', () => {
    const sparse = histogramSlots({ bucket: 'minute', buckets: [{ at: '2026-04-17T00:00:00.000Z', count: 1 }, { at: '2026-04-20T00:00:00.000Z', count: 1 }] });
    expect(sparse).toHaveLength(2);
    const h = { bucket: 'minute' as const, buckets: [{ at: '2026-04-17T00:00:00.000Z', count: 5 }, { at: '2026-04-17T00:02:00.000Z', count: 1 }] };
    const option = histogramOption(h, histogramSlots(h), { events: '<b>事件</b>' });
    const series = option.series as { data: number[] }[];
    expect(series[0].data).toEqual([5, 0, 1]);
    const tooltip = (option.tooltip as { formatter: (p: unknown) => string }).formatter([{ dataIndex: 0 }]);
    expect(tooltip).toContain('&lt;b&gt;事件&lt;/b&gt;：5');
  });
});
