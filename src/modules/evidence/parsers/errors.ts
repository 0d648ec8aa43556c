/** The whole-file errors of the parsers: stable codes, messages translated from src/i18n/messages.ts. */
import { ValidationError } from '../../../errors.js';

export function evidenceEmpty(): ValidationError {
  return new ValidationError('evidence_empty', 'The evidence file is empty (0 bytes)');
}

/** Not a text file: `share` is the percentage of control bytes in its first 64 KiB. */
export function formatBinary(share: number, tried: readonly string[]): ValidationError {
  return new ValidationError('evidence_format_unknown', `The file is binary (${share}% control bytes), not a text log or bill`, { context: 'binary', share, tried: tried.join(', ') }, { reason: 'binary', share, tried: [...tried] });
}

/** No parser recognises the lines. */
export function formatUnknown(tried: readonly string[]): ValidationError {
  return new ValidationError('evidence_format_unknown', `No parser recognises the file (tried ${tried.join(', ')})`, { tried: tried.join(', ') }, { reason: 'no_match', tried: [...tried] });
}

export function encodingInvalid(encoding: string, offset: number, tried: readonly string[] = [encoding]): ValidationError {
  return new ValidationError(
    'evidence_encoding_invalid',
    `The file is not valid ${tried.join(' or ')} (first invalid byte at offset ${offset})`,
    { encoding: tried.join(', '), offset },
    { tried: [...tried], offset },
  );
}

export function csvMissingColumn(column: string, key: string, header: readonly string[]): ValidationError {
  return new ValidationError('evidence_csv_missing_column', `The CSV has no column "${column}" (mapped to ${key})`, { column, key }, { column, key, header: [...header] });
}

export function timeZoneInvalid(timeZone: string): ValidationError {
  return new ValidationError('evidence_time_zone_invalid', `Unknown time zone ${timeZone}`, { timeZone });
}
