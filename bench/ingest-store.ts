/**
 * Parse + store of one evidence file, as `firedrill evidence add` runs it: the file streamed through addEvidence
 * (SHA-256, parse, COPY rows, one loading transaction) into a fresh database — PGlite in a data folder on disk, as the
 * embedded install keeps it, or a new PostgreSQL database — with the migrations' indexes in place.
 * Used by bench/ingest.ts; the phases are timed separately (parse to rows, then the load).
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/clock.js';
import { systemActor, type ServiceContext } from '../src/context.js';
import { openDatabase } from '../src/db/index.js';
import { addEvidence } from '../src/modules/evidence/service.js';
import { FolderEvidenceStore } from '../src/modules/evidence/store.js';
import { createIncident } from '../src/modules/incidents/service.js';
import { createPgDatabase, dropPgDatabase, pgCpu, pgCpuSince } from './support.js';

export interface StoreRun {
  kind: 'pglite' | 'postgres';
  seconds: number;
  events: number;
  bytes: number;
  /** CPU seconds of this Node process (parse, rows, and for PGlite the database too). */
  nodeCpu: number;
  /** CPU seconds of the PostgreSQL backends (PostgreSQL only). */
  serverCpu: number | null;
}

/** Adds `file` as evidence to a new incident in a new database of `kind`; returns the wall time and events stored. */
export async function timeParseAndStore(kind: 'pglite' | 'postgres', file: string, parser = 'auth'): Promise<StoreRun> {
  const dir = mkdtempSync(join(tmpdir(), 'firedrill-bench-ingest-'));
  const url = kind === 'postgres' ? await createPgDatabase() : undefined;
  const database = await openDatabase(url ? { databaseUrl: url } : { dataDir: dir });
  try {
    await database.migrate();
    const ctx: ServiceContext = { db: database.db, clock: systemClock, actor: systemActor('bench') };
    const incident = await createIncident(ctx, { title: 'bench', category: 'network_attack' });
    const store = new FolderEvidenceStore(dir);
    const serverBefore = url ? await pgCpu(url) : null;
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const added = await addEvidence(ctx, store, incident.id, {
      filename: 'auth.log',
      source: createReadStream(file, { highWaterMark: 1 << 20 }),
      parser: parser as never,
      encoding: 'utf8',
      collectedAt: new Date().toISOString(),
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const serverCpu = url && serverBefore ? await pgCpuSince(url, serverBefore) : null;
    return { kind, seconds, events: added.report?.events ?? 0, bytes: statSync(file).size, nodeCpu: (cpu.user + cpu.system) / 1e6, serverCpu };
  } finally {
    await database.close();
    if (url) await dropPgDatabase(url);
    rmSync(dir, { recursive: true, force: true });
  }
}
