/**
 * Sigma rules → SQL over evidence_events.
 *
 * A detection rule is one predicate (log source filter AND detection) and yields one hit with all its events.
 *
 * A correlation rule yields one hit per group and window. Windows slide: for each occurrence (an event of a
 * referenced rule, or a window of a referenced correlation) the window is [its time, its time + timespan]. A
 * window qualifies when its count (events, distinct values, distinct rules) meets the condition, or, for
 * temporal_ordered, when the rules' occurrences follow each other in the listed order within the timespan.
 * Overlapping qualifying windows of a group are merged into one hit; the hit's events are the referenced rules'
 * events of that group from its first to its last time. Everything is window functions and equality joins over
 * the matched events: linear (after sorting) in the number of matches, whatever the data.
 *
 * `firedrill_new_value` (a Firedrill extension, not Sigma): for each group (e.g. an account), report each value
 * of `field` (e.g. the source address) first seen after the baseline period at the start of the evidence
 * (the earliest event of the referenced rules' log sources + `baseline`).
 */
import { sql, type SQL } from 'drizzle-orm';
import { compileDetection } from './detection.js';
import { resolveField, resolveLogsource, type LogsourceScope } from './fields.js';
import { ruleError, timespanSeconds } from './parse.js';
import type { SigmaCorrelation, SigmaRule } from './types.js';

export interface CompileOptions {
  /** Values of `%name%` placeholders (with the `expand` modifier); merged over DEFAULT_PLACEHOLDERS. */
  placeholders?: Record<string, string[]>;
  /** IANA time zone of the local_* virtual fields and the time modifiers. Default Asia/Shanghai. */
  timeZone?: string;
  /**
   * For the shared scan (run.ts): read events from `table` (a temporary table with evidence_events' columns) and
   * take each detection rule's row predicate from `matched` (a column the scan computed) instead of compiling it.
   */
  scan?: SharedScan;
}

/** Where a rule's query reads matched events when the rule set's detection predicates were computed in one scan. */
export interface SharedScan {
  table: string;
  /** The predicate standing for `rule`'s, over alias `e` of `table`. Must cover every detection rule used. */
  matched(rule: SigmaRule): SQL;
}

/** Defaults of the placeholders the bundled rules use; a call's options.placeholders override them. */
export const DEFAULT_PLACEHOLDERS: Record<string, string[]> = {
  admin_accounts: ['root', 'admin', 'administrator', 'ubuntu', 'centos', 'ec2-user'],
  finance_accounts: [],
  app_db_accounts: [],
  backup_accounts: [],
};

export interface CompiledRule {
  rule: SigmaRule;
  kind: 'detection' | 'correlation';
  /** Detection rules: the row predicate over alias `e` (log source and detection), for combined scans. */
  predicate?: SQL;
  /**
   * The query of the rule's hits: rows of { g (jsonb group key or null), n, first_time, last_time, ids (bigint[]) }.
   */
  query(incidentId: string, maxEventIds: number): SQL;
}

interface Ctx {
  ruleSet: SigmaRule[];
  placeholders: Record<string, string[]>;
  timeZone: string;
  lenient: boolean;
  scan?: SharedScan;
}

/** The relation detection matches are read from: the events table, or the shared scan's table. */
const eventsOf = (ctx: Ctx) => sql.raw(ctx.scan ? ctx.scan.table : 'evidence_events');

/** The rule a correlation refers to by id, or else by name. */
export function findRule(ruleSet: SigmaRule[], ref: string): SigmaRule | undefined {
  return ruleSet.find((r) => r.id === ref) ?? ruleSet.find((r) => r.name === ref);
}

function scopeOf(rule: SigmaRule): LogsourceScope {
  const scope = resolveLogsource(rule.logsource);
  if (!scope) {
    const label = Object.entries(rule.logsource)
      .filter(([k]) => k !== 'definition')
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    throw ruleError('rule_unsupported', rule, ['logsource'], `no evidence Firedrill parses comes from ${label || 'this log source'}`);
  }
  return scope;
}

/** A detection rule's log source filter and detection apart, with the log source's name (equal names, equal filters). */
export interface DetectionParts {
  scope: string;
  filter: SQL | null;
  detection: SQL;
}

function partsOf(ctx: Ctx, rule: SigmaRule): DetectionParts {
  const scope = scopeOf(rule);
  const detection = compileDetection({ rule, scope, timeZone: ctx.timeZone, placeholders: ctx.placeholders, lenientPlaceholders: ctx.lenient });
  return { scope: scope.label, filter: scope.filter, detection };
}

/** A detection rule's row predicate (log source filter and detection) over alias `e`. */
function detectionPredicate(ctx: Ctx, rule: SigmaRule): SQL {
  if (ctx.scan) return ctx.scan.matched(rule);
  const { filter, detection } = partsOf(ctx, rule);
  return filter ? sql`(${filter}) and ${detection}` : detection;
}

/**
 * The parts of a detection rule's row predicate (`filter and detection`), for the shared scan, which tests each log
 * source's filter once per row for all its rules. Throws RuleError like compileRule.
 */
export function detectionParts(rule: SigmaRule, options: CompileOptions = {}): DetectionParts {
  if (!rule.detection) throw new Error(`detectionParts: ${rule.title} is not a detection rule`);
  return partsOf(contextOf(rule, [], options, false), rule);
}

function checkTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw ruleError('rule_invalid', { title: '(options)' }, ['timeZone'], `unknown time zone ${tz}`);
  }
}

/**
 * Compiles a rule (detection or correlation) to SQL. `ruleSet` holds the rules a correlation may refer to by id or
 * name. Throws RuleError rule_invalid, rule_field_unknown or rule_unsupported naming the field and line.
 */
export function compileRule(rule: SigmaRule, ruleSet: SigmaRule[], options: CompileOptions = {}): CompiledRule {
  return compileWith(rule, ruleSet, options, false);
}

/** For parse-time checks: unknown placeholders and references are not errors yet. */
export function checkRule(rule: SigmaRule, ruleSet: SigmaRule[]): void {
  if (rule.correlation) {
    for (const ref of rule.correlation.rules) if (!ruleSet.some((r) => r.id === ref || r.name === ref)) return;
  }
  compileWith(rule, ruleSet, {}, true);
}

/** What compiling `rule` needs: the rules it may refer to, the placeholders' values, the time zone. Throws RuleError. */
function contextOf(rule: SigmaRule, ruleSet: SigmaRule[], options: CompileOptions, lenient: boolean): Ctx {
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  checkTimeZone(timeZone);
  return { ruleSet: ruleSet.includes(rule) ? ruleSet : [...ruleSet, rule], placeholders: { ...DEFAULT_PLACEHOLDERS, ...options.placeholders }, timeZone, lenient, scan: options.scan };
}

function compileWith(rule: SigmaRule, ruleSet: SigmaRule[], options: CompileOptions, lenient: boolean): CompiledRule {
  const ctx = contextOf(rule, ruleSet, options, lenient);
  if (rule.detection) {
    const predicate = detectionPredicate(ctx, rule);
    const events = eventsOf(ctx);
    return {
      rule,
      kind: 'detection',
      predicate,
      query: (incidentId, cap) => sql`with m as materialized (
          select e.id, e.time from ${events} e where e.incident_id = ${incidentId} and ${predicate})
        select null::jsonb as g, (select count(*) from m)::bigint as n, (select min(time) from m) as first_time,
          (select max(time) from m) as last_time,
          coalesce((select array_agg(id) from (select id from m order by time nulls last, id limit ${cap}) x), '{}') as ids
        where exists (select 1 from m)`,
    };
  }
  const node = correlationNode(ctx, rule, [rule.id]);
  return { rule, kind: 'correlation', query: (incidentId, cap) => correlationQuery(node, incidentId, cap) };
}

// ---------------------------------------------------------------------------------------------------------

interface BaseRef {
  rule: SigmaRule;
  predicate: SQL;
  scope: LogsourceScope;
}

interface CorrNode {
  rule: SigmaRule;
  corr: SigmaCorrelation;
  groups: string[];
  /** Referenced rules in order: base rules or nested correlations. */
  refs: ({ base: BaseRef } | { nested: CorrNode })[];
  span: number;
}

function correlationNode(ctx: Ctx, rule: SigmaRule, seen: string[]): CorrNode {
  const corr = rule.correlation!;
  const refs: CorrNode['refs'] = corr.rules.map((ref, i) => {
    const target = findRule(ctx.ruleSet, ref);
    if (!target) throw ruleError('rule_invalid', rule, ['correlation', 'rules', i], `no rule with id or name "${ref}"`);
    if (seen.includes(target.id)) throw ruleError('rule_invalid', rule, ['correlation', 'rules', i], 'the correlation refers to itself');
    if (target.correlation) {
      const nested = correlationNode(ctx, target, [...seen, target.id]);
      if (corr.type === 'value_count' || corr.type === 'firedrill_new_value')
        throw ruleError('rule_unsupported', rule, ['correlation', 'rules', i], `a ${corr.type} correlation counts field values of events, so it refers to detection rules only`);
      for (const g of corr['group-by'])
        if (!nested.groups.includes(g))
          throw ruleError('rule_unsupported', rule, ['correlation', 'group-by'], `the referenced correlation "${ref}" does not group by "${g}"`);
      return { nested };
    }
    return { base: { rule: target, predicate: detectionPredicate(ctx, target), scope: scopeOf(target) } };
  });
  const cond = corr.condition ?? {};
  if (corr.type === 'temporal_ordered' && Object.keys(cond).some((k) => k !== 'field') && !(cond.gte === corr.rules.length && Object.keys(cond).length === 1))
    throw ruleError('rule_unsupported', rule, ['correlation', 'condition'], 'temporal_ordered needs all its rules, in order');
  const node: CorrNode = { rule, corr, groups: corr['group-by'], refs, span: corr.timespan ? timespanSeconds(corr.timespan) : 0 };
  // Every group field (and the counted field) must exist for every referenced detection rule.
  for (const ref of refs) if ('base' in ref) groupExprs(ctx, node, ref.base);
  checkedCtx.set(node, ctx);
  return node;
}

const checkedCtx = new WeakMap<CorrNode, Ctx>();

/** The group-by (and value) expressions of a referenced detection rule, aliases applied. */
function groupExprs(ctx: Ctx, node: CorrNode, base: BaseRef): { groups: SQL[]; value?: SQL } {
  const fieldFor = (name: string) => node.corr.aliases?.[name]?.[base.rule.name ?? ''] ?? node.corr.aliases?.[name]?.[base.rule.id] ?? name;
  const resolve = (name: string, path: (string | number)[]) => {
    const field = fieldFor(name);
    const f = resolveField(field, base.scope, ctx.timeZone);
    if (!f) throw ruleError('rule_field_unknown', node.rule, path, `unknown field "${field}" for ${base.scope.label} (rule "${base.rule.title}")`, { field, logsource: base.scope.label });
    return f.text;
  };
  const groups = node.groups.map((g, i) => resolve(g, ['correlation', 'group-by', i]));
  const valueName = node.corr.type === 'value_count' ? node.corr.condition?.field : node.corr.type === 'firedrill_new_value' ? node.corr.field : undefined;
  const value = valueName ? resolve(valueName, ['correlation', node.corr.type === 'value_count' ? 'condition' : 'field']) : undefined;
  return { groups, value };
}

const ident = (s: string) => sql.raw(s);
const gcols = (n: number, prefix = '') => Array.from({ length: n }, (_, i) => ident(`${prefix}g${i}`));
const list = (parts: SQL[]) => sql.join(parts, sql`, `);
const partitionBy = (n: number) => (n ? sql`partition by ${list(gcols(n))}` : sql``);
const gsel = (n: number) => (n ? sql`${list(gcols(n))}, ` : sql``);
const interval = (seconds: number) => sql`${`${seconds} seconds`}::interval`;

function condSql(cond: SigmaCorrelation['condition'], col: SQL): SQL {
  const parts: SQL[] = [];
  for (const [k, op] of [
    ['gt', '>'],
    ['gte', '>='],
    ['lt', '<'],
    ['lte', '<='],
    ['eq', '='],
    ['neq', '<>'],
  ] as const) {
    const v = cond?.[k];
    if (v !== undefined) parts.push(sql`${col} ${sql.raw(op)} ${v}`);
  }
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

interface Cte {
  name: string;
  body: SQL;
}

let cteCounter = 0;

/**
 * The CTEs computing a correlation node's qualifying windows; returns the windows CTE's name (columns g0…, s, en)
 * and the name of the CTE of its detection matches (columns id, time, g0…, in the node's own group names).
 */
function windowsOf(node: CorrNode, incidentId: string, ctes: Cte[], groups: string[]): { windows: string; events: string } {
  const ctx = checkedCtx.get(node)!;
  const k = groups.length;
  const p = `c${cteCounter++}_`;
  // Occurrences: one row per referenced event (s = en = time) or per nested qualifying window.
  const occ: SQL[] = [];
  const events: SQL[] = [];
  node.refs.forEach((ref, idx) => {
    if ('base' in ref) {
      const { groups: gexprs, value } = groupExprs(ctx, { ...node, groups }, ref.base);
      const gs = gexprs.map((g, i) => sql`${g} as ${ident(`g${i}`)}`);
      const notNull = [...gexprs, ...(value ? [value] : [])].map((g) => sql` and ${g} is not null`);
      const name = `${p}b${idx}`;
      ctes.push({
        name,
        body: sql`select e.id, e.time${gs.length ? sql`, ${list(gs)}` : sql``}${value ? sql`, ${value} as v` : sql``}
          from ${eventsOf(ctx)} e where e.incident_id = ${incidentId} and e.time is not null and ${ref.base.predicate}${sql.join(notNull, sql``)}`,
      });
      occ.push(sql`select ${gsel(k)}time as s, time as en, ${idx}::int as r${value ? sql`, v` : sql``} from ${ident(name)}`);
      events.push(sql`select id, time${k ? sql`, ${list(gcols(k))}` : sql``} from ${ident(name)}`);
    } else {
      // The nested correlation's own group names; ours are a subset of them.
      const inner = windowsOf(ref.nested, incidentId, ctes, ref.nested.groups);
      const pick = groups.map((g) => ident(`g${ref.nested.groups.indexOf(g)}`));
      occ.push(sql`select ${pick.length ? sql`${list(pick.map((c, i) => sql`${c} as ${ident(`g${i}`)}`))}, ` : sql``}s, en, ${idx}::int as r from ${ident(inner.windows)}`);
      events.push(sql`select id, time${k ? sql`, ${list(pick.map((c, i) => sql`${c} as ${ident(`g${i}`)}`))}` : sql``} from ${ident(inner.events)}`);
    }
  });
  const o = `${p}o`;
  ctes.push({ name: o, body: sql.join(occ, sql` union all `) });
  const ev = `${p}ev`;
  ctes.push({ name: ev, body: sql.join(events, sql` union `) });
  const win = `${p}w`;
  const span = interval(node.span);
  const cond = node.corr.condition;
  const frame = sql`(${partitionBy(k)} order by s range between current row and ${span} following)`;
  // The latest end in a frame: with detection rules only, ends are the times the frame is sorted by, so the
  // frame's last row has it (max() over a moving frame would re-aggregate every frame).
  const pointsOnly = node.refs.every((r) => 'base' in r);
  const lastEnd = pointsOnly ? sql`last_value(en)` : sql`max(en)`;
  switch (node.corr.type) {
    case 'event_count': {
      // For "at least N", a window completes at its N-th event; otherwise at its last.
      const nth = cond?.gte !== undefined ? Math.ceil(cond.gte) : cond?.gt !== undefined ? Math.floor(cond.gt) + 1 : null;
      const c = `${p}n`;
      ctes.push({
        name: c,
        body: sql`select ${gsel(k)}s, count(*) over w as n, ${lastEnd} over w as last${nth !== null && nth >= 1 ? sql`, nth_value(en, ${nth}::int) over w as nth` : sql`, null::timestamptz as nth`}
          from ${ident(o)} window w as ${frame}`,
      });
      ctes.push({ name: win, body: sql`select ${gsel(k)}s, coalesce(nth, last) as en from ${ident(c)} where ${condSql(cond, sql`n`)}` });
      break;
    }
    case 'value_count':
    case 'temporal': {
      // Distinct values (rules, for temporal) in [t, t + span]: each value's occurrences, chained while less than
      // a span apart, cover the window starts [first - span, last]; a running sum of run starts and ends gives
      // the count at each occurrence.
      const valueCol = node.corr.type === 'temporal' ? sql`r::text` : sql`v`;
      const withLast = `${p}l`;
      ctes.push({ name: withLast, body: sql`select ${gsel(k)}s, en, ${valueCol} as v, ${lastEnd} over ${frame} as last from ${ident(o)}` });
      const runs = `${p}r`;
      ctes.push({
        name: runs,
        body: sql`select ${gsel(k)}v, s, sum(brk) over (partition by ${k ? sql`${list(gcols(k))}, ` : sql``}v order by s rows unbounded preceding) as run
          from (select ${gsel(k)}v, s, case when s - lag(s) over (partition by ${k ? sql`${list(gcols(k))}, ` : sql``}v order by s) <= ${span} then 0 else 1 end as brk from ${ident(withLast)}) x`,
      });
      const sweep = `${p}s`;
      ctes.push({
        name: sweep,
        body: sql`select ${gsel(k)}t, d, kind, last from (
            select ${gsel(k)}min(s) - ${span} as t, 1 as d, 0 as kind, null::timestamptz as last from ${ident(runs)} group by ${k ? sql`${list(gcols(k))}, ` : sql``}v, run
            union all select ${gsel(k)}max(s), -1, 2, null from ${ident(runs)} group by ${k ? sql`${list(gcols(k))}, ` : sql``}v, run
            union all select ${gsel(k)}s, 0, 1, last from ${ident(withLast)}) x`,
      });
      const counted = `${p}n`;
      ctes.push({
        name: counted,
        body: sql`select ${gsel(k)}t as s, kind, last, sum(d) over (${partitionBy(k)} order by t, kind rows unbounded preceding) as n from ${ident(sweep)}`,
      });
      const need = node.corr.type === 'temporal' && !cond ? { gte: node.refs.length } : cond;
      ctes.push({ name: win, body: sql`select distinct ${gsel(k)}s, last as en from ${ident(counted)} where kind = 1 and ${condSql(need, sql`n`)}` });
      break;
    }
    case 'temporal_ordered': {
      // Occurrences in order of completion; from each occurrence of the first rule, greedily take the next
      // occurrence of each following rule. The sequence qualifies when it ends within the span.
      const ordered = `${p}q`;
      const n = node.refs.length;
      const nexts = Array.from({ length: n - 1 }, (_, j) => j + 1).map(
        // a running minimum from the end (a frame anchored at the partition start keeps this linear)
        (r) => sql`min(case when r = ${r}::int then ord end) over (${partitionBy(k)} order by ord desc rows between unbounded preceding and 1 preceding) as ${ident(`nx${r}`)}`,
      );
      ctes.push({
        name: ordered,
        body: sql`select *, ${list(nexts)} from (select ${gsel(k)}s, en, r, row_number() over (${partitionBy(k)} order by en, r, s) as ord from ${ident(o)}) x`,
      });
      let from = sql`${ident(ordered)} a0`;
      for (let r = 1; r < n; r++) {
        const on = [sql`${ident(`a${r}`)}.ord = ${ident(`a${r - 1}`)}.${ident(`nx${r}`)}`, ...gcols(k).map((g) => sql`${ident(`a${r}`)}.${g} = a0.${g}`)];
        from = sql`${from} join ${ident(ordered)} ${ident(`a${r}`)} on ${sql.join(on, sql` and `)}`;
      }
      ctes.push({
        name: win,
        body: sql`select ${k ? sql`${list(gcols(k).map((g) => sql`a0.${g}`))}, ` : sql``}a0.s, ${ident(`a${n - 1}`)}.en from ${from}
          where a0.r = 0 and ${ident(`a${n - 1}`)}.en - a0.s <= ${span}`,
      });
      break;
    }
    case 'firedrill_new_value':
      throw new Error('firedrill_new_value is not a windowed correlation');
  }
  return { windows: win, events: ev };
}

function withCtes(ctes: Cte[], final: SQL): SQL {
  return sql`with ${sql.join(
    ctes.map((c) => sql`${ident(c.name)} as (${c.body})`),
    sql`, `,
  )} ${final}`;
}

function groupJson(names: string[], prefix: string): SQL {
  if (!names.length) return sql`null::jsonb`;
  return sql`jsonb_build_object(${list(names.map((name, i) => sql`${name}::text, ${ident(`${prefix}g${i}`)}`))})`;
}

function correlationQuery(node: CorrNode, incidentId: string, cap: number): SQL {
  cteCounter = 0;
  const ctes: Cte[] = [];
  const k = node.groups.length;
  if (node.corr.type === 'firedrill_new_value') return newValueQuery(node, incidentId, cap);
  const { windows, events } = windowsOf(node, incidentId, ctes, node.groups);
  // Merge overlapping windows of a group into islands: one hit each.
  ctes.push({
    name: 'isl',
    body: sql`select ${gsel(k)}s, en, sum(brk) over (${partitionBy(k)} order by s, en rows unbounded preceding) as isl from (
        select ${gsel(k)}s, en, case when s <= max(en) over (${partitionBy(k)} order by s, en rows between unbounded preceding and 1 preceding) then 0 else 1 end as brk
        from ${ident(windows)}) x`,
  });
  ctes.push({ name: 'hit', body: sql`select ${gsel(k)}isl, min(s) as first, max(en) as last from isl group by ${k ? sql`${list(gcols(k))}, ` : sql``}isl` });
  const on = [sql`x.time between h.first and h.last`, ...gcols(k).map((g) => sql`x.${g} = h.${g}`)];
  return withCtes(
    ctes,
    sql`select ${groupJson(node.groups, 'h.')} as g, count(*)::bigint as n, min(x.time) as first_time, max(x.time) as last_time,
        (array_agg(x.id order by x.time, x.id))[1:${cap}] as ids
      from hit h join ${ident(events)} x on ${sql.join(on, sql` and `)}
      group by ${k ? sql`${list(gcols(k, 'h.'))}, ` : sql``}h.isl order by first_time`,
  );
}

function newValueQuery(node: CorrNode, incidentId: string, cap: number): SQL {
  const ctx = checkedCtx.get(node)!;
  const k = node.groups.length;
  const bases = node.refs.map((r) => ('base' in r ? r.base : null)).filter((b): b is BaseRef => b !== null);
  const matches = bases.map((b) => {
    const { groups, value } = groupExprs(ctx, node, b);
    const notNull = [...groups, value!].map((g) => sql` and ${g} is not null`);
    return sql`select e.id, e.time${groups.length ? sql`, ${list(groups.map((g, i) => sql`${g} as ${ident(`g${i}`)}`))}` : sql``}, ${value!} as v
      from ${eventsOf(ctx)} e where e.incident_id = ${incidentId} and e.time is not null and ${b.predicate}${sql.join(notNull, sql``)}`;
  });
  // The start of the evidence these rules look at (all its events, not only matches: never the shared scan's table).
  const scopes = bases.map((b) => b.scope.filter);
  const scopeFilter = scopes.some((s) => s === null) ? sql`true` : sql`(${sql.join(scopes as SQL[], sql` or `)})`;
  const baseline = timespanSeconds(node.corr.baseline!);
  const gk = k ? sql`${list(gcols(k))}, ` : sql``;
  const on = [sql`m.v = f.v`, ...gcols(k).map((g) => sql`m.${g} = f.${g}`)];
  return sql`with m as (${sql.join(matches, sql` union `)}),
      t0 as (select min(e.time) as t0 from evidence_events e where e.incident_id = ${incidentId} and e.time is not null and ${scopeFilter}),
      f as (select ${gk}v, min(time) as first from m group by ${gk}v)
    select ${jsonWithValue(node)} as g,
      count(*)::bigint as n, min(m.time) as first_time, max(m.time) as last_time, (array_agg(m.id order by m.time, m.id))[1:${cap}] as ids
    from f cross join t0 join m on ${sql.join(on, sql` and `)}
    where f.first > t0.t0 + ${interval(baseline)}
    group by ${k ? sql`${list(gcols(k, 'f.'))}, ` : sql``}f.v order by first_time`;
}

function jsonWithValue(node: CorrNode): SQL {
  const pairs = node.groups.map((name, i) => sql`${name}::text, ${ident(`f.g${i}`)}`);
  pairs.push(sql`${node.corr.field!}::text, f.v`);
  return sql`jsonb_build_object(${list(pairs)})`;
}
