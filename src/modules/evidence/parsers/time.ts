/**
 * Times in evidence files: wall-clock times without an offset are in the evidence's IANA time zone. The zone rules
 * come from Intl (the ICU data Node ships); results are cached per local hour (the offset of an hour without a
 * transition) and per second, because consecutive log lines mostly share a second.
 */

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** True when `timeZone` is an IANA zone (or UTC) that Intl knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Converts wall-clock times of one zone to UTC milliseconds. One instance per file: it remembers the previous
 * result so that a time repeated by a DST fall-back (01:30 happens twice) resolves to the occurrence that does
 * not go back in time, as lines of a log follow each other.
 */
export class ZonedClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly hourOffsets = new Map<number, number>();
  private lastSecond = Number.NaN;
  private lastSecondUtc = 0;
  /** UTC ms of the previous ambiguous-or-not resolution, to order repeated wall-clock times. */
  private previous = Number.NEGATIVE_INFINITY;

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The zone's offset (ms, local − UTC) at a UTC instant. */
  offsetAt(utc: number): number {
    let year = 0;
    let month = 0;
    let day = 0;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of this.format.formatToParts(utc)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
      }
    }
    let local = Date.UTC(year, month - 1, day, hour, minute, second);
    if (year < 100) {
      const d = new Date(local);
      d.setUTCFullYear(year);
      local = d.getTime();
    }
    return local - Math.floor(utc / 1000) * 1000;
  }

  /**
   * UTC ms of a wall-clock time given as "local ms" (Date.UTC of the wall-clock fields). A time skipped by a DST
   * gap is read with the offset before the gap (02:30 on a spring-forward night is 03:30 after it); a repeated
   * time takes its earlier occurrence unless that is before the previous line's time.
   */
  toUtc(localMs: number): number {
    const second = Math.floor(localMs / 1000);
    const ms = localMs - second * 1000;
    if (second === this.lastSecond) return this.lastSecondUtc + ms;
    const hourKey = Math.floor(localMs / HOUR);
    let utc: number;
    const offset = this.hourOffsets.get(hourKey);
    if (offset !== undefined) {
      utc = second * 1000 - offset;
    } else {
      const resolved = this.resolve(second * 1000);
      utc = resolved.utc;
      if (!resolved.special) {
        const start = this.resolve(hourKey * HOUR);
        const end = this.resolve(hourKey * HOUR + HOUR - 1000);
        if (!start.special && !end.special && start.offset === end.offset) {
          if (this.hourOffsets.size > 100_000) this.hourOffsets.clear();
          this.hourOffsets.set(hourKey, start.offset);
        }
      }
    }
    this.lastSecond = second;
    this.lastSecondUtc = utc;
    this.previous = utc;
    return utc + ms;
  }

  /** Wall-clock fields to UTC ms (month 1–12). */
  fieldsToUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms = 0): number {
    return this.toUtc(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  }

  private resolve(local: number): { utc: number; offset: number; special: boolean } {
    const before = this.offsetAt(local - DAY);
    const after = this.offsetAt(local + DAY);
    if (before === after) {
      const utc = local - before;
      if (this.offsetAt(utc) === before) return { utc, offset: before, special: false };
    }
    const t1 = local - before;
    const t2 = local - after;
    const ok1 = this.offsetAt(t1) === before;
    const ok2 = this.offsetAt(t2) === after;
    if (ok1 && ok2 && t1 !== t2) {
      const [early, late] = t1 < t2 ? [t1, t2] : [t2, t1];
      const utc = early >= this.previous || late < this.previous ? early : late;
      return { utc, offset: local - utc, special: true };
    }
    if (ok1) return { utc: t1, offset: before, special: before !== after };
    if (ok2) return { utc: t2, offset: after, special: before !== after };
    return { utc: t1, offset: before, special: true };
  }
}

const MONTHS: Record<string, number> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

/** Month number (1–12) of an English three-letter month name at `text[at]`, or 0. */
export function monthAt(text: string, at: number): number {
  const c0 = text.charCodeAt(at);
  const c1 = text.charCodeAt(at + 1);
  const c2 = text.charCodeAt(at + 2);
  switch (c0) {
    case 74: // J
      if (c1 === 97 && c2 === 110) return 1; // Jan
      if (c1 === 117 && c2 === 110) return 6; // Jun
      if (c1 === 117 && c2 === 108) return 7; // Jul
      return 0;
    case 70: // F
      return c1 === 101 && c2 === 98 ? 2 : 0;
    case 77: // M
      if (c1 === 97 && c2 === 114) return 3;
      if (c1 === 97 && c2 === 121) return 5;
      return 0;
    case 65: // A
      if (c1 === 112 && c2 === 114) return 4;
      if (c1 === 117 && c2 === 103) return 8;
      return 0;
    case 83: // S
      return c1 === 101 && c2 === 112 ? 9 : 0;
    case 79: // O
      return c1 === 99 && c2 === 116 ? 10 : 0;
    case 78: // N
      return c1 === 111 && c2 === 118 ? 11 : 0;
    case 68: // D
      return c1 === 101 && c2 === 99 ? 12 : 0;
    default:
      return 0;
  }
}

export function monthNumber(name: string): number {
  return MONTHS[name] ?? 0;
}

/** Value of `count` decimal digits at `text[at]`, or -1 when one is not a digit. */
export function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const c = text.charCodeAt(at + i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Like `digits` for 2 characters, but the first may be a space (syslog's "Jan  2", MySQL's " 9:05:01"). */
export function spaceDigits2(text: string, at: number): number {
  const a = text.charCodeAt(at);
  const b = text.charCodeAt(at + 1) - 48;
  if (!(b >= 0 && b <= 9)) return -1;
  if (a === 32) return b;
  const ad = a - 48;
  if (!(ad >= 0 && ad <= 9)) return -1;
  return ad * 10 + b;
}

function validFields(month: number, day: number, hour: number, minute: number, second: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60;
}

export interface IsoParse {
  /** Characters consumed. */
  length: number;
  /** UTC ms. */
  time: number;
}

/**
 * Parses an ISO-8601-like date-time at `text[at]`: `YYYY-MM-DD[T ]HH:MM[:SS[.frac]]` then optionally `Z`,
 * `±HH:MM`, `±HHMM` or `±HH`. Also accepts `/` as the date separator. Without an offset the time is wall-clock in
 * `clock`'s zone. Returns null when there is no such time there.
 */
export function parseIsoAt(text: string, at: number, clock: ZonedClock, allowOffset = true): IsoParse | null {
  const year = digits(text, at, 4);
  if (year < 0) return null;
  const sep = text.charCodeAt(at + 4);
  if (sep !== 45 && sep !== 47) return null;
  const month = digits(text, at + 5, 2);
  if (text.charCodeAt(at + 7) !== sep) return null;
  const day = digits(text, at + 8, 2);
  const t = text.charCodeAt(at + 10);
  if (t !== 84 && t !== 32 && t !== 116) return null;
  const hour = digits(text, at + 11, 2);
  if (text.charCodeAt(at + 13) !== 58) return null;
  const minute = digits(text, at + 14, 2);
  let p = at + 16;
  let second = 0;
  let ms = 0;
  if (text.charCodeAt(p) === 58) {
    second = digits(text, p + 1, 2);
    if (second < 0) return null;
    p += 3;
    const dot = text.charCodeAt(p);
    if (dot === 46 || dot === 44) {
      p++;
      let scale = 100;
      let any = false;
      for (;;) {
        const c = text.charCodeAt(p) - 48;
        if (!(c >= 0 && c <= 9)) break;
        ms += c * scale;
        scale /= 10;
        any = true;
        p++;
      }
      if (!any) return null;
      ms = Math.floor(ms);
    }
  }
  if (!validFields(month, day, hour, minute, second)) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  if (allowOffset) {
    const z = text.charCodeAt(p);
    if (z === 90 || z === 122) return { length: p + 1 - at, time: local + ms };
    if (z === 43 || z === 45) {
      const oh = digits(text, p + 1, 2);
      if (oh >= 0) {
        let q = p + 3;
        let om = 0;
        if (text.charCodeAt(q) === 58) {
          om = digits(text, q + 1, 2);
          if (om < 0) return null;
          q += 3;
        } else {
          const m = digits(text, q, 2);
          if (m >= 0) {
            om = m;
            q += 2;
          }
        }
        if (oh > 18 || om > 59) return null;
        const sign = z === 43 ? 1 : -1;
        return { length: q - at, time: local - sign * (oh * 60 + om) * 60_000 + ms };
      }
    }
  }
  return { length: p - at, time: clock.toUtc(local) + ms };
}

/**
 * Reads a time from a loosely formatted value (JSON and CSV cells, bills): ISO 8601 with or without offset,
 * `YYYY/MM/DD HH:MM:SS`, `YYYY年MM月DD日 HH:MM:SS`, `YYYYMMDDHHMMSS`, epoch seconds / ms / µs / ns numbers,
 * or the same as digits in a string. Null when the value is not a recognisable time.
 */
export function parseLooseTime(value: unknown, clock: ZonedClock): number | null {
  if (typeof value === 'number') return epochToMs(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s.length === 0) return null;
  if (/^\d{9,19}(\.\d+)?$/.test(s) && !/^\d{14}$/.test(s) && !/^\d{8}$/.test(s)) return epochToMs(Number(s));
  const compact = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (compact) {
    const [, y, mo, d, h, mi, se] = compact.map(Number);
    if (!validFields(mo, d, h, mi, se)) return null;
    return clock.fieldsToUtc(y, mo, d, h, mi, se);
  }
  const cn = /^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})秒?)?)?$/.exec(s);
  if (cn) {
    const y = Number(cn[1]);
    const mo = Number(cn[2]);
    const d = Number(cn[3]);
    const h = Number(cn[4] ?? 0);
    const mi = Number(cn[5] ?? 0);
    const se = Number(cn[6] ?? 0);
    if (!validFields(mo, d, h, mi, se)) return null;
    return clock.fieldsToUtc(y, mo, d, h, mi, se);
  }
  // Pad one-digit fields (2024-1-2 3:04:05) to the ISO layout, then read it.
  const loose = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(:\d{2}(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(s);
  if (loose) {
    const iso = `${loose[1]}-${loose[3].padStart(2, '0')}-${loose[4].padStart(2, '0')}T${(loose[5] ?? '0').padStart(2, '0')}:${loose[6] ?? '00'}${loose[7] ?? ''}${loose[8] ?? ''}`;
    const parsed = parseIsoAt(iso, 0, clock);
    return parsed && parsed.length === iso.length ? parsed.time : null;
  }
  return null;
}

function epochToMs(n: number): number | null {
  if (!Number.isFinite(n) || n <= 0) return null;
  if (n < 1e11) return Math.round(n * 1000);
  if (n < 1e14) return Math.round(n);
  if (n < 1e17) return Math.round(n / 1000);
  if (n < 1e20) return Math.round(n / 1e6);
  return null;
}
