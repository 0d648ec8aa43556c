/**
 * Web server access logs: the combined log format shared by nginx (`log_format combined`) and Apache
 * (`%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"`), the common log format (without referrer and user
 * agent), Apache's vhost_combined (`%v:%p` first) and the fields nginx configurations often append
 * (`"$http_x_forwarded_for"`, `rt=$request_time`, upstream times …).
 */
import type { FieldValue } from '../event.js';
import { asIp, ipAt } from './ip.js';
import { digits, monthAt, type ZonedClock } from './time.js';
import { makeEvent, type FormatParser, type ParserContext } from './types.js';

export class AccessLogParser implements FormatParser {
  private readonly clock: ZonedClock;
  private prevStamp = '';
  private prevTime = 0;

  constructor(
    private readonly ctx: ParserContext,
    private readonly source: 'nginx' | 'apache',
  ) {
    this.clock = ctx.clock;
  }

  line(text: string, start: number, end: number, lineNo: number, offset: number, length: number): void {
    let p = start;
    while (p < end && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    if (p === end) {
      this.ctx.sink.skip(1);
      return;
    }
    const parsed = this.parse(text, p, end);
    if (parsed === null) this.ctx.sink.unparsed(lineNo, 1);
    else {
      parsed.lineNo = lineNo;
      parsed.offset = offset;
      parsed.length = length;
      this.ctx.sink.emit(parsed);
    }
  }

  broken(lineNo: number): void {
    this.ctx.sink.unparsed(lineNo, 1);
  }

  finish(): void {}

  private parse(text: string, p: number, end: number): ReturnType<typeof makeEvent> | null {
    // Up to the time: "[vhost:port ]host ident user ["
    const bracket = text.indexOf(' [', p);
    if (bracket < 0 || bracket >= end) return null;
    const head = text.slice(p, bracket).split(' ');
    let vhost: string | null = null;
    if (head.length === 4) vhost = head.shift()!;
    if (head.length !== 3 || head.some((t) => t.length === 0)) return null;
    const [remote, , remoteUser] = head;

    // [10/Oct/2000:13:55:36 -0700]
    const t = bracket + 2;
    const close = text.indexOf(']', t);
    if (close < 0 || close >= end) return null;
    let time: number;
    if (close - t === this.prevStamp.length && text.startsWith(this.prevStamp, t)) {
      time = this.prevTime;
    } else {
      const parsed = parseClfTime(text, t, close, this.clock);
      if (parsed === null) return null;
      time = parsed;
      this.prevStamp = text.slice(t, close);
      this.prevTime = time;
    }
    let q = close + 1;
    if (text.charCodeAt(q) !== 32 || text.charCodeAt(q + 1) !== 34) return null;
    const request = readQuoted(text, q + 1, end);
    if (request === null) return null;
    q = quotedEnd;
    // status and bytes
    if (text.charCodeAt(q) !== 32) return null;
    q++;
    const status = digits(text, q, 3);
    if (status < 100) return null;
    q += 3;
    if (text.charCodeAt(q) !== 32) return null;
    q++;
    let bytesEnd = q;
    while (bytesEnd < end && text.charCodeAt(bytesEnd) !== 32) bytesEnd++;
    const bytesText = text.slice(q, bytesEnd);
    let bytes: number | null = 0;
    if (bytesText !== '-') {
      if (!/^\d+$/.test(bytesText)) return null;
      bytes = Number(bytesText);
    }
    q = bytesEnd;

    const fields: Record<string, FieldValue> = {};
    // Request line: METHOD TARGET PROTOCOL (anything else is kept as it was sent).
    let method: string | null = null;
    let path: string | null = null;
    const sp1 = request.indexOf(' ');
    const sp2 = request.lastIndexOf(' ');
    if (sp1 > 0 && sp2 > sp1 && request.startsWith('HTTP/', sp2 + 1) && /^[A-Z_-]{1,32}$/.test(request.slice(0, sp1))) {
      method = request.slice(0, sp1);
      const targetText = request.slice(sp1 + 1, sp2);
      fields.method = method;
      const qm = targetText.indexOf('?');
      path = qm >= 0 ? targetText.slice(0, qm) : targetText;
      if (qm >= 0 && qm + 1 < targetText.length) fields.query = targetText.slice(qm + 1);
      if (path) fields.path = path;
      fields.protocol = request.slice(sp2 + 1);
    } else if (sp1 > 0 && sp1 === sp2 && /^[A-Z_-]{1,32}$/.test(request.slice(0, sp1))) {
      // HTTP/0.9 style "GET /"
      method = request.slice(0, sp1);
      fields.method = method;
      path = request.slice(sp1 + 1);
      if (path) fields.path = path;
    } else if (request !== '-' && request.length > 0) {
      fields.request = request;
    }
    fields.status = status;
    fields.bytes = bytes;
    if (vhost) fields.vhost = vhost;
    const ip = ipAt(remote, 0, remote.length);
    if (ip === null) fields.remote_host = remote;

    // Combined: "referrer" "user agent", then whatever the configuration appends.
    const extras: string[] = [];
    let quotedSeen = 0;
    while (q < end) {
      while (q < end && text.charCodeAt(q) === 32) q++;
      if (q >= end) break;
      if (text.charCodeAt(q) === 34) {
        const value = readQuoted(text, q, end);
        if (value === null) return null;
        q = quotedEnd;
        quotedSeen++;
        if (quotedSeen === 1) {
          if (value !== '-' && value !== '') fields.referrer = value;
        } else if (quotedSeen === 2) {
          if (value !== '-' && value !== '') fields.user_agent = value;
        } else if (quotedSeen === 3 && looksLikeForwardedFor(value)) {
          if (value !== '-' && value !== '') fields.x_forwarded_for = value;
        } else extras.push(value);
      } else {
        let e = q;
        while (e < end && text.charCodeAt(e) !== 32) e++;
        const token = text.slice(q, e);
        q = e;
        const eq = token.indexOf('=');
        if (eq > 0 && /^[A-Za-z_][\w.-]*$/.test(token.slice(0, eq))) {
          let value = token.slice(eq + 1);
          if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
          fields[token.slice(0, eq)] = /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
        } else extras.push(token);
      }
    }
    if (quotedSeen === 1) return null; // a referrer without a user agent: not a format we know
    if (extras.length > 0) fields.extra = extras.join(' ');
    return makeEvent(
      time,
      null,
      this.source,
      'http.request',
      remoteUser === '-' ? null : remoteUser,
      ip,
      path,
      method,
      status >= 400 ? 'failure' : 'success',
      request,
      fields,
      0,
      0,
      0,
    );
  }
}

function looksLikeForwardedFor(value: string): boolean {
  if (value === '-' || value === '') return true;
  return value.split(',').every((part) => asIp(part.trim()) !== null || part.trim() === 'unknown');
}

/** Where the last quoted string read by readQuoted ended (just after its closing quote). */
let quotedEnd = 0;

/**
 * The content of the quoted string starting at text[at] (a '"'), with Apache's \" and \\ escapes kept as written
 * (nginx escapes as \xHH). Null when it does not close before `end`.
 */
function readQuoted(text: string, at: number, end: number): string | null {
  let q = at + 1;
  while (q < end) {
    const c = text.charCodeAt(q);
    if (c === 92) q += 2;
    else if (c === 34) {
      // A quote followed by a space or the end closes the string; one inside (unescaped, from odd clients) does not.
      if (q + 1 === end || text.charCodeAt(q + 1) === 32) {
        quotedEnd = q + 1;
        return text.slice(at + 1, q);
      }
      q++;
    } else q++;
  }
  return null;
}

/** "10/Oct/2000:13:55:36 -0700" in text[at, close): UTC ms, or null. */
function parseClfTime(text: string, at: number, close: number, clock: ZonedClock): number | null {
  const day = digits(text, at, 2);
  const month = monthAt(text, at + 3);
  const year = digits(text, at + 7, 4);
  const hour = digits(text, at + 12, 2);
  const minute = digits(text, at + 15, 2);
  const second = digits(text, at + 18, 2);
  if (
    text.charCodeAt(at + 2) !== 47 ||
    text.charCodeAt(at + 6) !== 47 ||
    text.charCodeAt(at + 11) !== 58 ||
    text.charCodeAt(at + 14) !== 58 ||
    text.charCodeAt(at + 17) !== 58 ||
    day < 1 ||
    day > 31 ||
    month === 0 ||
    year < 0 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60
  )
    return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  let p = at + 20;
  // Apache %{msec_frac}t and the like are not in the standard formats; an offset follows the time.
  if (p === close) return clock.toUtc(local);
  if (text.charCodeAt(p) !== 32) return null;
  p++;
  const sign = text.charCodeAt(p);
  const oh = digits(text, p + 1, 2);
  const om = digits(text, p + 3, 2);
  if ((sign !== 43 && sign !== 45) || oh < 0 || om < 0 || p + 5 !== close) return null;
  return local - (sign === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
}
