/**
 * An application's operation log as JSON Lines, the way a Java back office writes it with Jackson:
 * keys in declaration order, money as a BigDecimal with two decimals (`"amount":5000.00`), no spaces.
 */
import type { LogFile } from '../bundle.js';
import type { Zone } from '../clock.js';

/** A money value, written with exactly two decimals. */
export class Money {
  constructor(readonly yuan: number) {}
  toJSON(): string {
    return this.yuan.toFixed(2);
  }
}

export type JsonValue = string | number | boolean | null | Money;

function encode(value: JsonValue): string {
  if (value instanceof Money) return value.yuan.toFixed(2);
  return JSON.stringify(value);
}

export class JsonLog {
  constructor(
    readonly file: LogFile,
    private readonly zone: Zone,
  ) {}

  /** Writes `{"time":"…+08:00", …fields}`; fields whose value is undefined are left out. */
  write(t: number, fields: Record<string, JsonValue | undefined>, step?: string): void {
    const parts = [`"time":${JSON.stringify(this.zone.isoLocal(t))}`];
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) parts.push(`${JSON.stringify(k)}:${encode(v)}`);
    this.file.add(t, `{${parts.join(',')}}`, step);
  }
}
