import type { EChartsOption } from 'echarts';
import type { ECharts } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';

interface EChartProps {
  /** The whole option; replaced (not merged) whenever it changes, so memoize it. */
  option: EChartsOption;
  height?: number;
  /** ECharts' own words (aria description, "no data"): 'ZH' or 'EN'. */
  locale: 'ZH' | 'EN';
  testId?: string;
  ariaLabel?: string;
  /** Called when a data item (a bar, a point) is clicked, with its index in its series. */
  onItemClick?: (dataIndex: number) => void;
}

/**
 * One ECharts chart, drawn as SVG: initialised on mount (ECharts itself is loaded on first use), the option
 * set on every change, resized with its box, disposed on unmount. Changing `locale` redraws it.
 */
export function EChart({ option, height = 320, locale, testId, ariaLabel, onItemClick }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const clicked = useRef(onItemClick);
  useEffect(() => {
    clicked.current = onItemClick;
  }, [onItemClick]);
  const [chart, setChart] = useState<ECharts | null>(null);

  useEffect(() => {
    let instance: ECharts | null = null;
    let observer: ResizeObserver | null = null;
    let cancelled = false;
    void import('../lib/echarts').then(({ init }) => {
      if (cancelled || !box.current) return;
      instance = init(box.current, undefined, { renderer: 'svg', locale });
      instance.on('click', (params) => {
        if (typeof params.dataIndex === 'number') clicked.current?.(params.dataIndex);
      });
      observer = new ResizeObserver(() => instance?.resize());
      observer.observe(box.current);
      setChart(instance);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      instance?.dispose();
      setChart(null);
    };
  }, [locale]);

  useEffect(() => {
    chart?.setOption(option, { notMerge: true });
  }, [chart, option]);

  return <div ref={box} style={{ width: '100%', height }} data-testid={testId} data-ready={chart ? 'true' : 'false'} aria-label={ariaLabel} />;
}
