/**
 * The PGlite data-folder lock (src/db/data-lock.ts): one process per folder, a live holder refuses
 * the others, a stale or half-written lock left by a killed process is replaced.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataLock, DataFolderBusyError, type DataLock } from '../src/db/data-lock.js';

let base: string;
let dir: string;
const held: DataLock[] = [];
const children: ChildProcess[] = [];

const lockFile = () => join(dir, 'firedrill.lock');
const readLock = () => JSON.parse(readFileSync(lockFile(), 'utf8'));

function acquire(): DataLock {
  const lock = acquireDataLock(dir);
  held.push(lock);
  return lock;
}

/** A process that stays alive until killed. */
async function liveProcess(): Promise<ChildProcess> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve, reject) => child.once('spawn', resolve).once('error', reject));
  return child;
}

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn('true', { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'firedrill-lock-'));
  dir = base;
});

afterEach(() => {
  for (const lock of held.splice(0)) lock.release();
  rmSync(base, { recursive: true, force: true });
});

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('acquireDataLock', () => {
  it('creates the folder and a lock file naming this process', () => {
    dir = join(base, 'not', 'yet', 'there');
    const before = Date.now();
    acquire();
    const info = readLock();
    expect(info).toMatchObject({ pid: process.pid, host: hostname(), port: null });
    expect(Date.parse(info.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(info.startedAt)).toBeLessThanOrEqual(Date.now());
  });

  it('records the port once the server listens', () => {
    const lock = acquire();
    lock.setPort(43123);
    expect(readLock()).toMatchObject({ pid: process.pid, port: 43123 });
  });

  it('refuses a folder held by a live process on this host, leaving its lock alone', async () => {
    const holder = await liveProcess();
    const theirs = JSON.stringify({ pid: holder.pid, host: hostname(), port: 8080, startedAt: new Date().toISOString() });
    writeFileSync(lockFile(), theirs);

    let caught: unknown;
    try {
      acquire();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DataFolderBusyError);
    const busy = caught as DataFolderBusyError;
    expect(busy.code).toBe('data_folder_busy');
    expect(busy.status).toBe(409);
    expect(busy.params).toEqual({ dir, pid: holder.pid, port: 8080 });
    expect(busy.message).toContain(`pid ${holder.pid}`);
    expect(readFileSync(lockFile(), 'utf8')).toBe(theirs);
  });

  it('reports a holder that has not listened yet with port "-"', async () => {
    const holder = await liveProcess();
    writeFileSync(lockFile(), JSON.stringify({ pid: holder.pid, host: hostname(), port: null, startedAt: new Date().toISOString() }));
    expect(() => acquire()).toThrow(expect.objectContaining({ code: 'data_folder_busy', params: expect.objectContaining({ port: '-' }) }));
  });

  it('replaces a stale lock whose process is gone', async () => {
    const pid = await deadPid();
    writeFileSync(lockFile(), JSON.stringify({ pid, host: hostname(), port: 8080, startedAt: '2020-01-01T00:00:00.000Z' }));
    acquire();
    expect(readLock()).toMatchObject({ pid: process.pid, port: null });
  });

  it('replaces a lock that names this very process (a restarted container reusing its pid)', () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: process.pid, host: hostname(), port: 1, startedAt: '2020-01-01T00:00:00.000Z' }));
    acquire();
    expect(readLock()).toMatchObject({ pid: process.pid, port: null });
  });

  it.each([
    ['empty', ''],
    ['half-written', '{"pid":12'],
    ['not JSON', '\u0000\u0000\u0000'],
  ])('replaces a %s lock file left by a process killed while writing it', (_name, content) => {
    writeFileSync(lockFile(), content);
    acquire();
    expect(readLock()).toMatchObject({ pid: process.pid, host: hostname() });
  });

  it('release removes the lock file, twice is harmless, and the folder can be locked again', async () => {
    const lock = acquire();
    expect(existsSync(lockFile())).toBe(true);
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    lock.release();
    expect(existsSync(lockFile())).toBe(false);
    acquire();
    expect(readLock().pid).toBe(process.pid);
  });

  it('release after the lock was taken over does not delete the new holder once released already', async () => {
    const lock = acquire();
    lock.release();
    // Someone else takes the folder; a late second release of the old lock must not remove their file.
    const holder = await liveProcess();
    const theirs = JSON.stringify({ pid: holder.pid, host: hostname(), port: 9, startedAt: new Date().toISOString() });
    writeFileSync(lockFile(), theirs);
    lock.release();
    expect(readFileSync(lockFile(), 'utf8')).toBe(theirs);
  });

  it('treats a lock written on another host as held (its processes cannot be seen from here)', () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: 1, host: 'another-host', port: 8080, startedAt: new Date().toISOString() }));
    expect(() => acquire()).toThrow(/pid 1 on another-host, port 8080/);
    expect(readLock().host).toBe('another-host');
  });

  it('never shows a reader a half-written lock, even while the holder rewrites it', async () => {
    const lock = acquire();
    let unreadable = 0;
    for (let i = 0; i < 2000; i++) {
      lock.setPort(1000 + (i % 50000));
      try {
        JSON.parse(readFileSync(lockFile(), 'utf8'));
      } catch {
        unreadable++;
      }
    }
    expect(unreadable).toBe(0);
    expect(readLock().port).toBe(1000 + (1999 % 50000));
  });

  it('lets exactly one of many processes starting together take over a stale lock', async () => {
    writeFileSync(lockFile(), JSON.stringify({ pid: await deadPid(), host: hostname(), port: 1, startedAt: '2020-01-01T00:00:00.000Z' }));
    const script = `import { acquireDataLock } from ${JSON.stringify(new URL('../src/db/data-lock.ts', import.meta.url).pathname)};
      try { acquireDataLock(process.argv[1]); console.log('won'); setTimeout(() => {}, 1500); } catch (e) { console.log(e.code ?? e.message); }`;
    const racers = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
      return new Promise<string>((resolve) => child.once('exit', () => resolve(out.trim())));
    });
    const results = await Promise.all(racers);
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r === 'data_folder_busy')).toHaveLength(5);
  });
});
