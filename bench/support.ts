/**
 * What the benchmarks share: the server as a child process (built, as `npm start` runs it), a fresh
 * PostgreSQL database, the first administrator, CPU time from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export const root = new URL('..', import.meta.url).pathname;
export const PG_ADMIN_URL = process.env.FIREDRILL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CLK_TCK = 100; // Linux USER_HZ

/** Child processes still running: killed on exit by the bench. */
export const children = new Set<ChildProcess>();

export function log(line: string) {
  process.stderr.write(`[bench] ${line}\n`);
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

export interface Server {
  proc: ChildProcess;
  base: string;
  setupToken: string;
  exited: Promise<number | null>;
}

export interface ServerOptions {
  databaseUrl?: string;
  workers?: number;
  logLevel?: string;
  /** Run the TypeScript sources through tsx instead of the build. */
  fromSource?: boolean;
  /** Write CPU profiles (one folder per database: the main thread and any loader thread each write one). */
  cpuProfDir?: string;
}

/** Starts `firedrill serve` on a free port of a fresh data folder or database; resolves with its setup token. */
export function startServer(kind: 'pglite' | 'postgres', dataDir: string, options: ServerOptions = {}): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env, FIREDRILL_LOG_LEVEL: options.logLevel ?? 'warn', NODE_ENV: 'production' };
  delete env.FIREDRILL_FROM_SOURCE;
  if (options.fromSource) env.FIREDRILL_FROM_SOURCE = '1';
  delete env.DATABASE_URL;
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  const nodeArgs = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(options.cpuProfDir, kind)}`] : [];
  const args = ['bin/firedrill.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir, '--workers', String(options.workers ?? 1)];
  const proc = spawn(process.execPath, [...nodeArgs, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      children.delete(proc);
      resolve(code);
    }),
  );
  let out = '';
  let started = false;
  // Server errors and warnings are shown; its stdout (request logs at level info) is read only until it listens.
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => {
    if (!started) out += c;
    process.stderr.write(c);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${out}`)), 60_000);
    proc.stdout!.setEncoding('utf8').on('data', (c: string) => {
      if (started) return;
      out += c;
      const port = /http:\/\/localhost:(\d+)/.exec(out)?.[1];
      const token = /\/setup#token=([A-Za-z0-9_-]+)/.exec(out)?.[1];
      if (port && token) {
        started = true;
        clearTimeout(timer);
        resolve({ proc, base: `http://127.0.0.1:${port}`, setupToken: token, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${out}`));
    });
  });
}

export async function stopServer(server: Server): Promise<void> {
  server.proc.kill('SIGTERM');
  const timer = setTimeout(() => server.proc.kill('SIGKILL'), 15_000);
  await server.exited;
  clearTimeout(timer);
}

export const ADMIN = { login: 'bench-admin', displayName: 'Bench Admin', password: 'bench-password-123' };

/** Creates the first administrator with the server's setup token; returns the session cookie. */
export async function setupAdmin(server: Server): Promise<string> {
  const response = await fetch(`${server.base}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: server.setupToken, ...ADMIN }),
  });
  if (response.status !== 200) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('firedrill_session='));
  if (!cookie) throw new Error('setup returned no session cookie');
  return cookie.split(';')[0];
}

export async function createPgDatabase(): Promise<string> {
  const name = `fd_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPgDatabase(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`);
  } finally {
    await admin.end();
  }
}

export async function postgresVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('show server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

/**
 * CPU seconds used so far by each server process (backend) connected to the database of `url`, by pid: with
 * pgCpuSince, the server's CPU time for a piece of work, which the machine's load does not inflate the way it does
 * wall time. Parallel workers are not counted (they exit before they can be read).
 */
export async function pgCpu(url: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
  } finally {
    await client.end();
  }
}

/** Server CPU seconds spent by the database's backends since `before` (pgCpu); backends started since count whole. */
export async function pgCpuSince(url: string, before: Map<number, number>): Promise<number> {
  const after = await pgCpu(url);
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}
