/**
 * How Sigma names map onto the event table (evidence_events): log sources become filters on its `source` and
 * `type` columns, field names become columns or `fields->>'key'` expressions.
 *
 * Log sources (SigmaHQ taxonomy → rows of evidence_events):
 *
 * | logsource | rows |
 * | --- | --- |
 * | `product: linux` | every event not written by a web server, a database, a payment bill or a generic CSV/JSON file |
 * | `product: linux, service: auth` | authentication, session, sudo/su and account events (auth.log / secure) |
 * | `product: linux, service: sshd` / `sudo` / `su` / `cron` | `source` sshd / sudo / su / cron (CRON, crond) |
 * | `product: linux, service: syslog` | the same as `product: linux` (syslog holds them all) |
 * | `category: webserver` (`product: nginx|apache`, `service: access`) | `type = 'http.request'` (of that product) |
 * | `product: mysql` / `product: postgresql` | `source` mysql / postgres |
 * | `category: database` | `source` mysql or postgres, or a `db.*` type |
 * | `product: firedrill` | every event; `service: X` is `source = X`, `category: X` is `type` X or `X.*` |
 * | nothing | every event |
 *
 * Anything else (Windows, cloud, proxy …) is refused with `rule_unsupported`: no event here could match it.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { SigmaLogsource } from './types.js';

/** Sources that are not a Linux host's syslog/auth log. */
const NON_LINUX_SOURCES = ['nginx', 'apache', 'httpd', 'mysql', 'postgres', 'postgresql', 'wechatpay', 'alipay', 'csv', 'json', 'jsonl', 'app'];
/** What /var/log/auth.log (secure) holds. */
const AUTH_SOURCES = ['sshd', 'sudo', 'su', 'login', 'useradd', 'adduser', 'deluser', 'usermod', 'userdel', 'groupadd', 'groupdel', 'groupmod', 'passwd', 'chpasswd', 'chage', 'systemd-logind', 'polkitd', 'pkexec', 'gpasswd'];
const AUTH_TYPES = ['auth.success', 'auth.failure', 'session.open', 'session.close', 'privilege.escalation', 'account.create', 'account.change', 'account.delete'];

/** How a rule's log source narrows the table. */
export interface LogsourceScope {
  /** SQL over alias `e`; null: every event. */
  filter: SQL | null;
  /** Which field names apply: webserver names, database names, Linux names. */
  families: Set<FieldFamily>;
  /** A readable name for messages. */
  label: string;
}

export type FieldFamily = 'web' | 'db' | 'linux' | 'sudo';

const inList = (column: string, values: string[]) =>
  sql`${sql.raw(column)} in (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/** The filter and field families of a logsource; null when no event of the table can come from it. */
export function resolveLogsource(ls: SigmaLogsource): LogsourceScope | null {
  const product = ls.product?.toLowerCase();
  const category = ls.category?.toLowerCase();
  const service = ls.service?.toLowerCase();
  const label = [product && `product: ${product}`, category && `category: ${category}`, service && `service: ${service}`].filter(Boolean).join(', ') || 'any';
  const all: FieldFamily[] = ['web', 'db', 'linux', 'sudo'];
  if (product === 'firedrill') {
    const parts: SQL[] = [];
    if (service) parts.push(sql`e.source = ${service}`);
    if (category) parts.push(sql`(e.type = ${category} or e.type like ${`${category.replace(/[\\%_]/g, '\\$&')}.%`})`);
    return { filter: parts.length ? sql.join(parts, sql` and `) : null, families: new Set(all), label };
  }
  const parts: SQL[] = [];
  const families = new Set<FieldFamily>();
  if (product === undefined && category === undefined && service === undefined) return { filter: null, families: new Set(all), label };

  if (category === 'webserver' || ((product === 'nginx' || product === 'apache') && category === undefined)) {
    if (category !== undefined && category !== 'webserver') return null;
    if (product !== undefined && !['nginx', 'apache'].includes(product)) return null;
    if (product === 'nginx') parts.push(sql`e.source = 'nginx'`);
    if (product === 'apache') parts.push(sql`e.source in ('apache', 'httpd')`);
    if (service === 'error') parts.push(sql`e.type <> 'http.request'`);
    else if (service === undefined || service === 'access') parts.push(sql`e.type = 'http.request'`);
    else return null;
    families.add('web');
    return { filter: sql.join(parts, sql` and `), families, label };
  }
  if (category === 'database' || product === 'mysql' || product === 'postgresql' || product === 'postgres') {
    if (category !== undefined && category !== 'database') return null;
    if (product === 'mysql') parts.push(sql`e.source = 'mysql'`);
    else if (product === 'postgresql' || product === 'postgres') parts.push(sql`e.source in ('postgres', 'postgresql')`);
    else if (product === undefined) parts.push(sql`(e.source in ('mysql', 'postgres', 'postgresql') or e.type like 'db.%')`);
    else return null;
    if (service !== undefined) return null;
    families.add('db');
    return { filter: sql.join(parts, sql` and `), families, label };
  }
  if (product === 'linux' && category === undefined) {
    families.add('linux');
    const notOther = sql`e.source not in (${sql.join(NON_LINUX_SOURCES.map((v) => sql`${v}`), sql`, `)}) and e.type not in ('http.request', 'payment', 'refund')`;
    switch (service) {
      case undefined:
      case 'syslog':
        return { filter: notOther, families, label };
      case 'auth':
        return { filter: sql`(${inList('e.source', AUTH_SOURCES)} or ${inList('e.type', AUTH_TYPES)}) and ${notOther}`, families, label };
      case 'sshd':
        return { filter: sql`e.source = 'sshd'`, families, label };
      case 'sudo':
        families.add('sudo');
        return { filter: sql`e.source = 'sudo'`, families, label };
      case 'su':
        return { filter: sql`e.source = 'su'`, families, label };
      case 'cron':
        return { filter: sql`lower(e.source) in ('cron', 'crond', 'anacron')`, families, label };
      default:
        return null;
    }
  }
  return null;
}

/** What a field is in SQL: its text, and where it has them its number, address and presence. Over alias `e`. */
export interface FieldSql {
  text: SQL;
  /** numeric, or NULL when the value is not a number */
  number?: SQL;
  /** inet, for cidr */
  inet?: SQL;
  /** true when the field is present (even if null or empty) */
  exists: SQL;
  /** the event time, for the time modifiers */
  timestamp?: SQL;
  /** Text values are compared case-sensitively anyway (numbers, times): saves lower() on both sides. */
  caseless?: boolean;
  /** The column only holds lower-case values (event types, outcomes): only the rule's value is lowered, so an
   * index on the column serves. */
  lowercase?: boolean;
  /** Never NULL (a NOT NULL column): comparisons need no coalesce, which keeps them indexable. */
  notNull?: boolean;
}

const NUMERIC_TEXT = '^\\s*[-+]?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?\\s*$';
const IPV4 = '^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$';
const IPV6 = '^(?!.*::.*::)(?!.*:::)[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}$';

function jsonField(key: string): FieldSql {
  const text = sql`(e.fields ->> ${key})`;
  const json = sql`(e.fields -> ${key})`;
  return {
    text,
    number: sql`(case when jsonb_typeof(${json}) = 'number' then ${text}::numeric when jsonb_typeof(${json}) = 'string' and ${text} ~ ${NUMERIC_TEXT} then ${text}::numeric end)`,
    inet: sql`(case when ${text} ~ ${IPV4} or ${text} ~ ${IPV6} then ${text}::inet end)`,
    exists: sql`(e.fields ? ${key})`,
  };
}

function column(name: string, kind: 'text' | 'inet' | 'time' | 'int' | 'lowercase' = 'text'): FieldSql {
  const c = sql.raw(`e.${name}`);
  switch (kind) {
    case 'inet':
      return { text: sql`host(${c})`, inet: c, exists: sql`(${c} is not null)` };
    case 'time':
      return { text: sql`to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`, timestamp: c, exists: sql`(${c} is not null)`, caseless: true };
    case 'int':
      return { text: sql`(${c})::text`, number: sql`(${c})::numeric`, exists: sql`(${c} is not null)`, caseless: true };
    case 'lowercase':
      return { text: c, exists: sql`(${c} is not null)`, lowercase: true, notNull: name === 'type' };
    default:
      return { text: c, exists: sql`(${c} is not null)` };
  }
}

/** The first non-null of several fields. */
function firstOf(...parts: FieldSql[]): FieldSql {
  const pick = (k: 'text' | 'number' | 'inet') =>
    sql`coalesce(${sql.join(
      parts.map((p) => p[k] ?? sql`null`),
      sql`, `,
    )})`;
  return {
    text: pick('text'),
    number: parts.every((p) => p.number) ? pick('number') : undefined,
    inet: parts.every((p) => p.inet) ? pick('inet') : undefined,
    exists: sql`(${sql.join(
      parts.map((p) => p.exists),
      sql` or `,
    )})`,
  };
}

/** Local wall-clock parts of the event time in the run's time zone (virtual fields). */
function localPart(part: 'hour' | 'isodow' | 'minutes' | 'date', timeZone: string): FieldSql {
  const local = sql`(e.time at time zone ${timeZone})`;
  const number =
    part === 'minutes'
      ? sql`(extract(hour from ${local}) * 60 + extract(minute from ${local}))::numeric`
      : part === 'date'
        ? undefined
        : sql`extract(${sql.raw(part)} from ${local})::numeric`;
  const text = part === 'date' ? sql`to_char(${local}, 'YYYY-MM-DD')` : sql`(${number})::int::text`;
  return { text, number, exists: sql`(e.time is not null)`, caseless: true };
}

type FieldFactory = (timeZone: string) => FieldSql;

const webUri = (): FieldSql => {
  const path = sql`coalesce(e.fields ->> 'path', e.target)`;
  const query = sql`(e.fields ->> 'query')`;
  return {
    text: sql`(${path} || coalesce('?' || ${query}, ''))`,
    exists: sql`(${path} is not null)`,
  };
};

/**
 * Sigma field names → the event table, documented for rule authors. Every log source also accepts the table's
 * own column names (`time`, `host`, `source`, `type`, `user_name`, `src_ip`, `target`, `action`, `outcome`,
 * `message`, `line_no`) and any `fields` key as `fields.<key>`.
 */
export const SIGMA_FIELD_MAP: Record<string, { families: FieldFamily[] | 'all'; to: string; note?: string }> = {
  // generic (every log source)
  User: { families: 'all', to: 'user_name' },
  user: { families: 'all', to: 'user_name' },
  username: { families: 'all', to: 'user_name' },
  UserName: { families: 'all', to: 'user_name' },
  'user.name': { families: 'all', to: 'user_name' },
  SourceIp: { families: 'all', to: 'src_ip' },
  SourceIP: { families: 'all', to: 'src_ip' },
  SourceAddress: { families: 'all', to: 'src_ip' },
  'source.ip': { families: 'all', to: 'src_ip' },
  src_ip: { families: 'all', to: 'src_ip' },
  ClientIP: { families: 'all', to: 'src_ip' },
  Hostname: { families: 'all', to: 'host' },
  ComputerName: { families: 'all', to: 'host' },
  Computer: { families: 'all', to: 'host' },
  'host.name': { families: 'all', to: 'host' },
  DestinationHostname: { families: 'all', to: 'host', note: 'the machine the event happened on: the destination of a login or request' },
  Message: { families: 'all', to: 'message' },
  msg: { families: 'all', to: 'message' },
  ProcessName: { families: 'all', to: 'fields.program', note: 'the syslog tag, else the event source' },
  ProcessId: { families: 'all', to: 'fields.pid' },
  pid: { families: 'all', to: 'fields.pid' },
  EventType: { families: 'all', to: 'type' },
  TargetUserName: { families: 'all', to: 'fields.target_user', note: 'sudo/su target account' },
  TargetUser: { families: 'all', to: 'fields.target_user' },
  CommandLine: { families: 'all', to: 'fields.command', note: 'the command run through sudo (or a database command)' },
  AuthMethod: { families: 'all', to: 'fields.method', note: 'sshd: password, publickey, keyboard-interactive …' },
  local_hour: { families: 'all', to: 'virtual', note: 'hour 0–23 of the event time in the run time zone (default Asia/Shanghai)' },
  local_weekday: { families: 'all', to: 'virtual', note: 'ISO weekday 1 (Monday) – 7 (Sunday) in the run time zone' },
  local_minutes: { families: 'all', to: 'virtual', note: 'minutes since local midnight, 0–1439' },
  local_date: { families: 'all', to: 'virtual', note: 'local date YYYY-MM-DD' },
  // webserver (W3C extended log names, as SigmaHQ category: webserver rules use them)
  'c-ip': { families: ['web'], to: 'src_ip' },
  'cs-method': { families: ['web'], to: 'fields.method', note: 'else action' },
  'cs-uri-stem': { families: ['web'], to: 'fields.path', note: 'else target' },
  'cs-uri-query': {
    families: ['web'],
    to: 'path?query',
    note: 'the whole request target: SigmaHQ webserver rules put path patterns (../../etc/, /cgi-bin/.%2e/) into cs-uri-query, so it matches path and query',
  },
  'cs-uri': { families: ['web'], to: 'path?query' },
  'c-uri': { families: ['web'], to: 'path?query' },
  'c-uri-query': { families: ['web'], to: 'path?query' },
  'c-uri-stem': { families: ['web'], to: 'fields.path' },
  'sc-status': { families: ['web'], to: 'fields.status' },
  'c-useragent': { families: ['web'], to: 'fields.user_agent' },
  'cs-user-agent': { families: ['web'], to: 'fields.user_agent' },
  'cs-referer': { families: ['web'], to: 'fields.referrer' },
  'cs-referrer': { families: ['web'], to: 'fields.referrer' },
  'cs-host': { families: ['web'], to: 'fields.vhost', note: 'else host' },
  'cs-version': { families: ['web'], to: 'fields.protocol' },
  'cs-username': { families: ['web'], to: 'user_name' },
  'sc-bytes': { families: ['web'], to: 'fields.bytes' },
  's-computername': { families: ['web'], to: 'host' },
  // databases
  query: { families: ['db'], to: 'fields.sql', note: 'else message' },
  Query: { families: ['db'], to: 'fields.sql' },
  Statement: { families: ['db'], to: 'fields.sql' },
  statement: { families: ['db'], to: 'fields.sql' },
  Database: { families: ['db'], to: 'fields.database' },
  database: { families: ['db'], to: 'fields.database' },
  // sudo: the auth.log line's USER= is the target account, COMMAND= the command
  USER: { families: ['sudo'], to: 'fields.target_user' },
  COMMAND: { families: ['sudo'], to: 'fields.command' },
  PWD: { families: ['sudo'], to: 'fields.pwd' },
  TTY: { families: ['sudo'], to: 'fields.tty' },
};

const COLUMNS: Record<string, FieldFactory> = {
  time: () => column('time', 'time'),
  host: () => column('host'),
  source: () => ({ ...column('source'), notNull: true }),
  type: () => column('type', 'lowercase'),
  user_name: () => column('user_name'),
  src_ip: () => column('src_ip', 'inet'),
  target: () => column('target'),
  action: () => column('action'),
  outcome: () => column('outcome', 'lowercase'),
  message: () => ({ ...column('message'), notNull: true }),
  line_no: () => column('line_no', 'int'),
};

function mapped(to: string, name: string, timeZone: string): FieldSql {
  if (to === 'virtual') {
    const part = ({ local_hour: 'hour', local_weekday: 'isodow', local_minutes: 'minutes', local_date: 'date' } as const)[name as 'local_hour'];
    return localPart(part, timeZone);
  }
  if (to === 'path?query') return webUri();
  if (to.startsWith('fields.')) {
    const key = to.slice('fields.'.length);
    // A few keys fall back to a column the parsers fill too.
    const fallback = { method: 'action', path: 'target', vhost: 'host', sql: 'message', program: 'source' }[key];
    return fallback ? firstOf(jsonField(key), COLUMNS[fallback](timeZone)) : jsonField(key);
  }
  return COLUMNS[to](timeZone);
}

/** The SQL of a Sigma field name under a log source; undefined when the name is unknown there. */
export function resolveField(name: string, scope: LogsourceScope, timeZone: string): FieldSql | undefined {
  if (name.startsWith('fields.') && name.length > 'fields.'.length) return jsonField(name.slice('fields.'.length));
  if (Object.hasOwn(COLUMNS, name)) return COLUMNS[name](timeZone);
  const entry = Object.hasOwn(SIGMA_FIELD_MAP, name) ? SIGMA_FIELD_MAP[name] : undefined;
  if (!entry) return undefined;
  if (entry.families !== 'all' && !entry.families.some((f) => scope.families.has(f))) return undefined;
  return mapped(entry.to, name, timeZone);
}
