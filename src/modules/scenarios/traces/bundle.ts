import iconv from 'iconv-lite';
import type { Zone } from './clock.js';
import type { Random } from './random.js';
import type { AttackerLine, Localized, TraceFile, TraceParser } from './types.js';

/** One record of a file before it is laid out: its time orders it, `step` marks the attacker's. */
export interface Entry {
  t: number;
  seq: number;
  text: string;
  step?: string;
  /** Values the file's summary rows need (bill amounts). */
  data?: Record<string, number>;
}

export interface LogFileSpec {
  name: string;
  parser: TraceParser;
  host: string;
  description: Localized;
  encoding?: 'utf8' | 'gbk';
  eol?: '\n' | '\r\n';
  /** Lines before the records (a MySQL log's start banner, a bill's header row). */
  preamble?: string[];
  /** Lines after the records, computed from them (a bill's summary rows). */
  postamble?: (entries: Entry[]) => string[];
}

/** A file under construction: records in any order, laid out by time (ties keep the order they were added). */
export class LogFile {
  readonly entries: Entry[] = [];

  constructor(
    readonly spec: LogFileSpec,
    private readonly counter: { seq: number },
  ) {}

  add(t: number, text: string, step?: string, data?: Record<string, number>): void {
    this.entries.push({ t, seq: this.counter.seq++, text, step, data });
  }
}

/** Process ids of one machine: they only grow, by small random steps, like a busy Linux box's. */
export class PidCounter {
  constructor(
    private current: number,
    private readonly rng: Random,
  ) {}

  next(maxStep = 30): number {
    this.current += this.rng.int(1, maxStep);
    if (this.current > 32_000) this.current = 300 + (this.current % 1000);
    return this.current;
  }
}

interface Activity {
  t: number;
  seq: number;
  run: () => void;
}

/**
 * Builds an evidence bundle. Generators schedule activities (`at`); `run` executes them in time order, so
 * counters that real systems hand out in time order (process ids, MySQL thread ids, session numbers) grow
 * with time. Records outside the coverage period are dropped, as an export taken at `coverage.to` would be.
 */
export class BundleBuilder {
  private readonly files: LogFile[] = [];
  private readonly activities: Activity[] = [];
  private readonly finalizers: Array<() => void> = [];
  private readonly counter = { seq: 0 };

  constructor(
    readonly zone: Zone,
    readonly coverage: { from: number; to: number },
  ) {}

  file(spec: LogFileSpec): LogFile {
    const f = new LogFile(spec, this.counter);
    this.files.push(f);
    return f;
  }

  /** Schedules work that writes records starting at `t`. */
  at(t: number, run: () => void): void {
    this.activities.push({ t, seq: this.counter.seq++, run });
  }

  /** Work to do once every activity has run (writing a bill whose running balance needs all the rows). */
  finally(run: () => void): void {
    this.finalizers.push(run);
  }

  inCoverage(t: number): boolean {
    return t >= this.coverage.from && t <= this.coverage.to;
  }

  run(): void {
    const list = this.activities.splice(0).sort((a, b) => a.t - b.t || a.seq - b.seq);
    for (const a of list) a.run();
    if (this.activities.length > 0) this.run();
  }

  /** Lays out every file and lists where the attacker's records ended up. */
  build(): { files: TraceFile[]; attackerLines: AttackerLine[] } {
    this.run();
    for (const f of this.finalizers.splice(0)) f();
    const attackerLines: AttackerLine[] = [];
    const files = this.files.map((f) => {
      const spec = f.spec;
      const entries = f.entries.filter((e) => this.inCoverage(e.t)).sort((a, b) => a.t - b.t || a.seq - b.seq);
      const lines = [...(spec.preamble ?? [])];
      for (const e of entries) {
        lines.push(e.text);
        if (e.step) attackerLines.push({ file: spec.name, lineNo: lines.length, step: e.step });
      }
      lines.push(...(spec.postamble?.(entries) ?? []));
      const eol = spec.eol ?? '\n';
      const text = lines.length ? lines.join(eol) + eol : '';
      const encoding = spec.encoding ?? 'utf8';
      const content = encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
      return { name: spec.name, parser: spec.parser, encoding, host: spec.host, description: spec.description, content } satisfies TraceFile;
    });
    return { files, attackerLines };
  }
}
