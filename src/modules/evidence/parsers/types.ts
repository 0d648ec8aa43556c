/**
 * The parsers' public types and the contract between the engine (framing, encodings, counting) and the format
 * parsers (one line or record at a time).
 */
import type { EventType, FieldValue, LocatedEvent, Outcome } from '../event.js';
import type { EncodingName } from './encoding.js';
import type { ZonedClock } from './time.js';

export type { EncodingName } from './encoding.js';

export const PARSER_NAMES = ['auth', 'syslog', 'nginx', 'apache', 'mysql', 'postgres', 'postgres-csv', 'jsonl', 'csv', 'wechatpay'] as const;
export type ParserName = (typeof PARSER_NAMES)[number];

/** Canonical keys a CSV column can be mapped to. */
export const CSV_KEYS = ['time', 'host', 'user', 'srcIp', 'target', 'action', 'outcome', 'type', 'message'] as const;
export type CsvKey = (typeof CSV_KEYS)[number];

export interface ParseOptions {
  parser: ParserName | 'auto';
  encoding: EncodingName | 'auto';
  /** IANA zone of times without an offset. */
  timeZone: string;
  /** For syslog lines without a year: the evidence's collection year. */
  year: number;
  /** Collection time (ms): syslog lines of a month after its month are from the year before. */
  referenceTime?: number;
  /** Canonical key (time, host, user, srcIp, target, action, outcome, type, message) → column header. */
  csvColumns?: Record<string, string>;
  /** Longer lines (and multi-line records) are counted unparsed, never held whole. Default 1 MiB. */
  maxLineBytes?: number;
}

export interface ParseReport {
  parser: ParserName;
  encoding: EncodingName;
  bytes: number;
  lines: number;
  events: number;
  /** Blank lines, headers, bill summary rows: deliberately not events. */
  skipped: number;
  /** Lines that should have been events but did not parse. */
  unparsed: number;
  /** The first 20 line numbers (1-based) of unparsed lines. */
  unparsedLines: number[];
}

export interface EventParser {
  /** Feed the next chunk of the (decompressed) file; returns the events completed so far. */
  push(chunk: Buffer): LocatedEvent[];
  /** No more input: flush the last line/record; returns the remaining events. */
  end(): LocatedEvent[];
  report(): ParseReport;
}

/** What a format parser tells the engine. */
export interface Sink {
  emit(event: LocatedEvent): void;
  /** Lines deliberately not events (blank lines, headers, summaries). */
  skip(lines: number): void;
  /** Lines that should have been events but did not parse; `lineNo` is the first of them. */
  unparsed(lineNo: number, lines: number): void;
}

export interface ParserContext {
  sink: Sink;
  clock: ZonedClock;
  year: number;
  /** Month (1–12) of the collection time in the evidence's zone; 12 when unknown (no rollover). */
  referenceMonth: number;
  /** Largest record in bytes (a multi-line record larger than this is counted unparsed). */
  maxRecordBytes: number;
  csvColumns?: Record<string, string>;
}

/**
 * One format. The engine calls `line` for every physical line in order: `text.slice(start, end)` is the line
 * without its newline (and without a CR before it); `text` may hold more than the line (a whole ASCII chunk).
 * `offset`/`length` locate the line's bytes in the file. `codes`, when given, holds the text's char codes as bytes,
 * index for index (an ASCII run: the raw bytes), for byte-level matchers.
 */
export interface FormatParser {
  line(text: string, start: number, end: number, lineNo: number, offset: number, length: number, codes: Uint8Array | null): void;
  /** A line that cannot be read (bytes invalid in the encoding, or longer than the limit): close any open record, count it. */
  broken(lineNo: number, offset: number, length: number): void;
  /** End of input: close any open record. */
  finish(): void;
}

/** Builds an event; every event has the same shape (one hidden class). Empty strings become null. */
export function makeEvent(
  time: number | null,
  host: string | null,
  source: string,
  type: EventType,
  user: string | null,
  srcIp: string | null,
  target: string | null,
  action: string | null,
  outcome: Outcome | null,
  message: string,
  fields: Record<string, FieldValue>,
  lineNo: number,
  offset: number,
  length: number,
): LocatedEvent {
  return {
    time,
    host: host || null,
    source,
    type,
    user: user || null,
    srcIp: srcIp || null,
    target: target || null,
    action: action || null,
    outcome,
    message,
    fields,
    lineNo,
    offset,
    length,
  };
}

/** `s` or null when empty. */
export function nz(s: string | null | undefined): string | null {
  return s ? s : null;
}
