/**
 * Crash safety: a server killed with SIGKILL in the middle of a stream of writes must, once restarted
 * on the same data folder (PGlite) or database (PostgreSQL), still hold every write it acknowledged,
 * with an intact audit chain that has one person.create entry per stored person.
 * The server runs as a real child process (`firedrill serve`), as in production.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, dropPgDatabase, testDbKind } from './helpers/db.js';
import { killServerChildren, startServerChild, type ServerChild } from './helpers/server-process.js';

const ADMIN = { login: 'crash-admin', displayName: 'Crash Admin', password: 'crash-safety-password-1' };
const WRITERS = 6;
const CYCLES = 3;

let dataDir: string;
let databaseUrl: string | undefined;

/** Starts `firedrill serve` on this test's data folder or database. */
function startServer(expectSetupToken: boolean): Promise<ServerChild> {
  return startServerChild({ dataDir, databaseUrl, expectSetupToken });
}

function cookieOf(response: Response): string {
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('firedrill_session='));
  if (!setCookie) throw new Error(`no session cookie (status ${response.status})`);
  return setCookie.split(';')[0];
}

async function api(base: string, cookie: string, path: string): Promise<any> {
  const response = await fetch(`${base}${path}`, { headers: { cookie }, signal: AbortSignal.timeout(30_000) });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
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

/** Every person id the server lists, paging through the whole table. */
async function allPeopleIds(base: string, cookie: string): Promise<{ ids: Set<string>; total: number }> {
  const ids = new Set<string>();
  let total = 0;
  for (let offset = 0; ; offset += 500) {
    const page = await api(base, cookie, `/api/people?limit=500&offset=${offset}`);
    total = page.total;
    for (const p of page.people) ids.add(p.id);
    if (page.people.length < 500) break;
  }
  return { ids, total };
}

/** How many person.create audit entries exist, paging newest first. */
async function countPersonCreateEntries(base: string, cookie: string): Promise<number> {
  let n = 0;
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await api(base, cookie, `/api/audit?action=person.create&limit=500${beforeSeq ? `&beforeSeq=${beforeSeq}` : ''}`);
    n += page.entries.length;
    if (page.entries.length < 500) return n;
    beforeSeq = page.entries[page.entries.length - 1].seq;
  }
}

interface WriteRun {
  acknowledged: string[];
  failuresBeforeKill: string[];
}

/** Several writers POST people without pause until the server is killed after `killAfterMs`. */
async function writeUntilKilled(server: ServerChild, cookie: string, killAfterMs: number, cycle: number): Promise<WriteRun> {
  const run: WriteRun = { acknowledged: [], failuresBeforeKill: [] };
  let killed = false;
  const writer = async (w: number) => {
    for (let i = 0; !killed; i++) {
      try {
        const response = await fetch(`${server.base}/api/people`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ name: `Crash ${cycle}-${w}-${i}-${randomBytes(3).toString('hex')}`, department: '安全部' }),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await response.text();
        if (response.status === 201) run.acknowledged.push(JSON.parse(text).id);
        else if (!killed) run.failuresBeforeKill.push(`${response.status} ${text}`);
      } catch (err) {
        if (!killed) run.failuresBeforeKill.push(String(err));
        return;
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  await new Promise((resolve) => setTimeout(resolve, killAfterMs));
  // On a busy machine writes are slow: kill only once real work was acknowledged (bounded wait).
  const deadline = Date.now() + 20_000;
  while (run.acknowledged.length < 20 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  killed = true;
  server.proc.kill('SIGKILL');
  const exit = await server.exited;
  expect(exit.signal).toBe('SIGKILL');
  await Promise.all(writers);
  return run;
}

describe(`crash safety on ${testDbKind}: SIGKILL while writing, then restart`, () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'firedrill-crash-'));
    if (testDbKind === 'postgres') databaseUrl = await createPgDatabase();
  });

  afterAll(async () => {
    await killServerChildren();
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropPgDatabase(databaseUrl);
  });

  it(
    `keeps every acknowledged write and an intact audit chain across ${CYCLES} kill/restart cycles`,
    async () => {
      let server = await startServer(true);
      expect(server.setupToken).toBeTruthy();
      let cookie = await setupAdmin(server);
      const acknowledged: string[] = [];

      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const killAfterMs = 1500 + Math.floor(Math.random() * 1500);
        const run = await writeUntilKilled(server, cookie, killAfterMs, cycle);
        expect(run.failuresBeforeKill, server.output()).toEqual([]);
        // The kill must have landed mid-stream, after real work was acknowledged.
        expect(run.acknowledged.length).toBeGreaterThan(10);
        acknowledged.push(...run.acknowledged);
        console.info(`[crash-safety/${testDbKind}] cycle ${cycle}: killed after ${killAfterMs} ms, ${run.acknowledged.length} writes acknowledged`);

        if (testDbKind === 'pglite') {
          // The killed server's lock file stays behind, naming a dead process.
          const stale = JSON.parse(readFileSync(join(dataDir, 'firedrill.lock'), 'utf8'));
          expect(stale.pid).toBe(server.proc.pid);
        }

        server = await startServer(false);
        expect(server.setupToken).toBeNull();
        if (testDbKind === 'pglite') {
          const lock = JSON.parse(readFileSync(join(dataDir, 'firedrill.lock'), 'utf8'));
          expect(lock.pid).toBe(server.proc.pid);
        }
        cookie = await login(server);

        const { ids, total } = await allPeopleIds(server.base, cookie);
        const missing = acknowledged.filter((id) => !ids.has(id));
        expect(missing, `cycle ${cycle}: acknowledged people lost after SIGKILL`).toEqual([]);
        expect(total).toBe(ids.size);
        expect(total).toBeGreaterThanOrEqual(acknowledged.length);

        // One acknowledged id fetched singly too: the row is readable, not only listed.
        const one = await api(server.base, cookie, `/api/people/${acknowledged[acknowledged.length - 1]}`);
        expect(one.id).toBe(acknowledged[acknowledged.length - 1]);

        const verify = await api(server.base, cookie, '/api/audit/verify');
        expect(verify.problem).toBeNull();
        expect(verify.ok).toBe(true);
        const creates = await countPersonCreateEntries(server.base, cookie);
        expect(creates).toBeGreaterThanOrEqual(acknowledged.length);
        // A person and its audit entry commit together: neither survives the crash without the other.
        expect(creates).toBe(total);
      }

      server.proc.kill('SIGTERM');
      expect((await server.exited).code).toBe(0);
    },
    85_000,
  );
});
