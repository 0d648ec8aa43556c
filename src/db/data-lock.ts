import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors.js';

/**
 * PGlite is one process's database. The process that opens a data folder holds this lock file;
 * another process finding a live holder refuses to open the folder instead of corrupting it.
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
      `The data folder ${dir} is used by a running Firedrill server (pid ${info.pid}, port ${info.port ?? '-'}). Stop it first, or use the web app or API it serves.`,
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

export interface DataLock {
  setPort(port: number): void;
  release(): void;
}

/** Takes the data folder's lock, replacing a stale one (its process is gone). Throws DataFolderBusyError. */
export function acquireDataLock(dataDir: string): DataLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'firedrill.lock');
  const info: DataLockInfo = { pid: process.pid, host: hostname(), port: null, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      return {
        setPort(port) {
          info.port = port;
          writeFileSync(file, JSON.stringify(info));
        },
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: DataLockInfo | null = null;
      try {
        holder = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        holder = null; // half-written by a process killed at that instant: stale
      }
      if (holder && holder.host === hostname() && holder.pid !== process.pid && alive(holder.pid)) {
        throw new DataFolderBusyError(dataDir, holder);
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
