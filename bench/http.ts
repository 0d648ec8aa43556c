/**
 * HTTP throughput of the authenticated people list (GET /api/people?limit=20), on PGlite and on
 * PostgreSQL.
 *
 *   npm run bench:http                     # both databases
 *   npm run bench:http -- --db postgres    # one of them
 *   BENCH_FROM_SOURCE=1 npm run bench:http  # the TypeScript sources through tsx instead of the build
 *   BENCH_DURATION=10 BENCH_CONNECTIONS=50 BENCH_CPU_PROF=/tmp/prof npm run bench:http
 *
 * Three processes: this driver, the server (`firedrill serve` from source, FIREDRILL_LOG_LEVEL=warn
 * so request logging is off; BENCH_LOG_LEVEL=info measures it), and the load
 * generator (autocannon's CLI, `--json`, in its own process). The driver only orchestrates and samples
 * CPU time from /proc, so neither the load nor the measuring shares the server's process.
 * PostgreSQL gets a fresh database, dropped at the end; PGlite a temporary data folder, removed at
 * the end. BENCH_CPU_PROF=<dir> runs the server with --cpu-prof (one folder per database).
 */
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { children, cpuSeconds, createPgDatabase, dropPgDatabase, log, postgresVersion, root, setupAdmin, startServer, stopServer, type Server } from './support.js';

const AUTOCANNON = join(root, 'node_modules', 'autocannon', 'autocannon.js');

interface LoadOptions {
  url: string;
  cookie: string;
  connections: number;
  duration: number;
}

/** The parts of autocannon's `--json` result this bench reads. */
interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

const DURATION = Number(process.env.BENCH_DURATION) || 10;
const WARMUP = Number(process.env.BENCH_WARMUP) || 3;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS) || 50;
const PEOPLE = Number(process.env.BENCH_PEOPLE) || 200;
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
/** The server's log level; warn by default (no per-request lines). BENCH_LOG_LEVEL=info measures request logging. */
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL || 'warn';

/** The server as `npm start` runs it (compiled by tsc), unless BENCH_FROM_SOURCE=1 (tsx). */
const FROM_SOURCE = process.env.BENCH_FROM_SOURCE === '1';

/** Server processes to measure on PostgreSQL (serve --workers): one, and two (this machine's cores). */
const PG_WORKERS = (process.env.BENCH_PG_WORKERS ?? '1,2').split(',').map(Number);

const dbArg = process.argv.indexOf('--db');
const databases = (dbArg > 0 ? [process.argv[dbArg + 1]] : ['pglite', 'postgres']) as ('pglite' | 'postgres')[];

const cleanups: (() => Promise<void> | void)[] = [];



/** CPU seconds of a process and all its descendants (the cluster's workers). */
function treeCpuSeconds(root: number): number {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* ended meanwhile */
    }
  }
  let total = 0;
  for (const pid of parentOf.keys()) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parentOf.get(p)) {
      if (p === root) {
        total += cpuSeconds(pid);
        break;
      }
    }
  }
  return total;
}

/** Total CPU seconds of every process whose command name is `postgres` (the PostgreSQL server and its backends). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuSeconds(Number(entry));
    } catch {
      /* the process ended meanwhile */
    }
  }
  return total;
}




async function seedPeople(server: Server, cookie: string): Promise<void> {
  const departments = ['安全部', '研发部', '运维部', '法务部', 'IT'];
  let next = 0;
  const worker = async () => {
    while (next < PEOPLE) {
      const i = next++;
      const response = await fetch(`${server.base}/api/people`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ name: `Person ${String(i).padStart(4, '0')}`, department: departments[i % departments.length], title: 'Engineer', email: `p${i}@example.com` }),
      });
      if (response.status !== 201) throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const check = await fetch(`${server.base}/api/people?limit=20`, { headers: { cookie } });
  const body = (await check.json()) as { people: unknown[]; total: number };
  if (check.status !== 200 || body.total !== PEOPLE || body.people.length !== 20) throw new Error(`unexpected list after seeding: ${check.status} total=${body.total}`);
}

interface Measured extends LoadResult {
  cpu: { server: number; load: number; postgres: number };
}

/** Runs autocannon's CLI in a child process and measures the CPU each party used meanwhile. */
async function runLoad(server: Server, options: LoadOptions): Promise<Measured> {
  const args = [AUTOCANNON, '--json', '--no-progress', '-c', String(options.connections), '-d', String(options.duration), '-H', 'accept-language:en'];
  if (options.cookie) args.push('-H', `cookie:${options.cookie}`);
  const proc = spawn(process.execPath, [...args, options.url], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(proc);
  const serverBefore = treeCpuSeconds(server.proc.pid!);
  const pgBefore = postgresCpuSeconds();
  let out = '';
  proc.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  let loadCpu = 0;
  // Sample the load process's CPU just before it exits (afterwards /proc no longer has it).
  const sampler = setInterval(() => (loadCpu = Math.max(loadCpu, cpuSeconds(proc.pid!))), 200);
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  clearInterval(sampler);
  children.delete(proc);
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  const result: LoadResult = JSON.parse(out);
  const seconds = options.duration;
  return {
    ...result,
    cpu: {
      server: (treeCpuSeconds(server.proc.pid!) - serverBefore) / seconds,
      load: loadCpu / seconds,
      postgres: (postgresCpuSeconds() - pgBefore) / seconds,
    },
  };
}




interface Row {
  database: string;
  workers: number;
  route: string;
  result: Measured;
}

async function benchDatabase(kind: 'pglite' | 'postgres', workers = 1): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'firedrill-bench-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    databaseUrl = await createPgDatabase();
    const url = databaseUrl;
    cleanups.push(() => dropPgDatabase(url));
  }
  log(`${kind}: starting the server (${workers} process${workers > 1 ? 'es' : ''})`);
  const server = await startServer(kind, dataDir, { databaseUrl, workers, logLevel: LOG_LEVEL, fromSource: FROM_SOURCE, cpuProfDir: CPU_PROF_DIR });
  try {
    const cookie = await setupAdmin(server);
    log(`${kind}: seeding ${PEOPLE} people`);
    await seedPeople(server, cookie);
    const list = `${server.base}/api/people?limit=20`;
    log(`${kind}: warm-up ${WARMUP} s`);
    await runLoad(server, { url: list, cookie, connections: CONNECTIONS, duration: WARMUP });
    const rows: Row[] = [];
    log(`${kind}: GET /api/people?limit=20, ${CONNECTIONS} connections, ${DURATION} s`);
    rows.push({ database: kind, workers, route: 'GET /api/people?limit=20', result: await runLoad(server, { url: list, cookie, connections: CONNECTIONS, duration: DURATION }) });
    const baseline = Math.max(3, Math.round(DURATION / 2));
    log(`${kind}: baseline GET /api/health (public, one "select 1"), ${baseline} s`);
    rows.push({ database: kind, workers, route: 'GET /api/health (baseline)', result: await runLoad(server, { url: `${server.base}/api/health`, cookie: '', connections: CONNECTIONS, duration: baseline }) });
    return rows;
  } finally {
    await stopServer(server);
  }
}

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ') + ' |';
  return [line(headers), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

async function main() {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const perRequest = (cores: number, rps: number) => (rps > 0 ? String(Math.round((cores * 1e6) / rps)) : '-');
  const loadBefore = loadavg()[0];
  if (loadBefore > 0.5) log(`the machine is not idle (1-minute load average ${loadBefore.toFixed(2)}): figures will be low and noisy`);
  if (!FROM_SOURCE) {
    log('building the server (npm run build:server)');
    execSync('npm run --silent build:server', { cwd: root, stdio: 'inherit' });
  }
  const results: Row[] = [];
  for (const kind of databases) {
    for (const workers of kind === 'postgres' ? PG_WORKERS : [1]) results.push(...(await benchDatabase(kind, workers)));
  }

  const pgVersion = databases.includes('postgres') ? await postgresVersion().catch(() => '?') : null;
  console.log('');
  console.log(`Machine: ${availableParallelism()} CPUs (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`);
  console.log(`Node ${process.version}${pgVersion ? `, PostgreSQL ${pgVersion} (local, 127.0.0.1)` : ''}, server ${FROM_SOURCE ? 'from source (tsx)' : 'built (tsc, as npm start runs it)'}, FIREDRILL_LOG_LEVEL=${LOG_LEVEL}${CPU_PROF_DIR ? ', --cpu-prof ON (slower)' : ''}`);
  console.log(`1-minute load average before the bench: ${loadBefore.toFixed(2)} (other work on the machine lowers every figure)`);
  console.log(`Load: autocannon in its own process, ${CONNECTIONS} connections, ${DURATION} s after a ${WARMUP} s warm-up, ${PEOPLE} people seeded`);
  console.log(`CPU columns: share of one core used during the run (100% = one core busy; the machine has ${availableParallelism()} cores) by the server, the load generator, and all PostgreSQL processes; µs/req = CPU time per request`);
  console.log('');
  console.log(
    table(
      ['database', 'processes', 'route', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', 'server CPU', 'server µs/req', 'load CPU', 'postgres CPU', 'postgres µs/req'],
      results.map(({ database, workers, route, result: r }) => [
        database,
        String(workers),
        route,
        Math.round(r.requests.average).toLocaleString('en'),
        String(r.latency.p50),
        String(r.latency.p99),
        String(r.non2xx),
        String(r.errors + r.timeouts),
        pct(r.cpu.server),
        perRequest(r.cpu.server, r.requests.average),
        pct(r.cpu.load),
        database === 'postgres' ? pct(r.cpu.postgres) : '-',
        database === 'postgres' ? perRequest(r.cpu.postgres, r.requests.average) : '-',
      ]),
    ),
  );
  for (const pgList of results.filter((r) => r.database === 'postgres' && r.route.startsWith('GET /api/people'))) {
    const rps = pgList.result.requests.average;
    console.log('');
    console.log(
      `Goal (issue): >= 3,000 req/s on PostgreSQL for the people list, ${pgList.workers} process${pgList.workers > 1 ? 'es' : ''}: ${rps >= 3000 ? 'MET' : 'NOT MET'} (${Math.round(rps).toLocaleString('en')} req/s)`,
    );
  }
  const broken = results.filter((r) => r.result.non2xx > 0 || r.result.errors > 0);
  if (broken.length) {
    console.log(`WARNING: failed responses in ${broken.map((b) => `${b.database} ${b.route}`).join(', ')}: the figures above are not valid`);
    process.exitCode = 1;
  }
}

async function cleanup() {
  for (const child of children) child.kill('SIGKILL');
  for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch((err) => log(`cleanup: ${err}`));
}

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
