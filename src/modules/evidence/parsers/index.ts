/**
 * Evidence parsers: turn log files and bills into normalized events (../event.ts).
 *
 *   const parser = createEventParser({ parser: 'auto', encoding: 'auto', timeZone: 'Asia/Shanghai', year: 2024 });
 *   for await (const chunk of stream) store(parser.push(chunk));
 *   store(parser.end());
 *   const report = parser.report();
 */
import { Engine } from './engine.js';
import type { EventParser, ParseOptions } from './types.js';

export { PARSER_NAMES, CSV_KEYS } from './types.js';
export type { CsvKey, EncodingName, EventParser, ParseOptions, ParseReport, ParserName } from './types.js';
export { detectFormat } from './detect.js';

/**
 * A streaming parser for one evidence file. With `parser: 'auto'` or `encoding: 'auto'` it reads the first 64 KiB
 * (or the whole file when shorter) before deciding. Throws ValidationError `evidence_time_zone_invalid` at once;
 * `push`/`end` throw `evidence_empty`, `evidence_format_unknown`, `evidence_encoding_invalid` and
 * `evidence_csv_missing_column` for files that cannot be parsed at all. Lines that do not parse are counted in the
 * report with their numbers, never dropped silently.
 */
export function createEventParser(options: ParseOptions): EventParser {
  return new Engine(options);
}
