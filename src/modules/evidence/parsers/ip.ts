import { isIPv6 } from 'node:net';

/** True when text[start, end) is a dotted-quad IPv4 address. */
export function isIPv4At(text: string, start: number, end: number): boolean {
  let parts = 0;
  let value = 0;
  let digitsInPart = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digitsInPart === 0) return false;
      parts++;
      value = 0;
      digitsInPart = 0;
      continue;
    }
    const d = c - 48;
    if (!(d >= 0 && d <= 9)) return false;
    if (digitsInPart > 0 && value === 0) return false; // no leading zeros (PostgreSQL inet rejects octal-looking parts)
    value = value * 10 + d;
    if (value > 255 || ++digitsInPart > 3) return false;
  }
  return parts === 3 && digitsInPart > 0;
}

/**
 * The address when text[start, end) is a valid IPv4 or IPv6 address (what an inet column accepts), else null.
 * IPv6 zone ids (fe80::1%eth0) are not accepted.
 */
export function ipAt(text: string, start: number, end: number): string | null {
  if (end <= start) return null;
  const c = text.charCodeAt(start);
  if (c >= 48 && c <= 57 && isIPv4At(text, start, end)) return text.slice(start, end);
  if (end - start > 45) return null;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 58) {
      const s = text.slice(start, end);
      return isIPv6(s) && !s.includes('%') ? s : null;
    }
  }
  return null;
}

/** `s` when it is a valid IP address, else null. */
export function asIp(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = s.trim();
  // [::1] and 1.2.3.4:5678 forms
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    return close > 0 ? ipAt(t, 1, close) : null;
  }
  const direct = ipAt(t, 0, t.length);
  if (direct) return direct;
  const colon = t.lastIndexOf(':');
  if (colon > 0 && t.indexOf(':') === colon) return ipAt(t, 0, colon);
  return null;
}
