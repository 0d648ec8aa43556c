/**
 * Format detection from the first bytes of a file: each format's line recogniser is tried on up to 200 lines and
 * the share of lines it recognises is its score; the file name adds a little.
 */
import iconv from 'iconv-lite';
import { binaryShare, BINARY_THRESHOLD, bomLength, completeLines, detectEncoding, type EncodingName } from './encoding.js';
import { guessDelimiter, parseRecord } from './csv.js';
import { looksLikeMysqlLine } from './mysql.js';
import { PostgresParser } from './postgres.js';
import { ZonedClock } from './time.js';
import type { ParserName } from './types.js';
import { isWechatHeader } from './wechatpay.js';

/** Bytes read before deciding encoding and format. */
export const SAMPLE_BYTES = 64 * 1024;
const MAX_LINES = 200;

export interface Detection {
  parser: ParserName;
  encoding: EncodingName;
  confidence: number;
}

const SYSLOG_3164 = /^(?:<\d{1,3}>)?[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?:\.\d+)? (?:\S+ )?([^\s[:]+)(?:\[\d+\])?: /;
const SYSLOG_3339 = /^(?:<\d{1,3}>)?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})? \S+ ([^\s[:]+)(?:\[\d+\])?: /;
const SYSLOG_5424 = /^<\d{1,3}>1 (?:-|\d{4}-\d{2}-\d{2}T\S+) \S+ (\S+) \S+ \S+ (?:-|\[)/;
const AUTH_PROGRAMS = /^(sshd|sshd-session|sshd-auth|sudo|su|CRON|cron|CROND|crond|useradd|userdel|usermod|groupadd|groupdel|groupmod|passwd|chpasswd|gpasswd|chage|systemd-logind|login|polkitd|pkexec|dbus-daemon|unix_chkpwd)$/;
const ACCESS = /^(?:\S+ )?\S+ \S+ \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2}(?: [+-]\d{4})?\] "/;
const ACCESS_EXTRA = /" \d{3} (?:\d+|-) "[^"]*" "[^"]*" \S/;
const PG_CSV = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? [A-Za-z0-9+-]+,/;

const clock = new ZonedClock('UTC');

/** Guesses the format of decoded lines; see detectFormat. */
export function detectFormatIn(sample: Buffer, filename: string | undefined, encoding: EncodingName, whole: boolean): Detection | null {
  const body = sample.subarray(bomLength(sample, encoding));
  const cut = whole ? body : completeLines(body);
  const text = iconv.decode(cut.length > 0 ? cut : body, encoding === 'utf8' ? 'utf8' : encoding);
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim().length > 0)
    .slice(0, MAX_LINES);
  if (lines.length === 0) return null;
  const name = (filename ?? '').toLowerCase();
  const scores = new Map<ParserName, number>();
  const share = (test: (line: string) => boolean) => lines.filter(test).length / lines.length;

  // A bill announces itself by its header.
  if (lines.slice(0, 10).some(isWechatHeader)) scores.set('wechatpay', 0.98);

  // Syslog, and auth.log when most programs are authentication ones.
  let syslogLines = 0;
  let authLines = 0;
  for (const line of lines) {
    const m = SYSLOG_3164.exec(line) ?? SYSLOG_3339.exec(line) ?? SYSLOG_5424.exec(line);
    if (m) {
      syslogLines++;
      if (AUTH_PROGRAMS.test(m[1]) || / pam_\w+\(/.test(line)) authLines++;
    }
  }
  if (syslogLines > 0) {
    const s = syslogLines / lines.length;
    const authy = authLines / syslogLines >= 0.5 || /auth|secure/.test(name);
    scores.set(authy ? 'auth' : 'syslog', s);
  }

  const access = share((l) => ACCESS.test(l));
  if (access > 0) {
    // The formats are the same; nginx configurations often append fields, Apache's rarely: the name decides.
    const nginxExtras = share((l) => ACCESS_EXTRA.test(l)) > 0.5;
    scores.set(/apache|httpd/.test(name) && !nginxExtras ? 'apache' : 'nginx', access);
  }

  const mysql = share(looksLikeMysqlLine);
  if (mysql > 0) scores.set('mysql', looksLikeMysqlLine(lines[0]) ? Math.max(mysql, 0.6) : mysql);

  const pg = share((l) => PostgresParser.looksLike(l, clock));
  if (pg > 0) scores.set('postgres', PostgresParser.looksLike(lines[0], clock) ? Math.max(pg, 0.6) : pg);

  const pgCsvStarts = lines.filter((l) => PG_CSV.test(l));
  if (pgCsvStarts.length > 0) {
    const full = pgCsvStarts.filter((l) => {
      const cells = parseRecord(l, ',');
      return cells !== null && cells.length >= 23 && cells.length <= 26;
    }).length;
    const s = pgCsvStarts.length / lines.length;
    scores.set('postgres-csv', full > 0 ? Math.max(s, 0.6) : s * 0.5);
  }

  const json = share((l) => {
    const t = l.trim();
    if (!t.startsWith('{')) return false;
    try {
      const v = JSON.parse(t);
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    } catch {
      return false;
    }
  });
  if (json > 0) scores.set('jsonl', json);

  // Generic CSV: a header and rows with as many cells.
  if (lines.length >= 1 && !scores.has('wechatpay')) {
    const delimiter = guessDelimiter(lines[0]);
    const header = parseRecord(lines[0], delimiter);
    if (header !== null && header.length >= 2) {
      // Rows are records: a quoted field may span lines.
      const rows: string[] = [];
      let open: string[] = [];
      let quotes = 0;
      for (const l of lines.slice(1)) {
        open.push(l);
        quotes += l.split('"').length - 1;
        if (quotes % 2 === 0) {
          rows.push(open.join('\n'));
          open = [];
          quotes = 0;
        }
      }
      const same = rows.length === 0 ? 1 : rows.filter((l) => parseRecord(l, delimiter)?.length === header.length).length / rows.length;
      const headerish = header.every((h) => h.trim().length > 0 && !/^\d+(\.\d+)?$/.test(h.trim()));
      scores.set('csv', same * (headerish ? 0.55 : 0.35));
    }
  }

  // File-name hints.
  const hint = (parser: ParserName, re: RegExp) => {
    if (re.test(name) && scores.has(parser)) scores.set(parser, scores.get(parser)! + 0.1);
  };
  hint('auth', /auth|secure/);
  hint('syslog', /syslog|messages/);
  hint('nginx', /nginx|access/);
  hint('apache', /apache|httpd|access/);
  hint('mysql', /mysql|general|query/);
  hint('postgres', /postgres|pg/);
  hint('postgres-csv', /postgres|pg|\.csv$/);
  hint('jsonl', /\.(jsonl|ndjson|json)$/);
  hint('csv', /\.(csv|tsv)$/);
  hint('wechatpay', /wechat|weixin|wxpay|微信/);

  let best: ParserName | null = null;
  let bestScore = 0;
  for (const [parser, score] of scores) {
    if (score > bestScore) {
      best = parser;
      bestScore = score;
    }
  }
  if (best === null || bestScore < 0.3) return null;
  return { parser: best, encoding, confidence: Math.min(1, Math.round(bestScore * 100) / 100) };
}

/**
 * Guesses format and encoding from the first bytes of a file (64 KiB is plenty) and its name; null when the bytes
 * are binary, in no encoding we read, or no format fits.
 */
export function detectFormat(sample: Buffer, filename?: string): Detection | null {
  const probe = sample.subarray(0, SAMPLE_BYTES);
  if (probe.length === 0 || binaryShare(probe) > BINARY_THRESHOLD) return null;
  const whole = sample.length < SAMPLE_BYTES;
  const encoding = detectEncoding(probe, whole);
  if (encoding === null) return null;
  return detectFormatIn(probe, filename, encoding, whole);
}
