/**
 * Sigma detections → one SQL predicate over an evidence_events row (alias `e`). Every user value is a bound
 * parameter; column names come from the field map, never from the rule text.
 *
 * Matching follows the Sigma specification: strings case-insensitively (`cased` for exact case), `*` and `?`
 * wildcards with `\` escapes, value lists OR-ed (`all`: AND-ed), lists of maps OR-ed, maps AND-ed, keyword lists
 * searched in `message`. Every leaf is two-valued (a missing field is "no match", never SQL NULL), so
 * `not filter` keeps events that lack the filtered field.
 */
import { sql, type SQL } from 'drizzle-orm';
import { resolveField, type FieldSql, type LogsourceScope } from './fields.js';
import { ruleError } from './parse.js';
import { RegexError, translateRegex, type RegexFlags } from './regex.js';
import type { SigmaRule } from './types.js';

export interface DetectionContext {
  rule: SigmaRule;
  scope: LogsourceScope;
  timeZone: string;
  placeholders: Record<string, string[]>;
  /** Unknown placeholders expand to nothing instead of failing (parse-time checks). */
  lenientPlaceholders?: boolean;
}

type Part = string | { w: '*' | '?' };
type Val =
  | { t: 'str'; parts: Part[]; raw: string | null }
  | { t: 'bytes'; b: Buffer }
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'num'; v: number; raw: string }
  | { t: 're'; pattern: string; flags: RegexFlags }
  | { t: 'cidr'; v: string }
  | { t: 'cmp'; op: 'lt' | 'lte' | 'gt' | 'gte'; v: number }
  | { t: 'exists'; v: boolean }
  | { t: 'ref'; field: string }
  | { t: 'or'; items: Val[] };

const MAX_VALUES = 2000;

/** Sigma string → literal parts and wildcards (`\*`, `\?`, `\\` escape; any other backslash is literal). */
export function parseSigmaString(raw: string): Part[] {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && (raw[i + 1] === '*' || raw[i + 1] === '?' || raw[i + 1] === '\\')) {
      lit += raw[i + 1];
      i++;
    } else if (c === '*' || c === '?') {
      if (lit) parts.push(lit);
      lit = '';
      parts.push({ w: c });
    } else lit += c;
  }
  if (lit) parts.push(lit);
  return parts;
}

const hasWildcard = (parts: Part[]) => parts.some((p) => typeof p !== 'string');
const literal = (parts: Part[]) => parts.map((p) => (typeof p === 'string' ? p : p.w)).join('');

/** LIKE pattern (backslash escapes) of a Sigma string. */
function likePattern(parts: Part[]): string {
  return parts.map((p) => (typeof p === 'string' ? p.replace(/[\\%_]/g, '\\$&') : p.w === '*' ? '%' : '_')).join('');
}

const MODIFIERS = new Set([
  'contains',
  'startswith',
  'endswith',
  'all',
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'wide',
  'windash',
  're',
  'i',
  'm',
  's',
  'cidr',
  'lt',
  'lte',
  'gt',
  'gte',
  'exists',
  'expand',
  'cased',
  'neq',
  'fieldref',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'year',
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Compiles a rule's detection section: its condition over its search identifiers. */
export function compileDetection(ctx: DetectionContext): SQL {
  const detection = ctx.rule.detection!;
  const identifiers = Object.keys(detection).filter((k) => k !== 'condition');
  const compiled = new Map<string, SQL>();
  const search = (name: string): SQL => {
    let s = compiled.get(name);
    if (!s) {
      s = compileSearch(ctx, name, detection[name]);
      compiled.set(name, s);
    }
    return s;
  };
  const conditions = Array.isArray(detection.condition) ? detection.condition : [detection.condition];
  const parts = conditions.map((c, i) => compileCondition(ctx, c, identifiers, search, Array.isArray(detection.condition) ? ['detection', 'condition', i] : ['detection', 'condition']));
  // Unused search identifiers are still checked, so a typo in one is reported.
  for (const id of identifiers) search(id);
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` or `)})`;
}

function compileSearch(ctx: DetectionContext, name: string, value: unknown): SQL {
  const path = ['detection', name];
  if (isRecord(value)) return compileMap(ctx, value, path);
  if (Array.isArray(value)) {
    if (value.length === 0) throw ruleError('rule_invalid', ctx.rule, path, 'an empty list matches nothing');
    if (value.every(isRecord)) return or(value.map((m, i) => compileMap(ctx, m as Record<string, unknown>, [...path, i])));
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) return compileItem(ctx, '', value, path);
    throw ruleError('rule_invalid', ctx.rule, path, 'a list holds either maps or keywords, not both');
  }
  if (typeof value === 'string' || typeof value === 'number') return compileItem(ctx, '', [value], path);
  throw ruleError('rule_invalid', ctx.rule, path, 'a search identifier is a map, a list of maps or a list of keywords');
}

function compileMap(ctx: DetectionContext, map: Record<string, unknown>, path: (string | number)[]): SQL {
  const entries = Object.entries(map);
  if (entries.length === 0) throw ruleError('rule_invalid', ctx.rule, path, 'an empty map matches nothing');
  return and(entries.map(([key, v]) => compileItem(ctx, key, v, [...path, key])));
}

const or = (parts: SQL[]) => (parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` or `)})`);
const and = (parts: SQL[]) => (parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` and `)})`);
const TRUE = sql`true`;
const FALSE = sql`false`;

function toVal(v: unknown): Val | null {
  if (v === null) return { t: 'null' };
  if (typeof v === 'string') return { t: 'str', parts: parseSigmaString(v), raw: v };
  if (typeof v === 'number') return { t: 'num', v, raw: String(v) };
  if (typeof v === 'boolean') return { t: 'bool', v };
  return null;
}

/** One `field|mod|mod: value(s)` item (field '' = keywords over message). */
function compileItem(ctx: DetectionContext, key: string, rawValue: unknown, path: (string | number)[]): SQL {
  const [fieldName, ...mods] = key.split('|');
  const fail = (reason: string, code: 'rule_invalid' | 'rule_unsupported' = 'rule_invalid') => ruleError(code, ctx.rule, path, reason);
  for (const m of mods) {
    if (m === 'windash') continue;
    if (!MODIFIERS.has(m)) throw fail(`unknown modifier "${m}"`);
  }
  const list = Array.isArray(rawValue) ? rawValue : [rawValue];
  if (list.length === 0) throw fail('an empty value list matches nothing');
  if (list.length > MAX_VALUES) throw fail(`more than ${MAX_VALUES} values`);
  if (Array.isArray(rawValue) && list.some((v) => v === null)) throw fail('null cannot be part of a value list: put it in a selection of its own');
  let values: Val[] = list.map((v) => {
    const val = toVal(v);
    if (!val) throw fail('values are strings, numbers, booleans or null');
    return val;
  });
  const keyword = fieldName === '';
  let all = false;
  let cased = false;
  let neq = false;
  let timePart: string | undefined;
  let sawRe = false;

  const mapStr = (fn: (v: Extract<Val, { t: 'str' }>) => Val, mod: string) => {
    const apply = (v: Val): Val => {
      if (v.t === 'or') return { t: 'or', items: v.items.map(apply) };
      if (v.t === 'num') return fn({ t: 'str', parts: [v.raw], raw: v.raw });
      if (v.t === 'bytes') throw fail('UTF-16 values can only be matched base64-encoded here (add base64 or base64offset)', 'rule_unsupported');
      if (v.t !== 'str') throw fail(`"${mod}" applies to strings`);
      return fn(v);
    };
    values = values.map(apply);
  };
  const toBytes = (v: Val, mod: string): Buffer => {
    if (v.t === 'bytes') return v.b;
    if (v.t === 'num') return Buffer.from(v.raw, 'utf8');
    if (v.t !== 'str') throw fail(`"${mod}" applies to strings`);
    if (hasWildcard(v.parts)) throw fail(`"${mod}" cannot encode wildcards`);
    return Buffer.from(literal(v.parts), 'utf8');
  };
  const mapBytes = (fn: (b: Buffer) => Val, mod: string) => {
    const apply = (v: Val): Val => (v.t === 'or' ? { t: 'or', items: v.items.map(apply) } : fn(toBytes(v, mod)));
    values = values.map(apply);
  };

  for (const mod of mods) {
    switch (mod) {
      case 'all':
        if (list.length < 2 && !keyword) throw fail('"all" needs a list of at least two values');
        all = true;
        break;
      case 'cased':
        cased = true;
        break;
      case 'neq':
        neq = true;
        break;
      case 'expand':
        values = values.flatMap((v) => expandPlaceholders(ctx, v, fail));
        break;
      case 'contains':
      case 'startswith':
      case 'endswith':
        mapStr((v) => {
          const parts = [...v.parts];
          if (mod !== 'endswith' && !(typeof parts.at(-1) === 'object' && (parts.at(-1) as { w: string }).w === '*')) parts.push({ w: '*' });
          if (mod !== 'startswith' && !(typeof parts[0] === 'object' && (parts[0] as { w: string }).w === '*')) parts.unshift({ w: '*' });
          return { t: 'str', parts, raw: null };
        }, mod);
        break;
      case 'base64':
        mapBytes((b) => ({ t: 'str', parts: [b.toString('base64')], raw: null }), mod);
        break;
      case 'base64offset':
        mapBytes((b) => ({ t: 'or', items: base64Offsets(b).map((s) => ({ t: 'str', parts: [s], raw: null }) as Val) }), mod);
        break;
      case 'wide':
      case 'utf16le':
        mapBytes((b) => ({ t: 'bytes', b: Buffer.from(b.toString('utf8'), 'utf16le') }), mod);
        break;
      case 'utf16be':
        mapBytes((b) => ({ t: 'bytes', b: Buffer.from(b.toString('utf8'), 'utf16le').swap16() }), mod);
        break;
      case 'utf16':
        mapBytes((b) => ({ t: 'bytes', b: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]) }), mod);
        break;
      case 'windash':
        mapStr((v) => ({ t: 'or', items: windash(v.parts, fail) }), mod);
        break;
      case 're':
        values = values.map((v) => {
          if (v.t !== 'str' && v.t !== 'num') throw fail('"re" applies to a string');
          const raw = v.t === 'num' ? v.raw : v.raw;
          if (raw === null) throw fail('"re" must come before modifiers that change the value');
          return { t: 're', pattern: raw, flags: { i: false, m: false, s: false } };
        });
        sawRe = true;
        break;
      case 'i':
      case 'm':
      case 's':
        if (!sawRe) throw fail(`"${mod}" is a sub-modifier of "re"`);
        for (const v of values) if (v.t === 're') v.flags[mod] = true;
        break;
      case 'cidr':
        values = values.map((v) => {
          if (v.t !== 'str' || v.raw === null || !isCidr(v.raw)) throw fail('"cidr" needs a network such as 10.0.0.0/8 or 2001:db8::/32');
          return { t: 'cidr', v: v.raw };
        });
        break;
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        values = values.map((v) => {
          const n = v.t === 'num' ? v.v : v.t === 'str' && v.raw !== null && /^\s*-?\d+(\.\d+)?\s*$/.test(v.raw) ? Number(v.raw) : NaN;
          if (!Number.isFinite(n)) throw fail(`"${mod}" compares with a number`);
          return { t: 'cmp', op: mod, v: n };
        });
        break;
      case 'exists':
        values = values.map((v) => {
          if (v.t !== 'bool') throw fail('"exists" takes true or false');
          return { t: 'exists', v: v.v };
        });
        break;
      case 'fieldref':
        values = values.map((v) => {
          if (v.t !== 'str' || v.raw === null) throw fail('"fieldref" names another field');
          return { t: 'ref', field: v.raw };
        });
        break;
      default:
        timePart = mod;
    }
  }
  for (const v of values) if (v.t === 'bytes') throw fail('UTF-16 values can only be matched base64-encoded here (add base64 or base64offset)', 'rule_unsupported');
  // A placeholder with no values: the item matches nothing (and its negation everything).
  if (values.length === 0) return neq ? TRUE : FALSE;

  // The field's SQL (keywords: the message).
  let field: FieldSql;
  if (keyword) {
    field = resolveField('message', ctx.scope, ctx.timeZone)!;
    // A keyword matches anywhere in the message.
    values = values.map(function wrap(v): Val {
      if (v.t === 'or') return { t: 'or', items: v.items.map(wrap) };
      if (v.t === 'num') v = { t: 'str', parts: [v.raw], raw: v.raw };
      if (v.t !== 'str') return v;
      const parts = [...v.parts];
      if (!(typeof parts.at(-1) === 'object')) parts.push({ w: '*' });
      if (!(typeof parts[0] === 'object')) parts.unshift({ w: '*' });
      return { t: 'str', parts, raw: v.raw };
    });
  } else {
    const resolved = resolveField(fieldName, ctx.scope, ctx.timeZone);
    if (!resolved) throw ruleError('rule_field_unknown', ctx.rule, path, `unknown field "${fieldName}" for ${ctx.scope.label}`, { field: fieldName, logsource: ctx.scope.label });
    field = resolved;
  }
  if (timePart) {
    if (!field.timestamp) throw fail(`"${timePart}" applies to the event time (field "time")`);
    const unit = timePart === 'week' ? 'week' : timePart;
    const number = sql`extract(${sql.raw(unit)} from (${field.timestamp} at time zone ${ctx.timeZone}))::numeric`;
    field = { text: sql`(${number})::int::text`, number, exists: field.exists, caseless: true };
  }

  const leaves = values.map((v) => leaf(ctx, field, v, cased, fail, path));
  let result = all ? and(leaves) : orValues(field, values, leaves, cased);
  if (neq) result = sql`not ${result}`;
  return result;
}

/** OR of a field's values; plain string values share one `lower(field) like any (…)` test. */
function orValues(field: FieldSql, values: Val[], leaves: SQL[], cased: boolean): SQL {
  const strs = values.map((v, i) => ({ v, i })).filter((x) => x.v.t === 'str');
  if (strs.length < 2) return or(leaves);
  const rest = leaves.filter((_, i) => values[i].t !== 'str');
  const patterns = strs.map(({ v }) => {
    const parts = (v as { parts: Part[] }).parts;
    return likePattern(parts);
  });
  const lower = !cased && !field.caseless;
  const target = lower && !field.lowercase ? sql`lower(${field.text})` : field.text;
  const arr = sql.join(
    patterns.map((p) => (lower ? sql`lower(${p})` : sql`${p}`)),
    sql`, `,
  );
  const test = sql`${target} like any (array[${arr}])`;
  return or([field.notNull ? sql`(${test})` : sql`coalesce(${test}, false)`, ...rest]);
}

function leaf(ctx: DetectionContext, field: FieldSql, v: Val, cased: boolean, fail: (r: string, c?: 'rule_invalid' | 'rule_unsupported') => Error, path: (string | number)[]): SQL {
  const lower = !cased && !field.caseless;
  const text = lower && !field.lowercase ? sql`lower(${field.text})` : field.text;
  const param = (s: string) => (lower ? sql`lower(${s})` : sql`${s}`);
  switch (v.t) {
    case 'or':
      return or(v.items.map((x) => leaf(ctx, field, x, cased, fail, path)));
    case 'null':
      return sql`(${field.text} is null)`;
    case 'bool':
      return sql`coalesce(lower(${field.text}) = ${String(v.v)}, false)`;
    case 'num':
      return sql`coalesce(${field.text} = ${v.raw}, false)`;
    case 'str': {
      if (v.parts.length === 0) return sql`(coalesce(${field.text}, '') = '')`;
      const test = hasWildcard(v.parts) ? sql`${text} like ${param(likePattern(v.parts))}` : sql`${text} = ${param(literal(v.parts))}`;
      return field.notNull ? sql`(${test})` : sql`coalesce(${test}, false)`;
    }
    case 're': {
      let pattern: string;
      try {
        pattern = translateRegex(v.pattern, v.flags);
      } catch (err) {
        if (err instanceof RegexError) throw fail(err.message, 'rule_unsupported');
        throw err;
      }
      return sql`coalesce(${field.text} ~ ${pattern}, false)`;
    }
    case 'cidr':
      if (!field.inet) throw fail('"cidr" applies to address fields (src_ip, c-ip, SourceIp or a fields key)');
      return sql`coalesce(${field.inet} <<= ${v.v}::inet, false)`;
    case 'cmp': {
      if (!field.number) throw fail(`"${v.op}" applies to numeric fields`);
      const op = sql.raw({ lt: '<', lte: '<=', gt: '>', gte: '>=' }[v.op]);
      return sql`coalesce(${field.number} ${op} ${v.v}, false)`;
    }
    case 'exists':
      return v.v ? sql`coalesce(${field.exists}, false)` : sql`not coalesce(${field.exists}, false)`;
    case 'ref': {
      const other = resolveField(v.field, ctx.scope, ctx.timeZone);
      if (!other) throw ruleError('rule_field_unknown', ctx.rule, path, `unknown field "${v.field}" for ${ctx.scope.label}`, { field: v.field, logsource: ctx.scope.label });
      return lower && !other.caseless ? sql`coalesce(lower(${field.text}) = lower(${other.text}), false)` : sql`coalesce(${field.text} = ${other.text}, false)`;
    }
    case 'bytes':
      throw fail('UTF-16 values can only be matched base64-encoded', 'rule_unsupported');
  }
}

/** `%name%` placeholders (with `\%` for a plain percent sign) → one value per combination of their values. */
function expandPlaceholders(ctx: DetectionContext, v: Val, fail: (r: string) => Error): Val[] {
  if (v.t !== 'str' || v.raw === null) throw fail('"expand" applies to strings and comes first');
  const segments: (string | { name: string })[] = [];
  let lit = '';
  const raw = v.raw;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\' && raw[i + 1] === '%') {
      lit += '%';
      i++;
    } else if (raw[i] === '%') {
      const end = raw.indexOf('%', i + 1);
      if (end < 0) {
        lit += raw.slice(i);
        break;
      }
      if (lit) segments.push(lit);
      lit = '';
      segments.push({ name: raw.slice(i + 1, end) });
      i = end;
    } else lit += raw[i];
  }
  if (lit) segments.push(lit);
  let combos: string[] = [''];
  for (const seg of segments) {
    if (typeof seg === 'string') {
      combos = combos.map((c) => c + seg.replace(/[*?]/g, '\\$&'));
      continue;
    }
    const list = Object.hasOwn(ctx.placeholders, seg.name) ? ctx.placeholders[seg.name] : undefined;
    if (!list) {
      if (ctx.lenientPlaceholders) return [];
      throw fail(`the placeholder %${seg.name}% has no values: give them in options.placeholders`);
    }
    combos = combos.flatMap((c) => list.map((p) => c + p));
    if (combos.length > MAX_VALUES) throw fail(`the placeholders expand to more than ${MAX_VALUES} values`);
  }
  return combos.map((c) => ({ t: 'str', parts: parseSigmaString(c), raw: c }));
}

/** pySigma's base64offset: the three encodings of a value at byte offsets 0, 1, 2, with the unstable ends cut. */
function base64Offsets(b: Buffer): string[] {
  const start = [0, 2, 3];
  const end = [undefined, -3, -2];
  return [0, 1, 2].map((i) => {
    const enc = Buffer.concat([Buffer.alloc(i, ' '), b]).toString('base64');
    return enc.slice(start[i], end[(b.length + i) % 3]);
  });
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** pySigma's windash: every dash or slash starting a word may be any of - / – — ―. */
function windash(parts: Part[], fail: (r: string) => Error): Val[] {
  let variants: Part[][] = [[]];
  for (const p of parts) {
    if (typeof p !== 'string') {
      variants = variants.map((v) => [...v, p]);
      continue;
    }
    let texts = [''];
    for (let i = 0; i < p.length; i++) {
      const c = p[i];
      const startsWord = (c === '-' || c === '/') && (i === 0 || !/\w/.test(p[i - 1])) && /\w/.test(p[i + 1] ?? '');
      texts = startsWord ? texts.flatMap((t) => DASHES.map((d) => t + d)) : texts.map((t) => t + c);
      if (texts.length > 625) throw fail('windash would create more than 625 variants');
    }
    variants = variants.flatMap((v) => texts.map((t) => [...v, t]));
  }
  return variants.map((parts) => ({ t: 'str', parts, raw: null }));
}

function isCidr(text: string): boolean {
  const [addr, bits, extra] = text.split('/');
  if (extra !== undefined || addr === undefined) return false;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
  if (v4) return v4.slice(1).every((n) => Number(n) <= 255) && (bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 32));
  if (/^[0-9A-Fa-f:]+$/.test(addr) && addr.includes(':') && (addr.match(/::/g) ?? []).length <= 1) return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= 128);
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Conditions: or < and < not < "x of" < ( … )

type Token = { kind: 'word' | '(' | ')'; text: string; pos: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(\(|\)|[^\s()]+)/y;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const t = m[1];
    tokens.push({ kind: t === '(' || t === ')' ? t : 'word', text: t, pos: m.index });
    if (re.lastIndex >= text.length) break;
  }
  return tokens;
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

function compileCondition(ctx: DetectionContext, text: string, identifiers: string[], search: (n: string) => SQL, path: (string | number)[]): SQL {
  const tokens = tokenize(text);
  let i = 0;
  const fail = (reason: string) => ruleError('rule_invalid', ctx.rule, path, `condition "${text}": ${reason}`);
  const peek = () => tokens[i];
  const isWord = (w: string) => peek()?.kind === 'word' && peek().text.toLowerCase() === w;
  const parseOr = (): SQL => {
    const parts = [parseAnd()];
    while (isWord('or')) {
      i++;
      parts.push(parseAnd());
    }
    return or(parts);
  };
  const parseAnd = (): SQL => {
    const parts = [parseNot()];
    while (isWord('and')) {
      i++;
      parts.push(parseNot());
    }
    return and(parts);
  };
  const parseNot = (): SQL => {
    if (isWord('not')) {
      i++;
      return sql`(not ${parseNot()})`;
    }
    return parsePrimary();
  };
  const parsePrimary = (): SQL => {
    const t = peek();
    if (!t) throw fail('ends too early');
    if (t.kind === '(') {
      i++;
      const inner = parseOr();
      if (peek()?.kind !== ')') throw fail(`a ")" is missing (position ${t.pos + 1})`);
      i++;
      return inner;
    }
    if (t.kind === ')') throw fail(`unexpected ")" at position ${t.pos + 1}`);
    const next = tokens[i + 1];
    const quantifier = t.text.toLowerCase();
    if (next?.kind === 'word' && next.text.toLowerCase() === 'of' && (quantifier === 'all' || quantifier === 'any' || /^\d+$/.test(quantifier))) {
      const target = tokens[i + 2];
      if (!target || target.kind !== 'word') throw fail(`"${t.text} of" needs "them" or a search identifier pattern`);
      i += 3;
      const names =
        target.text === 'them' ? identifiers.filter((n) => !n.startsWith('_')) : identifiers.filter((n) => globToRegExp(target.text).test(n));
      if (names.length === 0) throw fail(`no search identifier matches "${target.text}"`);
      const parts = names.map(search);
      if (quantifier === 'all') return and(parts);
      const n = quantifier === 'any' ? 1 : Number(quantifier);
      if (n === 1) return or(parts);
      if (n < 1) throw fail(`"${t.text} of" needs a count of at least 1`);
      return sql`((${sql.join(
        parts.map((p) => sql`(${p})::int`),
        sql` + `,
      )}) >= ${n})`;
    }
    if (['and', 'or', 'not', 'of'].includes(quantifier)) throw fail(`unexpected "${t.text}" at position ${t.pos + 1}`);
    if (!identifiers.includes(t.text)) throw fail(`"${t.text}" is not a search identifier of this detection`);
    i++;
    return search(t.text);
  };
  if (tokens.length === 0) throw fail('is empty');
  const result = parseOr();
  if (i < tokens.length) {
    if (tokens[i].text === '|') throw ruleError('rule_unsupported', ctx.rule, path, 'aggregations in the condition ("| count() …") are Sigma v1: write a correlation rule');
    throw fail(`unexpected "${tokens[i].text}" at position ${tokens[i].pos + 1}`);
  }
  return result;
}

