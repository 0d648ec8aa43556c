import { ValidationError } from '../../../errors.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Wall-clock fields of an instant in one time zone. */
export interface LocalTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  /** 0 = Sunday */
  weekday: number;
  /** Minutes east of UTC (480 for Asia/Shanghai). */
  offsetMinutes: number;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * One IANA time zone: wall-clock fields of an instant, the instant of a wall-clock time, and the log-format
 * timestamps the generators write. Offsets are cached per quarter hour (zone transitions fall on them).
 */
export class Zone {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    try {
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
    } catch {
      throw new ValidationError('trace_time_zone_invalid', `Unknown time zone ${timeZone}`, { timeZone });
    }
  }

  /** Minutes east of UTC at that instant. */
  offsetMinutes(ms: number): number {
    const bucket = Math.floor(ms / (15 * MINUTE));
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const at = bucket * 15 * MINUTE;
      const p: Record<string, number> = {};
      for (const part of this.format.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
      offset = Math.round((wall - at) / MINUTE);
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  local(ms: number): LocalTime {
    const offsetMinutes = this.offsetMinutes(ms);
    const d = new Date(ms + offsetMinutes * MINUTE);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      millis: d.getUTCMilliseconds(),
      weekday: d.getUTCDay(),
      offsetMinutes,
    };
  }

  /** The instant of a wall-clock time in this zone (month 1–12; values out of range roll over like Date.UTC). */
  instant(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millis = 0): number {
    const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
    let guess = wall - this.offsetMinutes(wall) * MINUTE;
    guess = wall - this.offsetMinutes(guess) * MINUTE;
    return guess;
  }

  /** Local midnight of the day `ms` falls in, moved by `days`. */
  dayStart(ms: number, days = 0): number {
    const l = this.local(ms);
    return this.instant(l.year, l.month, l.day + days);
  }

  /** `Apr 17 23:41:07` (RFC 3164; the day padded with a space). */
  syslog(ms: number): string {
    const l = this.local(ms);
    return `${MONTHS[l.month - 1]} ${String(l.day).padStart(2, ' ')} ${pad2(l.hour)}:${pad2(l.minute)}:${pad2(l.second)}`;
  }

  /** `17/Apr/2020:23:45:01 +0800` (nginx $time_local). */
  nginx(ms: number): string {
    const l = this.local(ms);
    const sign = l.offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(l.offsetMinutes);
    return `${pad2(l.day)}/${MONTHS[l.month - 1]}/${l.year}:${pad2(l.hour)}:${pad2(l.minute)}:${pad2(l.second)} ${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`;
  }

  /** `2020-04-18T08:52:10+08:00` (ISO 8601, local time with offset, whole seconds). */
  isoLocal(ms: number): string {
    const l = this.local(ms);
    const sign = l.offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(l.offsetMinutes);
    return `${l.year}-${pad2(l.month)}-${pad2(l.day)}T${pad2(l.hour)}:${pad2(l.minute)}:${pad2(l.second)}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  }

  /** `2020-04-17 23:52:10` (local, as in WeChat Pay bills). */
  plain(ms: number): string {
    const l = this.local(ms);
    return `${l.year}-${pad2(l.month)}-${pad2(l.day)} ${pad2(l.hour)}:${pad2(l.minute)}:${pad2(l.second)}`;
  }

  /** `20200417` */
  compactDate(ms: number): string {
    const l = this.local(ms);
    return `${l.year}${pad2(l.month)}${pad2(l.day)}`;
  }
}

let lastSecond = Number.NaN;
let lastPrefix = '';

/** `2020-04-17T15:41:09.123456Z` (MySQL 5.7 log_timestamps=UTC); `micros` adds the digits below the millisecond. */
export function isoUtcMicros(ms: number, micros: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  return `${lastPrefix}.${String(ms - second * 1000).padStart(3, '0')}${String(micros).padStart(3, '0')}Z`;
}
