import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/index.js';

/** Which database this test run uses: FIREDRILL_TEST_DB=postgres or pglite (default). */
export const testDbKind: 'pglite' | 'postgres' = process.env.FIREDRILL_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/** The PostgreSQL server tests create their databases in. */
export const pgAdminUrl = process.env.FIREDRILL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase extends Database {
  /** The connection string, on PostgreSQL. */
  url?: string;
}

/** A fresh database for one test file: in-memory PGlite, or a new PostgreSQL database dropped on close. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDbKind === 'pglite') {
    const database = await openDatabase({});
    await database.migrate();
    return database;
  }
  const url = await createPgDatabase();
  const database = await openDatabase({ databaseUrl: url, poolSize: 5 });
  await database.migrate();
  return {
    ...database,
    url,
    async close() {
      await database.close();
      await dropPgDatabase(url);
    },
  };
}

/** Creates an empty PostgreSQL database and returns its URL. */
export async function createPgDatabase(): Promise<string> {
  const name = `fd_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPgDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
