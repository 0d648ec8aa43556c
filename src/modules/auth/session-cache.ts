import { sql } from 'drizzle-orm';
import type { Database } from '../../db/index.js';
import type { Db } from '../../db/types.js';

/** NOTIFY channel for changes that end or alter sessions: payload `user:<id>` or `session:<id>`. */
export const AUTH_CHANNEL = 'firedrill_auth';

/** Every cache of this process: a change made here is dropped from them at once, not only on NOTIFY. */
const liveCaches = new Set<SessionCache<unknown>>();

/**
 * Makes every process forget cached sessions of a user or of one session: this process's caches at once
 * (harmless if the transaction then rolls back), the others when the NOTIFY arrives after commit.
 */
export async function notifyAuthChange(tx: Db, kind: 'user' | 'session', id: string): Promise<void> {
  for (const cache of liveCaches) cache.drop(kind, id);
  await tx.execute(sql`select pg_notify(${AUTH_CHANNEL}, ${`${kind}:${id}`})`);
}

export interface CachedSession<T> {
  sessionId: string;
  userId: string;
  value: T;
  cachedAt: number;
}

/**
 * Resolved sessions, by token hash, for a few seconds: saves the session lookup on most requests.
 * Logout, revocation, role changes and disabling NOTIFY on commit, and every process drops the affected
 * entries at once; the short lifetime only covers a notification lost while reconnecting.
 */
export class SessionCache<T> {
  private readonly entries = new Map<string, CachedSession<T>>();
  private stopListening?: () => Promise<void>;

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  async start(database: Database): Promise<void> {
    liveCaches.add(this as SessionCache<unknown>);
    this.stopListening = await database.listen(
      AUTH_CHANNEL,
      (payload) => {
        const [kind, id] = payload.split(':');
        this.drop(kind as 'user' | 'session', id);
      },
      // Invalidations sent while the listening connection was down are lost: forget everything.
      () => this.entries.clear(),
    );
  }

  async stop(): Promise<void> {
    liveCaches.delete(this as SessionCache<unknown>);
    await this.stopListening?.();
    this.entries.clear();
  }

  drop(kind: 'user' | 'session', id: string): void {
    for (const [hash, entry] of this.entries) {
      if ((kind === 'user' && entry.userId === id) || (kind === 'session' && entry.sessionId === id)) this.entries.delete(hash);
    }
  }

  get(hash: string, now: number): CachedSession<T> | undefined {
    const entry = this.entries.get(hash);
    if (entry && now - entry.cachedAt > this.ttlMs) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry;
  }

  set(hash: string, entry: CachedSession<T>): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, entry);
  }

  delete(hash: string): void {
    this.entries.delete(hash);
  }
}
