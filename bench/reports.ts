/**
 * How long the three drill documents take to render for a long drill: the seed company, and a drill of its seed
 * scenario with 2,000 timeline entries (actions, decisions, reports with fields, findings, injects); each report
 * kind is built and rendered to DOCX, Markdown and HTML, in process on PGlite (PostgreSQL is read the same way;
 * rendering is the same code).
 *
 *   node --import tsx bench/reports.ts            # 2,000 entries, 7 runs per cell
 *   BENCH_ENTRIES=5000 BENCH_RUNS=5 node --import tsx bench/reports.ts
 *
 * Prints, per kind and format, the median and the fastest of the runs (after one warm-up), split into building
 * the document model (database reads) and rendering it. Goal (#5): DOCX ≤ 1 s on the 2-core machine.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../src/clock.js';
import { systemActor, type ServiceContext } from '../src/context.js';
import { openDatabase } from '../src/db/index.js';
import { loadSeedCompany } from '../src/demo/seed-company.js';
import { addDrillEntry, createDrill, deliverDueInjects, getDrillTimeline, transitionDrill } from '../src/modules/drills/service.js';
import { listPeople } from '../src/modules/org/service.js';
import { listPlans } from '../src/modules/plans/service.js';
import { findScenarioByKey } from '../src/modules/scenarios/service.js';
import type { ReportLang } from '../src/modules/reports/model.js';
import { buildDrillReport, renderModel, REPORT_FORMATS, REPORT_KINDS } from '../src/modules/reports/service.js';
import type { AppendEntryBody } from '../src/modules/timeline/schema.js';
import { log } from './support.js';

const ENTRIES = Number(process.env.BENCH_ENTRIES) || 2000;
const RUNS = Number(process.env.BENCH_RUNS) || 7;
const LANG: ReportLang = 'zh-CN';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;

/** A mix of entries like a long drill's: mostly actions, some reports with their four fields, decisions, findings. */
function entry(i: number): AppendEntryBody {
  const text = `第 ${i} 条记录：处置人员检查服务器 app-${i % 17} 的登录日志与防火墙规则，确认异常来源并记录处置结果。`;
  switch (i % 10) {
    case 0:
      return { kind: 'report', text: `向总经理报告进展（第 ${i} 次）`, data: { report: { recipient: '总经理', channel: 'phone', fields: { occurred_at: '9:15 左右', scope: '微信商户平台', trend: '已控制', measures: '清空余额、关闭提现' } } } };
    case 3:
      return { kind: 'decision', text };
    case 6:
      return { kind: 'finding', text };
    case 8:
      return { kind: 'observation', text };
    default:
      return { kind: 'action', text };
  }
}

async function main() {
  const database = await openDatabase({});
  await database.migrate();
  // The seed company (plan, group, people), then a drill of its seed scenario run for two hours.
  await loadSeedCompany(database.db);
  const start = Date.parse('2026-06-01T01:00:00Z');
  const clock = new ManualClock(new Date(start - 3600_000));
  const ctx: ServiceContext = { db: database.db, clock, actor: systemActor('bench') };
  const scenario = await findScenarioByKey(database.db, 'seed-password-leak');
  const people = (await listPeople(ctx, { limit: 100, offset: 0, archived: 'false' })).people;
  const drill = await createDrill(ctx, {
    title: '长时间演练（基准）',
    mode: 'simulated',
    scope: 'single_topic',
    language: 'zh-CN',
    scenarioId: scenario!.id,
    planId: (await listPlans(ctx))[0]?.id,
    participants: people.map((p, i) => ({ personId: p.id, role: i === 0 ? 'coordinator' : 'responder' })),
  });
  const drillId = drill.id;
  await transitionDrill(ctx, drillId, 'approve');
  clock.set(new Date(start));
  await transitionDrill(ctx, drillId, 'start');
  log(`[reports] filling the drill's timeline to ${ENTRIES} entries…`);
  const t0 = performance.now();
  const stepMs = (120 * 60_000) / ENTRIES;
  while ((await getDrillTimeline(ctx, drillId)).entries.length < ENTRIES - 1) {
    for (let i = 0; i < 50; i++) {
      clock.set(new Date(clock.now().getTime() + stepMs));
      await deliverDueInjects(ctx);
      await addDrillEntry(ctx, drillId, entry(Math.round((clock.now().getTime() - start) / stepMs)));
    }
  }
  await transitionDrill(ctx, drillId, 'end');
  log(`[reports] ${(await getDrillTimeline(ctx, drillId)).entries.length} entries, filled in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${RUNS} runs per cell, after one warm-up`);
  log(`[reports] node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

  log(`| kind | format | build model (median) | render (median) | total median | total fastest | size |`);
  log(`| --- | --- | --- | --- | --- | --- | --- |`);
  for (const kind of REPORT_KINDS) {
    for (const format of REPORT_FORMATS) {
      const build: number[] = [];
      const render: number[] = [];
      const total: number[] = [];
      let size = 0;
      for (let run = 0; run <= RUNS; run++) {
        const a = performance.now();
        const model = await buildDrillReport(ctx, drillId, kind, LANG);
        const b = performance.now();
        const body = await renderModel(model, format);
        const c = performance.now();
        size = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
        if (run === 0) continue; // warm-up: module loading, the chart's WebAssembly and font
        build.push(b - a);
        render.push(c - b);
        total.push(c - a);
      }
      log(`| ${kind} | ${format} | ${fmt(median(build))} | ${fmt(median(render))} | ${fmt(median(total))} | ${fmt(Math.min(...total))} | ${(size / 1024).toFixed(0)} KiB |`);
    }
  }
  log(`[reports] load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  await database.close();
}

await main();
