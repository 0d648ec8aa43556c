/**
 * Syslog files: RFC 3164 lines (`<PRI>` optional, `Mmm dd hh:mm:ss host tag[pid]: msg`, as /var/log/auth.log,
 * secure, messages), rsyslog's RFC 3339 variant (`2024-01-02T03:04:05.123456+08:00 host tag[pid]: msg`, Debian 12
 * and later) and RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`). Lines of sshd, sudo, su, cron,
 * the account tools and systemd-logind are classified (auth.ts); lines of other programs are `log` events.
 *
 * This is the hot path of ingestion: matchers over the line's bytes (bytes.ts), the previous timestamp, host and
 * program remembered (most lines repeat them).
 */
import type { EventType, FieldValue, Outcome } from '../event.js';
import { classifyAuth, programKind, sourceName, type AuthHeader } from './auth.js';
import { bDigits, bLastIndexOf, bMonth, type Bytes, CodeScratch } from './bytes.js';
import { parseIsoAt, type ZonedClock } from './time.js';
import { makeEvent, type FormatParser, type ParserContext } from './types.js';

/** The program of the line just read, its kind and event source (kept beside the recent program names). */
const programKinds = new Map<string, { kind: number; source: string }>();

export class SyslogParser implements FormatParser, AuthHeader {
  private readonly clock: ZonedClock;
  private readonly scratch = new CodeScratch();
  // The previous 3164 timestamp (its 15 bytes as a number pair) and its time: most lines share a second.
  private stampA = -1;
  private stampB = -1;
  private stampTime = 0;
  // A few recent hosts and programs, so that repeated names are not cut from the line again.
  private readonly hosts: string[] = [];
  private readonly programs: string[] = [];

  // Header of the current line, read by the classifiers.
  time: number | null = null;
  host: string | null = null;
  program = '';
  /** ProgramKind of `program` (auth.ts), so classification switches on a number. */
  programKind = 0;
  /** Event source for `program` (sshd-session is sshd, CRON is cron …). */
  programSource = 'syslog';
  pid = -1;
  severity = -1;
  facility = -1;
  lineNo = 0;
  offset = 0;
  length = 0;
  repeated = 0;
  /** RFC 5424 MSGID and structured data, added to the fields of the line's event. */
  private extra: Record<string, FieldValue> | null = null;

  constructor(private readonly ctx: ParserContext) {
    this.clock = ctx.clock;
  }

  line(text: string, start: number, end: number, lineNo: number, offset: number, length: number, codes: Bytes | null): void {
    const b = codes ?? this.scratch.of(text, start, end);
    let p = start;
    while (p < end && (b[p] === 32 || b[p] === 9)) p++;
    if (p === end) {
      this.ctx.sink.skip(1);
      return;
    }
    this.lineNo = lineNo;
    this.offset = offset;
    this.length = length;
    this.severity = -1;
    this.facility = -1;
    this.repeated = 0;
    // Most lines repeat the previous line's header ("Jan  2 03:04:05 web1 sshd[1234]: "): one native string
    // comparison then stands for reading the time, host, program and pid again.
    const hl = this.header.length;
    if (hl > 0 && p + hl <= end && b[p + hl - 1] === 32 && b[p + hl - 2] === 58 && text.substr(p, hl) === this.header) {
      this.time = this.headerTime;
      this.host = this.headerHost;
      this.pid = this.headerPid;
      this.severity = this.headerSeverity;
      this.facility = this.headerFacility;
      if (this.program !== this.headerProgram) this.setProgram(this.headerProgram);
      if (!classifyAuth(this, b, text, p + hl, end)) this.plain(text, p + hl, end);
      return;
    }
    const headerStart = p;
    if (b[p] === 60) {
      // <PRI>
      let q = p + 1;
      let pri = 0;
      while (q < end && q - p <= 4) {
        const d = b[q] - 48;
        if (!(d >= 0 && d <= 9)) break;
        pri = pri * 10 + d;
        q++;
      }
      if (q === p + 1 || b[q] !== 62 || pri > 191) return this.bad();
      this.facility = pri >> 3;
      this.severity = pri & 7;
      p = q + 1;
      if (b[p] === 49 && b[p + 1] === 32) return this.rfc5424(text, p + 2, end);
    }
    // Timestamp: "Mmm dd hh:mm:ss" or RFC 3339.
    if (p + 15 <= end && bMonth(b, p) > 0) {
      // The 15 bytes as two numbers (bytes 0–7 and 8–14) to compare with the previous line's.
      const a = (b[p + 4] * 0x1000000 + b[p + 5] * 0x10000 + b[p + 7] * 0x100 + b[p + 8]) * 256 + b[p + 2];
      const c = (b[p + 10] * 0x1000000 + b[p + 11] * 0x10000 + b[p + 13] * 0x100 + b[p + 14]) * 256 + b[p + 1];
      if (a === this.stampA && c === this.stampB && b[p] === this.stampMonthByte && b[p + 3] === 32 && b[p + 6] === 32 && b[p + 9] === 58 && b[p + 12] === 58) {
        this.time = this.stampTime;
      } else {
        const month = bMonth(b, p);
        const d0 = b[p + 4];
        const day = (d0 === 32 ? 0 : d0 - 48) * 10 + (b[p + 5] - 48);
        const hour = bDigits(b, p + 7, 2);
        const minute = bDigits(b, p + 10, 2);
        const second = bDigits(b, p + 13, 2);
        if (
          b[p + 3] !== 32 ||
          b[p + 6] !== 32 ||
          b[p + 9] !== 58 ||
          b[p + 12] !== 58 ||
          !(d0 === 32 || (d0 >= 48 && d0 <= 57)) ||
          !(b[p + 5] >= 48 && b[p + 5] <= 57) ||
          day < 1 ||
          day > 31 ||
          hour < 0 ||
          hour > 23 ||
          minute < 0 ||
          minute > 59 ||
          second < 0 ||
          second > 60
        )
          return this.bad();
        const year = month > this.ctx.referenceMonth ? this.ctx.year - 1 : this.ctx.year;
        this.time = this.clock.toUtc(Date.UTC(year, month - 1, day, hour, minute, second));
        this.stampA = a;
        this.stampB = c;
        this.stampMonthByte = b[p];
        this.stampTime = this.time;
      }
      p += 15;
      if (b[p] === 46) {
        // Fractional seconds (some rsyslog templates).
        let q = p + 1;
        let ms = 0;
        let scale = 100;
        while (q < end) {
          const d = b[q] - 48;
          if (!(d >= 0 && d <= 9)) break;
          ms += d * scale;
          scale /= 10;
          q++;
        }
        this.time += Math.floor(ms);
        p = q;
      }
    } else {
      const iso = b[p] >= 48 && b[p] <= 57 ? parseIsoAt(text, p, this.clock) : null;
      if (iso === null) return this.bad();
      this.time = iso.time;
      p += iso.length;
    }
    if (b[p] !== 32) return this.bad();
    p++;
    while (p < end && b[p] === 32) p++;

    // Host, then tag. A host never ends with ':'; a first token that does is the tag of a line without a host.
    let sp = p;
    while (sp < end && b[sp] !== 32) sp++;
    if (sp - p > 1 && b[sp - 1] === 58) {
      this.host = null;
    } else {
      this.host = sp > p ? this.name(this.hosts, text, b, p, sp) : null;
      p = sp + 1;
      sp = p;
      while (sp < end && b[sp] !== 32) sp++;
    }
    // Tag: program[pid]: — program names have no spaces.
    if (sp <= p || b[sp - 1] !== 58) {
      this.setProgram('');
      this.pid = -1;
      return this.plain(text, p < end ? p : end, end);
    }
    let progEnd = sp - 1;
    this.pid = -1;
    if (b[progEnd - 1] === 93) {
      const open = bLastIndexOf(b, 91, p, progEnd - 1);
      if (open > p) {
        let pid = 0;
        let ok = open + 1 < progEnd - 1 && progEnd - open < 12;
        for (let i = open + 1; ok && i < progEnd - 1; i++) {
          const d = b[i] - 48;
          if (!(d >= 0 && d <= 9)) ok = false;
          else pid = pid * 10 + d;
        }
        if (ok) this.pid = pid;
        progEnd = open;
      }
    }
    const program = progEnd > p ? this.name(this.programs, text, b, p, progEnd) : '';
    if (program !== this.program) this.setProgram(program);
    const m = sp + 1 <= end ? sp + 1 : end;
    if (m === sp + 1 && b[sp] === 32) {
      this.header = text.slice(headerStart, m);
      this.headerTime = this.time;
      this.headerHost = this.host;
      this.headerPid = this.pid;
      this.headerProgram = this.program;
      this.headerSeverity = this.severity;
      this.headerFacility = this.facility;
    }
    if (!classifyAuth(this, b, text, m, end)) this.plain(text, m, end);
  }

  private stampMonthByte = -1;
  /** The previous 3164/3339 line's header up to and including ": ", and what it said. */
  private header = '';
  private headerTime: number | null = null;
  private headerHost: string | null = null;
  private headerPid = -1;
  private headerProgram = '';
  private headerSeverity = -1;
  private headerFacility = -1;

  private setProgram(program: string): void {
    this.program = program;
    let known = programKinds.get(program);
    if (known === undefined) {
      known = { kind: programKind(program), source: program ? sourceName(program) : 'syslog' };
      if (programKinds.size > 10_000) programKinds.clear();
      programKinds.set(program, known);
    }
    this.programKind = known.kind;
    this.programSource = known.source;
  }

  broken(lineNo: number): void {
    this.ctx.sink.unparsed(lineNo, 1);
  }

  finish(): void {}

  /** The fields every syslog event carries. */
  baseFields(): Record<string, FieldValue> {
    if (this.severity < 0 && this.pid >= 0 && this.program) return { program: this.program, pid: this.pid };
    const f: Record<string, FieldValue> = {};
    if (this.program) f.program = this.program;
    if (this.pid >= 0) f.pid = this.pid;
    if (this.severity >= 0) {
      f.severity = this.severity;
      f.facility = this.facility;
    }
    return f;
  }

  emit(
    source: string,
    type: EventType,
    user: string | null,
    srcIp: string | null,
    target: string | null,
    action: string | null,
    outcome: Outcome | null,
    message: string,
    fields: Record<string, FieldValue>,
  ): void {
    if (this.extra !== null) Object.assign(fields, this.extra);
    if (this.repeated > 0) fields.repeated = this.repeated;
    this.ctx.sink.emit(makeEvent(this.time, this.host, source, type, user, srcIp, target, action, outcome, message, fields, this.lineNo, this.offset, this.length));
  }

  /**
   * A name (host, program) from b[start, end): one of the recent ones when it is the same (so that a repeated name
   * is one string, not a copy per line), else cut from the text. (Comparing with the strings' char codes measured
   * about half the instructions of comparing with byte copies.)
   */
  private name(recent: string[], text: string, b: Bytes, start: number, end: number): string {
    const n = end - start;
    for (let k = 0; k < recent.length; k++) {
      const s = recent[k];
      if (s.length !== n) continue;
      let i = 0;
      while (i < n && s.charCodeAt(i) === b[start + i]) i++;
      if (i === n) return s;
    }
    const s = text.slice(start, end);
    recent.unshift(s);
    if (recent.length > 8) recent.pop();
    return s;
  }

  /** A line of a program we do not classify: a `log` event. */
  private plain(text: string, m: number, end: number): void {
    this.emit(this.programSource, 'log', null, null, null, null, null, text.slice(m, end), this.baseFields());
  }

  private bad(): void {
    this.ctx.sink.unparsed(this.lineNo, 1);
  }

  /** RFC 5424 after `<PRI>1 `: TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]. */
  private rfc5424(text: string, p: number, end: number): void {
    const tokens: string[] = [];
    let q = p;
    for (let i = 0; i < 5; i++) {
      let sp = text.indexOf(' ', q);
      if (sp < 0 || sp > end) sp = end;
      if (sp === q) return this.bad();
      tokens.push(text.slice(q, sp));
      q = sp + 1;
      if (q > end && i < 4) return this.bad();
    }
    const [stamp, host, app, procid, msgid] = tokens;
    if (stamp === '-') this.time = null;
    else {
      const iso = parseIsoAt(stamp, 0, this.clock);
      if (iso === null || iso.length !== stamp.length) return this.bad();
      this.time = iso.time;
    }
    // Structured data: '-' or one or more [id param="value" ...] with \" \] \\ escapes inside values.
    let sd: string | null = null;
    if (q < end) {
      if (text.charCodeAt(q) === 45) {
        q++;
      } else if (text.charCodeAt(q) === 91) {
        const sdStart = q;
        while (q < end && text.charCodeAt(q) === 91) {
          let inQuote = false;
          q++;
          for (; q < end; q++) {
            const c = text.charCodeAt(q);
            if (c === 92) q++;
            else if (c === 34) inQuote = !inQuote;
            else if (c === 93 && !inQuote) break;
          }
          if (q >= end) return this.bad();
          q++;
        }
        sd = text.slice(sdStart, q);
      } else {
        return this.bad();
      }
      if (q < end && text.charCodeAt(q) !== 32) return this.bad();
      q++;
    }
    let message = q < end ? text.slice(q, end) : '';
    if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
    this.host = host === '-' ? null : host;
    this.setProgram(app === '-' ? '' : app);
    this.pid = procid !== '-' && /^\d{1,10}$/.test(procid) ? Number(procid) : -1;
    const extra: Record<string, FieldValue> = {};
    if (procid !== '-' && this.pid < 0) extra.procid = procid;
    if (msgid !== '-') extra.msgid = msgid;
    if (sd) extra.structured_data = sd;
    this.extra = extra;
    const mb = this.scratch.of(message, 0, message.length);
    if (!classifyAuth(this, mb, message, 0, message.length)) this.plain(message, 0, message.length);
    this.extra = null;
  }
}
