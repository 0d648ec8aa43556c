/**
 * PostgreSQL server logs.
 * - stderr (log_destination = stderr, also what the logging collector writes): a log_line_prefix then
 *   `SEVERITY:  message`. Common prefixes: `%m [%p] ` (default since 10), `%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h `
 *   (pgBadger's), `%t [%p-%l] %q%u@%d ` (Debian's), `%t:%r:%u@%d:[%p]:` (RDS). DETAIL / HINT / CONTEXT / STATEMENT /
 *   QUERY / LOCATION lines and lines without a prefix (the rest of a multi-line statement) belong to the message before.
 * - csvlog: one CSV record per message (23 columns up to 12, 24 with backend_type in 13, 26 in 14+), quoted fields
 *   with embedded newlines, parsed with csv-parse.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import type { EventType, FieldValue, Outcome } from '../event.js';
import { asIp } from './ip.js';
import { MultiLineParser, type RecordLines } from './records.js';
import { parseIsoAt, type ZonedClock } from './time.js';
import { makeEvent, type FormatParser, type ParserContext } from './types.js';
import { CsvFramer } from './csv-framing.js';

const PRIMARY = ['LOG', 'ERROR', 'FATAL', 'PANIC', 'WARNING', 'NOTICE', 'INFO', 'DEBUG', 'DEBUG1', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'DEBUG5'];
const SECONDARY = ['DETAIL', 'HINT', 'CONTEXT', 'STATEMENT', 'QUERY', 'LOCATION'];
const SEVERITY = new RegExp(`(?:^|[\\s:\\]])(${[...PRIMARY, ...SECONDARY].join('|')}):  `);
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?)(?: ([A-Za-z][A-Za-z0-9/_+-]*|[+-]\d{2}(?::?\d{2})?))?/;

/** What a message says, whatever the log format. */
export interface PgMessage {
  time: number | null;
  level: string;
  message: string;
  user: string | null;
  database: string | null;
  application: string | null;
  client: string | null;
  clientPort: number | null;
  pid: number | null;
  detail: string | null;
  hint: string | null;
  context: string | null;
  statement: string | null;
  sqlState: string | null;
  sessionId: string | null;
}

/** Reads a PostgreSQL timestamp with its zone: UTC/GMT/Z and numeric offsets as written, other names as the evidence's zone. */
export function parsePgTime(text: string, clock: ZonedClock): { time: number; length: number } | null {
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  const zone = m[2];
  let iso = m[1].replace(' ', 'T');
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z' || zone === 'UCT') iso += 'Z';
  else if (zone && /^[+-]/.test(zone)) iso += zone.length === 3 ? `${zone}:00` : zone;
  const parsed = parseIsoAt(iso, 0, clock);
  if (parsed === null || parsed.length !== iso.length) return null;
  return { time: parsed.time, length: m[0].length };
}

/** Turns a message into an event: connections, authentication failures, statements, durations, errors. */
export function pgEvent(msg: PgMessage, lineNo: number, offset: number, length: number) {
  const fields: Record<string, FieldValue> = { level: msg.level };
  if (msg.pid !== null) fields.pid = msg.pid;
  if (msg.database) fields.database = msg.database;
  if (msg.application) fields.application = msg.application;
  if (msg.detail) fields.detail = msg.detail;
  if (msg.hint) fields.hint = msg.hint;
  if (msg.context) fields.context = msg.context;
  if (msg.sqlState) fields.sql_state = msg.sqlState;
  if (msg.sessionId) fields.session_id = msg.sessionId;
  if (msg.clientPort !== null) fields.port = msg.clientPort;
  let type: EventType = 'log';
  let user = msg.user;
  let ip = asIp(msg.client);
  if (ip === null && msg.client && msg.client !== '[local]') fields.client_host = msg.client;
  let target = msg.database;
  let action: string | null = null;
  let outcome: Outcome | null = null;
  const text = msg.message;
  let x: RegExpExecArray | null;
  if (msg.statement) fields.sql = msg.statement;

  if ((x = /^connection received: host=(\S+?)(?: port=(\d+))?$/.exec(text))) {
    action = 'connection_received';
    ip = asIp(x[1]) ?? ip;
    if (x[2]) fields.port = Number(x[2]);
  } else if ((x = /^(replication )?connection authorized: user=(\S+)(?: database=(\S+))?(?: application_name=(\S+))?/.exec(text))) {
    type = 'db.connect';
    action = x[1] ? 'replication_connect' : 'connect';
    outcome = 'success';
    user = x[2];
    if (x[3]) {
      target = x[3];
      fields.database = x[3];
    }
    if (x[4]) fields.application = x[4];
  } else if ((x = /^disconnection: session time: (\S+) user=(\S+) database=(\S*) host=(\S+?)(?: port=(\d+))?$/.exec(text))) {
    type = 'session.close';
    action = 'disconnect';
    fields.session_time = x[1];
    user = x[2];
    if (x[3]) {
      target = x[3];
      fields.database = x[3];
    }
    ip = asIp(x[4]) ?? ip;
    if (x[5]) fields.port = Number(x[5]);
  } else if ((x = /^(?:(\w+) )?authentication failed for user "([^"]*)"/.exec(text))) {
    type = 'db.connect';
    action = 'connect';
    outcome = 'failure';
    user = x[2] || user;
    if (x[1]) fields.method = x[1].toLowerCase();
  } else if ((x = /^no pg_hba\.conf entry for (?:replication connection from )?host "([^"]*)", user "([^"]*)"(?:, database "([^"]*)")?/.exec(text))) {
    type = 'db.connect';
    action = 'connect';
    outcome = 'failure';
    ip = asIp(x[1]) ?? ip;
    user = x[2] || user;
    if (x[3]) target = x[3];
  } else if ((x = /^role "([^"]*)" does not exist/.exec(text)) && msg.level === 'FATAL') {
    type = 'db.connect';
    action = 'connect';
    outcome = 'failure';
    user = x[1] || user;
  } else if ((x = /^database "([^"]*)" does not exist/.exec(text)) && msg.level === 'FATAL') {
    type = 'db.connect';
    action = 'connect';
    outcome = 'failure';
    target = x[1];
  } else if ((x = /^(?:duration: ([\d.]+) ms {1,2})?(statement|execute [^:]*|parse [^:]*|bind [^:]*): ([\s\S]*)$/.exec(text))) {
    if (x[1]) fields.duration_ms = Number(x[1]);
    const kind = x[2];
    fields.sql = x[3];
    if (kind === 'statement' || kind.startsWith('execute')) {
      type = 'db.query';
      const verb = /^\s*(?:\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/.exec(x[3]);
      action = verb ? verb[1].toUpperCase() : null;
    } else action = kind.split(' ')[0];
    if (kind !== 'statement') fields.statement_name = kind.slice(kind.indexOf(' ') + 1);
  } else if ((x = /^duration: ([\d.]+) ms$/.exec(text))) {
    fields.duration_ms = Number(x[1]);
    action = 'duration';
  } else if (msg.level === 'ERROR' || msg.level === 'FATAL' || msg.level === 'PANIC') {
    type = 'db.error';
    outcome = 'failure';
    action = msg.level.toLowerCase();
  }
  return makeEvent(msg.time, null, 'postgres', type, user, ip, target, action, outcome, text, fields, lineNo, offset, length);
}

/** Reads the log_line_prefix part before the severity: pid, user, database, application, client. */
function readPrefix(prefix: string, msg: PgMessage): void {
  const pid = /\[(\d+)(?:-\d+)?\]/.exec(prefix);
  if (pid) msg.pid = Number(pid[1]);
  for (const kv of prefix.matchAll(/(?:^|[\s,:])(user|db|database|app|application|client|host|remote|session)=([^,\s]*)/g)) {
    const value = kv[2];
    if (!value || value === '[unknown]') continue;
    switch (kv[1]) {
      case 'user':
        msg.user = value;
        break;
      case 'db':
      case 'database':
        msg.database = value;
        break;
      case 'app':
      case 'application':
        msg.application = value;
        break;
      case 'client':
      case 'host':
      case 'remote': {
        const hp = /^(.*)\((\d+)\)$/.exec(value);
        msg.client = hp ? hp[1] : value;
        if (hp) msg.clientPort = Number(hp[2]);
        break;
      }
      case 'session':
        msg.sessionId = value;
        break;
    }
  }
  if (msg.user === null) {
    // %u@%d (Debian, RDS)
    const at = /(?:^|[\s:])([^\s:@[\]=,()]+)@([^\s:@[\]=,()]*)(?=[\s:,]|$)/.exec(prefix);
    if (at && at[1] !== '[unknown]') {
      msg.user = at[1];
      if (at[2] && at[2] !== '[unknown]') msg.database = at[2];
    }
  }
  if (msg.client === null) {
    // %r: host(port)
    const hp = /(?:^|[\s:])([0-9A-Za-z.:-]+)\((\d+)\)/.exec(prefix);
    if (hp) {
      msg.client = hp[1];
      msg.clientPort = Number(hp[2]);
    }
  }
}

interface StderrLine {
  time: number | null;
  prefix: string;
  severity: string;
  text: string;
}

export class PostgresParser extends MultiLineParser {
  private readonly clock: ZonedClock;

  constructor(ctx: ParserContext) {
    super(ctx);
    this.clock = ctx.clock;
  }

  private split(line: string): StderrLine | null {
    let time: number | null = null;
    let rest = line;
    const t = parsePgTime(line, this.clock);
    if (t) {
      time = t.time;
      rest = line.slice(t.length);
    } else if (!PRIMARY.concat(SECONDARY).some((s) => line.startsWith(`${s}:  `))) {
      return null;
    }
    const sev = SEVERITY.exec(rest);
    if (!sev) return null;
    const start = sev.index + (sev[0].length - sev[1].length - 3);
    return { time, prefix: rest.slice(0, start), severity: sev[1], text: rest.slice(start + sev[1].length + 3) };
  }

  protected kind(line: string): 'start' | 'skip' | 'continue' {
    const s = this.split(line);
    if (s === null) return 'continue';
    return PRIMARY.includes(s.severity) ? 'start' : 'continue';
  }

  protected toEvent(record: RecordLines) {
    const first = this.split(record.lines[0]);
    if (first === null) return null;
    const msg: PgMessage = {
      time: first.time,
      level: first.severity,
      message: first.text,
      user: null,
      database: null,
      application: null,
      client: null,
      clientPort: null,
      pid: null,
      detail: null,
      hint: null,
      context: null,
      statement: null,
      sqlState: null,
      sessionId: null,
    };
    readPrefix(first.prefix, msg);
    // Sections: the primary message, then DETAIL / HINT / CONTEXT / STATEMENT / QUERY lines; unprefixed lines
    // continue the section before them.
    let section = 'message';
    const parts: Record<string, string[]> = { message: [first.text] };
    for (const line of record.lines.slice(1)) {
      const s = this.split(line);
      if (s && SECONDARY.includes(s.severity)) {
        section = s.severity;
        (parts[section] ??= []).push(s.text);
      } else {
        (parts[section] ??= []).push(line.replace(/^\t/, ''));
      }
    }
    const joined = (k: string) => (parts[k] ? parts[k].join('\n').trimEnd() : null);
    msg.message = joined('message') ?? '';
    msg.detail = joined('DETAIL');
    msg.hint = joined('HINT');
    msg.context = joined('CONTEXT');
    msg.statement = joined('STATEMENT') ?? joined('QUERY');
    return pgEvent(msg, record.lineNo, record.offset, record.length);
  }

  /** A line whose prefix is secondary (DETAIL …) while no record is open still counts: the base class reports it. */
  static looksLike(line: string, clock: ZonedClock): boolean {
    const t = parsePgTime(line, clock);
    const rest = t ? line.slice(t.length) : line;
    return SEVERITY.test(rest) && (t !== null || PRIMARY.concat(SECONDARY).some((s) => line.startsWith(`${s}:  `)));
  }
}

/** csvlog columns by position (PostgreSQL 9.0 – 17). */
const CSV_COLUMNS = [
  'log_time',
  'user_name',
  'database_name',
  'process_id',
  'connection_from',
  'session_id',
  'session_line_num',
  'command_tag',
  'session_start_time',
  'virtual_transaction_id',
  'transaction_id',
  'error_severity',
  'sql_state_code',
  'message',
  'detail',
  'hint',
  'internal_query',
  'internal_query_pos',
  'context',
  'query',
  'query_pos',
  'location',
  'application_name',
  'backend_type',
  'leader_pid',
  'query_id',
] as const;

export class PostgresCsvParser implements FormatParser {
  private readonly framer: CsvFramer;

  constructor(private readonly ctx: ParserContext) {
    this.framer = new CsvFramer(ctx, (text, lineNo, offset, length, lineCount) => this.record(text, lineNo, offset, length, lineCount));
  }

  line(text: string, start: number, end: number, lineNo: number, offset: number, length: number): void {
    this.framer.line(text, start, end, lineNo, offset, length);
  }

  broken(lineNo: number): void {
    this.framer.broken(lineNo);
  }

  finish(): void {
    this.framer.finish();
  }

  private record(text: string, lineNo: number, offset: number, length: number, lineCount: number): void {
    let rows: string[][];
    try {
      rows = parseCsv(text, { relax_column_count: true, bom: false, skip_empty_lines: false }) as string[][];
    } catch {
      this.ctx.sink.unparsed(lineNo, lineCount);
      return;
    }
    const row = rows.length === 1 ? rows[0] : null;
    if (row === null || row.length < 23 || row.length > 26) {
      this.ctx.sink.unparsed(lineNo, lineCount);
      return;
    }
    const col = (name: (typeof CSV_COLUMNS)[number]) => {
      const i = CSV_COLUMNS.indexOf(name);
      return i < row.length && row[i] !== '' ? row[i] : null;
    };
    const t = parsePgTime(row[0], this.ctx.clock);
    if (t === null || t.length !== row[0].length || col('error_severity') === null || col('message') === null) {
      this.ctx.sink.unparsed(lineNo, lineCount);
      return;
    }
    let client: string | null = null;
    let clientPort: number | null = null;
    const from = col('connection_from');
    if (from) {
      const hp = /^(.*):(\d+)$/.exec(from);
      if (hp && asIp(hp[1])) {
        client = hp[1];
        clientPort = Number(hp[2]);
      } else client = from;
    }
    const msg: PgMessage = {
      time: t.time,
      level: col('error_severity')!,
      message: col('message')!,
      user: col('user_name'),
      database: col('database_name'),
      application: col('application_name'),
      client,
      clientPort,
      pid: col('process_id') ? Number(col('process_id')) : null,
      detail: col('detail'),
      hint: col('hint'),
      context: col('context'),
      statement: col('query') ?? col('internal_query'),
      sqlState: col('sql_state_code'),
      sessionId: col('session_id'),
    };
    const event = pgEvent(msg, lineNo, offset, length);
    const tag = col('command_tag');
    if (tag) event.fields.command = tag;
    const backend = col('backend_type');
    if (backend) event.fields.backend_type = backend;
    if (msg.sqlState && msg.sqlState !== '00000' && event.type === 'log' && /^(ERROR|FATAL|PANIC)$/.test(msg.level)) event.type = 'db.error';
    this.ctx.sink.emit(event);
  }
}
