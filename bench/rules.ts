/**
 * The bundled Sigma rules over a large incident: 5,000,000 synthetic events on PostgreSQL (COPY), 500,000 on
 * PGlite, a week of logs from several hosts (nginx access logs, auth.log with sshd/sudo/cron, a MySQL general
 * log, a PostgreSQL log, an application's JSON operation log) with the attacks the rules look for planted in
 * them. Prints the time of the whole rule set (median of --runs, 3 by default) and of each rule, and checks each
 * planted attack is found; with the shared scan (`combined: true`, the default on PostgreSQL, see
 * docs/decisions/0015-shared-rule-scan.md) and rule by rule (`combined: false`, the default on PGlite), run after
 * run alternately so both see the same machine load, and checks both give the same findings. On PostgreSQL it also
 * prints the server CPU time of each run (the machine is shared: wall times depend on its load).
 *
 *   node --import tsx bench/rules.ts [--events 5000000] [--pglite-events 500000] [--skip-pglite] [--skip-postgres]
 *                                    [--runs 3] [--only combined|single] [--keep] [--reuse URL INCIDENT]
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase, type Database } from '../src/db/index.js';
import { bundledRules, runRulesReport, type RuleRunReport } from '../src/modules/evidence/sigma/index.js';
import { createPgDatabase, dropPgDatabase, log, pgCpu, pgCpuSince, postgresVersion } from './support.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const PG_EVENTS = arg('events', 5_000_000);
const PGLITE_EVENTS = arg('pglite-events', 500_000);

/** Indexes the rules want beyond migration 0006 (see the final report). */
export const RULE_INDEXES = [
  'create index if not exists evidence_events_incident_id_type_time_index on evidence_events (incident_id, type, time)',
  'create index if not exists evidence_events_incident_id_source_time_index on evidence_events (incident_id, source, time)',
];

// ---------------------------------------------------------------------------------------------------------
// Synthetic events

let seed = 42;
function rnd(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
const START = Date.parse('2026-03-02T00:00:00+08:00'); // a Monday
const WEEK = 7 * 86_400_000;

type Row = [time: number, host: string, source: string, type: string, user: string | null, ip: string | null, target: string | null, action: string | null, outcome: string | null, message: string, fields: Record<string, unknown>];

const PATHS = ['/', '/index.html', '/api/orders', '/api/products', '/static/app.js', '/static/app.css', '/login', '/api/cart', '/images/logo.png', '/search'];
const QUERIES = [null, null, null, 'page=2', 'q=shoes&sort=price', 'id=1045', 'lang=zh-CN', 'category=3&page=1'];
const AGENTS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1', 'okhttp/4.12.0'];
const clientIp = () => `${pick([36, 58, 101, 112, 183, 223])}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`;
const DEPLOYERS = ['deploy', 'zhangwei', 'lina', 'ci'];
const TABLES = ['orders', 'order_items', 'products', 'users', 'carts', 'coupons'];

function web(t: number, host: string, attack?: { target: string; status?: number; ip?: string }): Row {
  const path = attack ? attack.target.split('?')[0] : pick(PATHS);
  const query = attack ? (attack.target.split('?')[1] ?? null) : pick(QUERIES);
  const status = attack?.status ?? (rnd() < 0.95 ? 200 : pick([301, 304, 404, 500]));
  const method = rnd() < 0.85 ? 'GET' : 'POST';
  const target = query ? `${path}?${query}` : path;
  const fields: Record<string, unknown> = { method, path, status, bytes: Math.floor(rnd() * 50_000), protocol: 'HTTP/1.1', user_agent: pick(AGENTS), referrer: 'https://shop.example.cn/' };
  if (query) fields.query = query;
  return [t, host, 'nginx', 'http.request', null, attack?.ip ?? clientIp(), path, method, status < 400 ? 'success' : 'failure', `${method} ${target} HTTP/1.1`, fields];
}

function sshd(t: number, host: string, type: 'auth.success' | 'auth.failure', user: string, ip: string, method = 'publickey'): Row {
  const verb = type === 'auth.success' ? 'Accepted' : 'Failed';
  return [t, host, 'sshd', type, user, ip, null, 'login', type === 'auth.success' ? 'success' : 'failure', `${verb} ${method} for ${user} from ${ip} port ${20000 + Math.floor(rnd() * 40000)} ssh2`, { method, port: 22, pid: Math.floor(rnd() * 60000), program: 'sshd' }];
}

function authLine(t: number, host: string): Row {
  const r = rnd();
  if (r < 0.35) return [t, host, 'CRON', 'cron.exec', 'root', null, null, 'exec', null, '(root) CMD (/usr/local/bin/backup.sh)', { pid: 1000, program: 'CRON', command: '/usr/local/bin/backup.sh' }];
  if (r < 0.55) return sshd(t, host, 'auth.success', pick(DEPLOYERS), `10.8.${Math.floor(rnd() * 4)}.${10 + Math.floor(rnd() * 20)}`);
  if (r < 0.75) return sshd(t, host, 'auth.failure', pick(['root', 'admin', 'test', 'oracle', 'ubuntu']), clientIp(), 'password');
  if (r < 0.9) return [t, host, 'sshd', 'session.open', pick(DEPLOYERS), null, null, 'session', null, 'pam_unix(sshd:session): session opened', { pid: 1 }];
  const cmd = pick(['/usr/bin/systemctl restart nginx', '/usr/bin/tail -f /var/log/syslog', '/usr/bin/apt update']);
  return [t, host, 'sudo', 'privilege.escalation', pick(DEPLOYERS), null, 'root', 'sudo', 'success', `deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=${cmd}`, { target_user: 'root', command: cmd, tty: 'pts/0' }];
}

function dbQuery(t: number, host: string, source: string, user: string, text: string): Row {
  return [t, host, source, 'db.query', user, '10.8.1.20', 'shop', text.split(' ')[0].toUpperCase(), 'success', text, { sql: text, command: 'Query', database: 'shop', thread_id: 17 }];
}

function dbLine(t: number, host: string, source: string): Row {
  const r = rnd();
  const table = pick(TABLES);
  if (r < 0.7) return dbQuery(t, host, source, 'shop_app', `SELECT id, status, amount FROM ${table} WHERE id = ${Math.floor(rnd() * 1e6)}`);
  if (r < 0.85) return dbQuery(t, host, source, 'shop_app', `INSERT INTO ${table} (user_id, amount) VALUES (${Math.floor(rnd() * 1e5)}, ${(rnd() * 500).toFixed(2)})`);
  if (r < 0.97) return dbQuery(t, host, source, 'shop_app', `UPDATE accounts SET balance = balance - ${(rnd() * 100).toFixed(2)} WHERE id = ${Math.floor(rnd() * 1e5)}`);
  return dbQuery(t, host, source, 'report', `SELECT count(*) FROM ${table}`);
}

function appLine(t: number): Row {
  const r = rnd();
  if (r < 0.4) {
    const refund = rnd() < 0.2;
    return [t, 'app-01', 'json', refund ? 'refund' : 'payment', pick(['fin-li', 'fin-wang']), '10.8.2.5', `order-${Math.floor(rnd() * 1e6)}`, refund ? 'refund' : 'withdraw', 'success', refund ? 'refund issued' : 'withdrawal approved', { amount: Math.round(rnd() * 1e5) / 100, currency: 'CNY' }];
  }
  return [t, 'app-01', 'json', 'log', pick(DEPLOYERS), '10.8.2.5', '/admin/orders', 'view', 'success', 'viewed order list', { page: 1 }];
}

/** The planted attacks: what each rule must find. */
function planted(day: number): { rows: Row[]; expect: Record<string, number> } {
  const t = START + day * 86_400_000;
  const rows: Row[] = [];
  const h = 3_600_000;
  // brute force then success (13:00 local, day 3)
  for (let i = 0; i < 8; i++) rows.push(sshd(t + 13 * h + i * 20_000, 'web-02', 'auth.failure', 'root', '45.155.205.7', 'password'));
  rows.push(sshd(t + 13 * h + 200_000, 'web-02', 'auth.success', 'root', '45.155.205.7', 'password'));
  // new address for an admin account, at 03:00 local (also off hours, also a root password login)
  rows.push(sshd(t + 3 * h, 'db-01', 'auth.success', 'root', '185.220.101.4', 'password'));
  // sudo to a root shell, new account
  rows.push([t + 13 * h + 400_000, 'web-02', 'sudo', 'privilege.escalation', 'deploy', null, 'root', 'sudo', 'success', 'deploy : TTY=pts/1 ; PWD=/root ; USER=root ; COMMAND=/bin/bash', { target_user: 'root', command: '/bin/bash' }]);
  rows.push([t + 13 * h + 500_000, 'web-02', 'useradd', 'account.create', 'sysadm', null, null, 'create', 'success', 'new user: name=sysadm, UID=0, GID=0, home=/root, shell=/bin/bash', {}]);
  // payment by a developer
  rows.push([t + 14 * h, 'app-01', 'json', 'payment', 'dev-zhao', '10.8.2.77', 'order-999', 'withdraw', 'success', 'withdrawal approved', { amount: 49_999, currency: 'CNY' }]);
  // mass export: 40 whole-table selects in 2 minutes, and an OUTFILE
  for (let i = 0; i < 40; i++) rows.push(dbQuery(t + 15 * h + i * 3000, 'db-01', 'mysql', 'mallory', `SELECT * FROM ${TABLES[i % TABLES.length]}_${i}`));
  rows.push(dbQuery(t + 15 * h + 200_000, 'db-01', 'mysql', 'dba', "SELECT * FROM users INTO OUTFILE '/tmp/users.csv'"));
  // balance tampering by the DBA
  rows.push(dbQuery(t + 16 * h, 'db-01', 'mysql', 'dba', 'UPDATE accounts SET balance = 99999 WHERE id = 42'));
  // web attacks
  rows.push(web(t + 17 * h, 'web-01', { target: '/item.php?id=1%27%20or%20%271%27%3D%271', ip: '45.155.205.7' }));
  rows.push(web(t + 17 * h + 1000, 'web-01', { target: '/download?file=../../../../etc/passwd', ip: '45.155.205.7' }));
  return {
    rows,
    expect: {
      ssh_bruteforce_then_success: 1,
      // the planted 03:00 login and the brute-forced one both come from addresses new for root
      ssh_new_source_ip_admin: 2,
      admin_login_off_hours: 1,
      ssh_root_password_login: 1,
      sudo_to_root_shell: 1,
      new_local_account: 1,
      payment_by_non_finance: 1,
      db_mass_export: 2,
      db_balance_tampering: 1,
      web_sqli_attempt: 1,
      web_path_traversal: 1,
    },
  };
}

/** Evidence files in load order, each in time order: (source, host, share of the events, line maker). */
const FILES: { share: number; make: (t: number) => Row }[] = [
  ...['web-01', 'web-02', 'web-03'].map((host) => ({ share: 0.2, make: (t: number) => web(t, host) })),
  ...['web-01', 'web-02', 'web-03', 'db-01', 'db-02', 'app-01'].map((host) => ({ share: 0.025, make: (t: number) => authLine(t, host) })),
  { share: 0.18, make: (t: number) => dbLine(t, 'db-01', 'mysql') },
  { share: 0.02, make: (t: number) => dbLine(t, 'db-02', 'postgres') },
  { share: 0.05, make: (t: number) => appLine(t) },
];

const csvText = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** A row's CSV columns from host to fields (time, ids and line numbers are added per row). */
function renderMiddle([, host, source, type, user, ip, target, action, outcome, message, fields]: Row): string {
  const opt = (v: string | null) => (v === null ? '' : csvText(v));
  return `${csvText(host)},${csvText(source)},${type},${opt(user)},${ip ?? ''},${opt(target)},${opt(action)},${outcome ?? ''},${csvText(message)},${csvText(JSON.stringify(fields))}`;
}

/**
 * CSV for COPY, in evidence-file order, each file in time order. Each file's lines are drawn from a pool of
 * 4096 pre-rendered lines (logs repeat themselves; rendering every line would make the generator, not the
 * database, the bottleneck).
 */
function* csvLines(total: number, incidentId: string): Generator<string> {
  const attack = planted(3);
  let line = 0;
  let made = 0;
  let chunk = '';
  for (const [f, file] of FILES.entries()) {
    const evidence = randomUUID();
    const n = f === FILES.length - 1 ? total - made - attack.rows.length : Math.floor(total * file.share);
    const pool = Array.from({ length: 4096 }, () => renderMiddle(file.make(START)));
    const step = WEEK / n;
    for (let i = 0; i < n; i++) {
      line++;
      chunk += `${incidentId},${evidence},${new Date(START + Math.floor(i * step + rnd() * step)).toISOString()},${pool[(rnd() * 4096) | 0]},${line},${line * 200},199\n`;
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
    made += n;
  }
  const evidence = randomUUID();
  for (const row of attack.rows) {
    line++;
    chunk += `${incidentId},${evidence},${new Date(row[0]).toISOString()},${renderMiddle(row)},${line},${line * 200},199\n`;
  }
  yield chunk;
}

const COPY_SQL =
  'copy evidence_events (incident_id, evidence_id, time, host, source, type, user_name, src_ip, target, action, outcome, message, fields, line_no, raw_offset, raw_length) from stdin with (format csv)';

// ---------------------------------------------------------------------------------------------------------

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const RUNS = arg('runs', 3);
const ONLY = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;

/** The findings of a report, comparable between the two paths. */
const findings = (r: RuleRunReport) =>
  JSON.stringify(r.hits.map((h) => [h.ruleId, h.count, h.firstTime, h.lastTime, h.groupKey ?? null, h.eventIds]));

async function timeRules(database: Database, incidentId: string, label: string, url?: string, runs = RUNS): Promise<void> {
  const rules = bundledRules();
  const modes = ([true, false] as const).filter((m) => ONLY === null || (ONLY === 'combined') === m);
  const reports = new Map<boolean, RuleRunReport[]>(modes.map((m) => [m, []]));
  const totals = new Map<boolean, number[]>(modes.map((m) => [m, []]));
  const loads: string[] = [];
  const cpus = new Map<boolean, number[]>(modes.map((m) => [m, []]));
  for (let i = 0; i < runs; i++) {
    for (const combined of i % 2 ? [...modes].reverse() : modes) {
      const before = url ? await pgCpu(url) : null;
      const started = performance.now();
      const report = await runRulesReport(database.db, incidentId, rules, { combined, timeoutMs: 120_000, placeholders: { finance_accounts: ['fin-li', 'fin-wang'], app_db_accounts: ['shop_app'] } });
      reports.get(combined)!.push(report);
      totals.get(combined)!.push(performance.now() - started);
      const cpu = url && before ? await pgCpuSince(url, before) : null;
      if (cpu !== null) cpus.get(combined)!.push(cpu);
      const scan = report.scan ? ('ms' in report.scan ? `; shared scan ${(report.scan.ms / 1000).toFixed(2)} s, ${report.scan.rows} rows kept, ${report.scan.predicates} predicates` : `; shared scan skipped: ${report.scan.skipped}`) : '';
      loads.push(readLoad());
      log(`${label}, ${combined ? 'shared scan' : 'rule by rule'}: run ${i + 1}: ${(totals.get(combined)!.at(-1)! / 1000).toFixed(2)} s${cpu === null ? '' : ` (server CPU ${cpu.toFixed(2)} s)`}${scan}; load ${readLoad()}`);
    }
  }
  const expected = planted(3).expect;
  for (const combined of modes) {
    const last = reports.get(combined)!.at(-1)!;
    for (const e of last.errors) log(`${label}: ERROR ${e.title}: ${e.error.message}`);
    const ms = median(totals.get(combined)!);
    const cpu = cpus.get(combined)!.length ? `; server CPU median ${median(cpus.get(combined)!).toFixed(2)} s (backends, without parallel workers)` : '';
    console.log(`\n${label}, ${combined ? 'shared scan (combined: true)' : 'rule by rule (combined: false)'}: whole bundled rule set, median of ${runs}: ${(ms / 1000).toFixed(2)} s${cpu}  (load ${loads.join(' ')})`);
    if (combined && last.scan && 'ms' in last.scan) console.log(`  shared scan: median ${(median(reports.get(combined)!.map((r) => (r.scan && 'ms' in r.scan ? r.scan.ms : NaN))) / 1000).toFixed(2)} s, ${last.scan.rows} rows kept for ${last.scan.predicates} detection predicates`);
    console.log('  rule                            median ms   hits  expected');
    for (const t of last.timings) {
      const ms = median(reports.get(combined)!.map((r) => r.timings.find((x) => x.ruleId === t.ruleId)!.ms));
      const hits = last.hits.filter((h) => h.ruleId === t.ruleId).length;
      const want = expected[t.name ?? ''];
      console.log(`  ${(t.name ?? t.ruleId).padEnd(32)}${ms.toFixed(0).padStart(9)}${String(hits).padStart(7)}${String(want ?? '-').padStart(10)}${want !== undefined && hits < want ? '  MISSING' : ''}`);
    }
  }
  if (modes.length === 2) {
    const a = median(totals.get(true)!);
    const b = median(totals.get(false)!);
    const same = findings(reports.get(true)!.at(-1)!) === findings(reports.get(false)!.at(-1)!);
    const goal = label.startsWith('PostgreSQL') && PG_EVENTS >= 5_000_000 ? `; goal 5 s for 5M events: ${a <= 5000 ? 'met' : 'NOT met'}` : '';
    console.log(`\n${label}: shared scan ${(a / 1000).toFixed(2)} s vs rule by rule ${(b / 1000).toFixed(2)} s: ${(b / a).toFixed(2)}× ; same findings: ${same ? 'yes' : 'NO'}${goal}`);
  }
}

/** The 1-minute load average: the machine is shared. */
function readLoad(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  } catch {
    return '?';
  }
}

/** `--reuse URL INCIDENT` runs the rules over a database a `--keep` run left loaded (for EXPLAIN sessions). */
const reuse = args.includes('--reuse') ? { url: args[args.indexOf('--reuse') + 1], incidentId: args[args.indexOf('--reuse') + 2] } : null;

async function benchPostgres(): Promise<void> {
  const url = reuse?.url ?? (await createPgDatabase());
  const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
  try {
    await database.migrate();
    const incidentId = reuse?.incidentId ?? randomUUID();
    if (!reuse) {
      log(`PostgreSQL ${await postgresVersion()}: loading ${PG_EVENTS.toLocaleString('en')} events with COPY…`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      // Bulk load without the secondary indexes, then build them: much faster than maintaining them row by row.
      const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
        "select indexname, indexdef from pg_indexes where tablename = 'evidence_events' and indexname not like '%pkey'",
      );
      for (const ix of indexes) await client.query(`drop index ${ix.indexname}`);
      let started = performance.now();
      await pipeline(Readable.from(csvLines(PG_EVENTS, incidentId)), client.query(copyFrom(COPY_SQL)));
      const loadS = (performance.now() - started) / 1000;
      log(`COPY: ${loadS.toFixed(1)} s (${Math.round(PG_EVENTS / loadS).toLocaleString('en')} events/s)`);
      started = performance.now();
      for (const ix of indexes) await client.query(ix.indexdef);
      log(`migration indexes rebuilt: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      started = performance.now();
      for (const ddl of RULE_INDEXES) await client.query(ddl);
      await client.query('analyze evidence_events');
      log(`rule indexes and ANALYZE: ${((performance.now() - started) / 1000).toFixed(1)} s`);
      await client.end();
      if (args.includes('--keep')) log(`kept: --reuse ${url} ${incidentId}`);
    }
    await timeRules(database, incidentId, `PostgreSQL, ${PG_EVENTS.toLocaleString('en')} events`, url);
  } finally {
    await database.close();
    if (!reuse && !args.includes('--keep')) await dropPgDatabase(url);
  }
}

async function benchPglite(): Promise<void> {
  const database = await openDatabase({});
  try {
    await database.migrate();
    const client = (database.db as unknown as { $client: PGlite }).$client;
    const incidentId = randomUUID();
    log(`PGlite: loading ${PGLITE_EVENTS.toLocaleString('en')} events with COPY…`);
    const started = performance.now();
    const parts: string[] = [];
    for (const chunk of csvLines(PGLITE_EVENTS, incidentId)) parts.push(chunk);
    await client.query(COPY_SQL.replace('from stdin', "from '/dev/blob'"), [], { blob: new Blob(parts) });
    for (const ddl of RULE_INDEXES) await client.exec(ddl);
    await client.exec('analyze evidence_events');
    log(`loaded and analysed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await database.db.execute(sql`select 1`);
    await timeRules(database, incidentId, `PGlite, ${PGLITE_EVENTS.toLocaleString('en')} events`);
  } finally {
    await database.close();
  }
}

if (args.includes('--gen-only')) {
  const started = performance.now();
  let bytes = 0;
  for (const chunk of csvLines(PG_EVENTS, randomUUID())) bytes += chunk.length;
  log(`generated ${PG_EVENTS} events, ${(bytes / 1e6).toFixed(0)} MB of CSV in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} else {
  if (!args.includes('--skip-postgres')) await benchPostgres();
  if (!args.includes('--skip-pglite')) await benchPglite();
}
