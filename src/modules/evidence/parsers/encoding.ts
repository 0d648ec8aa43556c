/**
 * Character encodings of evidence files: UTF-8, GBK and GB18030 (Chinese Windows exports and payment bills), and
 * telling text from binary.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export type EncodingName = 'utf8' | 'gbk' | 'gb18030';

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
export const GB18030_BOM = Buffer.from([0x84, 0x31, 0x95, 0x33]);

/** Length of a byte-order mark at the start of `bytes` that names `encoding` (0 when none). */
export function bomLength(bytes: Buffer, encoding: EncodingName): number {
  if (encoding === 'utf8' && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 3;
  if (encoding === 'gb18030' && bytes.length >= 4 && bytes.subarray(0, 4).equals(GB18030_BOM)) return 4;
  return 0;
}

/** Share of bytes that no text log contains: NUL and C0 controls other than tab, LF, VT, FF, CR and ESC, and DEL. */
export function binaryShare(sample: Buffer): number {
  if (sample.length === 0) return 0;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i];
    if ((b < 0x20 && b !== 9 && b !== 10 && b !== 11 && b !== 12 && b !== 13 && b !== 27) || b === 0x7f) bad++;
  }
  return bad / sample.length;
}

/** More than this share of control bytes in the first 64 KiB: not a text file. */
export const BINARY_THRESHOLD = 0.1;

/** Decodes `bytes` as GB18030 (gbk when asked), or returns null when some bytes are not valid there. */
export function decodeGb(bytes: Buffer, encoding: 'gbk' | 'gb18030'): string | null {
  const text = iconv.decode(bytes, encoding);
  if (text.indexOf('\ufffd') >= 0 && !containsEncodedReplacement(bytes, encoding)) return null;
  return text;
}

/** U+FFFD is a character GB18030 can encode (84 31 A4 37): only then may it appear in a clean decode. */
function containsEncodedReplacement(bytes: Buffer, encoding: 'gbk' | 'gb18030'): boolean {
  return encoding === 'gb18030' && bytes.indexOf(Buffer.from([0x84, 0x31, 0xa4, 0x37])) >= 0 && iconv.encode(iconv.decode(bytes, encoding), encoding).equals(bytes);
}

/** Decodes one line's bytes, or returns null when they are not valid in `encoding`. */
export function decodeLine(bytes: Buffer, encoding: EncodingName): string | null {
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (encoding === 'utf8') return isUtf8(bytes) ? bytes.toString('utf8') : null;
  return decodeGb(bytes, encoding);
}

/** Byte offset of the first byte that is not valid in `encoding` (from the start of `bytes`), or -1. */
export function firstInvalidByte(bytes: Buffer, encoding: EncodingName): number {
  if (isAscii(bytes)) return -1;
  if (encoding === 'utf8') {
    return isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
  }
  let offset = 0;
  for (let i = 0; i < bytes.length; ) {
    const nl = bytes.indexOf(10, i);
    const end = nl < 0 ? bytes.length : nl;
    if (decodeGb(bytes.subarray(i, end), encoding) === null) return offset;
    i = end + 1;
    offset = i;
  }
  return -1;
}

/** `bytes` without an incomplete UTF-8 sequence at its end (a sample cut in the middle of a character). */
export function trimIncompleteUtf8(bytes: Buffer): Buffer {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > back ? bytes.subarray(0, n - back) : bytes;
    }
    return bytes;
  }
  return bytes;
}

/** `bytes` cut after its last newline when it has one (a sample cut in the middle of a line). */
export function completeLines(bytes: Buffer): Buffer {
  const nl = bytes.lastIndexOf(10);
  return nl < 0 ? bytes : bytes.subarray(0, nl + 1);
}

/**
 * Guesses the encoding of a sample: a byte-order mark, else valid UTF-8, else GB18030 when it decodes cleanly
 * (GBK is part of GB18030). Null when neither fits. `whole` says the sample is the whole file (not cut).
 */
export function detectEncoding(sample: Buffer, whole: boolean): EncodingName | null {
  if (bomLength(sample, 'utf8')) return 'utf8';
  if (bomLength(sample, 'gb18030')) return 'gb18030';
  const lines = whole ? sample : completeLines(sample);
  const body = lines.length === sample.length && !whole ? trimIncompleteUtf8(sample) : lines;
  if (isAscii(body) || isUtf8(body)) return 'utf8';
  const gbBody = lines.length === sample.length && !whole ? trimIncompleteGb(sample) : lines;
  if (decodeGb(gbBody, 'gb18030') !== null) return 'gb18030';
  return null;
}

/** `bytes` without a GB18030 lead byte (or 4-byte sequence start) cut at its end. */
export function trimIncompleteGb(bytes: Buffer): Buffer {
  for (let back = 0; back <= 3 && back < bytes.length; back++) {
    const candidate = bytes.subarray(0, bytes.length - back);
    if (decodeGb(candidate, 'gb18030') !== null) return candidate;
  }
  return bytes;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (for error messages). */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (need === 0 || i + need > bytes.length || !isUtf8(bytes.subarray(i, i + need))) return i;
    i += need;
  }
  return -1;
}
