import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import { systemActor, type ServiceContext } from '../context.js';
import { acquireDataLock, type DataLock } from '../db/data-lock.js';
import { openDatabase, type Database } from '../db/index.js';
import { userInfo } from 'node:os';

export interface Opened {
  database: Database;
  lock: DataLock | null;
  close(): Promise<void>;
}

/**
 * Opens the configured database for a CLI command or the server: PostgreSQL when DATABASE_URL is set,
 * else PGlite in the data folder, which is locked first so two processes never open it at once.
 * Migrations are applied; a failure throws (the CLI exits non-zero).
 */
export async function openConfigured(config: Config): Promise<Opened> {
  const lock = config.databaseUrl ? null : acquireDataLock(config.dataDir);
  let database: Database | undefined;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    await database.migrate();
  } catch (err) {
    await database?.close().catch(() => {});
    lock?.release();
    throw err;
  }
  const db = database;
  return {
    database: db,
    lock,
    async close() {
      await db.close();
      lock?.release();
    },
  };
}

/** The context CLI commands run services with: the system actor, named after the OS user. */
export function cliContext(database: Database): ServiceContext {
  let who = 'unknown';
  try {
    who = userInfo().username;
  } catch {
    /* no passwd entry: keep 'unknown' */
  }
  return { db: database.db, clock: systemClock, actor: systemActor(`cli:${who}`) };
}
