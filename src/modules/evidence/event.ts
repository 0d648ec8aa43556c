/**
 * The normalized event: what every log parser produces and what the event table (evidence_events), the search
 * and the Sigma rules work on. One shape for auth logs, web servers, databases and payment bills.
 */

/** Event types. A parser uses the most specific one it can tell; `log` when it cannot classify a line. */
export const EVENT_TYPES = [
  'auth.success',
  'auth.failure',
  'session.open',
  'session.close',
  'privilege.escalation',
  'account.create',
  'account.change',
  'account.delete',
  'cron.exec',
  'process.exec',
  'http.request',
  'db.connect',
  'db.query',
  'db.error',
  'payment',
  'refund',
  'log',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const OUTCOMES = ['success', 'failure'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A JSON value kept in `fields`. */
export type FieldValue = string | number | boolean | null;

/**
 * One event as a parser produces it. Strings are never empty: absent is null.
 *
 * Conventional `fields` keys (snake_case), so search, rules and the Sigma field mapping agree:
 * - every parser: `pid` (number), `program` (syslog tag), `severity`/`facility` (syslog), `level` (db logs)
 * - syslog (RFC 5424): `msgid`, `structured_data` (the raw [SD] text), `procid` (when not a number); rsyslog's
 *   "message repeated N times": `repeated` (number)
 * - auth: `method` (password | publickey | keyboard-interactive …), `port` (number), `tty`, `command` (sudo, cron),
 *   `target_user` (sudo/su), `pwd`, `invalid_user` (true: sshd said the account does not exist), `preauth` (true:
 *   before authentication), `rhost` (client host name when not an address), `key_type`/`fingerprint` (public
 *   keys), `reason` (why a connection ended or sudo refused), `attempts`/`count` (numbers), `uid`/`euid` (numbers),
 *   `ruser`, `logname`, `by_user` (who opened a PAM session or changed an account), `pam_module`, `pam_service`,
 *   `session_id` (systemd-logind); accounts: `group`, `gid`, `home`, `shell`, `from`, `new_name`
 * - http: `method`, `path`, `query` (without the leading ?), `protocol`, `status` (number), `bytes` (number),
 *   `referrer`, `user_agent`, `vhost`, `x_forwarded_for`, `remote_host` (client when not an address), `request`
 *   (a request line that is not METHOD TARGET PROTOCOL), `extra` (appended fields without a name); appended
 *   `name=value` fields keep their name (`rt`, `uct` …)
 * - db: `database`, `sql`, `command` (Query | Connect | Quit … ; csvlog's command tag), `thread_id` (number),
 *   `duration_ms` (number), `sql_state`, `rows` (number), `via` (MySQL: TCP/IP | Socket), `client_host`,
 *   `application`, `detail`/`hint`/`context` (PostgreSQL), `session_id`, `session_time`, `statement_name`,
 *   `backend_type`, `port` (client port)
 * - payment: `amount` (number, yuan; for a refund the refunded amount), `currency`, `order_id`, `transaction_id`,
 *   `merchant_id`, `trade_type`, `trade_state`, `payer` (openid), `product`, `fee` (number), `refund_amount`
 *   (number); WeChat Pay bills also `order_amount`, `settlement_amount`, `coupon_amount`, `refund_id`,
 *   `refund_order_id`, `refund_type`, `refund_state`, `sub_merchant_id`, `app_id`, `device`, `bank`, `rate`,
 *   `attach`
 * - json / csv: the record's other keys as they are (nested JSON keys dotted: `trace.id`)
 * Parser-specific extras are allowed under other keys.
 */
export interface ParsedEvent {
  /** Milliseconds since the epoch (UTC); null when the line carries no time. */
  time: number | null;
  host: string | null;
  /** What wrote the line: sshd, sudo, su, useradd, cron, nginx, apache, mysql, postgres, wechatpay, csv, json … */
  source: string;
  type: EventType;
  /** The account the event is about (the one logging in, running the query, paying …). */
  user: string | null;
  /** Client / source address, only when it is a valid IPv4 or IPv6 address (goes into an inet column). */
  srcIp: string | null;
  /** What was acted on: a URL path, a database, a target account, a merchant … */
  target: string | null;
  /** The verb: login, logout, sudo, GET, SELECT, withdraw … */
  action: string | null;
  outcome: Outcome | null;
  /** The human-readable part of the line (syslog message, request line, SQL, …): free-text search runs over it. */
  message: string;
  fields: Record<string, FieldValue>;
}

/** Where a parsed event came from in its evidence file (decompressed bytes), so its original line can be shown. */
export interface RawRef {
  /** 1-based number of the event's first line. */
  lineNo: number;
  /** Byte offset of the first line in the decompressed file. */
  offset: number;
  /** Bytes the event spans (one line, or several for multi-line records), without the final newline. */
  length: number;
}

export type LocatedEvent = ParsedEvent & RawRef;
