import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { migrationsFolder } from '../paths.js';
import * as schema from './schema.js';
import type { DatabaseKind, Db } from './types.js';

export type { Db, DatabaseKind } from './types.js';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** Applies the checked-in SQL migrations; throws (never swallows) when one fails. */
  migrate(): Promise<void>;
  /**
   * Subscribes to a NOTIFY channel: every process sharing the database hears notifications once their
   * transaction commits. Returns the function that stops listening.
   */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  /**
   * Whether this process holds a session-level advisory lock, taking it if free. Held until the process (or
   * its connection) goes away, so exactly one process of many does what the lock guards.
   */
  holdsLock(key: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL connection string; when absent PGlite is used. */
  databaseUrl?: string;
  /** PGlite data folder (the database lives in `<dataDir>/pgdata`); absent: in memory. */
  dataDir?: string;
  poolSize?: number;
}

/** Migration lock shared by every process migrating one PostgreSQL database. */
const MIGRATION_LOCK_KEY = 0x4644_4d47;

/** Opens PGlite (embedded) or PostgreSQL, with the same schema and the same migrations. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const db = drizzlePg({ client: pool, schema, casing: 'snake_case' }) as unknown as Db;
    const locks = new AdvisoryLocks(options.databaseUrl);
    return {
      db,
      kind: 'postgres',
      async migrate() {
        const lock = await pool.connect();
        try {
          await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
          await migratePg(db as never, { migrationsFolder });
        } finally {
          await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
          lock.release();
        }
      },
      listen: (channel, onPayload, onReconnect) => listenPg(options.databaseUrl!, channel, onPayload, onReconnect),
      holdsLock: (key) => locks.holds(key),
      close: async () => {
        await locks.close();
        await pool.end();
      },
    };
  }
  let client: PGlite;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    client = await PGlite.create(join(options.dataDir, 'pgdata'));
  } else {
    client = await PGlite.create();
  }
  const db = drizzlePglite({ client, schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    async listen(channel, onPayload) {
      const stop = await client.listen(channel, onPayload);
      return async () => {
        if (!client.closed) await stop();
      };
    },
    // One process owns a PGlite database: it always leads.
    holdsLock: async () => !client.closed,
    close: () => client.close(),
  };
}

/** Session-level advisory locks on a dedicated connection: a lost connection releases them (and we retake). */
class AdvisoryLocks {
  private client?: pg.Client;
  private readonly held = new Set<number>();
  private closed = false;

  constructor(private readonly url: string) {}

  async holds(key: number): Promise<boolean> {
    if (this.closed) return false;
    if (this.held.has(key) && this.client) return true;
    if (!this.client) {
      const client = new pg.Client({ connectionString: this.url });
      client.on('error', () => {
        this.held.clear();
        if (this.client === client) this.client = undefined;
        client.end().catch(() => {});
      });
      await client.connect();
      this.client = client;
    }
    const { rows } = await this.client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [key]);
    if (rows[0].ok) this.held.add(key);
    return rows[0].ok;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => {});
  }
}

/**
 * LISTEN on a dedicated connection (a pooled one would be handed to other queries). A lost connection is
 * re-established with backoff for as long as we listen; `onReconnect` then lets the caller catch up on
 * notifications sent meanwhile.
 */
async function listenPg(url: string, channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  let retryMs = 500;
  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload !== undefined) onPayload(n.payload);
    });
    c.on('error', () => {
      c.end().catch(() => {});
      if (client === c) client = undefined;
      if (!stopped) setTimeout(reconnect, retryMs);
    });
    await c.connect();
    await c.query(`listen "${channel.replace(/"/g, '')}"`);
    client = c;
    retryMs = 500;
    if (stopped) await c.end();
  };
  const reconnect = () => {
    if (stopped) return;
    connect().then(
      () => onReconnect?.(),
      () => {
        retryMs = Math.min(retryMs * 2, 30_000);
        setTimeout(reconnect, retryMs);
      },
    );
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => {});
  };
}

/** A cheap round trip, for health checks. */
export async function ping(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
