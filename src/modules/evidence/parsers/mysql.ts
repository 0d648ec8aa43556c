/**
 * MySQL general query log. Two layouts:
 * - 5.1–5.6: `YYMMDD HH:MM:SS\t    ID Command\tArgument`, the time only when it changed (else the line starts
 *   with two tabs), local time of the server;
 * - 5.7 / 8.x: `2024-01-02T03:04:05.123456Z\t   ID Command\tArgument` (UTC, or an offset with
 *   log_timestamps=SYSTEM).
 * A query over several lines continues on the following lines. The header a server writes at each start
 * ("… started with:", "Tcp port: …", "Time  Id Command  Argument") is skipped.
 */
import type { FieldValue } from '../event.js';
import { asIp } from './ip.js';
import { MultiLineParser, type RecordLines } from './records.js';
import { digits, parseIsoAt, type ZonedClock } from './time.js';
import { makeEvent, type ParserContext } from './types.js';

/** Commands of the general log (COM_* names as the server prints them), longest first where one prefixes another. */
const COMMANDS = [
  'Binlog Dump GTID',
  'Binlog Dump',
  'Change user',
  'Close stmt',
  'Connect Out',
  'Connect',
  'Create DB',
  'Daemon',
  'Debug',
  'Delayed insert',
  'Drop DB',
  'Error',
  'Execute',
  'Fetch',
  'Field List',
  'Init DB',
  'Kill',
  'Long Data',
  'Ping',
  'Prepare',
  'Processlist',
  'Query',
  'Quit',
  'Refresh',
  'Register Replica',
  'Register Slave',
  'Reset Connection',
  'Reset stmt',
  'Set option',
  'Shutdown',
  'Sleep',
  'Statistics',
  'Table Dump',
  'Time',
  'Clone',
];

/** "   12 Query\t…" after the time: thread id, command, argument. */
const ENTRY = new RegExp(`^[ \\t]*(\\d+)[ \\t]+(${COMMANDS.map((c) => c.replace(/ /g, ' ')).join('|')})(?:\\t|[ ]+|$)([\\s\\S]*)$`);
const OLD_TIME = /^(\d{2})(\d{2})(\d{2}) ([ \d]\d):(\d{2}):(\d{2})[ \t]/;
const ISO_START = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

interface Thread {
  user: string | null;
  host: string | null;
  db: string | null;
}

export class MysqlParser extends MultiLineParser {
  private readonly clock: ZonedClock;
  /** The 5.6 layout prints the time only when it changes. */
  private lastTime: number | null = null;
  private readonly threads = new Map<number, Thread>();

  constructor(ctx: ParserContext) {
    super(ctx);
    this.clock = ctx.clock;
  }

  protected kind(line: string): 'start' | 'skip' | 'continue' {
    if (isHeader(line)) return 'skip';
    return this.entry(line) ? 'start' : 'continue';
  }

  /** Reads a record's first line: time (or null: same as before), thread, command, argument. */
  private entry(line: string): { time: number | null | undefined; id: number; command: string; argument: string } | null {
    let rest: string;
    let time: number | null | undefined;
    if (line.startsWith('\t\t')) {
      rest = line.slice(2);
      time = undefined;
    } else if (ISO_START.test(line)) {
      const iso = parseIsoAt(line, 0, this.clock);
      if (iso === null) return null;
      time = iso.time;
      rest = line.slice(iso.length);
      if (!/^[ \t]/.test(rest)) return null;
    } else {
      const old = OLD_TIME.exec(line);
      if (!old) return null;
      const [, yy, mo, dd, hh, mi, ss] = old;
      const month = Number(mo);
      const day = Number(dd);
      const hour = Number(hh.trim());
      if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || Number(mi) > 59 || Number(ss) > 60) return null;
      time = this.clock.fieldsToUtc(2000 + Number(yy), month, day, hour, Number(mi), Number(ss));
      rest = line.slice(old[0].length - 1);
    }
    const m = ENTRY.exec(rest);
    if (!m) return null;
    return { time, id: Number(m[1]), command: m[2], argument: m[3] };
  }

  protected toEvent(record: RecordLines) {
    const first = this.entry(record.lines[0]);
    if (first === null) return null;
    if (first.time !== undefined) this.lastTime = first.time;
    const time = first.time === undefined ? this.lastTime : first.time;
    const argument = [first.argument, ...record.lines.slice(1)].join('\n').replace(/\s+$/, '');
    const { id, command } = first;
    const fields: Record<string, FieldValue> = { thread_id: id, command };
    let thread = this.threads.get(id) ?? null;
    const make = (type: Parameters<typeof makeEvent>[3], user: string | null, srcIp: string | null, target: string | null, action: string | null, outcome: 'success' | 'failure' | null, message: string) =>
      makeEvent(time, null, 'mysql', type, user, srcIp, target, action, outcome, message, fields, record.lineNo, record.offset, record.length);

    switch (command) {
      case 'Connect':
      case 'Change user': {
        // "app@10.0.0.5 on shop using TCP/IP", "root@localhost on  using Socket", "root@localhost as anonymous on test"
        const ok = /^(.*)@(\S*)(?: as (\S+))? on (\S*)(?: using (.+))?$/.exec(argument);
        if (ok) {
          const [, user, host, proxy, db, via] = ok;
          thread = { user: user || null, host: host || null, db: db || null };
          if (this.threads.size > 100_000) this.threads.clear();
          this.threads.set(id, thread);
          if (db) fields.database = db;
          if (via) fields.via = via;
          if (proxy) fields.proxy_user = proxy;
          const ip = asIp(host);
          if (host && ip === null) fields.client_host = host;
          return make('db.connect', user || null, ip, db || null, 'connect', 'success', argument);
        }
        // "Access denied for user 'root'@'10.0.0.5' (using password: YES)"
        const denied = /^Access denied for user '([^']*)'@'([^']*)'/.exec(argument);
        if (denied) {
          const [, user, host] = denied;
          const ip = asIp(host);
          if (host && ip === null) fields.client_host = host;
          return make('db.connect', user || null, ip, null, 'connect', 'failure', argument);
        }
        return make('db.connect', null, null, null, 'connect', null, argument);
      }
      case 'Init DB': {
        if (thread) thread.db = argument || thread.db;
        if (argument) fields.database = argument;
        fields.sql = `USE ${argument}`;
        return make('db.query', thread?.user ?? null, asIp(thread?.host), argument || null, 'USE', null, argument);
      }
      case 'Query':
      case 'Execute':
      case 'Prepare': {
        fields.sql = argument;
        if (thread?.db) fields.database = thread.db;
        const verb = /^\s*(?:\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/.exec(argument);
        return make('db.query', thread?.user ?? null, asIp(thread?.host), thread?.db ?? null, verb ? verb[1].toUpperCase() : command.toUpperCase(), null, argument);
      }
      case 'Quit': {
        this.threads.delete(id);
        return make('session.close', thread?.user ?? null, asIp(thread?.host), thread?.db ?? null, 'quit', null, argument || 'Quit');
      }
      default:
        if (thread?.db) fields.database = thread.db;
        return make('log', thread?.user ?? null, asIp(thread?.host), null, command.toLowerCase().replace(/ /g, '_'), null, argument || command);
    }
  }
}

function isHeader(line: string): boolean {
  return (
    / started with:\s*$/.test(line) ||
    /^Tcp port: \d+\s+Unix socket: /.test(line) ||
    /^Time\s+Id\s+Command\s+Argument\s*$/.test(line)
  );
}

/** True when a line looks like a record of the general log (for format detection). */
export function looksLikeMysqlLine(line: string): boolean {
  if (isHeader(line)) return true;
  let rest: string;
  if (line.startsWith('\t\t')) rest = line.slice(2);
  else if (ISO_START.test(line)) rest = line.replace(/^\S+/, '');
  else if (OLD_TIME.test(line) && digits(line, 0, 6) >= 0) rest = line.slice(15);
  else return false;
  return ENTRY.test(rest);
}
