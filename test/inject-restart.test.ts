/**
 * Restart safety of scheduled injects: a server SIGKILLed while a drill's injects are falling due, then
 * restarted on the same data folder (PGlite) or database (PostgreSQL), delivers every inject exactly once:
 * one `inject` timeline entry per inject, seq 1…N without gaps, an intact audit chain. On PostgreSQL two
 * server processes share one database: exactly one leads the scheduler, every inject is delivered once, and
 * when the leader is killed the other takes over. On PGlite a second server on the same folder is refused.
 * The servers run as real child processes (`firedrill serve`), as in production.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEDULER_LOCK_KEY } from '../src/modules/drills/scheduler.js';
import { createPgDatabase, dropPgDatabase, testDbKind } from './helpers/db.js';
import { exitOf, serverChildren, startServerChild, type ServerChild } from './helpers/server-process.js';

const root = new URL('..', import.meta.url).pathname;
const ADMIN = { login: 'inject-admin', displayName: 'Inject Admin', password: 'inject-restart-password-1' };
const MIN = 60_000;

interface InjectView {
  id: string;
  key: string;
  offsetMs: number;
  status: 'pending' | 'delivered' | 'cancelled';
  deliveredAt: string | null;
  deliveredDrillMs: number | null;
}

interface EntryView {
  id: string;
  seq: number;
  kind: string;
  data: { injectId?: string; inject?: { key: string } };
}

const children = serverChildren;
let dataDir: string;
let databaseUrl: string | undefined;

/** Starts `firedrill serve` on this test's data folder or database. */
function startServer(expectSetupToken: boolean): Promise<ServerChild> {
  return startServerChild({ dataDir, databaseUrl, expectSetupToken });
}

async function kill(server: ServerChild): Promise<void> {
  server.proc.kill('SIGKILL');
  expect((await server.exited).signal).toBe('SIGKILL');
}

function cookieOf(response: Response): string {
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('firedrill_session='));
  if (!setCookie) throw new Error(`no session cookie (status ${response.status})`);
  return setCookie.split(';')[0];
}

async function call(base: string, cookie: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function setupAdmin(server: ServerChild): Promise<string> {
  const response = await fetch(`${server.base}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: server.setupToken, ...ADMIN }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return cookieOf(response);
}

async function login(server: ServerChild): Promise<string> {
  const response = await fetch(`${server.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: ADMIN.login, password: ADMIN.password }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return cookieOf(response);
}

/** Polls `check` until it returns a value; fails naming `what` after `timeoutMs`. */
async function until<T>(check: () => Promise<T | undefined | false>, what: () => string, timeoutMs: number, intervalMs = 40): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Creates a drill whose injects are due at these drill-time offsets (ms), approves and starts it. */
async function startDrill(base: string, cookie: string, title: string, offsetsMs: number[]): Promise<{ id: string; startedAt: number; injects: InjectView[] }> {
  const drill = await call(base, cookie, 'POST', '/api/drills', {
    title,
    mode: 'simulated',
    scope: 'single_topic',
    injects: offsetsMs.map((ms, i) => ({
      key: `inject-${String(i + 1).padStart(2, '0')}`,
      offsetMinutes: ms / MIN,
      channel: 'phone',
      sender: 'SOC',
      recipients: ['responder'],
      content: `Inject ${i + 1} at ${ms} ms`,
      expectedActions: [],
      marksDetection: false,
    })),
  });
  expect(drill.injects.map((i: InjectView) => i.offsetMs)).toEqual(offsetsMs);
  await call(base, cookie, 'POST', `/api/drills/${drill.id}/transitions/approve`);
  const started = await call(base, cookie, 'POST', `/api/drills/${drill.id}/transitions/start`);
  expect(started.status).toBe('running');
  return { id: drill.id, startedAt: Date.parse(started.startedAt), injects: started.injects };
}

async function injectsOf(base: string, cookie: string, drillId: string): Promise<InjectView[]> {
  return (await call(base, cookie, 'GET', `/api/drills/${drillId}`)).injects;
}

/** Waits until at least `n` of the drill's injects are delivered; returns the injects as then seen. */
function deliveredAtLeast(base: string, cookie: string, drillId: string, n: number, timeoutMs: number): Promise<InjectView[]> {
  let last: InjectView[] = [];
  return until(
    async () => {
      last = await injectsOf(base, cookie, drillId);
      return last.filter((i) => i.status === 'delivered').length >= n && last;
    },
    () => `${n} delivered injects (have ${last.filter((i) => i.status === 'delivered').map((i) => i.key).join(', ') || 'none'})`,
    timeoutMs,
    25,
  );
}

/**
 * The exactly-once checks, as the API shows them: every inject delivered, one `inject` entry per inject
 * (pointing at it), timeline seq 1…N without gaps, one delivery audit record per inject, an intact chain.
 */
async function expectDeliveredOnce(base: string, cookie: string, drillId: string, keys: string[]): Promise<{ injects: InjectView[]; entries: EntryView[] }> {
  const injects = await injectsOf(base, cookie, drillId);
  expect(injects.map((i) => [i.key, i.status])).toEqual(keys.map((k) => [k, 'delivered']));
  for (const inject of injects) expect(inject.deliveredDrillMs).toBeGreaterThanOrEqual(inject.offsetMs);

  const timeline = await call(base, cookie, 'GET', `/api/drills/${drillId}/timeline`);
  const entries: EntryView[] = timeline.entries;
  const injectEntries = entries.filter((e) => e.kind === 'inject');
  expect(injectEntries.map((e) => e.data.inject?.key).sort()).toEqual(keys);
  for (const inject of injects) expect(injectEntries.filter((e) => e.data.injectId === inject.id)).toHaveLength(1);
  const seqs = entries.map((e) => e.seq).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: entries.length }, (_, i) => i + 1));
  // The start's status change plus one entry per inject, nothing else was written.
  expect(entries).toHaveLength(keys.length + 1);

  const audit = await call(base, cookie, 'GET', `/api/audit?entityId=${drillId}&action=drill.inject_delivered&limit=500`);
  expect(audit.entries.map((e: { after: { key: string } }) => e.after.key).sort()).toEqual(keys);
  const verify = await call(base, cookie, 'GET', '/api/audit/verify');
  expect(verify.problem).toBeNull();
  expect(verify.ok).toBe(true);
  return { injects, entries };
}

/**
 * Which of these server processes holds the scheduler's advisory lock, found through PostgreSQL
 * (pg_locks → the holding backend's client port) and Linux (/proc/net/tcp → socket inode → /proc/<pid>/fd).
 */
async function schedulerLeaders(url: string, servers: ServerChild[]): Promise<ServerChild[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let ports: number[];
  try {
    const { rows } = await client.query<{ client_port: number }>(
      `select a.client_port from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
          and ((l.classid::bigint << 32) | l.objid::bigint) = $1`,
      [SCHEDULER_LOCK_KEY],
    );
    ports = rows.map((r) => r.client_port);
  } finally {
    await client.end();
  }
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const localPort = Number.parseInt(cols[1].split(':')[1], 16);
      if (ports.includes(localPort)) inodes.add(cols[9]);
    }
  }
  return servers.filter((s) => {
    try {
      return readdirSync(`/proc/${s.proc.pid}/fd`).some((fd) => {
        try {
          return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${s.proc.pid}/fd/${fd}`))?.[1] ?? '');
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

describe(`inject restart safety on ${testDbKind}`, () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'firedrill-injects-'));
    if (testDbKind === 'postgres') databaseUrl = await createPgDatabase();
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all([...children].map(exitOf));
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropPgDatabase(databaseUrl);
  });

  it('delivers every inject exactly once across a SIGKILL while they fall due and a restart', async () => {
    let server = await startServer(true);
    const cookie = await setupAdmin(server);
    // Eight injects due between 1.5 s and 6.4 s of drill time.
    const offsets = [1500, 2200, 2900, 3600, 4300, 5000, 5700, 6400];
    const keys = offsets.map((_, i) => `inject-${String(i + 1).padStart(2, '0')}`);
    const drill = await startDrill(server.base, cookie, 'Restart while injects fall due', offsets);
    expect(drill.injects.every((i) => i.status === 'pending')).toBe(true);

    // Kill once the second has been delivered: the rest are still due, and one may be mid-transaction.
    const beforeKill = await deliveredAtLeast(server.base, cookie, drill.id, 2, 15_000);
    await kill(server);
    const deliveredBeforeKill = beforeKill.filter((i) => i.status === 'delivered');
    expect(deliveredBeforeKill.length).toBeLessThan(offsets.length);
    console.info(`[inject-restart/${testDbKind}] killed after ${Date.now() - drill.startedAt} ms of drill time with ${deliveredBeforeKill.length}/${offsets.length} injects delivered`);

    // Every offset passes while no server runs.
    const allDue = drill.startedAt + offsets.at(-1)! + 300;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, allDue - Date.now())));

    server = await startServer(false);
    expect(server.setupToken).toBeNull();
    const cookie2 = await login(server);
    await deliveredAtLeast(server.base, cookie2, drill.id, offsets.length, 15_000);
    const { injects } = await expectDeliveredOnce(server.base, cookie2, drill.id, keys);

    // What was delivered before the kill kept its delivery; nothing was delivered a second time.
    for (const early of deliveredBeforeKill) {
      expect(injects.find((i) => i.id === early.id)?.deliveredAt).toBe(early.deliveredAt);
    }
    // Those overdue at the restart came late, after the kill, not at their offsets.
    const late = injects.filter((i) => !deliveredBeforeKill.some((d) => d.id === i.id));
    expect(late.length).toBeGreaterThan(0);
    for (const inject of late) expect(Date.parse(inject.deliveredAt!)).toBeGreaterThanOrEqual(allDue - 300);

    server.proc.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 120_000);

  it(
    testDbKind === 'postgres'
      ? 'two server processes on one database: one leads, every inject is delivered once, the other takes over when the leader dies'
      : 'a second server on the same data folder is refused, so one process alone delivers injects',
    async () => {
      if (testDbKind === 'pglite') {
        const server = await startServer(false);
        const second = spawn(process.execPath, ['bin/firedrill.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir], {
          cwd: root,
          env: { ...process.env, FIREDRILL_FROM_SOURCE: '1', FIREDRILL_LOG_LEVEL: 'warn', LANG: 'C', DATABASE_URL: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.add(second);
        let output = '';
        second.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
        second.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
        const code = await new Promise<number | null>((resolve) => second.once('exit', (c) => resolve(c)));
        children.delete(second);
        expect(code, output).not.toBe(0);
        expect(output).toContain(String(server.proc.pid));

        // The first one still runs and delivers.
        const cookie = await login(server);
        const offsets = [300, 600, 900];
        const drill = await startDrill(server.base, cookie, 'One PGlite process', offsets);
        await deliveredAtLeast(server.base, cookie, drill.id, offsets.length, 15_000);
        await expectDeliveredOnce(server.base, cookie, drill.id, ['inject-01', 'inject-02', 'inject-03']);
        server.proc.kill('SIGTERM');
        expect((await server.exited).code).toBe(0);
        return;
      }

      // Two independent processes; the first has been ticking for a while when the second starts.
      const a = await startServer(false);
      const b = await startServer(false);
      const [cookieA, cookieB] = [await login(a), await login(b)];
      const leaders = await until(
        async () => {
          const found = await schedulerLeaders(databaseUrl!, [a, b]);
          return found.length > 0 && found;
        },
        () => 'a scheduler leader',
        10_000,
      );
      expect(leaders).toHaveLength(1);
      const [leader, follower] = leaders[0] === a ? [a, b] : [b, a];
      console.info(`[inject-restart/postgres] scheduler leader: ${leader === a ? 'first' : 'second'} process (pid ${leader.proc.pid})`);

      // Ten injects within 3 s, the drill created on one process and watched from the other.
      const offsets = Array.from({ length: 10 }, (_, i) => 300 * (i + 1));
      const keys = offsets.map((_, i) => `inject-${String(i + 1).padStart(2, '0')}`);
      const drill = await startDrill(a.base, cookieA, 'Two processes', offsets);
      await deliveredAtLeast(b.base, cookieB, drill.id, offsets.length, 15_000);
      await expectDeliveredOnce(b.base, cookieB, drill.id, keys);
      await expectDeliveredOnce(a.base, cookieA, drill.id, keys);

      // The leader dies while a second drill's injects fall due: the survivor takes the lock and delivers the rest once.
      const cookieF = follower === a ? cookieA : cookieB;
      // Spread over 6 s so the kill lands with most of them still to come, even on a busy machine.
      const spread = Array.from({ length: 10 }, (_, i) => 600 * (i + 1));
      const second = await startDrill(follower.base, cookieF, 'Leader dies', spread);
      const beforeKill = await deliveredAtLeast(follower.base, cookieF, second.id, 2, 15_000);
      await kill(leader);
      expect(beforeKill.filter((i) => i.status === 'delivered').length).toBeLessThan(spread.length);
      await deliveredAtLeast(follower.base, cookieF, second.id, spread.length, 20_000);
      await expectDeliveredOnce(follower.base, cookieF, second.id, keys);
      expect(await schedulerLeaders(databaseUrl!, [follower])).toEqual([follower]);

      follower.proc.kill('SIGTERM');
      expect((await follower.exited).code).toBe(0);
    },
    120_000,
  );
});
