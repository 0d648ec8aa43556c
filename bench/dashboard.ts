/**
 * The dashboard across drills: how long GET /api/dashboard's service takes for a year of drills, on PGlite and
 * PostgreSQL, in process (no HTTP). Each drill is replayed through the services with a manual clock: about
 * 30 timeline entries, 3 escalation rules, 4 objectives rated; plus 100 corrective actions and 12 programme rows.
 *
 *   node --import tsx bench/dashboard.ts                     # both databases, 12 and 48 drills
 *   BENCH_DRILLS=24 BENCH_RUNS=30 node --import tsx bench/dashboard.ts --db pglite
 *
 * Prints the median and p90 of BENCH_RUNS calls (after 3 warm-up calls) and the load average.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../src/clock.js';
import { systemActor, type ServiceContext } from '../src/context.js';
import { openDatabase, type Database } from '../src/db/index.js';
import { createAction } from '../src/modules/actions/service.js';
import { getDashboard } from '../src/modules/dashboard/service.js';
import { rateObjective } from '../src/modules/drills/evaluation.js';
import { CreateDrillBody } from '../src/modules/drills/schema.js';
import { addDrillEntry, createDrill, fireInject, transitionDrill } from '../src/modules/drills/service.js';
import { createPerson } from '../src/modules/org/service.js';
import { CreateProgrammeItemBody } from '../src/modules/programme/schema.js';
import { createProgrammeItem } from '../src/modules/programme/service.js';
import { createPgDatabase, dropPgDatabase, log } from './support.js';

const SIZES = (process.env.BENCH_DRILLS ?? '12,48').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS) || 20;
const MIN = 60_000;
const dbArg = process.argv.indexOf('--db');
const kinds = (dbArg > 0 ? [process.argv[dbArg + 1]] : ['pglite', 'postgres']) as ('pglite' | 'postgres')[];

async function replayDrill(ctx: ServiceContext, clock: ManualClock, index: number): Promise<void> {
  const start = Date.parse('2026-01-05T01:00:00Z') + index * 3 * 24 * 3600_000;
  const at = (minute: number) => clock.set(new Date(start + minute * MIN));
  at(-60);
  const drill = await createDrill(
    ctx,
    CreateDrillBody.parse({
      title: `演练 ${index + 1}`,
      mode: 'tabletop',
      scope: 'single_topic',
      objectives: ['a', 'b', 'c', 'd'].map((key) => ({ key, text: `目标 ${key}` })),
      escalationRules: [
        { key: 'gm', trigger: 'incident_detected', recipient: '总经理', withinMinutes: 10, channel: 'verbal', requiredFields: [] },
        { key: 'ops', trigger: 'incident_detected', recipient: '运维', withinMinutes: 5, channel: 'phone', requiredFields: [] },
        { key: 'reg', trigger: 'plan_activated', recipient: '网信部门', withinMinutes: 60, channel: 'phone', requiredFields: [] },
      ],
      injects: Array.from({ length: 6 }, (_, i) => ({ key: `i${i}`, offsetMinutes: null, channel: 'phone', sender: '导调', recipients: ['all'], content: `注入 ${i}`, marksDetection: i === 0 })),
    }),
  );
  await transitionDrill(ctx, drill.id, 'approve');
  at(0);
  await transitionDrill(ctx, drill.id, 'start');
  let minute = 0;
  for (let i = 0; i < 6; i++) {
    at(++minute * 2);
    await fireInject(ctx, drill.id, drill.injects[i].id);
    for (let j = 0; j < 3; j++) {
      at(++minute * 2);
      await addDrillEntry(ctx, drill.id, { kind: j === 1 ? 'report' : 'action', text: `处置 ${i}.${j}`, data: j === 1 ? { report: { recipient: i % 2 ? '总经理' : '运维', channel: 'phone', fields: {} } } : i === 2 && j === 2 ? { milestone: 'contained' } : {} });
    }
  }
  at(++minute * 2);
  await addDrillEntry(ctx, drill.id, { kind: 'decision', text: '启动预案', data: { milestone: 'plan_activated' } });
  at(++minute * 2);
  await addDrillEntry(ctx, drill.id, { kind: 'action', text: '恢复', data: { milestone: 'recovered' } });
  at(++minute * 2);
  await transitionDrill(ctx, drill.id, 'end');
  for (const [i, key] of ['a', 'b', 'c', 'd'].entries()) await rateObjective(ctx, drill.id, key, { rating: (['met', 'partly_met', 'not_met', 'met'] as const)[(i + index) % 4], evidence: '依据' });
}

async function prepare(database: Database, drills: number): Promise<ServiceContext> {
  const clock = new ManualClock('2026-01-01T02:00:00Z');
  const ctx: ServiceContext = { db: database.db, clock, actor: systemActor('bench') };
  const owner = await createPerson(ctx, { name: '责任人', department: '研发部' });
  for (let i = 0; i < 12; i++) await createProgrammeItem(ctx, CreateProgrammeItemBody.parse({ year: 2026, project: `计划 ${i}`, plannedDate: `2026-${String(i + 1).padStart(2, '0')}-15` }));
  for (let i = 0; i < drills; i++) await replayDrill(ctx, clock, i);
  for (let i = 0; i < 100; i++) await createAction(ctx, { title: `整改 ${i}`, ownerPersonId: owner.id, dueDate: `2026-${String((i % 12) + 1).padStart(2, '0')}-10` });
  clock.set('2026-12-20T02:00:00Z');
  return ctx;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

for (const kind of kinds) {
  for (const drills of SIZES) {
    const url = kind === 'postgres' ? await createPgDatabase() : undefined;
    const database = await openDatabase(url ? { databaseUrl: url } : {});
    try {
      await database.migrate();
      const t0 = performance.now();
      const ctx = await prepare(database, drills);
      log(`${kind}: ${drills} drills prepared in ${Math.round(performance.now() - t0)} ms`);
      for (let i = 0; i < 3; i++) await getDashboard(ctx, {});
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const board = await getDashboard(ctx, {});
        times.push(performance.now() - t);
        if (board.drills.length !== drills) throw new Error(`expected ${drills} drills, got ${board.drills.length}`);
      }
      times.sort((a, b) => a - b);
      console.log(`dashboard ${kind.padEnd(8)} drills=${String(drills).padStart(3)}  median ${quantile(times, 0.5).toFixed(1)} ms  p90 ${quantile(times, 0.9).toFixed(1)} ms  (${RUNS} runs, load ${loadavg()[0].toFixed(2)})`);
    } finally {
      await database.close();
      if (url) await dropPgDatabase(url);
    }
  }
}
