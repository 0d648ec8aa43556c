import type { Db } from './types.js';

/**
 * A prepared statement per database handle, built on first use. Hot read paths (the session lookup on every
 * request, the default list pages) skip Drizzle's query building and PostgreSQL's planning this way.
 */
export function preparedPerDb<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) {
      prepared = build(db);
      cache.set(db, prepared);
    }
    return prepared;
  };
}
