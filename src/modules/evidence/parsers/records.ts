/**
 * Multi-line records (MySQL queries over several lines, PostgreSQL messages with DETAIL / STATEMENT lines): a
 * line either starts a record, continues the open one, or is a header to skip. A record is bounded by the
 * maximum record size: a longer one is counted unparsed, and its further lines too, never held whole.
 */
import type { LocatedEvent } from '../event.js';
import type { FormatParser, ParserContext } from './types.js';

export interface RecordLines {
  lines: string[];
  lineNo: number;
  offset: number;
  /** Bytes from the first line's start to the last line's end (newline excluded). */
  length: number;
  lineCount: number;
  /** Where each line ends (absolute offset, newline excluded). */
  ends: number[];
}

export abstract class MultiLineParser implements FormatParser {
  private open: RecordLines | null = null;
  private bytes = 0;
  /** The open record grew past the limit: its lines were counted unparsed; its continuation lines are too. */
  private overflow = false;

  constructor(protected readonly ctx: ParserContext) {}

  /** 'start' begins a record, 'skip' is a header line, 'continue' belongs to the open record. */
  protected abstract kind(line: string): 'start' | 'skip' | 'continue';
  /** Turns a complete record into an event (makeEvent with the record's lineNo, offset, length), or null when it does not parse. */
  protected abstract toEvent(record: RecordLines): LocatedEvent | null;

  line(text: string, start: number, end: number, lineNo: number, offset: number, length: number): void {
    const s = start === 0 && end === text.length ? text : text.slice(start, end);
    const kind = this.kind(s);
    if (kind === 'skip') {
      this.close();
      this.ctx.sink.skip(1);
      return;
    }
    if (kind === 'start') {
      this.close();
      this.open = { lines: [s], lineNo, offset, length, lineCount: 1, ends: [offset + length] };
      this.bytes = length;
      this.overflow = false;
      return;
    }
    const open = this.open;
    if (open === null) {
      if (s.trim().length === 0) this.ctx.sink.skip(1);
      else this.ctx.sink.unparsed(lineNo, 1);
      return;
    }
    if (this.overflow) {
      this.ctx.sink.unparsed(lineNo, 1);
      return;
    }
    this.bytes += length + 1;
    open.lineCount++;
    if (this.bytes > this.ctx.maxRecordBytes) {
      this.ctx.sink.unparsed(open.lineNo, open.lineCount);
      open.lines = [];
      this.overflow = true;
      return;
    }
    open.lines.push(s);
    open.ends.push(offset + length);
  }

  broken(lineNo: number): void {
    this.close();
    this.ctx.sink.unparsed(lineNo, 1);
  }

  finish(): void {
    this.close();
  }

  private close(): void {
    const open = this.open;
    if (open === null) return;
    this.open = null;
    if (this.overflow) {
      this.overflow = false;
      return;
    }
    // Blank lines at the end of a record are not part of it.
    while (open.lineCount > 1 && open.lines[open.lines.length - 1].trim().length === 0) {
      open.lines.pop();
      open.ends.pop();
      open.lineCount--;
      this.ctx.sink.skip(1);
    }
    open.length = open.ends[open.ends.length - 1] - open.offset;
    const event = this.toEvent(open);
    if (event === null) this.ctx.sink.unparsed(open.lineNo, open.lineCount);
    else this.ctx.sink.emit(event);
  }
}
