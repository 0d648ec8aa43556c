/**
 * Technical-inject generation: how long each scenario's evidence bundle takes to generate and how big it is
 * (files, lines, bytes), at scale 1 and at a larger scale. Prints medians of several runs and the load average.
 *
 *   node --import tsx bench/traces.ts
 *   BENCH_RUNS=9 BENCH_SCALE=5 node --import tsx bench/traces.ts
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import iconv from 'iconv-lite';
import { generateTraces, TRACE_SCENARIO_KEYS } from '../src/modules/scenarios/traces/index.js';

const RUNS = Number(process.env.BENCH_RUNS) || 5;
const BIG = Number(process.env.BENCH_SCALE) || 5;
const start = Date.parse('2020-04-18T09:00:00+08:00');
const end = start + 150 * 60_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`load average (1 min) before: ${loadavg()[0].toFixed(2)}; runs per case: ${RUNS}`);
console.log(['scenario', 'scale', 'files', 'lines', 'MiB', 'median ms', 'lines/s'].join('\t'));
for (const scale of [1, BIG]) {
  for (const key of TRACE_SCENARIO_KEYS) {
    const times: number[] = [];
    let lines = 0;
    let bytes = 0;
    let files = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const bundle = generateTraces(key, { seed: `bench-${i}`, start, end, scale });
      times.push(performance.now() - t0);
      files = bundle.files.length;
      bytes = bundle.files.reduce((n, f) => n + f.content.length, 0);
      lines = bundle.files.reduce((n, f) => n + (f.encoding === 'gbk' ? iconv.decode(f.content, 'gbk') : f.content.toString('utf8')).split('\n').length - 1, 0);
    }
    const ms = median(times);
    console.log([key, scale, files, lines, (bytes / 1024 / 1024).toFixed(2), ms.toFixed(0), Math.round(lines / (ms / 1000))].join('\t'));
  }
}
console.log(`load average (1 min) after: ${loadavg()[0].toFixed(2)}`);
