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
const SPECIAL_ALL = /[\\\t\n\r\u0000]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\u0000': '' };

const TAB = 9;
const NEWLINE = 10;
const BACKSLASH = 92;

/**
 * Writes COPY text rows straight into a byte buffer, without a string per row (parse + store spent a good share of
 * its time building and joining row strings; event-loader.test.ts keeps that string formatting as the reference).
 * `take()` hands the rows written so far over and starts a new buffer.
 */
export class CopyRowWriter {
  private buf: Buffer;
  private len = 0;
  private prefix: Buffer = Buffer.alloc(0);
  private prefixKey = '';
  private lastIp: string | null = null;
  private lastIpValid = false;
  private lastSecond = NaN;
  private readonly stamp = Buffer.alloc(19);

  constructor(private readonly initial = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  /** Bytes written and not yet taken. */
  get size(): number {
    return this.len;
  }

  /** The rows written so far (a buffer the writer no longer touches); the writer starts afresh. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.len);
    this.buf = Buffer.allocUnsafe(Math.max(this.initial, this.buf.length));
    this.len = 0;
    return out;
  }

  /** The rows written so far, only valid until the next write; then empties the writer (for a caller that copies them at once). */
  peekAndReset(): Buffer {
    const out = this.buf.subarray(0, this.len);
    this.len = 0;
    return out;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  add(incidentId: string, evidenceId: string, events: LocatedEvent[]): void {
    const key = incidentId + evidenceId;
    if (key !== this.prefixKey) {
      this.prefixKey = key;
      this.prefix = Buffer.from(`${incidentId}\t${evidenceId}\t`, 'utf8');
    }
    for (let i = 0; i < events.length; i++) this.row(events[i]);
  }

  private row(e: LocatedEvent): void {
    const prefix = this.prefix;
    this.ensure(prefix.length + 24 + 1);
    prefix.copy(this.buf, this.len);
    this.len += prefix.length;
    this.time(e.time);
    this.text(e.host);
    this.text(e.source);
    this.text(e.type);
    this.text(e.user);
    this.ip(e.srcIp);
    this.text(e.target);
    this.text(e.action);
    this.text(e.outcome);
    this.text(e.message);
    this.json(e.fields);
    this.ensure(3 * 17 + 3);
    this.int(e.lineNo);
    this.buf[this.len++] = TAB;
    this.int(e.offset);
    this.buf[this.len++] = TAB;
    this.int(e.length);
    this.buf[this.len++] = NEWLINE;
  }

  private nullField(): void {
    this.ensure(3);
    const b = this.buf;
    b[this.len++] = BACKSLASH;
    b[this.len++] = 78; // N
    b[this.len++] = TAB;
  }

  /** ISO time; the second's text is formatted once per second (log lines come many to a second). */
  private time(ms: number | null): void {
    if (ms === null || !Number.isFinite(ms)) return this.nullField();
    const second = Math.floor(ms / 1000);
    if (second !== this.lastSecond) {
      this.lastSecond = second;
      this.stamp.write(new Date(second * 1000).toISOString().slice(0, 19), 0, 'latin1');
    }
    this.ensure(19 + 16 + 2);
    const b = this.buf;
    this.stamp.copy(b, this.len);
    this.len += 19;
    const frac = ms - second * 1000;
    if (frac !== 0) {
      const f = Math.round(frac);
      if (f >= 1000) {
        // Milliseconds are padded to three digits and no more: 999.5 ms rounds to "1000".
        this.len += b.write(`.${f}`, this.len, 'latin1');
      } else {
        b[this.len++] = 46; // .
        b[this.len++] = 48 + Math.floor(f / 100);
        b[this.len++] = 48 + (Math.floor(f / 10) % 10);
        b[this.len++] = 48 + (f % 10);
      }
    }
    b[this.len++] = 90; // Z
    b[this.len++] = TAB;
  }

  private ip(value: string | null): void {
    if (value === null) return this.nullField();
    if (value !== this.lastIp) {
      this.lastIp = value;
      this.lastIpValid = isIP(value) !== 0;
    }
    if (!this.lastIpValid) return this.nullField();
    this.ensure(value.length + 1);
    this.len += this.buf.write(value, this.len, 'latin1');
    this.buf[this.len++] = TAB;
  }

  /** A text column (cut to MAX_TEXT UTF-16 units, COPY-escaped, UTF-8), then a tab. */
  private text(value: string | null): void {
    if (value === null) return this.nullField();
    this.escaped(value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value);
    this.buf[this.len++] = TAB;
  }

  /** Writes `v` escaped for COPY; leaves room for one more byte. */
  private escaped(v: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit; escaping turns one byte into two.
    this.ensure(3 * v.length + 1);
    const b = this.buf;
    const start = this.len;
    const n = b.write(v, start, 'utf8');
    // None of the bytes to escape occurs inside a multi-byte UTF-8 sequence, so the bytes can be scanned.
    for (let i = start, end = start + n; i < end; i++) {
      const c = b[i];
      if (c === BACKSLASH || (c <= 13 && (c === 9 || c === 10 || c === 13 || c === 0))) {
        this.len = start + b.write(v.replace(SPECIAL_ALL, (ch) => ESCAPES[ch]), start, 'utf8');
        return;
      }
    }
    this.len = start + n;
  }

  private json(fields: LocatedEvent['fields']): void {
    let s = JSON.stringify(fields);
    // jsonb refuses \u0000 inside strings: drop the character itself, not an escaped backslash before "u0000".
    if (s.includes('\\u0000')) s = JSON.stringify(fields, (_k, v: unknown) => (typeof v === 'string' ? v.replaceAll('\u0000', '') : v));
    this.text(s);
  }

  /** A non-negative integer's decimal digits (line numbers, offsets, lengths). */
  private int(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      this.ensure(32);
      this.len += this.buf.write(String(n), this.len, 'latin1');
      return;
    }
    const b = this.buf;
    if (n < 10) {
      b[this.len++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let at = this.len + digits;
    this.len = at;
    let x = n;
    while (x > 0) {
      b[--at] = 48 + (x % 10);
      x = Math.floor(x / 10);
    }
  }
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
  private readonly writer = new CopyRowWriter(256 << 10);

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
    this.writer.add(incidentId, evidenceId, events);
    this.rows += events.length;
    if (!this.stream.write(this.writer.take())) {
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
  private readonly writer = new CopyRowWriter((1 << 20) + (256 << 10));
  rows = 0;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
  ) {}

  static async create(path: string): Promise<RowsFile> {
    return new RowsFile(path, await open(path, 'wx'));
  }

  async add(incidentId: string, evidenceId: string, events: LocatedEvent[]): Promise<void> {
    this.writer.add(incidentId, evidenceId, events);
    this.rows += events.length;
    if (this.writer.size >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.writer.size === 0) return;
    // Written out before the writer is used again.
    const data = this.writer.peekAndReset();
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
