import { createReadStream } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../../db/types.js';
import type { LocatedEvent } from './event.js';

/**
 * Bulk loading of normalized events into evidence_events. Parsing writes COPY text rows to a file first (no
 * transaction is open while a file uploads and parses); then `copyRowsFile` loads that file inside the caller's
 * transaction with COPY: streamed to PostgreSQL through pg-copy-streams, handed to PGlite in blocks through its
 * /dev/blob device. The rows become visible only when the transaction commits, so an interrupted load leaves
 * nothing.
 */
const COLUMNS = 'incident_id, evidence_id, time, host, source, type, user_name, src_ip, target, action, outcome, message, fields, line_no, raw_offset, raw_length';
const COPY_SQL = `COPY evidence_events (${COLUMNS}) FROM STDIN`;
/** PGlite takes a block per COPY statement; about this many bytes of rows each. */
const PGLITE_BLOCK = 8 << 20;
/** Longest text kept per column; the raw line is always in the evidence file itself. */
const MAX_TEXT = 8192;

// The COPY text format: backslash, tab, newline and carriage return escaped; NUL cannot be stored at all.
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\\\t\n\r\u0000]/;
// eslint-disable-next-line no-control-regex
const SPECIAL_ALL = /[\\\t\n\r\u0000]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\u0000': '' };

function text(value: string | null): string {
  if (value === null) return '\\N';
  const v = value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
  return SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : v;
}

function json(fields: LocatedEvent['fields']): string {
  let s = JSON.stringify(fields);
  // jsonb refuses \u0000 inside strings: drop the character itself, not an escaped backslash before "u0000".
  if (s.includes('\\u0000')) s = JSON.stringify(fields, (_k, v: unknown) => (typeof v === 'string' ? v.replaceAll('\u0000', '') : v));
  return text(s);
}

let lastSecond = NaN;
let lastPrefix = '';
/** ISO time of `ms`, formatted once per second (log lines come many to a second). */
function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  const frac = ms - second * 1000;
  return frac === 0 ? `${lastPrefix}Z` : `${lastPrefix}.${String(Math.round(frac)).padStart(3, '0')}Z`;
}

/** One COPY text row for an event. */
export function copyRow(incidentId: string, evidenceId: string, e: LocatedEvent): string {
  const time = e.time === null || !Number.isFinite(e.time) ? '\\N' : isoTime(e.time);
  const ip = e.srcIp !== null && isIP(e.srcIp) ? e.srcIp : null;
  return `${incidentId}\t${evidenceId}\t${time}\t${text(e.host)}\t${text(e.source)}\t${text(e.type)}\t${text(e.user)}\t${ip ?? '\\N'}\t${text(e.target)}\t${text(e.action)}\t${text(e.outcome)}\t${text(e.message)}\t${json(e.fields)}\t${e.lineNo}\t${e.offset}\t${e.length}\n`;
}

interface PgliteTx {
  query(sql: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown>;
}
interface PgClient {
  query(stream: Writable): Writable;
}

/**
 * The connection under a Drizzle transaction. Drizzle keeps it on the transaction's session for both drivers;
 * reaching it is the one place we depend on that, so COPY runs inside the caller's transaction.
 */
function connectionOf(tx: Db): { kind: 'pglite'; tx: PgliteTx } | { kind: 'postgres'; client: PgClient } {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client as Record<string, unknown> | undefined;
  if (!client) throw new Error('event loader: not inside a transaction');
  if (typeof client.release === 'function') return { kind: 'postgres', client: client as unknown as PgClient };
  return { kind: 'pglite', tx: client as unknown as PgliteTx };
}

/** Where parsed events go as COPY rows: a work file (loaded later) or a COPY already under way. */
export interface RowSink {
  rows: number;
  add(incidentId: string, evidenceId: string, events: LocatedEvent[]): Promise<void>;
  close(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A COPY into evidence_events under way inside transaction `tx` (PostgreSQL): rows are sent as they are parsed, so
 * the database loads while Node parses. Only for PostgreSQL, where a long transaction blocks no one else.
 */
export class CopySink implements RowSink {
  rows = 0;
  private failed: Error | undefined;
  private readonly stream: Writable;

  constructor(tx: Db) {
    const conn = connectionOf(tx);
    if (conn.kind !== 'postgres') throw new Error('CopySink: PostgreSQL only');
    this.stream = conn.client.query(copyFrom(COPY_SQL));
    this.stream.on('error', (err: Error) => {
      this.failed = err;
    });
  }

  async add(incidentId: string, evidenceId: string, events: LocatedEvent[]): Promise<void> {
    if (this.failed) throw this.failed;
    if (events.length === 0) return;
    let block = '';
    for (const e of events) block += copyRow(incidentId, evidenceId, e);
    this.rows += events.length;
    if (!this.stream.write(block)) {
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          if (this.failed) reject(this.failed);
          else resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
    }
  }

  async close(): Promise<void> {
    if (this.failed) throw this.failed;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('finish', resolve);
      this.stream.once('error', reject);
      this.stream.end();
    });
  }

  /**
   * Abandons the COPY (the transaction then rolls back): pg-copy-streams sends CopyFail and the connection is usable
   * again once the server has answered, which this waits for.
   */
  async remove(): Promise<void> {
    if (this.stream.destroyed || this.stream.writableFinished) return;
    await new Promise<void>((resolve) => {
      this.stream.once('close', () => resolve());
      this.stream.destroy();
    });
  }
}

/** Whether `db` is PostgreSQL (a pool of connections) rather than PGlite (one connection in this process). */
export function isPostgres(db: Db): boolean {
  const client = (db as unknown as { session?: { client?: Record<string, unknown> } }).session?.client;
  return client !== undefined && typeof client.connect === 'function' && 'totalCount' in client;
}

/** Writes COPY rows to a file, buffered. */
export class RowsFile implements RowSink {
  private parts: string[] = [];
  private size = 0;
  rows = 0;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  static async create(path: string): Promise<RowsFile> {
    return new RowsFile(path, await open(path, 'wx'));
  }

  async add(incidentId: string, evidenceId: string, events: LocatedEvent[]): Promise<void> {
    for (const e of events) {
      const row = copyRow(incidentId, evidenceId, e);
      this.parts.push(row);
      this.size += row.length;
    }
    this.rows += events.length;
    if (this.size >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const data = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    let written = 0;
    while (written < data.length) written += (await this.file.write(data, written, data.length - written)).bytesWritten;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.file.close();
  }

  async remove(): Promise<void> {
    await this.file.close().catch(() => {});
    await unlink(this.path).catch(() => {});
  }
}

/** Loads a file of COPY rows into evidence_events inside transaction `tx`. */
export async function copyRowsFile(tx: Db, path: string): Promise<void> {
  const conn = connectionOf(tx);
  if (conn.kind === 'postgres') {
    await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), conn.client.query(copyFrom(COPY_SQL)));
    return;
  }
  // PGlite: blocks of whole rows (split after a newline), one COPY each.
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: PGLITE_BLOCK })) {
    const data = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const cut = data.lastIndexOf(10) + 1;
    carry = data.subarray(cut);
    if (cut > 0) await conn.tx.query(`COPY evidence_events (${COLUMNS}) FROM '/dev/blob'`, [], { blob: new Blob([data.subarray(0, cut)]) });
  }
  if (carry.length) await conn.tx.query(`COPY evidence_events (${COLUMNS}) FROM '/dev/blob'`, [], { blob: new Blob([carry]) });
}
