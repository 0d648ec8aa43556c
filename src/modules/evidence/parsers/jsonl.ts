/**
 * JSON Lines: one JSON object per line (application logs, ECS, cloud audit exports). Nested objects are flattened
 * to dotted keys (`event.type`), arrays kept as JSON text; common keys are mapped by record-map.ts.
 */
import type { FieldValue } from '../event.js';
import { recordToEvent, resolveKeys, type CanonicalKey } from './record-map.js';
import type { FormatParser, ParserContext } from './types.js';

const MAX_KEYS = 500;

/** Flattens a JSON object to dotted keys with scalar values (arrays as JSON text). */
export function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, FieldValue> = {}, depth = 0): Record<string, FieldValue> {
  for (const [k, v] of Object.entries(value)) {
    if (Object.keys(out).length >= MAX_KEYS) break;
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') out[key] = v;
    else if (typeof v === 'number') out[key] = Number.isFinite(v) ? v : String(v);
    else if (Array.isArray(v)) out[key] = v.length === 1 && (typeof v[0] === 'string' || typeof v[0] === 'number') ? v[0] : JSON.stringify(v);
    else if (typeof v === 'object' && depth < 8) flatten(v as Record<string, unknown>, key, out, depth + 1);
    else out[key] = JSON.stringify(v);
  }
  return out;
}

export class JsonlParser implements FormatParser {
  private readonly keyCache = new Map<string, Partial<Record<CanonicalKey, string>>>();

  constructor(private readonly ctx: ParserContext) {}

  line(text: string, start: number, end: number, lineNo: number, offset: number, length: number): void {
    const s = (start === 0 && end === text.length ? text : text.slice(start, end)).trim();
    if (s.length === 0) {
      this.ctx.sink.skip(1);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch {
      this.ctx.sink.unparsed(lineNo, 1);
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.ctx.sink.unparsed(lineNo, 1);
      return;
    }
    const record = flatten(value as Record<string, unknown>);
    const names = Object.keys(record);
    const signature = names.join('\u0000');
    let keys = this.keyCache.get(signature);
    if (keys === undefined) {
      keys = resolveKeys(names);
      if (this.keyCache.size > 1000) this.keyCache.clear();
      this.keyCache.set(signature, keys);
    }
    this.ctx.sink.emit(recordToEvent(record, keys, 'json', this.ctx.clock, s, lineNo, offset, length));
  }

  broken(lineNo: number): void {
    this.ctx.sink.unparsed(lineNo, 1);
  }

  finish(): void {}
}
