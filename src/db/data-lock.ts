import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors.js';

/**
 * PGlite is one process's database. The process that opens a data folder holds this lock file;
 * another process finding a live holder refuses to open the folder instead of corrupting it.
 *
 * The file is only ever created whole (written aside, then hard-linked into place, which fails if a lock
 * exists) and replaced whole (rename), so no reader sees it half-written. Replacing a stale lock happens
 * under a second, short-lived lock, so two processes starting at once cannot both take over.
 */
export interface DataLockInfo {
  pid: number;
  host: string;
  port: number | null;
  startedAt: string;
}

export class DataFolderBusyError extends AppError {
  constructor(dir: string, info: DataLockInfo) {
    super(
      'data_folder_busy',
      409,
      `The data folder ${dir} is used by a running Firedrill server (pid ${info.pid}${info.host !== hostname() ? ` on ${info.host}` : ''}, port ${info.port ?? '-'}). Stop it first, or use the web app or API it serves. If no server runs, delete ${join(dir, 'firedrill.lock')}.`,
      { dir, pid: info.pid, port: info.port ?? '-' },
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readInfo(file: string): DataLockInfo | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DataLockInfo;
  } catch {
    return null;
  }
}

function sameHolder(a: DataLockInfo | null, b: DataLockInfo | null): boolean {
  return a !== null && b !== null && a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt;
}

/** Writes `content` to `file` whole: aside first, then renamed over it. */
function replaceWhole(file: string, content: string): void {
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, content);
  renameSync(aside, file);
}

/** Creates `file` with `content` only if it does not exist; false if it does. */
function createWhole(file: string, content: string): boolean {
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, content);
  try {
    linkSync(aside, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Whether a holder no longer holds the folder: its process is gone, or it is this very process (a
 * restarted container reusing a pid). A lock written on another host counts as held: we cannot see
 * that host's processes.
 */
function isStale(holder: DataLockInfo | null): boolean {
  if (holder === null) return true; // unreadable: not written by a live Firedrill
  if (holder.host !== hostname()) return false;
  return holder.pid === process.pid || !alive(holder.pid);
}

/** Removes a stale lock, unless another process replaced it meanwhile; under a short-lived second lock. */
function removeStale(file: string, stale: DataLockInfo | null): void {
  const guard = `${file}.takeover`;
  const fd = (() => {
    try {
      return openSync(guard, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A takeover guard left by a process killed within these few lines is stale after a few seconds.
      try {
        if (Date.now() - statSync(guard).mtimeMs > 5_000) rmSync(guard, { force: true });
      } catch {
        /* gone meanwhile */
      }
      return null;
    }
  })();
  if (fd === null) return; // someone else is taking over: the caller retries
  try {
    const now = readInfo(file);
    if (stale === null ? now === null : sameHolder(now, stale)) rmSync(file, { force: true });
  } finally {
    closeSync(fd);
    rmSync(guard, { force: true });
  }
}

export interface DataLock {
  setPort(port: number): void;
  release(): void;
}

/** Takes the data folder's lock, replacing a stale one. Throws DataFolderBusyError. */
export function acquireDataLock(dataDir: string): DataLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'firedrill.lock');
  const info: DataLockInfo = { pid: process.pid, host: hostname(), port: null, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 20; attempt++) {
    if (createWhole(file, JSON.stringify(info))) {
      let released = false;
      return {
        setPort(port) {
          info.port = port;
          if (sameHolder(readInfo(file), info)) replaceWhole(file, JSON.stringify(info));
        },
        release() {
          if (released) return;
          released = true;
          // Only our own lock: never one another process took over.
          if (sameHolder(readInfo(file), info)) rmSync(file, { force: true });
        },
      };
    }
    const holder = readInfo(file);
    if (!isStale(holder)) throw new DataFolderBusyError(dataDir, holder!);
    removeStale(file, holder);
  }
  throw new Error(`could not lock ${dataDir}: it keeps changing hands`);
}
