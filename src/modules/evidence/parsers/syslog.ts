/**
 * Syslog files: RFC 3164 lines (`<PRI>` optional, `Mmm dd hh:mm:ss host tag[pid]: msg`, as /var/log/auth.log,
 * secure, messages), rsyslog's RFC 3339 variant (`2024-01-02T03:04:05.123456+08:00 host tag[pid]: msg`, Debian 12
 * and later) and RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`). Lines of sshd, sudo, su, cron,
 * the account tools and systemd-logind are classified (auth.ts); lines of other programs are `log` events.
 *
 * This is the hot path of ingestion: hand-written matchers over the line, caches for the timestamp and the host.
 */
import type { FieldValue } from '../event.js';
import { classifyAuth, sourceName, type AuthHeader } from './auth.js';
import { digits, monthAt, parseIsoAt, spaceDigits2, type ZonedClock } from './time.js';
import { makeEvent, type FormatParser, type ParserContext } from './types.js';

export class SyslogParser implements FormatParser, AuthHeader {
  private readonly clock: ZonedClock;
  // The previous 3164 timestamp text and its time: most lines share a second with the one before.
  private prevStamp = '';
  private prevStampTime = 0;
  private prevHost = '';
  private prevProgram = '';

  // Header of the current line, read by the classifiers.
  time: number | null = null;
  host: string | null = null;
  program = '';
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

  line(text: string, start: number, end: number, lineNo: number, offset: number, length: number): void {
    let p = start;
    while (p < end && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
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
    if (text.charCodeAt(p) === 60) {
      // <PRI>
      let q = p + 1;
      let pri = 0;
      while (q < end && q - p <= 4) {
        const d = text.charCodeAt(q) - 48;
        if (d < 0 || d > 9) break;
        pri = pri * 10 + d;
        q++;
      }
      if (q === p + 1 || text.charCodeAt(q) !== 62 || pri > 191) return this.bad(lineNo);
      this.facility = pri >> 3;
      this.severity = pri & 7;
      p = q + 1;
      if (text.charCodeAt(p) === 49 && text.charCodeAt(p + 1) === 32) return this.rfc5424(text, p + 2, end);
    }
    // Timestamp.
    const month = monthAt(text, p);
    if (month > 0) {
      if (this.prevStamp.length > 0 && text.startsWith(this.prevStamp, p)) {
        this.time = this.prevStampTime;
      } else {
        const day = spaceDigits2(text, p + 4);
        const hour = digits(text, p + 7, 2);
        const minute = digits(text, p + 10, 2);
        const second = digits(text, p + 13, 2);
        if (
          text.charCodeAt(p + 3) !== 32 ||
          text.charCodeAt(p + 6) !== 32 ||
          text.charCodeAt(p + 9) !== 58 ||
          text.charCodeAt(p + 12) !== 58 ||
          day < 1 ||
          day > 31 ||
          hour < 0 ||
          hour > 23 ||
          minute < 0 ||
          minute > 59 ||
          second < 0 ||
          second > 60
        )
          return this.bad(lineNo);
        const year = month > this.ctx.referenceMonth ? this.ctx.year - 1 : this.ctx.year;
        this.time = this.clock.toUtc(Date.UTC(year, month - 1, day, hour, minute, second));
        this.prevStamp = text.slice(p, p + 15);
        this.prevStampTime = this.time;
      }
      p += 15;
      if (text.charCodeAt(p) === 46) {
        // Fractional seconds (some rsyslog templates).
        let q = p + 1;
        let ms = 0;
        let scale = 100;
        while (q < end) {
          const d = text.charCodeAt(q) - 48;
          if (d < 0 || d > 9) break;
          ms += d * scale;
          scale /= 10;
          q++;
        }
        this.time += Math.floor(ms);
        p = q;
      }
    } else {
      const iso = parseIsoAt(text, p, this.clock);
      if (iso === null) return this.bad(lineNo);
      this.time = iso.time;
      p += iso.length;
    }
    if (text.charCodeAt(p) !== 32) return this.bad(lineNo);
    p++;
    while (text.charCodeAt(p) === 32) p++;

    // Host, then tag. A host never ends with ':'; a first token that does is the tag of a line without a host.
    let sp = text.indexOf(' ', p);
    if (sp < 0 || sp > end) sp = end;
    if (sp > p && text.charCodeAt(sp - 1) === 58 && sp - p > 1) {
      this.host = null;
    } else {
      const host = this.prevHost;
      if (host.length === sp - p && text.startsWith(host, p)) this.host = host;
      else this.host = this.prevHost = text.slice(p, sp);
      if (this.host.length === 0) this.host = null;
      p = sp + 1;
      sp = text.indexOf(' ', p);
      if (sp < 0 || sp > end) sp = end;
    }
    // Tag: program[pid]: — program names have no spaces.
    if (sp <= p || text.charCodeAt(sp - 1) !== 58) {
      this.program = '';
      this.pid = -1;
      return this.plain(text, p, end, null);
    }
    let progEnd = sp - 1;
    this.pid = -1;
    if (text.charCodeAt(progEnd - 1) === 93) {
      const open = text.lastIndexOf('[', progEnd - 1);
      if (open > p) {
        let pid = 0;
        let ok = open + 1 < progEnd - 1;
        for (let i = open + 1; i < progEnd - 1; i++) {
          const d = text.charCodeAt(i) - 48;
          if (d < 0 || d > 9) {
            ok = false;
            break;
          }
          pid = pid * 10 + d;
        }
        if (ok) this.pid = pid;
        progEnd = open;
      }
    }
    const prog = this.prevProgram;
    if (prog.length === progEnd - p && text.startsWith(prog, p)) this.program = prog;
    else this.program = this.prevProgram = text.slice(p, progEnd);
    const m = sp + 1 <= end ? sp + 1 : end;
    if (!classifyAuth(this, text, m, end)) this.plain(text, m, end, this.program || null);
  }

  broken(lineNo: number): void {
    this.ctx.sink.unparsed(lineNo, 1);
  }

  finish(): void {}

  /** The fields every syslog event carries. */
  baseFields(): Record<string, FieldValue> {
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
    type: Parameters<typeof makeEvent>[3],
    user: string | null,
    srcIp: string | null,
    target: string | null,
    action: string | null,
    outcome: 'success' | 'failure' | null,
    message: string,
    fields: Record<string, FieldValue>,
  ): void {
    if (this.extra !== null) Object.assign(fields, this.extra);
    if (this.repeated > 0) fields.repeated = this.repeated;
    this.ctx.sink.emit(makeEvent(this.time, this.host, source, type, user, srcIp, target, action, outcome, message, fields, this.lineNo, this.offset, this.length));
  }

  /** A line of a program we do not classify: a `log` event. */
  private plain(text: string, m: number, end: number, program: string | null): void {
    this.emit(program ? sourceName(program) : 'syslog', 'log', null, null, null, null, null, text.slice(m, end), this.baseFields());
  }

  private bad(lineNo: number): void {
    this.ctx.sink.unparsed(lineNo, 1);
  }

  /** RFC 5424 after `<PRI>1 `: TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]. */
  private rfc5424(text: string, p: number, end: number): void {
    const tokens: string[] = [];
    let q = p;
    for (let i = 0; i < 5; i++) {
      let sp = text.indexOf(' ', q);
      if (sp < 0 || sp > end) sp = end;
      if (sp === q) return this.bad(this.lineNo);
      tokens.push(text.slice(q, sp));
      q = sp + 1;
      if (q > end && i < 4) return this.bad(this.lineNo);
    }
    const [stamp, host, app, procid, msgid] = tokens;
    if (stamp === '-') this.time = null;
    else {
      const iso = parseIsoAt(stamp, 0, this.clock);
      if (iso === null || iso.length !== stamp.length) return this.bad(this.lineNo);
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
          if (q >= end) return this.bad(this.lineNo);
          q++;
        }
        sd = text.slice(sdStart, q);
      } else {
        return this.bad(this.lineNo);
      }
      if (q < end && text.charCodeAt(q) !== 32) return this.bad(this.lineNo);
      q++;
    }
    let message = q < end ? text.slice(q, end) : '';
    if (message.charCodeAt(0) === 0xfeff) message = message.slice(1);
    this.host = host === '-' ? null : host;
    this.program = app === '-' ? '' : app;
    this.pid = procid !== '-' && /^\d{1,10}$/.test(procid) ? Number(procid) : -1;
    const extra: Record<string, FieldValue> = {};
    if (procid !== '-' && this.pid < 0) extra.procid = procid;
    if (msgid !== '-') extra.msgid = msgid;
    if (sd) extra.structured_data = sd;
    this.extra = extra;
    if (!classifyAuth(this, message, 0, message.length)) this.plain(message, 0, message.length, this.program || null);
    this.extra = null;
  }
}
