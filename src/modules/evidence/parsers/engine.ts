/**
 * The engine under every format: takes the file's bytes in chunks, decides encoding and format from the first
 * 64 KiB, splits lines on byte 10 (so offsets are byte-exact in any of our encodings: none uses byte 10 inside a
 * character), decodes them and hands them to the format parser, and counts every line: event, skipped or
 * unparsed.
 *
 * Fast path: a run of complete lines that is all ASCII is decoded at once as latin1, so a string index is a byte
 * offset and the format parser works on the one string without a copy per line.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { LocatedEvent } from '../event.js';
import { detectFormatIn, SAMPLE_BYTES } from './detect.js';
import { binaryShare, BINARY_THRESHOLD, bomLength, completeLines, decodeGb, detectEncoding, type EncodingName, firstInvalidByte, trimIncompleteGb, trimIncompleteUtf8 } from './encoding.js';
import { encodingInvalid, evidenceEmpty, formatBinary, formatUnknown, timeZoneInvalid } from './errors.js';
import { createFormatParser } from './formats.js';
import { isValidTimeZone, ZonedClock } from './time.js';
import { PARSER_NAMES, type EventParser, type FormatParser, type ParseOptions, type ParseReport, type ParserName, type Sink } from './types.js';

export const DEFAULT_MAX_LINE_BYTES = 1 << 20;
/** ASCII runs are decoded in pieces of about this size (bounded strings, whatever chunk size the caller pushes). */
const PIECE_BYTES = 1 << 20;
const MAX_REPORTED_LINES = 20;

export class Engine implements EventParser, Sink {
  private readonly maxLine: number;
  private parserName: ParserName | null;
  private encoding: EncodingName | null;
  /** The encoding was guessed from an all-ASCII sample: the first non-ASCII line decides it. */
  private encodingTentative = false;
  private format: FormatParser | null = null;
  private readonly clock: ZonedClock;

  private sample: Buffer[] | null = [];
  private sampleBytes = 0;
  private out: LocatedEvent[] = [];

  /** Bytes received. */
  private bytes = 0;
  /** Absolute offset of the next byte the splitter reads. */
  private pos = 0;
  private lineNo = 0;
  /** Bytes of a line started in an earlier chunk. */
  private carry: Buffer | null = null;
  /** Inside a line longer than the limit: its bytes are dropped until its newline. */
  private discarding = false;
  private discardStart = 0;
  private discardLineNo = 0;
  private ended = false;

  private events = 0;
  private skipped = 0;
  private unparsedCount = 0;
  private readonly unparsedLines: number[] = [];

  constructor(private readonly options: ParseOptions) {
    if (!isValidTimeZone(options.timeZone)) throw timeZoneInvalid(options.timeZone);
    this.maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.parserName = options.parser === 'auto' ? null : options.parser;
    this.encoding = options.encoding === 'auto' ? null : options.encoding;
    this.clock = new ZonedClock(options.timeZone);
  }

  push(chunk: Buffer): LocatedEvent[] {
    if (this.ended) throw new Error('push() after end()');
    if (chunk.length === 0) return this.drain();
    this.bytes += chunk.length;
    if (this.sample) {
      this.sample.push(Buffer.from(chunk));
      this.sampleBytes += chunk.length;
      if (this.sampleBytes >= SAMPLE_BYTES) this.start(false);
    } else {
      this.feed(chunk);
    }
    return this.drain();
  }

  end(): LocatedEvent[] {
    if (this.ended) return this.drain();
    this.ended = true;
    if (this.sample) {
      if (this.bytes === 0) throw evidenceEmpty();
      this.start(true);
    }
    if (this.discarding) {
      this.finishDiscard(this.pos, this.lastByteWasCr);
    } else if (this.carry && this.carry.length > 0) {
      const carry = this.carry;
      this.carry = null;
      let len = carry.length;
      if (carry[len - 1] === 13) len--;
      this.oneLine(carry, 0, len, this.pos - carry.length);
    }
    this.format!.finish();
    return this.drain();
  }

  report(): ParseReport {
    return {
      parser: this.parserName ?? (this.options.parser === 'auto' ? 'syslog' : this.options.parser),
      encoding: this.encoding ?? 'utf8',
      bytes: this.bytes,
      lines: this.lineNo,
      events: this.events,
      skipped: this.skipped,
      unparsed: this.unparsedCount,
      unparsedLines: [...this.unparsedLines],
    };
  }

  // Sink

  emit(event: LocatedEvent): void {
    this.events++;
    this.out.push(event);
  }

  skip(lines: number): void {
    this.skipped += lines;
  }

  unparsed(lineNo: number, lines: number): void {
    this.unparsedCount += lines;
    for (let i = 0; i < lines && this.unparsedLines.length < MAX_REPORTED_LINES; i++) this.unparsedLines.push(lineNo + i);
  }

  private drain(): LocatedEvent[] {
    if (this.out.length === 0) return [];
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Decides encoding and format from the sample, then parses it. */
  private start(whole: boolean): void {
    const sample = Buffer.concat(this.sample!);
    this.sample = null;
    const probe = sample.subarray(0, SAMPLE_BYTES);
    const share = binaryShare(probe);
    if (share > BINARY_THRESHOLD) throw formatBinary(Math.round(share * 100), this.parserName ? [this.parserName] : PARSER_NAMES);

    const probeIsWhole = whole && sample.length <= SAMPLE_BYTES;
    if (this.encoding === null) {
      const detected = detectEncoding(probe, probeIsWhole);
      if (detected === null) {
        const cut = probeIsWhole ? probe : trimIncompleteUtf8(completeLines(probe));
        throw encodingInvalid('utf8', Math.max(0, firstInvalidByte(cut, 'utf8')), ['utf8', 'gb18030']);
      }
      this.encoding = detected;
      this.encodingTentative = detected === 'utf8' && bomLength(probe, 'utf8') === 0 && isAscii(probe);
    } else {
      let body = probeIsWhole ? probe : completeLines(probe);
      if (!probeIsWhole && body.length === probe.length) body = this.encoding === 'utf8' ? trimIncompleteUtf8(body) : trimIncompleteGb(body);
      const bom = bomLength(body, this.encoding);
      const bad = firstInvalidByte(body.subarray(bom), this.encoding);
      if (bad >= 0) throw encodingInvalid(this.encoding, bad + bom);
    }

    if (this.parserName === null) {
      const detected = detectFormatIn(probe, undefined, this.encoding, probeIsWhole);
      if (!detected) throw formatUnknown(PARSER_NAMES);
      this.parserName = detected.parser;
    }

    const referenceMonth = this.options.referenceTime === undefined ? 12 : monthIn(this.clock, this.options.referenceTime);
    this.format = createFormatParser(this.parserName, {
      sink: this,
      clock: this.clock,
      year: this.options.year,
      referenceMonth,
      maxRecordBytes: this.maxLine,
      csvColumns: this.options.csvColumns,
    });

    const bom = bomLength(sample, this.encoding);
    this.pos = bom;
    this.feed(bom ? sample.subarray(bom) : sample);
  }

  /** Splits a chunk into lines; keeps an incomplete last line for the next chunk. */
  private feed(input: Buffer): void {
    let buf = input;
    if (this.discarding) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        this.lastByteWasCr = buf[buf.length - 1] === 13;
        this.pos += buf.length;
        return;
      }
      this.finishDiscard(this.pos + nl, nl > 0 ? buf[nl - 1] === 13 : this.lastByteWasCr);
      this.pos += nl + 1;
      buf = buf.subarray(nl + 1);
    } else if (this.carry) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        if (this.carry.length + buf.length > this.maxLine + 1) {
          this.startDiscard(this.pos - this.carry.length, buf);
          this.carry = null;
        } else {
          this.carry = Buffer.concat([this.carry, buf]);
        }
        this.pos += buf.length;
        return;
      }
      const line = Buffer.concat([this.carry, buf.subarray(0, nl)]);
      this.carry = null;
      let len = line.length;
      if (len > 0 && line[len - 1] === 13) len--;
      this.oneLine(line, 0, len, this.pos - (line.length - nl));
      this.pos += nl + 1;
      buf = buf.subarray(nl + 1);
    }
    const last = buf.lastIndexOf(10);
    if (last >= 0) {
      this.region(buf, last + 1);
      this.pos += last + 1;
      buf = buf.subarray(last + 1);
    }
    if (buf.length > 0) {
      if (buf.length > this.maxLine + 1) {
        this.startDiscard(this.pos, buf);
      } else {
        this.carry = Buffer.from(buf); // copy: the caller may reuse its buffer
      }
      this.pos += buf.length;
    }
  }

  private lastByteWasCr = false;

  private startDiscard(lineStart: number, tail: Buffer): void {
    this.discarding = true;
    this.discardStart = lineStart;
    this.discardLineNo = ++this.lineNo;
    this.lastByteWasCr = tail.length > 0 && tail[tail.length - 1] === 13;
  }

  /** The overlong line ends at absolute offset `nlAt` (its newline, or the end of the file). */
  private finishDiscard(nlAt: number, cr = false): void {
    this.discarding = false;
    const length = nlAt - this.discardStart - (cr ? 1 : 0);
    this.format!.broken(this.discardLineNo, this.discardStart, length);
  }

  /** Complete lines buf[0, end) (end is just after a newline); buf[0] is at absolute offset this.pos. */
  private region(buf: Buffer, end: number): void {
    let p = 0;
    while (p < end) {
      let stop = end;
      if (end - p > PIECE_BYTES) {
        const nl = buf.indexOf(10, p + PIECE_BYTES);
        stop = nl < 0 || nl >= end ? end : nl + 1;
      }
      const piece = buf.subarray(p, stop);
      if (isAscii(piece)) this.asciiPiece(piece, this.pos + p);
      else this.mixedPiece(piece, this.pos + p);
      p = stop;
    }
  }

  private asciiPiece(piece: Buffer, base: number): void {
    const text = piece.toString('latin1');
    const format = this.format!;
    const max = this.maxLine;
    let p = 0;
    const n = text.length;
    while (p < n) {
      const nl = text.indexOf('\n', p);
      let e = nl;
      if (e > p && text.charCodeAt(e - 1) === 13) e--;
      const ln = ++this.lineNo;
      if (e - p > max) format.broken(ln, base + p, e - p);
      else format.line(text, p, e, ln, base + p, e - p, piece);
      p = nl + 1;
    }
  }

  private mixedPiece(piece: Buffer, base: number): void {
    const wholeUtf8 = this.encoding === 'utf8' && !this.encodingTentative && isUtf8(piece);
    let p = 0;
    const n = piece.length;
    while (p < n) {
      const nl = piece.indexOf(10, p);
      let e = nl;
      if (e > p && piece[e - 1] === 13) e--;
      if (wholeUtf8) {
        const ln = ++this.lineNo;
        if (e - p > this.maxLine) this.format!.broken(ln, base + p, e - p);
        else {
          const text = piece.toString('utf8', p, e);
          this.format!.line(text, 0, text.length, ln, base + p, e - p, null);
        }
      } else {
        this.oneLine(piece, p, e, base + p);
      }
      p = nl + 1;
    }
  }

  /** One line buf[start, end) (without newline and CR) at absolute offset `offset`. */
  private oneLine(buf: Buffer, start: number, end: number, offset: number): void {
    const ln = ++this.lineNo;
    const length = end - start;
    if (length > this.maxLine) {
      this.format!.broken(ln, offset, length);
      return;
    }
    const bytes = buf.subarray(start, end);
    const text = this.decode(bytes);
    if (text === null) this.format!.broken(ln, offset, length);
    else this.format!.line(text, 0, text.length, ln, offset, length, null);
  }

  private decode(bytes: Buffer): string | null {
    if (isAscii(bytes)) return bytes.toString('latin1');
    if (this.encodingTentative) {
      // The sample was all ASCII: the first line that is not decides between UTF-8 and GB18030.
      if (isUtf8(bytes)) {
        this.encodingTentative = false;
      } else if (decodeGb(bytes, 'gb18030') !== null) {
        this.encoding = 'gb18030';
        this.encodingTentative = false;
      } else {
        return null;
      }
    }
    if (this.encoding === 'utf8') return isUtf8(bytes) ? bytes.toString('utf8') : null;
    return decodeGb(bytes, this.encoding as 'gbk' | 'gb18030');
  }
}

function monthIn(clock: ZonedClock, utc: number): number {
  return new Date(utc + clock.offsetAt(utc)).getUTCMonth() + 1;
}
