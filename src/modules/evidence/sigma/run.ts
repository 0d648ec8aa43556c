import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/types.js';
import { isPostgres } from '../event-loader.js';
import { compileRule, detectionParts, findRule, type CompiledRule, type CompileOptions, type DetectionParts } from './compile.js';
import { RuleError, type RuleHit, type SigmaRule } from './types.js';

export interface RunOptions extends CompileOptions {
  /** Event ids returned per hit (the count has the total). Default 1000. */
  maxEventIds?: number;
  /** Per-rule statement timeout on PostgreSQL, in ms. Default 30 000. PGlite cannot interrupt a statement. */
  timeoutMs?: number;
  /** Further rules correlations may refer to (e.g. the bundled ones), not run themselves. */
  ruleSet?: SigmaRule[];
  /**
   * Evaluate every detection predicate of the set in one shared scan of the incident's events, then run each
   * rule over the few rows that scan kept (docs/decisions/0015-shared-rule-scan.md); false runs each rule over all
   * the events on its own. The findings are the same either way. Default: true on PostgreSQL, where it is faster;
   * false on PGlite, where it measured no faster and would hold the one connection for the whole set.
   */
  combined?: boolean;
}

export interface RuleRunError {
  ruleId: string;
  title: string;
  error: RuleError;
}

export interface RuleRunReport {
  hits: RuleHit[];
  errors: RuleRunError[];
  /** Wall time of each rule run, in ms (with the shared scan: the rule's own query, the scan not included). */
  timings: { ruleId: string; name?: string; ms: number }[];
  /** The shared scan, when it ran: its time, the rows it kept, the detection rules it evaluated; or why not. */
  scan?: { ms: number; rows: number; predicates: number } | { skipped: string };
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

/** Sets the statement timeout (PostgreSQL) and switches JIT off for the rest of transaction `tx`. */
async function limitStatements(tx: Db, timeoutMs: number): Promise<void> {
  // JIT compiling a rule's many predicates costs more than it saves on these scans.
  await tx.execute(sql`select set_config('statement_timeout', ${String(Math.max(1, Math.round(timeoutMs)))}, true), set_config('jit', 'off', true)`);
}

function ruleFailure(rule: SigmaRule, err: unknown, timeoutMs: number): RuleError {
  if (isQueryCanceled(err)) {
    return new RuleError('rule_timeout', `Rule "${rule.title}" took longer than ${timeoutMs / 1000} s`, { rule: rule.title, seconds: timeoutMs / 1000 });
  }
  const e = err as { message?: string; cause?: { message?: string } };
  const reason = e?.cause?.message ?? e?.message ?? String(err);
  return new RuleError('rule_failed', `Rule "${rule.title}" failed: ${reason}`, { rule: rule.title, reason });
}

/** Runs one compiled query in its own transaction, with a statement timeout (PostgreSQL). */
async function runQuery(db: Db, rule: SigmaRule, query: SQL, timeoutMs: number): Promise<HitRow[]> {
  try {
    return await db.transaction(async (tx) => {
      await limitStatements(tx, timeoutMs);
      const result = (await tx.execute(query)) as unknown as { rows: HitRow[] };
      return result.rows;
    });
  } catch (err) {
    throw ruleFailure(rule, err, timeoutMs);
  }
}

const SCAN_TABLE = 'firedrill_rule_scan';

/** The detection rules whose predicates `rule` needs: itself, or those its correlation refers to (recursively). */
function detectionRulesOf(rule: SigmaRule, ruleSet: SigmaRule[], out: Set<SigmaRule>, seen = new Set<string>()): void {
  if (seen.has(rule.id)) return;
  seen.add(rule.id);
  if (rule.detection) {
    out.add(rule);
    return;
  }
  for (const ref of rule.correlation?.rules ?? []) {
    const target = findRule(ruleSet, ref);
    if (target) detectionRulesOf(target, ruleSet, out, seen);
  }
}

interface SharedResult {
  rows: HitRow[];
  ms: number;
}

/**
 * The shared scan: one transaction computes every detection predicate the rules need in a single pass over the
 * incident's events into a temporary table of the rows that match at least one (with a boolean column per
 * predicate), then runs each rule's query over that table. Returns each rule's rows, leaving out rules whose query
 * failed there (they are run on their own afterwards, so their error or result is exactly the old path's), or
 * null when the scan itself failed or timed out (then every rule runs on its own).
 */
async function runShared(db: Db, incidentId: string, compiled: CompiledRule[], ruleSet: SigmaRule[], options: RunOptions, cap: number, timeoutMs: number, report: RuleRunReport): Promise<Map<string, SharedResult> | null> {
  const bases = new Set<SigmaRule>();
  for (const c of compiled) detectionRulesOf(c.rule, ruleSet, bases);
  const columns = new Map<string, string>();
  // Detection predicates grouped by log source: each row tests each log source's (cheap) filter once, and only the
  // detections of the log sources it belongs to.
  const groups = new Map<string, { filter: SQL | null; detections: SQL[] }>();
  const flagList: SQL[] = [];
  try {
    for (const base of bases) {
      const parts: DetectionParts = detectionParts(base, options);
      const column = `m${columns.size}`;
      columns.set(base.id, column);
      const group = groups.get(parts.scope) ?? { filter: parts.filter, detections: [] };
      groups.set(parts.scope, group);
      group.detections.push(parts.detection);
      flagList.push(sql`${parts.filter ? sql`(${parts.filter}) and ` : sql``}(${parts.detection}) as ${sql.raw(column)}`);
    }
  } catch (err) {
    if (!(err instanceof RuleError)) throw err;
    report.scan = { skipped: `a referenced rule does not compile: ${err.message}` };
    return null;
  }
  // One predicate: nothing to share, the rule runs on its own.
  if (columns.size < 2) return null;
  const flags = sql.join(flagList, sql`, `);
  const any = sql.join(
    [...groups.values()].map((g) => {
      const detections = sql.join(
        g.detections.map((d) => sql`(${d})`),
        sql` or `,
      );
      return g.filter ? sql`((${g.filter}) and (${detections}))` : sql`(${detections})`;
    }),
    sql` or `,
  );
  const scanOptions: RunOptions = {
    ...options,
    scan: {
      table: SCAN_TABLE,
      matched: (rule) => {
        const column = columns.get(rule.id);
        if (!column) throw new Error(`shared scan: no column for rule ${rule.id}`);
        return sql`e.${sql.raw(column)}`;
      },
    },
  };
  const results = new Map<string, SharedResult>();
  const started = performance.now();
  try {
    await db.transaction(async (tx) => {
      await limitStatements(tx, timeoutMs);
      // One scan of a large incident is what parallel query is for: the planner's default costs would keep it on one
      // core (it overestimates how many rows the predicates keep). Workers as the server allows
      // (max_parallel_workers_per_gather); PGlite has none and ignores this.
      await tx.execute(sql`select set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0.001', true)`);
      const created = (await tx.execute(
        sql`create temporary table ${sql.raw(SCAN_TABLE)} on commit drop as select e.*, ${flags} from evidence_events e where e.incident_id = ${incidentId} and (${any})`,
      )) as unknown as { rowCount?: number; affectedRows?: number };
      await tx.execute(sql`analyze ${sql.raw(SCAN_TABLE)}`);
      report.scan = { ms: performance.now() - started, rows: Number(created.rowCount ?? created.affectedRows ?? 0), predicates: columns.size };
      for (const c of compiled) {
        const ruleStarted = performance.now();
        try {
          const query = compileRule(c.rule, ruleSet, scanOptions).query(incidentId, cap);
          // A savepoint each: a rule failing here leaves the others' table and transaction usable.
          const rows = await tx.transaction(async (sp) => ((await sp.execute(query)) as unknown as { rows: HitRow[] }).rows);
          results.set(c.rule.id, { rows, ms: performance.now() - ruleStarted });
        } catch {
          // Run on its own afterwards, so it fails (or not) exactly as without the shared scan.
        }
      }
    });
  } catch (err) {
    report.scan = { skipped: ruleFailure({ title: 'shared scan' } as SigmaRule, err, timeoutMs).message };
    return null;
  }
  return results;
}

/**
 * Runs rules over an incident's events and reports hits, errors and timings; a failing rule does not stop
 * the others. On PostgreSQL every detection predicate is first computed in one shared scan (see RunOptions.combined).
 */
export async function runRulesReport(db: Db, incidentId: string, rules: SigmaRule[], options: RunOptions = {}): Promise<RuleRunReport> {
  const cap = options.maxEventIds ?? 1000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const ruleSet = [...rules, ...(options.ruleSet ?? []).filter((r) => !rules.some((x) => x.id === r.id))];
  const report: RuleRunReport = { hits: [], errors: [], timings: [] };
  const toRun = rulesToRun(rules);
  const compiled = new Map<string, CompiledRule | RuleError>();
  for (const rule of toRun) {
    try {
      compiled.set(rule.id, compileRule(rule, ruleSet, options));
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      compiled.set(rule.id, err);
    }
  }
  const runnable = [...compiled.values()].filter((c): c is CompiledRule => !(c instanceof RuleError));
  const shared = (options.combined ?? isPostgres(db)) && runnable.length > 0 ? await runShared(db, incidentId, runnable, ruleSet, options, cap, timeoutMs, report) : null;
  for (const rule of toRun) {
    const started = performance.now();
    const c = compiled.get(rule.id)!;
    const done = shared?.get(rule.id);
    try {
      if (c instanceof RuleError) throw c;
      const rows = done ? done.rows : await runQuery(db, rule, c.query(incidentId, cap), timeoutMs);
      for (const row of rows) report.hits.push(toHit(rule, row));
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      report.errors.push({ ruleId: rule.id, title: rule.title, error: err });
    }
    report.timings.push({ ruleId: rule.id, name: rule.name, ms: done ? done.ms : performance.now() - started });
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
