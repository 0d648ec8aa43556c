/**
 * Generic CSV with a header row (exports of business systems: login records, operation logs, payment lists).
 * Columns map to canonical keys by an explicit mapping (`csvColumns`: canonical key → header), else by the usual
 * names (record-map.ts); other columns go to `fields` under their header. The delimiter (comma, tab, semicolon or
 * bar) is the one the header uses most.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { FieldValue } from '../event.js';
import { CsvFramer } from './csv-framing.js';
import { csvMissingColumn } from './errors.js';
import { recordToEvent, resolveKeys, type CanonicalKey } from './record-map.js';
import type { FormatParser, ParserContext } from './types.js';

/** The delimiter a header line uses most (outside quotes). */
export function guessDelimiter(header: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';', '|']) {
    let count = 0;
    let quoted = false;
    for (const ch of header) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) count++;
    }
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Parses one CSV record's text into its cells; null when it is not valid CSV. */
export function parseRecord(text: string, delimiter: string): string[] | null {
  try {
    const rows = parseCsv(text, { delimiter, relax_column_count: true, bom: false, skip_empty_lines: false, relax_quotes: true }) as string[][];
    return rows.length === 1 ? rows[0] : null;
  } catch {
    return null;
  }
}

export class CsvParser implements FormatParser {
  private readonly framer: CsvFramer;
  private header: string[] | null = null;
  private delimiter = ',';
  private keys: Partial<Record<CanonicalKey, string>> = {};

  constructor(private readonly ctx: ParserContext) {
    this.framer = new CsvFramer(ctx, (text, lineNo, offset, length, lineCount) => this.record(text, lineNo, offset, length, lineCount));
  }

  line(text: string, start: number, end: number, lineNo: number, offset: number, length: number): void {
    this.framer.line(text, start, end, lineNo, offset, length);
  }

  broken(lineNo: number): void {
    this.framer.broken(lineNo);
  }

  finish(): void {
    this.framer.finish();
  }

  private record(text: string, lineNo: number, offset: number, length: number, lineCount: number): void {
    if (this.header === null) {
      this.delimiter = guessDelimiter(text);
      const header = parseRecord(text, this.delimiter);
      if (header === null) {
        this.ctx.sink.unparsed(lineNo, lineCount);
        return;
      }
      this.header = header.map((h) => h.replace(/^\ufeff/, '').trim());
      const explicit = this.ctx.csvColumns;
      if (explicit) {
        for (const [key, column] of Object.entries(explicit)) {
          if (!this.header.includes(column)) throw csvMissingColumn(column, key, this.header);
        }
      }
      this.keys = resolveKeys(this.header, explicit);
      this.ctx.sink.skip(lineCount);
      return;
    }
    const cells = parseRecord(text, this.delimiter);
    const header = this.header;
    if (cells === null || cells.length > header.length || (cells.length === 1 && header.length > 1)) {
      this.ctx.sink.unparsed(lineNo, lineCount);
      return;
    }
    const record: Record<string, FieldValue> = {};
    for (let i = 0; i < header.length; i++) {
      const name = header[i] || `column_${i + 1}`;
      const cell = i < cells.length ? cells[i].trim() : '';
      if (cell !== '') record[name] = cell;
    }
    this.ctx.sink.emit(recordToEvent(record, this.keys, 'csv', this.ctx.clock, text, lineNo, offset, length));
  }
}
