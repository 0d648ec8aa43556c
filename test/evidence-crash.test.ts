/**
 * Ingestion is all or nothing: a real server (`firedrill serve`) is killed with SIGKILL while a log uploads, just
 * as the upload ends (parsing and loading), and a moment later (loading or committing). After each restart an
 * evidence file is either there with every one of its events, or not there at all, with no event, blob or work file
 * left over, and the audit chain intact. Then the same file uploads cleanly.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, dropPgDatabase, testDbKind } from './helpers/db.js';
import { killServerChildren, startServerChild, type ServerChild } from './helpers/server-process.js';

const ADMIN = { login: 'evidence-admin', displayName: 'Evidence Admin', password: 'evidence-crash-password-1' };

let dataDir: string;
let databaseUrl: string | undefined;
let incidentId: string;

/** About 24 MB of auth.log: sshd logins and failures from many addresses. */
function authLog(): Buffer {
  const lines: string[] = [];
  for (let i = 0; lines.length < 240_000; i++) {
    const s = String(i % 60).padStart(2, '0');
    const m = String(Math.floor(i / 60) % 60).padStart(2, '0');
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    lines.push(
      i % 3 === 0
        ? `Apr 17 10:${m}:${s} app-server sshd[${1000 + (i % 5000)}]: Accepted password for deploy from ${ip} port ${20000 + (i % 30000)} ssh2`
        : `Apr 17 10:${m}:${s} app-server sshd[${1000 + (i % 5000)}]: Failed password for invalid user test${i % 97} from ${ip} port ${20000 + (i % 30000)} ssh2`,
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}
const LOG = authLog();

function cookieOf(response: Response): string {
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('firedrill_session='));
  if (!setCookie) throw new Error(`no session cookie (status ${response.status})`);
  return setCookie.split(';')[0];
}

async function json(base: string, cookie: string, path: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(`${base}${path}`, { ...init, headers: { cookie, 'content-type': 'application/json', ...(init.headers ?? {}) }, signal: AbortSignal.timeout(60_000) });
  const body = await response.json();
  if (response.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * Streams LOG as a multipart upload. `pauseAt` (a share of the file) holds the stream there until `release` is
 * called; resolves with the response (or the error when the server dies).
 */
function upload(server: ServerChild, cookie: string, pauseAt?: number) {
  const boundary = `----crash${randomBytes(6).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="collectedAt"\r\n\r\n2026-04-18T12:00:00+08:00\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="auth.log"\r\nContent-Type: text/plain\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let sent = 0;
  let reachedPause: () => void = () => {};
  const paused = new Promise<void>((resolve) => (reachedPause = resolve));
  const chunkSize = 256 * 1024;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (sent === 0) controller.enqueue(head);
      if (sent >= LOG.length) {
        controller.enqueue(tail);
        controller.close();
        reachedPause();
        return;
      }
      if (pauseAt !== undefined && sent >= LOG.length * pauseAt) {
        reachedPause();
        await held;
        pauseAt = undefined;
      }
      const chunk = LOG.subarray(sent, sent + chunkSize);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const response = fetch(`${server.base}/api/cases/${incidentId}/evidence`, {
    method: 'POST',
    headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  } as RequestInit).then(
    async (r) => ({ status: r.status, body: (await r.json()) as any }),
    (err: unknown) => ({ status: 0, body: String(err) as any }),
  );
  return { response, paused, release };
}

/** What the restarted server holds: each evidence file with the number of its events, and all events. */
async function holdings(base: string, cookie: string) {
  const { evidence } = await json(base, cookie, `/api/cases/${incidentId}/evidence`);
  const perFile = [];
  for (const e of evidence) {
    const { total } = await json(base, cookie, `/api/cases/${incidentId}/events?evidenceId=${e.id}&limit=1`);
    perFile.push({ id: e.id, reported: e.report?.events, stored: total });
  }
  const { total } = await json(base, cookie, `/api/cases/${incidentId}/events?limit=1`);
  return { perFile, total };
}

describe(`evidence ingestion on ${testDbKind} survives SIGKILL`, () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'firedrill-evidence-crash-'));
    if (testDbKind === 'postgres') databaseUrl = await createPgDatabase();
  });
  afterAll(async () => {
    await killServerChildren();
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropPgDatabase(databaseUrl);
  });

  it('leaves a whole file or nothing at all, whenever the server dies', async () => {
    let server = await startServerChild({ dataDir, databaseUrl, expectSetupToken: true });
    const setup = await fetch(`${server.base}/api/auth/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: server.setupToken, ...ADMIN }) });
    let cookie = cookieOf(setup);
    incidentId = (await json(server.base, cookie, '/api/incidents', { method: 'POST', body: JSON.stringify({ title: '日志导入崩溃测试', category: 'network_attack' }) })).id;

    // Kill points: half way through the upload; when the last byte was sent; 300 ms and 1 s after that.
    for (const [pauseAt, delayMs] of [
      [0.5, 0],
      [1, 0],
      [1, 300],
      [1, 1000],
    ] as const) {
      const run = upload(server, cookie, pauseAt < 1 ? pauseAt : undefined);
      await run.paused;
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      server.proc.kill('SIGKILL');
      expect((await server.exited).signal).toBe('SIGKILL');
      run.release();
      await run.response;

      server = await startServerChild({ dataDir, databaseUrl, expectSetupToken: false });
      cookie = cookieOf(await fetch(`${server.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: ADMIN.login, password: ADMIN.password }) }));
      const held = await holdings(server.base, cookie);
      for (const file of held.perFile) expect(file.stored, `evidence ${file.id} is whole`).toBe(file.reported);
      expect(held.total).toBe(held.perFile.reduce((n, f) => n + f.stored, 0));
      expect(held.perFile.length).toBeLessThanOrEqual(1);
      const tmp = join(dataDir, 'evidence', 'tmp');
      expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
      expect((await json(server.base, cookie, '/api/audit/verify')).ok).toBe(true);
      if (held.perFile.length === 1) break; // the load committed before the kill: nothing more to learn here
    }

    // Whatever happened, the file uploads cleanly now (or is already there, whole).
    const final = upload(server, cookie);
    const result = await final.response;
    if (result.status === 409) expect(result.body.error.code).toBe('evidence_duplicate');
    else {
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      expect(result.body.report).toMatchObject({ events: 240_000, unparsed: 0 });
    }
    const held = await holdings(server.base, cookie);
    expect(held.perFile).toHaveLength(1);
    expect(held.total).toBe(240_000);
  }, 600_000);
});
