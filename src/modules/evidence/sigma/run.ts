import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/types.js';
import { compileRule, type CompiledRule, type CompileOptions } from './compile.js';
import { RuleError, type RuleHit, type SigmaRule } from './types.js';

export interface RunOptions extends CompileOptions {
  /** Event ids returned per hit (the count has the total). Default 1000. */
  maxEventIds?: number;
  /** Per-rule statement timeout on PostgreSQL, in ms. Default 30 000. PGlite cannot interrupt a statement. */
  timeoutMs?: number;
  /** Further rules correlations may refer to (e.g. the bundled ones), not run themselves. */
  ruleSet?: SigmaRule[];
}

export interface RuleRunError {
  ruleId: string;
  title: string;
  error: RuleError;
}

export interface RuleRunReport {
  hits: RuleHit[];
  errors: RuleRunError[];
  /** Wall time of each rule run, in ms. */
  timings: { ruleId: string; name?: string; ms: number }[];
}

/**
 * The rules that produce hits of their own: all but those a correlation of the set refers to (unless that
 * correlation says `generate: true`), as the Sigma correlation specification asks.
 */
export function rulesToRun(rules: SigmaRule[]): SigmaRule[] {
  const referenced = new Set<string>();
  for (const r of rules) {
    if (!r.correlation || r.correlation.generate) continue;
    for (const ref of r.correlation.rules) {
      const target = rules.find((x) => x.id === ref) ?? rules.find((x) => x.name === ref);
      if (target) referenced.add(target.id);
    }
  }
  return rules.filter((r) => !referenced.has(r.id));
}

interface HitRow {
  g: Record<string, unknown> | null;
  n: string | number | bigint;
  first_time: Date | string | null;
  last_time: Date | string | null;
  ids: (string | number | bigint)[] | string | null;
}

const iso = (t: Date | string | null) => (t === null ? null : new Date(t).toISOString());

function parseIds(ids: HitRow['ids']): number[] {
  if (ids === null) return [];
  if (typeof ids === 'string') return ids.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number);
  return ids.map((x) => Number(x));
}

function toHit(rule: SigmaRule, row: HitRow): RuleHit {
  const hit: RuleHit = {
    ruleId: rule.id,
    name: rule.name,
    title: rule.title,
    level: rule.level,
    tags: rule.tags,
    author: rule.author,
    count: Number(row.n),
    firstTime: iso(row.first_time),
    lastTime: iso(row.last_time),
    eventIds: parseIds(row.ids),
  };
  if (row.g) hit.groupKey = Object.fromEntries(Object.entries(row.g).map(([k, v]) => [k, String(v)]));
  return hit;
}

function isQueryCanceled(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '57014' || e?.cause?.code === '57014';
}

/** Runs one compiled query in its own transaction, with a statement timeout (PostgreSQL). */
async function runQuery(db: Db, rule: SigmaRule, query: SQL, timeoutMs: number): Promise<HitRow[]> {
  try {
    return await db.transaction(async (tx) => {
      // JIT compiling a rule's many predicates costs more than it saves on these scans.
      await tx.execute(sql`select set_config('statement_timeout', ${String(Math.max(1, Math.round(timeoutMs)))}, true), set_config('jit', 'off', true)`);
      const result = (await tx.execute(query)) as unknown as { rows: HitRow[] };
      return result.rows;
    });
  } catch (err) {
    if (isQueryCanceled(err)) {
      throw new RuleError('rule_timeout', `Rule "${rule.title}" took longer than ${timeoutMs / 1000} s`, { rule: rule.title, seconds: timeoutMs / 1000 });
    }
    const e = err as { message?: string; cause?: { message?: string } };
    const reason = e?.cause?.message ?? e?.message ?? String(err);
    throw new RuleError('rule_failed', `Rule "${rule.title}" failed: ${reason}`, { rule: rule.title, reason });
  }
}

/**
 * Runs rules over an incident's events and reports hits, errors and timings; a failing rule does not stop
 * the others.
 */
export async function runRulesReport(db: Db, incidentId: string, rules: SigmaRule[], options: RunOptions = {}): Promise<RuleRunReport> {
  const cap = options.maxEventIds ?? 1000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const ruleSet = [...rules, ...(options.ruleSet ?? []).filter((r) => !rules.some((x) => x.id === r.id))];
  const report: RuleRunReport = { hits: [], errors: [], timings: [] };
  for (const rule of rulesToRun(rules)) {
    const started = performance.now();
    try {
      const compiled: CompiledRule = compileRule(rule, ruleSet, options);
      const rows = await runQuery(db, rule, compiled.query(incidentId, cap), timeoutMs);
      for (const row of rows) report.hits.push(toHit(rule, row));
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      report.errors.push({ ruleId: rule.id, title: rule.title, error: err });
    }
    report.timings.push({ ruleId: rule.id, name: rule.name, ms: performance.now() - started });
  }
  return report;
}

/**
 * Runs rules over an incident's events and returns their hits (one per detection rule with matches, one per
 * group and window for a correlation). Throws the first rule's error (RuleError rule_invalid,
 * rule_field_unknown, rule_unsupported, rule_timeout or rule_failed); runRulesReport collects them instead.
 */
export async function runRules(db: Db, incidentId: string, rules: SigmaRule[], options: RunOptions = {}): Promise<RuleHit[]> {
  const report = await runRulesReport(db, incidentId, rules, options);
  if (report.errors.length) throw report.errors[0].error;
  return report.hits;
}
