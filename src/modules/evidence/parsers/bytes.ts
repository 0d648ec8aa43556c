/**
 * Byte-level matchers for the hot path (syslog / auth.log). The engine hands the syslog parser the line's bytes
 * beside its text, index for index (an ASCII run decoded as latin1); reading a Uint8Array element is several times
 * cheaper than String.prototype.charCodeAt on a string of unknown representation, and
 * `String.prototype.startsWith(s, position)` allocates a substring in V8. Values are still cut from the text.
 */
import { isIPv6 } from 'node:net';

export type Bytes = Uint8Array;

/** A literal as bytes (ASCII). */
export function lit(s: string): Bytes {
  return Buffer.from(s, 'latin1');
}

/** True when b has `l` at `at` (and within `end`). */
export function bAt(b: Bytes, at: number, end: number, l: Bytes): boolean {
  const n = l.length;
  if (at + n > end) return false;
  for (let i = 0; i < n; i++) if (b[at + i] !== l[i]) return false;
  return true;
}

/** Index of the first `code` in b[from, to), or -1. */
export function bIndexOf(b: Bytes, code: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (b[i] === code) return i;
  return -1;
}

/** Index of the last `code` in b[from, to), or -1. */
export function bLastIndexOf(b: Bytes, code: number, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (b[i] === code) return i;
  return -1;
}

/**
 * Index of the first `l` lying wholly inside b[from, to), or -1. Literals like " port " start with a space, which
 * is everywhere in a log line: the scan looks for their second byte instead.
 */
export function bFind(b: Bytes, l: Bytes, from: number, to: number): number {
  const n = l.length;
  const k = n > 1 && l[0] === 32 ? 1 : 0;
  const anchor = l[k];
  for (let i = from + k; i <= to - n + k; i++) {
    if (b[i] !== anchor) continue;
    const s = i - k;
    let j = 0;
    while (j < n && b[s + j] === l[j]) j++;
    if (j === n) return s;
  }
  return -1;
}

/** Index of the last `l` lying wholly inside b[from, to), or -1 (anchored like bFind). */
export function bFindLast(b: Bytes, l: Bytes, from: number, to: number): number {
  const n = l.length;
  const k = n > 1 && l[0] === 32 ? 1 : 0;
  const anchor = l[k];
  for (let i = to - n + k; i >= from + k; i--) {
    if (b[i] !== anchor) continue;
    const s = i - k;
    let j = 0;
    while (j < n && b[s + j] === l[j]) j++;
    if (j === n) return s;
  }
  return -1;
}

/** Value of `count` decimal digits at b[at], or -1. */
export function bDigits(b: Bytes, at: number, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) {
    const c = b[at + i] - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Value of the decimal digits starting at b[at] (up to 9 of them) and where they end: -1 when none. */
export let numberEnd = 0;
export function bNumber(b: Bytes, at: number, end: number): number {
  let n = 0;
  let i = at;
  const stop = Math.min(end, at + 9);
  while (i < stop) {
    const c = b[i] - 48;
    if (!(c >= 0 && c <= 9)) break;
    n = n * 10 + c;
    i++;
  }
  numberEnd = i;
  return i > at ? n : -1;
}

/** True when b[start, end) is a dotted-quad IPv4 address (no leading zeros). */
export function bIsIPv4(b: Bytes, start: number, end: number): boolean {
  let parts = 0;
  let value = 0;
  let digitsInPart = 0;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === 46) {
      if (digitsInPart === 0) return false;
      parts++;
      value = 0;
      digitsInPart = 0;
      continue;
    }
    const d = c - 48;
    if (!(d >= 0 && d <= 9)) return false;
    if (digitsInPart > 0 && value === 0) return false;
    value = value * 10 + d;
    if (value > 255 || ++digitsInPart > 3) return false;
  }
  return parts === 3 && digitsInPart > 0;
}

/** The address at text[start, end) when it is a valid IPv4 or IPv6 address (no zone id), else null. */
export function bIp(b: Bytes, text: string, start: number, end: number): string | null {
  if (end <= start) return null;
  const c = b[start];
  if (c >= 48 && c <= 57 && bIsIPv4(b, start, end)) return text.slice(start, end);
  if (end - start > 45 || end - start < 2) return null;
  if (bIndexOf(b, 58, start, end) < 0 || bIndexOf(b, 37, start, end) >= 0) return null;
  const s = text.slice(start, end);
  return isIPv6(s) ? s : null;
}

/** Month (1–12) of an English three-letter month name at b[at], or 0. */
export function bMonth(b: Bytes, at: number): number {
  const c1 = b[at + 1];
  const c2 = b[at + 2];
  switch (b[at]) {
    case 74: // J
      if (c1 === 97 && c2 === 110) return 1;
      if (c1 === 117 && c2 === 110) return 6;
      if (c1 === 117 && c2 === 108) return 7;
      return 0;
    case 70:
      return c1 === 101 && c2 === 98 ? 2 : 0;
    case 77:
      if (c1 === 97 && c2 === 114) return 3;
      if (c1 === 97 && c2 === 121) return 5;
      return 0;
    case 65:
      if (c1 === 112 && c2 === 114) return 4;
      if (c1 === 117 && c2 === 103) return 8;
      return 0;
    case 83:
      return c1 === 101 && c2 === 112 ? 9 : 0;
    case 79:
      return c1 === 99 && c2 === 116 ? 10 : 0;
    case 78:
      return c1 === 111 && c2 === 118 ? 11 : 0;
    case 68:
      return c1 === 101 && c2 === 99 ? 12 : 0;
    default:
      return 0;
  }
}

/**
 * Bytes standing for a decoded line, index for index: char codes above 255 become 255 (no matcher looks for them).
 * Reuses one buffer.
 */
export class CodeScratch {
  private buf = Buffer.allocUnsafe(1024);
  of(text: string, start: number, end: number): Bytes {
    if (this.buf.length < end) this.buf = Buffer.allocUnsafe(Math.max(end, this.buf.length * 2));
    const b = this.buf;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      b[i] = c > 255 ? 255 : c;
    }
    return b;
  }
}
