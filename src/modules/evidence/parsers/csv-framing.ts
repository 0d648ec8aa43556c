/**
 * Splits CSV input into records: a record ends at a line end outside quotes, so a quoted field may hold newlines.
 * Counting quote characters per line is enough (an escaped quote is two of them); the byte 0x22 never occurs inside
 * a multi-byte UTF-8, GBK or GB18030 character. Records are bounded by the maximum record size: a longer one is
 * counted unparsed and reading starts afresh on the next line.
 */
import type { ParserContext } from './types.js';

export type RecordHandler = (text: string, lineNo: number, offset: number, length: number, lineCount: number) => void;

export class CsvFramer {
  private lines: string[] = [];
  private lineNo = 0;
  private offset = 0;
  private end = 0;
  private bytes = 0;
  private quotes = 0;

  constructor(
    private readonly ctx: ParserContext,
    private readonly onRecord: RecordHandler,
  ) {}

  line(text: string, start: number, end: number, lineNo: number, offset: number, length: number): void {
    const s = start === 0 && end === text.length ? text : text.slice(start, end);
    let quotes = 0;
    for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) quotes++;
    if (this.lines.length === 0) {
      if (s.trim().length === 0) {
        this.ctx.sink.skip(1);
        return;
      }
      this.lineNo = lineNo;
      this.offset = offset;
      this.bytes = 0;
      this.quotes = 0;
    }
    this.lines.push(s);
    this.end = offset + length;
    this.bytes += length + 1;
    this.quotes += quotes;
    if (this.bytes > this.ctx.maxRecordBytes) {
      this.ctx.sink.unparsed(this.lineNo, this.lines.length);
      this.lines = [];
      return;
    }
    if (this.quotes % 2 === 0) this.flush();
  }

  /** A line that cannot be read ends the open record (which then likely fails to parse) and counts as unparsed. */
  broken(lineNo: number): void {
    if (this.lines.length > 0) this.flush();
    this.ctx.sink.unparsed(lineNo, 1);
  }

  finish(): void {
    if (this.lines.length > 0) this.flush();
  }

  private flush(): void {
    const lines = this.lines;
    this.lines = [];
    this.onRecord(lines.join('\n'), this.lineNo, this.offset, this.end - this.offset, lines.length);
  }
}
