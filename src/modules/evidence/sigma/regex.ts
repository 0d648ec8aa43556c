/**
 * Sigma `re` values (PCRE flavour) → PostgreSQL advanced regular expressions (ARE).
 *
 * Rules must never hang the database, and PGlite has no working statement_timeout (it is single-threaded WASM:
 * no timer interrupts a running statement). So a pattern is first checked with RE2 (re2js), which refuses what
 * cannot run in linear time (backreferences, lookaround, possessive or atomic groups, recursion). PostgreSQL
 * matches a pattern without backreferences with its DFA, in time linear in the text. Then the pattern is
 * rewritten token by token where the two dialects differ (`\b` is `\y` in PostgreSQL, `\z` is `\Z`, `\xhh`,
 * named groups) and refused with a clear reason where there is no faithful translation (`\p{…}`, `\Q…\E`, scoped
 * flags, bounds above 255). The `i`/`m`/`s` sub-modifiers and a leading `(?ims)` become PostgreSQL's embedded
 * options, chosen so that `.` and `^`/`$` behave as in PCRE.
 */
import { RE2JS } from 're2js';

export interface RegexFlags {
  i: boolean;
  m: boolean;
  s: boolean;
}

export class RegexError extends Error {}

const MAX_PATTERN = 4096;

/** Returns the PostgreSQL ARE for a Sigma regular expression, or throws RegexError saying why not. */
export function translateRegex(pattern: string, subFlags: RegexFlags): string {
  if (pattern.length > MAX_PATTERN) throw new RegexError(`the regular expression is longer than ${MAX_PATTERN} characters`);
  try {
    RE2JS.compile(pattern);
  } catch (err) {
    throw new RegexError(`not a linear-time regular expression (backreferences, lookaround and possessive quantifiers are refused): ${(err as Error).message}`);
  }
  const flags = { ...subFlags };
  let i = 0;
  // A leading (?ims) sets the flags for the whole pattern.
  const lead = /^\(\?([ims]+)\)/.exec(pattern);
  if (lead) {
    for (const f of lead[1]) flags[f as keyof RegexFlags] = true;
    i = lead[0].length;
  }
  let out = '';
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const [text, len] = escapeOutside(pattern, i);
      out += text;
      i += len;
    } else if (c === '[') {
      const [text, len] = bracket(pattern, i);
      out += text;
      i += len;
    } else if (c === '(') {
      if (pattern.startsWith('(?:', i)) {
        out += '(?:';
        i += 3;
      } else if (pattern.startsWith('(?P<', i) || (pattern.startsWith('(?<', i) && pattern[i + 3] !== '=' && pattern[i + 3] !== '!')) {
        const close = pattern.indexOf('>', i);
        out += '(';
        i = close + 1;
      } else if (pattern[i + 1] === '?') {
        throw new RegexError(`the group syntax at position ${i} (${pattern.slice(i, i + 4)}…) has no PostgreSQL equivalent; put flags at the start or use the i/m/s sub-modifiers`);
      } else {
        out += '(';
        i += 1;
      }
    } else if (c === '{') {
      const bound = /^\{(\d*)(,(\d*))?\}/.exec(pattern.slice(i));
      if (bound) {
        const nums = [bound[1], bound[3]].filter((n) => n !== undefined && n !== '').map(Number);
        if (nums.some((n) => n > 255)) throw new RegexError('repetition counts above 255 are not supported');
        if (bound[1] === '') {
          // PCRE reads "{,n}" literally.
          out += '\\{';
          i += 1;
          continue;
        }
        out += bound[0];
        i += bound[0].length;
      } else {
        out += '\\{';
        i += 1;
      }
    } else if (c === '}') {
      out += '\\}';
      i += 1;
    } else {
      out += c;
      i += 1;
    }
  }
  // PCRE: `.` skips newlines unless s; ^ and $ see lines only with m. PostgreSQL embedded options:
  // p = partial newline-sensitive (. and [^…] skip newlines), n = newline-sensitive (and ^$ at lines),
  // s = not newline-sensitive, w = inverse partial (^$ at lines, . matches newlines).
  const mode = flags.m ? (flags.s ? 'w' : 'n') : flags.s ? 's' : 'p';
  return `(?${mode}${flags.i ? 'i' : ''})${out}`;
}

function hexEscape(code: number): string {
  return code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Character-entry escapes both dialects share, and \x forms. Returns [text, length] or null. */
function charEscape(p: string, i: number): [string, number] | null {
  const n = p[i + 1];
  if ('ntrfv'.includes(n)) return [`\\${n}`, 2];
  if (n === 'a') return ['\\u0007', 2];
  if (n === 'e') return ['\\u001b', 2];
  if (n === 'x') {
    const braced = /^\\x\{([0-9A-Fa-f]{1,8})\}/.exec(p.slice(i));
    if (braced) return [hexEscape(parseInt(braced[1], 16)), braced[0].length];
    const two = /^\\x([0-9A-Fa-f]{1,2})/.exec(p.slice(i));
    if (two) return [hexEscape(parseInt(two[1], 16)), two[0].length];
  }
  if (n !== undefined && !/[0-9A-Za-z]/.test(n)) return [`\\${n}`, 2];
  return null;
}

function escapeOutside(p: string, i: number): [string, number] {
  const n = p[i + 1];
  if ('dDwWsS'.includes(n)) return [`\\${n}`, 2];
  if (n === 'b') return ['\\y', 2];
  if (n === 'B') return ['\\Y', 2];
  if (n === 'A') return ['\\A', 2];
  if (n === 'z') return ['\\Z', 2];
  const entry = charEscape(p, i);
  if (entry) return entry;
  throw new RegexError(`the escape \\${n ?? ''} has no PostgreSQL equivalent`);
}

function bracket(p: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (p[i] === '^') {
    out += '^';
    i += 1;
  }
  if (p[i] === ']') {
    out += ']';
    i += 1;
  }
  while (i < p.length && p[i] !== ']') {
    if (p.startsWith('[:', i)) {
      const end = p.indexOf(':]', i);
      out += p.slice(i, end + 2);
      i = end + 2;
    } else if (p[i] === '\\') {
      const n = p[i + 1];
      if ('dws'.includes(n)) {
        out += `\\${n}`;
        i += 2;
      } else if ('DWS'.includes(n)) {
        throw new RegexError(`\\${n} inside [...] has no PostgreSQL equivalent`);
      } else {
        const entry = charEscape(p, i);
        if (!entry) throw new RegexError(`the escape \\${n ?? ''} inside [...] has no PostgreSQL equivalent`);
        out += entry[0];
        i += entry[1];
      }
    } else {
      out += p[i];
      i += 1;
    }
  }
  return [`${out}]`, i + 1 - start];
}
