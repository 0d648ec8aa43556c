/**
 * Live timeline: append latency (POST /api/drills/:id/timeline) and fan-out time (from just before the
 * append request until the LAST of N server-sent-event subscribers has the entry), on PGlite and PostgreSQL.
 *
 *   node --import tsx bench/timeline.ts                      # both databases, N = 50, 200, 500
 *   node --import tsx bench/timeline.ts --db postgres        # one of them
 *   BENCH_SUBSCRIBERS=50,500 BENCH_APPENDS=30 BENCH_CPU_PROF=/tmp/prof node --import tsx bench/timeline.ts
 *
 * Processes: this driver (starts things, measures append latency, samples CPU from /proc), the server
 * (`firedrill serve`, built by tsc as `npm start` runs it, FIREDRILL_LOG_LEVEL=warn), and per N one
 * subscriber process (this file with --subscriber) that opens N SSE connections, then itself performs each
 * append and measures locally, with one clock, from just before the POST until its last subscriber has the
 * entry. Appends are paced: the next starts once every subscriber has the previous one.
 * PostgreSQL gets a fresh database, dropped at the end; PGlite a temporary data folder, removed at the end.
 * BENCH_CPU_PROF=<dir> runs the server with --cpu-prof (one folder per database).
 */
import { execSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { children, cpuSeconds, createPgDatabase, dropPgDatabase, log, postgresVersion, root, setupAdmin, startServer, stopServer } from './support.js';

const SELF = new URL(import.meta.url).pathname;

const SUBSCRIBERS = (process.env.BENCH_SUBSCRIBERS ?? '50,200,500').split(',').map(Number);
const APPENDS = Number(process.env.BENCH_APPENDS) || 30;
const WARMUP_APPENDS = 5;
const SEQUENTIAL_APPENDS = Number(process.env.BENCH_SEQUENTIAL) || 200;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY) || 8;
const CONCURRENT_APPENDS = Number(process.env.BENCH_CONCURRENT) || 400;
const GOAL_MS = 200;
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
/** How long one fan-out may take before the run is declared broken. */
const FANOUT_TIMEOUT_MS = 30_000;
/** The server's SSE heartbeat interval (its default unless FIREDRILL_SSE_HEARTBEAT_MS is set); BENCH_HEARTBEAT=0 skips that phase. */
const HEARTBEAT_MS = process.env.BENCH_HEARTBEAT === '0' ? 0 : Number(process.env.FIREDRILL_SSE_HEARTBEAT_MS) || 15_000;


function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');

// ---------------------------------------------------------------------------------------------------------
// Subscriber process: N SSE connections, paced appends, arrival times on one clock.

interface SubscriberJob {
  base: string;
  cookie: string;
  drillId: string;
  subscribers: number;
  afterSeq: number;
  appends: number;
  warmup: number;
  /** The server's SSE heartbeat interval: appends are also measured while the N heartbeats fire. */
  heartbeatMs: number;
}

interface SubscriberResult {
  /** Per measured append: POST round trip, first and last subscriber arrival, all from just before the POST. */
  samples: { post: number; first: number; last: number }[];
  /** The same, for appends made while the subscribers' heartbeats (one per connection) fire together. */
  heartbeatSamples: { post: number; first: number; last: number }[];
  connectMs: number;
  errors: string[];
}

async function runSubscriber(job: SubscriberJob): Promise<SubscriberResult> {
  const errors: string[] = [];
  // Arrivals per seq: how many subscribers have it, and when the first and the last got it.
  const arrivals = new Map<number, { count: number; first: number; last: number; done?: () => void }>();
  const arrive = (seq: number) => {
    const now = performance.now();
    let a = arrivals.get(seq);
    if (!a) arrivals.set(seq, (a = { count: 0, first: now, last: now }));
    if (a.count === 0) a.first = now;
    a.count++;
    a.last = now;
    if (a.count === job.subscribers) a.done?.();
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const requests: http.ClientRequest[] = [];
  const connectStart = performance.now();
  await Promise.all(
    Array.from(
      { length: job.subscribers },
      () =>
        new Promise<void>((resolve, reject) => {
          const request = http.get(
            `${job.base}/api/drills/${job.drillId}/timeline/stream`,
            { agent, headers: { cookie: job.cookie, accept: 'text/event-stream', 'last-event-id': String(job.afterSeq) } },
            (response) => {
              if (response.statusCode !== 200) return reject(new Error(`SSE status ${response.statusCode}`));
              response.setEncoding('utf8');
              let tail = '';
              response.on('data', (chunk: string) => {
                // Only the `id:` lines matter; keep an unfinished last line for the next chunk.
                const text = tail + chunk;
                const cut = text.lastIndexOf('\n');
                tail = text.slice(cut + 1);
                for (const m of text.slice(0, cut + 1).matchAll(/^id: (\d+)$/gm)) arrive(Number(m[1]));
              });
              response.on('error', (err) => errors.push(String(err)));
              resolve();
            },
          );
          request.on('error', (err) => {
            errors.push(String(err));
            reject(err);
          });
          requests.push(request);
        }),
    ),
  );
  const connectEnd = performance.now();
  const connectMs = connectEnd - connectStart;
  // Every subscriber is connected and caught up: the driver samples CPU now, then tells us to go on.
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve());
    process.send!({ connected: true });
  });

  const postAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (i: number) =>
    new Promise<{ seq: number }>((resolve, reject) => {
      const body = JSON.stringify({ kind: 'action', text: `Fan-out ${job.subscribers} #${i} ${randomBytes(4).toString('hex')}` });
      const request = http.request(
        `${job.base}/api/drills/${job.drillId}/timeline`,
        { method: 'POST', agent: postAgent, headers: { cookie: job.cookie, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          let text = '';
          response.setEncoding('utf8').on('data', (c: string) => (text += c));
          response.on('end', () => (response.statusCode === 201 ? resolve(JSON.parse(text)) : reject(new Error(`POST ${response.statusCode} ${text}`))));
        },
      );
      request.on('error', reject);
      request.end(body);
    });

  /** One append, timed from just before the POST until the last subscriber has it. */
  const measure = async (i: number) => {
    const start = performance.now();
    const entry = await post(i);
    const postMs = performance.now() - start;
    let a = arrivals.get(entry.seq);
    if (!a || a.count < job.subscribers) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`seq ${entry.seq}: ${arrivals.get(entry.seq)?.count ?? 0}/${job.subscribers} subscribers after ${FANOUT_TIMEOUT_MS} ms`)), FANOUT_TIMEOUT_MS);
        if (!a) arrivals.set(entry.seq, (a = { count: 0, first: NaN, last: NaN }));
        a.done = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      a = arrivals.get(entry.seq)!;
    }
    return { post: postMs, first: a.first - start, last: a.last - start };
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const samples: SubscriberResult['samples'] = [];
  for (let i = 0; i < job.warmup + job.appends; i++) {
    const sample = await measure(i);
    if (i >= job.warmup) samples.push(sample);
    // A short gap, so appends do not queue behind the previous fan-out's socket writes.
    await pause(20);
  }
  // Each connection's heartbeat (a keep-alive comment and a session check) runs every heartbeatMs from its
  // connection on: appends back to back through the window where all N fire.
  const heartbeatSamples: SubscriberResult['samples'] = [];
  if (job.heartbeatMs > 0) {
    await pause(Math.max(0, connectStart + job.heartbeatMs - 100 - performance.now()));
    for (let i = 0; performance.now() < connectEnd + job.heartbeatMs + 300; i++) {
      heartbeatSamples.push(await measure(1000 + i));
      await pause(5);
    }
  }
  for (const r of requests) r.destroy();
  agent.destroy();
  postAgent.destroy();
  return { samples, heartbeatSamples, connectMs, errors };
}

// ---------------------------------------------------------------------------------------------------------
// Driver.

const cleanups: (() => Promise<void> | void)[] = [];


/**
 * CPU seconds of each PostgreSQL backend serving this database (its process title names the database), by pid:
 * other work on the machine's PostgreSQL is left out, and a backend that ends meanwhile does not subtract.
 */
function postgresBackendCpu(databaseName: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${databaseName} `)) continue;
      byPid.set(Number(entry), cpuSeconds(Number(entry)));
    } catch {
      /* ended meanwhile */
    }
  }
  return byPid;
}

function postgresCpuSince(databaseName: string, before: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of postgresBackendCpu(databaseName)) total += seconds - (before.get(pid) ?? 0);
  return total;
}



async function api(base: string, cookie: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}


async function startDrill(base: string, cookie: string, title: string): Promise<string> {
  const drill = await api(base, cookie, 'POST', '/api/drills', { title, mode: 'simulated', scope: 'single_topic', injects: [] });
  await api(base, cookie, 'POST', `/api/drills/${drill.id}/transitions/approve`);
  await api(base, cookie, 'POST', `/api/drills/${drill.id}/transitions/start`);
  return drill.id;
}

async function headSeq(base: string, cookie: string, drillId: string): Promise<number> {
  const timeline = await api(base, cookie, 'GET', `/api/drills/${drillId}/timeline`);
  return Math.max(0, ...timeline.entries.map((e: { seq: number }) => e.seq));
}

/** Append latency: `total` POSTs, `concurrency` at a time, measured in this process. */
async function appendLatency(base: string, cookie: string, drillId: string, total: number, concurrency: number): Promise<{ p50: number; p99: number; rps: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      const response = await fetch(`${base}/api/drills/${drillId}/timeline`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'action', text: `Append ${concurrency}x #${i}` }),
      });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`append failed: ${response.status}`);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rps: total / seconds };
}

/** Runs one subscriber process for N subscribers; returns its measurements. */
function fanOut(job: SubscriberJob, onConnected: () => void): Promise<SubscriberResult> {
  const child = fork(SELF, ['--subscriber'], { cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    let result: SubscriberResult | undefined;
    child.on('message', (message: { result?: SubscriberResult; error?: string; connected?: boolean }) => {
      if (message.connected) {
        onConnected();
        child.send({ go: true });
      } else if (message.error) reject(new Error(message.error));
      else result = message.result;
    });
    child.once('exit', (code) => {
      children.delete(child);
      if (result) resolve(result);
      else reject(new Error(`subscriber process exited (${code}) without a result`));
    });
    child.send(job);
  });
}




interface AppendRow {
  database: string;
  mode: string;
  p50: number;
  p99: number;
  rps: number;
}

interface FanOutRow {
  database: string;
  subscribers: number;
  result: SubscriberResult;
  /** Server CPU ms per append while fanning out (includes the POST itself). */
  serverCpuMs: number;
  postgresCpuMs: number;
}

async function benchDatabase(kind: 'pglite' | 'postgres'): Promise<{ appends: AppendRow[]; fanOuts: FanOutRow[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'firedrill-bench-timeline-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    databaseUrl = await createPgDatabase();
    const url = databaseUrl;
    cleanups.push(() => dropPgDatabase(url));
  }
  log(`${kind}: starting the server`);
  const server = await startServer(kind, dataDir, { databaseUrl, cpuProfDir: CPU_PROF_DIR });
  try {
    const cookie = await setupAdmin(server);
    const appendDrill = await startDrill(server.base, cookie, 'Append latency');
    log(`${kind}: warm-up, then ${SEQUENTIAL_APPENDS} sequential appends`);
    await appendLatency(server.base, cookie, appendDrill, 50, 1);
    const appends: AppendRow[] = [];
    appends.push({ database: kind, mode: 'sequential (1 at a time)', ...(await appendLatency(server.base, cookie, appendDrill, SEQUENTIAL_APPENDS, 1)) });
    log(`${kind}: ${CONCURRENT_APPENDS} appends, ${CONCURRENCY} at a time`);
    appends.push({ database: kind, mode: `${CONCURRENCY} concurrent`, ...(await appendLatency(server.base, cookie, appendDrill, CONCURRENT_APPENDS, CONCURRENCY)) });

    const fanOuts: FanOutRow[] = [];
    for (const n of SUBSCRIBERS) {
      const drillId = await startDrill(server.base, cookie, `Fan-out ${n}`);
      log(`${kind}: ${n} subscribers, ${APPENDS} appends (+${WARMUP_APPENDS} warm-up)`);
      let cpuBefore = 0;
      let pgBefore = new Map<number, number>();
      const pgName = databaseUrl ? new URL(databaseUrl).pathname.slice(1) : '';
      const afterSeq = await headSeq(server.base, cookie, drillId);
      const result = await fanOut({ base: server.base, cookie, drillId, subscribers: n, afterSeq, appends: APPENDS, warmup: WARMUP_APPENDS, heartbeatMs: HEARTBEAT_MS }, () => {
        cpuBefore = cpuSeconds(server.proc.pid!);
        if (kind === 'postgres') pgBefore = postgresBackendCpu(pgName);
      });
      // CPU from when all N were connected until the last append reached them all (warm-up and heartbeat-window
      // appends, and the N heartbeats, included).
      const total = APPENDS + WARMUP_APPENDS + result.heartbeatSamples.length;
      fanOuts.push({
        database: kind,
        subscribers: n,
        result,
        serverCpuMs: ((cpuSeconds(server.proc.pid!) - cpuBefore) * 1000) / total,
        postgresCpuMs: kind === 'postgres' ? (postgresCpuSince(pgName, pgBefore) * 1000) / total : NaN,
      });
      if (result.errors.length) log(`${kind}: ${n} subscribers: ${result.errors.length} errors, first: ${result.errors[0]}`);
    }
    return { appends, fanOuts };
  } finally {
    await stopServer(server);
  }
}

function table(headers: string[], rows: string[][], leftColumns: number): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i >= leftColumns ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') + ' |';
  return [line(headers), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

async function main() {
  const dbArg = process.argv.indexOf('--db');
  const databases = (dbArg > 0 ? [process.argv[dbArg + 1]] : ['pglite', 'postgres']) as ('pglite' | 'postgres')[];
  const loadBefore = loadavg()[0];
  if (loadBefore > 0.5) log(`the machine is not idle (1-minute load average ${loadBefore.toFixed(2)}): figures will be high and noisy`);
  log('building the server (npm run build:server)');
  execSync('npm run --silent build:server', { cwd: root, stdio: 'inherit' });

  const appends: AppendRow[] = [];
  const fanOuts: FanOutRow[] = [];
  for (const kind of databases) {
    const r = await benchDatabase(kind);
    appends.push(...r.appends);
    fanOuts.push(...r.fanOuts);
  }
  const loadAfter = loadavg()[0];

  const pgVersion = databases.includes('postgres') ? await postgresVersion().catch(() => '?') : null;
  console.log('');
  console.log(`Machine: ${availableParallelism()} CPUs (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`);
  console.log(`Node ${process.version}${pgVersion ? `, PostgreSQL ${pgVersion} (local, 127.0.0.1)` : ''}, server built (tsc, as npm start runs it), FIREDRILL_LOG_LEVEL=warn${CPU_PROF_DIR ? ', --cpu-prof ON (slower)' : ''}`);
  console.log(`1-minute load average: ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (other work on the machine raises every figure)`);
  console.log('');
  console.log('Append latency: POST /api/drills/:id/timeline from the driver process (fetch), no subscribers');
  console.log(
    table(
      ['database', 'appends', 'p50 ms', 'p99 ms', 'appends/s'],
      appends.map((a) => [a.database, a.mode, ms(a.p50), ms(a.p99), Math.round(a.rps).toLocaleString('en')]),
      2,
    ),
  );
  console.log('');
  console.log(
    `Fan-out: one subscriber process holds N SSE connections and performs ${APPENDS} paced appends (after ${WARMUP_APPENDS} warm-up); times from just before the POST`,
  );
  console.log('until its response (POST), the first and the last subscriber have the entry. CPU per append: server process, and the PostgreSQL backends of the bench database, once all N are connected.');
  if (HEARTBEAT_MS) {
    console.log(`Heartbeat burst: appends back to back while the N connections' heartbeats fire (${HEARTBEAT_MS} ms after they connected; each writes a comment and re-checks the session).`);
  }
  console.log(
    table(
      ['database', 'subscribers', 'POST p50', 'first p50', 'last p50 ms', 'last p99 ms', 'last max ms', 'in heartbeat burst: n, last p50/max ms', 'connect ms', 'server CPU ms/append', 'postgres CPU ms/append', 'errors'],
      fanOuts.map((f) => {
        const last = f.result.samples.map((s) => s.last);
        const beat = f.result.heartbeatSamples.map((s) => s.last);
        return [
          f.database,
          String(f.subscribers),
          ms(percentile(f.result.samples.map((s) => s.post), 50)),
          ms(percentile(f.result.samples.map((s) => s.first), 50)),
          ms(percentile(last, 50)),
          ms(percentile(last, 99)),
          ms(Math.max(...last)),
          beat.length ? `${beat.length}, ${ms(percentile(beat, 50))} / ${ms(Math.max(...beat))}` : '-',
          ms(f.result.connectMs),
          ms(f.serverCpuMs),
          ms(f.postgresCpuMs),
          String(f.result.errors.length),
        ];
      }),
      2,
    ),
  );
  for (const f of fanOuts.filter((x) => x.subscribers === 500)) {
    const p99 = percentile(f.result.samples.map((s) => s.last), 99);
    console.log('');
    const all = [...f.result.samples, ...f.result.heartbeatSamples].map((s) => s.last);
    console.log(`Goal (issue): p99 fan-out <= ${GOAL_MS} ms at 500 subscribers on ${f.database}: ${p99 <= GOAL_MS ? 'MET' : 'NOT MET'} (${ms(p99)} ms; worst append in the heartbeat burst ${ms(Math.max(...f.result.heartbeatSamples.map((s) => s.last)))} ms, p99 of all ${ms(percentile(all, 99))} ms)`);
  }
  if (fanOuts.some((f) => f.result.errors.length > 0)) {
    console.log('WARNING: subscriber errors: the figures above are not valid');
    process.exitCode = 1;
  }
}

async function cleanup() {
  for (const child of children) child.kill('SIGKILL');
  for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch((err) => log(`cleanup: ${err}`));
}

if (process.argv.includes('--subscriber')) {
  process.once('message', (job: SubscriberJob) => {
    runSubscriber(job).then(
      (result) => process.send!({ result }, () => process.exit(0)),
      (err: Error) => process.send!({ error: err.stack ?? String(err) }, () => process.exit(1)),
    );
  });
} else {
  process.once('SIGINT', () => {
    void cleanup().then(() => process.exit(130));
  });
  try {
    await main();
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
}
