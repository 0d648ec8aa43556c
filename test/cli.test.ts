/**
 * The `firedrill` command line, run as a real process (from source, through tsx) against a fresh
 * PGlite data folder or a fresh PostgreSQL database: exit codes, output, locale, the data-folder
 * lock, and `audit verify` catching an entry edited behind the application's back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/index.js';
import { auditEntries } from '../src/modules/audit/schema.js';
import { users } from '../src/modules/auth/schema.js';
import { verifyPassword } from '../src/modules/auth/password.js';
import { createPgDatabase, dropPgDatabase, testDbKind } from './helpers/db.js';

const root = new URL('..', import.meta.url).pathname;
const CLI_TIMEOUT_MS = 45_000;

interface Target {
  dataDir: string;
  databaseUrl?: string;
}

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];

function cliEnv(target: Target, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FIREDRILL_FROM_SOURCE: '1', FIREDRILL_LOG_LEVEL: 'warn', LANG: 'C.UTF-8' };
  for (const name of ['DATABASE_URL', 'LC_ALL', 'LC_MESSAGES', 'FIREDRILL_DATA']) delete env[name];
  if (target.databaseUrl) env.DATABASE_URL = target.databaseUrl;
  return { ...env, ...extra };
}

/** Runs `firedrill --data <dir> ...args`, feeding `input` on stdin. */
function cli(target: Target, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const proc = spawn(process.execPath, ['bin/firedrill.js', '--data', target.dataDir, ...args], {
    cwd: root,
    env: cliEnv(target, options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  proc.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`firedrill ${args.join(' ')} did not finish within ${CLI_TIMEOUT_MS} ms\n${stdout}\n${stderr}`));
    }, CLI_TIMEOUT_MS);
    proc.once('error', reject);
    proc.once('close', (code) => {
      clearTimeout(timer);
      children.delete(proc);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A fresh, empty database for one describe block, removed in afterAll. */
async function freshTarget(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'firedrill-cli-'));
  const databaseUrl = testDbKind === 'postgres' ? await createPgDatabase() : undefined;
  cleanups.push(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropPgDatabase(databaseUrl);
  });
  return { dataDir, databaseUrl };
}

/** Opens the target's database in this process (no CLI or server may hold a PGlite folder meanwhile). */
async function withDirectDb<T>(target: Target, fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openDatabase(target.databaseUrl ? { databaseUrl: target.databaseUrl, poolSize: 1 } : { dataDir: target.dataDir });
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

async function createAccount(target: Target, login: string, role: string, password = `${login}-password-1`): Promise<CliResult> {
  return cli(target, ['user', 'create', '--login', login, '--name', login.toUpperCase(), '--role', role, '--password-stdin'], { input: `${password}\n` });
}

async function listUsersJson(target: Target): Promise<{ login: string; role: string }[]> {
  const result = await cli(target, ['user', 'list', '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout).users;
}

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups) await cleanup();
});

// Each step starts the CLI from the TypeScript sources and opens the database: slow on a loaded 2-core machine.
describe(`firedrill CLI on ${testDbKind}`, { timeout: 180_000 }, () => {
  let target: Target;

  beforeAll(async () => {
    target = await freshTarget();
  });

  it('--help exits 0 and lists the commands', async () => {
    const result = await cli(target, ['--help']);
    expect(result.code).toBe(0);
    for (const command of ['serve', 'migrate', 'user', 'audit']) expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('migrate exits 0 and names the database', async () => {
    const result = await cli(target, ['migrate']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Database is up to date (${testDbKind})`);
  });

  it('creates an account with the password from stdin, lists it without any secret, and changes its role', async () => {
    const password = 'alice-stdin-password';
    const created = await createAccount(target, 'alice', 'coordinator', password);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created alice (coordinator)');
    expect(created.stdout).not.toContain('Initial password');

    const listed = await cli(target, ['user', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const alice = JSON.parse(listed.stdout).users.find((u: { login: string }) => u.login === 'alice');
    expect(alice).toMatchObject({ login: 'alice', displayName: 'ALICE', role: 'coordinator', disabled: false });
    const table = await cli(target, ['user', 'list']);
    expect(table.stdout).toMatch(/^alice\s+ALICE\s+coordinator\s+active$/m);
    for (const output of [listed.stdout, table.stdout, created.stdout]) {
      expect(output).not.toMatch(/argon2|passwordHash|password_hash/i);
      expect(output).not.toContain(password);
    }

    // The stored hash is of the stdin password, its trailing newline removed.
    const row = await withDirectDb(target, async (db) => (await db.select().from(users).where(eq(users.login, 'alice')))[0]);
    expect(await verifyPassword(row.passwordHash, password)).toBe(true);

    const changed = await cli(target, ['user', 'set-role', 'alice', 'observer']);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain('alice is now observer');
    expect((await listUsersJson(target)).find((u) => u.login === 'alice')?.role).toBe('observer');
  });

  it('refuses an unknown role with exit 2 and creates nothing', async () => {
    const result = await createAccount(target, 'bruno', 'boss');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument 'boss' is invalid");
    expect((await listUsersJson(target)).map((u) => u.login)).not.toContain('bruno');
  });

  it('refuses a duplicate login with exit 1, naming the login', async () => {
    expect((await createAccount(target, 'carol', 'responder')).code).toBe(0);
    const again = await createAccount(target, 'carol', 'auditor');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('"carol"');
    expect(again.stderr).toMatch(/already taken/);
    const carols = (await listUsersJson(target)).filter((u) => u.login === 'carol');
    expect(carols).toEqual([expect.objectContaining({ role: 'responder' })]);
  });

  it('set-role on an unknown login exits 1', async () => {
    const result = await cli(target, ['user', 'set-role', 'nobody', 'admin']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nobody');
    expect(result.stderr).toMatch(/not found/);
    expect((await listUsersJson(target)).map((u) => u.login)).not.toContain('nobody');
  });

  it('audit verify exits 0 on an untouched chain', async () => {
    expect((await createAccount(target, 'dave', 'responder')).code).toBe(0);
    expect((await cli(target, ['user', 'set-role', 'dave', 'auditor'])).code).toBe(0);
    const text = await cli(target, ['audit', 'verify']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Audit chain intact: \d+ entries/);
    const json = await cli(target, ['audit', 'verify', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.ok).toBe(true);
    expect(result.problem).toBeNull();
    expect(result.entries).toBeGreaterThanOrEqual(2);
    expect(result.headSeq).toBe(result.entries);
  });

  it('speaks Chinese under a Chinese locale', async () => {
    const result = await cli(target, ['user', 'list'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^登录名\s+名称\s+角色\s+状态$/);
    expect(result.stdout).not.toContain('LOGIN');
  });

  if (testDbKind === 'pglite') {
    it('refuses several worker processes on the embedded database (exit 2)', async () => {
      const result = await cli(target, ['serve', '--port', '0', '--workers', '2']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/several processes need PostgreSQL/);
    });

    it('exits 3 while a server holds the data folder, and leaves the data intact', async () => {
      expect((await createAccount(target, 'erin', 'responder')).code).toBe(0);
      const server = spawn(process.execPath, ['bin/firedrill.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', target.dataDir], {
        cwd: root,
        env: cliEnv(target),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(server);
      const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
      let out = '';
      const port = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), CLI_TIMEOUT_MS);
        server.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
          const m = /http:\/\/localhost:(\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        void exited.then((code) => reject(new Error(`server exited (${code}): ${out}`)));
      });

      const busy = await cli(target, ['user', 'list']);
      expect(busy.code).toBe(3);
      expect(busy.stderr).toContain(target.dataDir);
      expect(busy.stderr).toMatch(/used by a running Firedrill server/);
      expect(busy.stderr).toContain(`pid ${server.pid}, port ${port}`);
      expect(busy.stdout).toBe('');
      const busyZh = await cli(target, ['user', 'list'], { env: { LANG: 'zh_CN.UTF-8' } });
      expect(busyZh.code).toBe(3);
      expect(busyZh.stderr).toContain('正被运行中的 Firedrill 服务使用');

      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      children.delete(server);
      expect(existsSync(join(target.dataDir, 'firedrill.lock'))).toBe(false);

      expect((await listUsersJson(target)).map((u) => u.login)).toContain('erin');
      const verify = await cli(target, ['audit', 'verify', '--json']);
      expect(verify.code, verify.stderr).toBe(0);
      expect(JSON.parse(verify.stdout).ok).toBe(true);
    });
  } else {
    it('works beside a running server of two worker processes: PostgreSQL has no data-folder lock', async () => {
      const server = spawn(process.execPath, ['bin/firedrill.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', target.dataDir, '--workers', '2'], {
        cwd: root,
        env: cliEnv(target),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(server);
      const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), CLI_TIMEOUT_MS);
        server.stdout.setEncoding('utf8').on('data', (c: string) => {
          out += c;
          if (/http:\/\/localhost:\d+/.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        });
        void exited.then((code) => reject(new Error(`server exited (${code}): ${out}`)));
      });
      expect(out).toContain('(postgres, 2 workers)');
      const port = /http:\/\/localhost:(\d+)/.exec(out)![1];
      for (let i = 0; i < 6; i++) {
        const health = await fetch(`http://127.0.0.1:${port}/api/health`);
        expect(health.status).toBe(200);
      }

      expect((await createAccount(target, 'erin', 'responder')).code).toBe(0);
      expect((await listUsersJson(target)).map((u) => u.login)).toContain('erin');

      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      children.delete(server);
    });
  }
});

describe(`firedrill audit verify on a tampered ${testDbKind} database`, { timeout: 180_000 }, () => {
  let target: Target;

  beforeAll(async () => {
    target = await freshTarget();
    expect((await createAccount(target, 'frank', 'coordinator')).code).toBe(0);
    expect((await cli(target, ['user', 'set-role', 'frank', 'responder'])).code).toBe(0);
  });

  it('names the edited entry and exits 1', async () => {
    const before = await cli(target, ['audit', 'verify', '--json']);
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ ok: true, entries: 2, problem: null });

    await withDirectDb(target, async (db) => {
      // The append-only trigger refuses the edit...
      await expect(db.execute(sql`update audit_entries set action = 'user.delete' where seq = 2`)).rejects.toThrow();
      // ...until someone with the rights switches it off.
      await db.execute(sql`alter table audit_entries disable trigger user`);
      await db.execute(sql`update audit_entries set action = 'user.delete' where seq = 2`);
      await db.execute(sql`alter table audit_entries enable trigger user`);
      const [edited] = await db.select({ action: auditEntries.action }).from(auditEntries).where(eq(auditEntries.seq, 2));
      expect(edited.action).toBe('user.delete');
    });

    const text = await cli(target, ['audit', 'verify']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('Audit chain TAMPERED: audit entry #2 was edited');

    const json = await cli(target, ['audit', 'verify', '--json']);
    expect(json.code).toBe(1);
    const result = JSON.parse(json.stdout);
    expect(result.ok).toBe(false);
    expect(result.problem).toMatchObject({ kind: 'edited', seq: 2 });
  });
});

describe(`firedrill demo, drills list and timeline on ${testDbKind}`, () => {
  it('loads the seed company once, lists its drill and prints its timeline with the 10-minute report met', async () => {
    const target = await freshTarget();
    const demo = await cli(target, ['demo', '--json']);
    expect(demo.code, demo.stderr).toBe(0);
    const { loaded, drillId } = JSON.parse(demo.stdout);
    expect(loaded).toBe(true);
    const again = await cli(target, ['demo', '--json']);
    expect(JSON.parse(again.stdout).loaded).toBe(false);

    const list = await cli(target, ['drills', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).drills).toEqual([expect.objectContaining({ id: drillId, status: 'evaluated', startedAt: '2020-04-18T01:00:00.000Z', exercise: true })]);

    const timeline = await cli(target, ['timeline', drillId, '--json']);
    expect(timeline.code, timeline.stderr).toBe(0);
    const view = JSON.parse(timeline.stdout);
    const kinds = view.entries.map((e: { kind: string }) => e.kind);
    expect(kinds[0]).toBe('status_change');
    expect(kinds.at(-1)).toBe('status_change');
    const report = view.entries.find((e: { kind: string }) => e.kind === 'report');
    expect(report).toMatchObject({ at: '2020-04-18T01:25:00.000Z', drillTimeMs: 25 * 60_000 });
    expect(view.escalations.find((c: { ruleKey: string }) => c.ruleKey === 'report-gm')).toMatchObject({ state: 'met', triggeredAtMs: 15 * 60_000, reportedAtMs: 25 * 60_000 });

    const text = await cli(target, ['timeline', drillId], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(text.stdout).toContain('【演练】进出口企业信息安全应急演练');
    expect(text.stdout).toMatch(/report-gm\s+总经理\s+10 min\s+met/);
    expect(text.stdout).toContain('2020-04-18 09:25:00');
    expect((await cli(target, ['timeline', 'nope'])).code).toBe(2);
    expect((await cli(target, ['timeline', '00000000-0000-4000-8000-000000000000'])).code).toBe(1);
    const out = join(target.dataDir, 'record.md');
    const written = await cli(target, ['report', drillId, '--format', 'md', '--lang', 'zh', '--out', out]);
    expect(written.code, written.stderr).toBe(0);
    const record = readFileSync(out, 'utf8');
    expect(record.indexOf('一、指导思想')).toBeLessThan(record.indexOf('四、应急演练阶段'));
    expect(record).toMatch(/\d+\. 9:25 /);
    expect((await cli(target, ['report', drillId, '--format', 'pdf', '--out', out])).code).toBe(2);
    const evaluationOut = join(target.dataDir, 'evaluation.docx');
    const evaluation = await cli(target, ['report', drillId, '--kind', 'evaluation', '--out', evaluationOut]);
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(readFileSync(evaluationOut).subarray(0, 2).toString()).toBe('PK');
    const investigationOut = join(target.dataDir, 'investigation.md');
    const investigation = await cli(target, ['report', drillId, '--kind', 'investigation', '--format', 'md', '--lang', 'en', '--out', investigationOut]);
    expect(investigation.code, investigation.stderr).toBe(0);
    expect(readFileSync(investigationOut, 'utf8')).toContain('## 8. Root cause, source of the leak and who acted');
    expect((await cli(target, ['report', drillId, '--kind', 'summary', '--out', out])).code).toBe(2);
    expect((await cli(target, ['report', '00000000-0000-4000-8000-000000000000', '--kind', 'investigation', '--out', out])).code).toBe(1);
    const verify = await cli(target, ['audit', 'verify', '--json']);
    expect(JSON.parse(verify.stdout).ok).toBe(true);
  }, 180_000);
});
