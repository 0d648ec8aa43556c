/** Test helpers: run a whole input through a parser, and check that every line is accounted for. */
import { expect } from 'vitest';
import type { LocatedEvent } from '../../src/modules/evidence/event.js';
import { createEventParser } from '../../src/modules/evidence/parsers/index.js';
import type { ParseOptions, ParseReport } from '../../src/modules/evidence/parsers/types.js';

export const BASE: ParseOptions = { parser: 'auto', encoding: 'auto', timeZone: 'Asia/Shanghai', year: 2024 };

export function parseAll(input: Buffer | string, options: Partial<ParseOptions> = {}, chunkSize = 0): { events: LocatedEvent[]; report: ParseReport } {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const parser = createEventParser({ ...BASE, ...options });
  const events: LocatedEvent[] = [];
  if (chunkSize > 0) for (let i = 0; i < bytes.length; i += chunkSize) events.push(...parser.push(bytes.subarray(i, i + chunkSize)));
  else events.push(...parser.push(bytes));
  events.push(...parser.end());
  return { events, report: parser.report() };
}

/** Lines the event spans (its raw bytes plus one per newline inside). */
export function linesOf(bytes: Buffer, e: LocatedEvent): number {
  let n = 1;
  for (let i = e.offset; i < e.offset + e.length; i++) if (bytes[i] === 10) n++;
  return n;
}

/** Events' lines + skipped + unparsed === lines; each event's offset is the start of its line and its length ends at a line end. */
export function expectAccounted(bytes: Buffer, events: LocatedEvent[], report: ParseReport): void {
  const spanned = events.reduce((n, e) => n + linesOf(bytes, e), 0);
  expect(spanned + report.skipped + report.unparsed).toBe(report.lines);
  expect(report.events).toBe(events.length);
  for (const e of events) {
    expect(e.offset === 0 || bytes[e.offset - 1] === 10 || (e.offset === 3 && bytes[0] === 0xef)).toBe(true);
    const after = e.offset + e.length;
    expect(after === bytes.length || bytes[after] === 10 || (bytes[after] === 13 && (after + 1 === bytes.length || bytes[after + 1] === 10))).toBe(true);
  }
}

/** The raw text of an event's line(s). */
export function rawOf(bytes: Buffer, e: LocatedEvent): string {
  return bytes.subarray(e.offset, e.offset + e.length).toString('utf8');
}
