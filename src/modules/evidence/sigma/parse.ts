import { createHash } from 'node:crypto';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { CORRELATION_TYPES, RuleError, type RuleErrorCode, type SigmaCorrelation, type SigmaDetection, type SigmaLogsource, type SigmaRule } from './types.js';

/** Where a parsed rule came from, to name the line of an error. Kept aside: SigmaRule stays plain data. */
const origins = new WeakMap<SigmaRule, { doc: Document; lines: LineCounter; firstLine: number }>();

/** 1-based line of a field path in a rule's YAML (the nearest node that exists), or undefined. */
export function lineOf(rule: SigmaRule, path: (string | number)[]): number | undefined {
  let origin = origins.get(rule);
  if (!origin) {
    const lines = new LineCounter();
    const [doc] = parseAllDocuments(rule.source, { lineCounter: lines }) as Document[];
    if (!doc || doc.errors.length) return undefined;
    origin = { doc, lines, firstLine: 1 };
    origins.set(rule, origin);
  }
  let node: unknown = origin.doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
      node = node.items[seg];
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
  }
  if (offset === undefined) return undefined;
  return origin.lines.linePos(offset).line + origin.firstLine - 1;
}

/** A rule error naming the rule, the field path and its line. */
export function ruleError(code: RuleErrorCode, rule: SigmaRule | { title: string }, path: (string | number)[], reason: string, extra: Record<string, unknown> = {}): RuleError {
  const line = 'source' in rule ? lineOf(rule, path) : undefined;
  const where = path.join('.') || '(rule)';
  const params = { rule: rule.title, path: where, line: line ?? '?', reason, ...extra };
  return new RuleError(code, `${rule.title}: ${where}${line ? ` (line ${line})` : ''}: ${reason}`, params);
}

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];
const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];

/**
 * Parses a YAML text holding one or more Sigma rules (a multi-document file may hold a correlation and its base
 * rules). Checks the structure of each; the detection logic is checked when the rule is compiled.
 * Throws RuleError `rule_invalid` naming the line (YAML syntax) or the field.
 */
export function parseSigmaRules(yamlText: string): SigmaRule[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(yamlText, { lineCounter: lines, uniqueKeys: true });
  if (!Array.isArray(docs)) throw new RuleError('rule_invalid', 'Not a YAML document', { rule: '?', path: '(file)', line: 1, reason: 'empty or not YAML' });
  const rules: SigmaRule[] = [];
  let previousEnd = 0;
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line ?? 1;
      throw new RuleError('rule_invalid', `YAML syntax error at line ${line}: ${error.message.split('\n')[0]}`, {
        rule: '?',
        path: '(YAML)',
        line,
        reason: error.message.split('\n')[0],
      });
    }
    const start = previousEnd;
    previousEnd = doc.range[2];
    if (doc.contents === null) continue;
    const source = yamlText.slice(start, doc.range[2]).replace(/^\s*---[^\n]*\n/, (m) => '\n'.repeat(m.split('\n').length - 1));
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // An alias without its anchor, or an alias bomb past maxAliasCount: the document is not usable data.
      const reason = (e as Error).message.split('\n')[0];
      throw new RuleError('rule_invalid', `YAML error: ${reason}`, { rule: '?', path: '(YAML)', line: lines.linePos(start).line, reason });
    }
    const stub = { title: typeof (data as { title?: unknown })?.title === 'string' ? (data as { title: string }).title : '?', source } as SigmaRule;
    origins.set(stub, { doc: doc as Document, lines, firstLine: 1 });
    const rule = checkDocument(data, stub, source);
    origins.set(rule, { doc: doc as Document, lines, firstLine: 1 });
    rules.push(rule);
  }
  if (rules.length === 0) throw new RuleError('rule_invalid', 'The file holds no rule', { rule: '?', path: '(file)', line: 1, reason: 'no rule' });
  const seen = new Map<string, SigmaRule>();
  for (const rule of rules) {
    for (const key of [rule.id, rule.name].filter((k): k is string => !!k)) {
      const other = seen.get(key);
      if (other && other !== rule) throw ruleError('rule_invalid', rule, [key === rule.id ? 'id' : 'name'], `"${key}" is used by two rules of this file`);
      seen.set(key, rule);
    }
  }
  return rules;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optString(rule: SigmaRule, data: Record<string, unknown>, key: string): string | undefined {
  const v = data[key];
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v !== 'string' && typeof v !== 'number') throw ruleError('rule_invalid', rule, [key], 'must be a string');
  return String(v);
}

function stringList(rule: SigmaRule, data: Record<string, unknown>, key: string): string[] {
  const v = data[key];
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' && typeof x !== 'number')) throw ruleError('rule_invalid', rule, [key], 'must be a list of strings');
  return v.map(String);
}

/** Deterministic id for a rule without one, so its hits can still be told apart. */
function derivedId(source: string): string {
  const h = createHash('sha256').update(source).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function checkDocument(data: unknown, stub: SigmaRule, source: string): SigmaRule {
  if (!isRecord(data)) throw ruleError('rule_invalid', stub, [], 'a rule is a YAML map (title, logsource, detection …)');
  const title = data.title;
  if (typeof title !== 'string' || !title.trim()) throw ruleError('rule_invalid', stub, ['title'], 'a rule needs a title');
  if (title.length > 256) throw ruleError('rule_invalid', stub, ['title'], 'the title is longer than 256 characters');
  const level = optString(stub, data, 'level');
  if (level !== undefined && !LEVELS.includes(level)) throw ruleError('rule_invalid', stub, ['level'], `level must be one of ${LEVELS.join(', ')}`);
  const status = optString(stub, data, 'status');
  if (status !== undefined && !STATUSES.includes(status)) throw ruleError('rule_invalid', stub, ['status'], `status must be one of ${STATUSES.join(', ')}`);
  const id = optString(stub, data, 'id');
  const name = optString(stub, data, 'name');
  const hasDetection = data.detection !== undefined;
  const hasCorrelation = data.correlation !== undefined;
  if (hasDetection === hasCorrelation) throw ruleError('rule_invalid', stub, [], 'a rule has either a detection or a correlation section');

  let logsource: SigmaLogsource = {};
  if (hasDetection) {
    if (!isRecord(data.logsource)) throw ruleError('rule_invalid', stub, ['logsource'], 'a detection rule needs a logsource map (product, category, service)');
    for (const [k, v] of Object.entries(data.logsource)) {
      if (typeof v !== 'string') throw ruleError('rule_invalid', stub, ['logsource', k], 'must be a string');
    }
    logsource = data.logsource as SigmaLogsource;
  }
  let detection: SigmaDetection | undefined;
  if (hasDetection) {
    if (!isRecord(data.detection)) throw ruleError('rule_invalid', stub, ['detection'], 'detection is a map of search identifiers and a condition');
    const cond = data.detection.condition;
    if (typeof cond !== 'string' && !(Array.isArray(cond) && cond.length > 0 && cond.every((c) => typeof c === 'string')))
      throw ruleError('rule_invalid', stub, ['detection', 'condition'], 'detection needs a condition (a string or a list of strings)');
    for (const [k, v] of Object.entries(data.detection)) {
      if (k === 'condition' || k === 'timeframe') continue;
      if (!isRecord(v) && !Array.isArray(v) && typeof v !== 'string' && typeof v !== 'number')
        throw ruleError('rule_invalid', stub, ['detection', k], 'a search identifier is a map, a list of maps or a list of keywords');
    }
    if (data.detection.timeframe !== undefined) throw ruleError('rule_unsupported', stub, ['detection', 'timeframe'], 'timeframe (Sigma v1 aggregations) is obsolete: write a correlation rule');
    detection = data.detection as SigmaDetection;
  }
  let correlation: SigmaCorrelation | undefined;
  if (hasCorrelation) correlation = checkCorrelation(stub, data.correlation);
  return {
    id: id ?? derivedId(source),
    name,
    title,
    status,
    description: optString(stub, data, 'description'),
    author: optString(stub, data, 'author'),
    references: stringList(stub, data, 'references'),
    date: optString(stub, data, 'date'),
    modified: optString(stub, data, 'modified'),
    level,
    tags: stringList(stub, data, 'tags'),
    falsepositives: stringList(stub, data, 'falsepositives'),
    license: optString(stub, data, 'license'),
    logsource,
    detection,
    correlation,
    source,
  };
}

export const TIMESPAN = /^(\d+)([smhdw])$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds in a Sigma timespan (`30s`, `10m`, `24h`, `7d`). */
export function timespanSeconds(text: string): number {
  const m = TIMESPAN.exec(text);
  if (!m) throw new Error(`bad timespan ${text}`);
  return Number(m[1]) * UNIT_SECONDS[m[2]];
}

function checkCorrelation(stub: SigmaRule, raw: unknown): SigmaCorrelation {
  const at = (...p: string[]) => ['correlation', ...p];
  if (!isRecord(raw)) throw ruleError('rule_invalid', stub, at(), 'correlation is a map (type, rules, group-by, timespan, condition)');
  const type = raw.type;
  if (typeof type !== 'string' || !(CORRELATION_TYPES as readonly string[]).includes(type)) {
    if (typeof type === 'string' && ['value_sum', 'value_avg', 'value_percentile', 'value_max', 'value_min'].includes(type))
      throw ruleError('rule_unsupported', stub, at('type'), `${type} correlations are not supported yet`);
    throw ruleError('rule_invalid', stub, at('type'), `type must be one of ${CORRELATION_TYPES.join(', ')}`);
  }
  const rules = raw.rules;
  const ruleList = typeof rules === 'string' ? [rules] : rules;
  if (!Array.isArray(ruleList) || ruleList.length === 0 || ruleList.some((r) => typeof r !== 'string'))
    throw ruleError('rule_invalid', stub, at('rules'), 'rules lists the ids or names of the correlated rules');
  if (new Set(ruleList).size !== ruleList.length) throw ruleError('rule_invalid', stub, at('rules'), 'a rule is listed twice');
  const groupRaw = raw['group-by'];
  const groupBy = groupRaw === undefined || groupRaw === null ? [] : typeof groupRaw === 'string' ? [groupRaw] : groupRaw;
  if (!Array.isArray(groupBy) || groupBy.some((g) => typeof g !== 'string')) throw ruleError('rule_invalid', stub, at('group-by'), 'group-by is a list of field names');
  const timespan = raw.timespan;
  if (timespan !== undefined && (typeof timespan !== 'string' || !TIMESPAN.test(timespan)))
    throw ruleError('rule_invalid', stub, at('timespan'), 'timespan is a number and a unit: 30s, 10m, 1h, 7d');
  if (timespan === undefined && type !== 'firedrill_new_value') throw ruleError('rule_invalid', stub, at('timespan'), `a ${type} correlation needs a timespan`);
  let condition: SigmaCorrelation['condition'];
  if (raw.condition !== undefined) {
    if (!isRecord(raw.condition)) throw ruleError('rule_invalid', stub, at('condition'), 'condition is a map such as {gte: 5}');
    condition = {};
    for (const [k, v] of Object.entries(raw.condition)) {
      if (k === 'field') {
        if (typeof v !== 'string' && !(Array.isArray(v) && v.length === 1 && typeof v[0] === 'string'))
          throw ruleError('rule_invalid', stub, at('condition', 'field'), 'field names one field');
        condition.field = Array.isArray(v) ? v[0] : v;
      } else if (['gt', 'gte', 'lt', 'lte', 'eq', 'neq'].includes(k)) {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw ruleError('rule_invalid', stub, at('condition', k), 'must be a number');
        condition[k as 'gt'] = v;
      } else throw ruleError('rule_invalid', stub, at('condition', k), 'condition accepts gt, gte, lt, lte, eq, neq and field');
    }
  }
  if ((type === 'event_count' || type === 'value_count') && (!condition || Object.keys(condition).filter((k) => k !== 'field').length === 0))
    throw ruleError('rule_invalid', stub, at('condition'), `a ${type} correlation needs a condition such as {gte: 5}`);
  if (type === 'value_count' && !condition?.field) throw ruleError('rule_invalid', stub, at('condition', 'field'), 'a value_count correlation names the field whose values are counted');
  const aliases = raw.aliases;
  if (aliases !== undefined && aliases !== null) {
    if (!isRecord(aliases) || Object.values(aliases).some((m) => !isRecord(m) || Object.values(m).some((f) => typeof f !== 'string')))
      throw ruleError('rule_invalid', stub, at('aliases'), 'aliases map an alias to {rule name: field name}');
  }
  if (raw.generate !== undefined && typeof raw.generate !== 'boolean') throw ruleError('rule_invalid', stub, at('generate'), 'generate is true or false');
  let field: string | undefined;
  let baseline: string | undefined;
  if (type === 'firedrill_new_value') {
    if (typeof raw.field !== 'string') throw ruleError('rule_invalid', stub, at('field'), 'a firedrill_new_value correlation names the field whose new values are reported');
    field = raw.field;
    if (typeof raw.baseline !== 'string' || !TIMESPAN.test(raw.baseline)) throw ruleError('rule_invalid', stub, at('baseline'), 'baseline is a duration such as 24h: the start of the evidence that is learnt');
    baseline = raw.baseline;
  }
  return {
    type: type as SigmaCorrelation['type'],
    rules: ruleList as string[],
    'group-by': groupBy as string[],
    timespan: timespan as string | undefined,
    condition,
    aliases: (aliases ?? undefined) as SigmaCorrelation['aliases'],
    generate: raw.generate as boolean | undefined,
    field,
    baseline,
  };
}
