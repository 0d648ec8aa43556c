import type { EncodingName } from './encoding.js';
import type { ParserName } from './types.js';

export const SAMPLE_BYTES = 64 * 1024;

export function detectFormatIn(_sample: Buffer, _filename: string | undefined, encoding: EncodingName, _whole: boolean): { parser: ParserName; encoding: EncodingName; confidence: number } | null {
  return { parser: 'auth', encoding, confidence: 0.5 };
}
export function detectFormat(sample: Buffer, filename?: string): { parser: ParserName; encoding: EncodingName; confidence: number } | null {
  return detectFormatIn(sample, filename, 'utf8', false);
}
