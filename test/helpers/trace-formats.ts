/**
 * Strict descriptions of the real formats the generators must emit, written from the programs' own output
 * (OpenSSH 7.6 / pam_unix / sudo 1.8 / rsyslog, nginx combined, MySQL 5.7 general log, WeChat Pay bills), for
 * the tests. Each checker returns the line's time (ms) or throws naming what is wrong.
 */
import iconv from 'iconv-lite';
import { FUND_BILL_HEADER, FUND_BILL_SUMMARY_HEADER, TRADE_BILL_HEADER, TRADE_BILL_SUMMARY_HEADER } from '../../src/modules/scenarios/traces/writers/wechatpay.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const IPV4 = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}`;
const USER = String.raw`[a-z_][a-z0-9_.-]*`;

/** Message formats per syslog program, as each program writes them. */
const AUTH_MESSAGES: Record<string, RegExp[]> = {
  sshd: [
    new RegExp(String.raw`^Accepted password for ${USER} from ${IPV4} port \d+ ssh2$`),
    new RegExp(String.raw`^Accepted publickey for ${USER} from ${IPV4} port \d+ ssh2: RSA SHA256:[A-Za-z0-9+/]{43}$`),
    new RegExp(String.raw`^pam_unix\(sshd:session\): session opened for user ${USER} by \(uid=0\)$`),
    new RegExp(String.raw`^pam_unix\(sshd:session\): session closed for user ${USER}$`),
    new RegExp(String.raw`^Received disconnect from ${IPV4} port \d+:11: disconnected by user$`),
    new RegExp(String.raw`^Received disconnect from ${IPV4} port \d+:11: Bye Bye \[preauth\]$`),
    new RegExp(String.raw`^Disconnected from user ${USER} ${IPV4} port \d+$`),
    new RegExp(String.raw`^Disconnected from (?:invalid|authenticating) user ${USER} ${IPV4} port \d+ \[preauth\]$`),
    new RegExp(String.raw`^Invalid user ${USER} from ${IPV4} port \d+$`),
    new RegExp(String.raw`^input_userauth_request: invalid user ${USER} \[preauth\]$`),
    /^pam_unix\(sshd:auth\): check pass; user unknown$/,
    // pam_unix: "rhost=%s %s%s" with " user=" and the name, or nothing (a trailing space).
    new RegExp(String.raw`^pam_unix\(sshd:auth\): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${IPV4} (?: user=${USER})?$`),
    new RegExp(String.raw`^Failed password for (?:invalid user )?${USER} from ${IPV4} port \d+ ssh2$`),
    new RegExp(String.raw`^PAM [12] more authentication failures?; logname= uid=0 euid=0 tty=ssh ruser= rhost=${IPV4} (?: user=${USER})?$`),
    new RegExp(String.raw`^Did not receive identification string from ${IPV4} port \d+$`),
  ],
  'systemd-logind': [new RegExp(String.raw`^New session \d+ of user ${USER}\.$`), /^Removed session \d+\.$/],
  CRON: [new RegExp(String.raw`^pam_unix\(cron:session\): session opened for user ${USER} by \(uid=0\)$`), new RegExp(String.raw`^pam_unix\(cron:session\): session closed for user ${USER}$`)],
  sudo: [
    new RegExp(String.raw`^ *${USER} : TTY=pts/\d+ ; PWD=/\S* ; USER=root ; COMMAND=/\S+(?: .+)?$`),
    new RegExp(String.raw`^pam_unix\(sudo:session\): session opened for user root by ${USER}\(uid=0\)$`),
    /^pam_unix\(sudo:session\): session closed for user root$/,
  ],
  groupadd: [new RegExp(String.raw`^group added to /etc/(?:group: name=${USER}, GID=\d+|gshadow: name=${USER})$`), new RegExp(String.raw`^new group: name=${USER}, GID=\d+$`)],
  useradd: [new RegExp(String.raw`^new user: name=${USER}, UID=\d+, GID=\d+, home=/home/${USER}, shell=/bin/(?:bash|sh)$`)],
  passwd: [new RegExp(String.raw`^pam_unix\(passwd:chauthtok\): password changed for ${USER}$`)],
  usermod: [new RegExp(String.raw`^add '${USER}' to (?:shadow )?group '${USER}'$`)],
};

const SYSLOG_MESSAGES: Record<string, RegExp[]> = {
  CRON: [new RegExp(String.raw`^\(${USER}\) CMD \(.+\)$`)],
  systemd: [/^(?:Starting|Stopping) [A-Z][\w -]+\.\.\.$/, /^(?:Started|Stopped) [A-Z][\w -]+\.$/],
  rsyslogd: [/^\[origin software="rsyslogd" swVersion="[\d.]+" x-pid="\d+" x-info="http:\/\/www\.rsyslog\.com"\] rsyslogd was HUPed$/],
  // Samba vfs_full_audit with prefix %u|%I|%m|%S: user|client IP|client name|share|operation|ok|arguments
  smbd_audit: [new RegExp(String.raw`^${USER}\|${IPV4}\|[a-z0-9-]+\|[a-z]+\|(?:pwrite|renameat|unlinkat|mkdirat)\|ok\|[^|]+(?:\|[^|]+)?$`)],
};

/** Programs that log without a pid (sudo, smbd_audit, rsyslogd). */
const NO_PID = new Set(['sudo', 'smbd_audit', 'rsyslogd']);

/** RFC 3164 as rsyslog writes it: `Apr 17 23:41:07 host program[pid]: message`; the year comes from the caller. */
export function checkSyslogLine(line: string, kind: 'auth' | 'syslog', host: string, year: number, offset: string): number {
  const m = /^([A-Z][a-z]{2}) ([ 0-3]\d) (\d\d):(\d\d):(\d\d) (\S+) ([A-Za-z_-]+)(\[(\d+)\])?: (.*)$/s.exec(line);
  if (!m) throw new Error(`not an RFC 3164 line: ${line}`);
  const [, mon, day, hh, mm, ss, h, program, pidPart, , message] = m;
  const month = MONTHS.indexOf(mon);
  if (month < 0) throw new Error(`bad month: ${line}`);
  if (day[0] === '0') throw new Error(`day padded with 0 instead of a space: ${line}`);
  if (h !== host) throw new Error(`host ${h} instead of ${host}: ${line}`);
  if (NO_PID.has(program) === Boolean(pidPart)) throw new Error(`pid ${pidPart ? 'present' : 'missing'} for ${program}: ${line}`);
  const patterns = (kind === 'auth' ? AUTH_MESSAGES : SYSLOG_MESSAGES)[program];
  if (!patterns) throw new Error(`program ${program} does not write to ${kind}: ${line}`);
  if (!patterns.some((p) => p.test(message))) throw new Error(`${program} message not in its format: ${line}`);
  return Date.parse(`${year}-${String(month + 1).padStart(2, '0')}-${day.trim().padStart(2, '0')}T${hh}:${mm}:${ss}${offset}`);
}

const NGINX = new RegExp(
  String.raw`^(${IPV4}) - (-|\S+) \[(\d\d)/([A-Z][a-z]{2})/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})\] "((?:GET|POST|PUT|HEAD|DELETE|OPTIONS) (?:[^ "\\]|\\x[0-9A-F]{2})+ HTTP/1\.[01]|(?:\\x[0-9A-F]{2})+)" ([1-5]\d\d) (\d+) "((?:[^"\\]|\\x[0-9A-F]{2})*)" "((?:[^"\\]|\\x[0-9A-F]{2})*)"$`,
);

/** nginx `combined`: `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`. */
export function checkNginxLine(line: string): number {
  const m = NGINX.exec(line);
  if (!m) throw new Error(`not nginx combined: ${line}`);
  if (/[^\x20-\x7e]/.test(line)) throw new Error(`unescaped byte: ${line}`);
  const [, , , dd, mon, yyyy, hh, mi, ss, tz] = m;
  return Date.parse(`${yyyy}-${String(MONTHS.indexOf(mon) + 1).padStart(2, '0')}-${dd}T${hh}:${mi}:${ss}${tz.slice(0, 3)}:${tz.slice(3)}`);
}

export const MYSQL_BANNER = [/^\/usr\/sbin\/mysqld, Version: 5\.7\.\d+[-\w.]*(?: \(\(Ubuntu\)\))?\. started with:$/, /^Tcp port: \d+ {2}Unix socket: \/\S+\.sock$/, /^Time {17}Id Command {4}Argument$/];
const MYSQL_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{6})Z\t( *)(\d+) (Connect|Query|Quit|Init DB)\t(.*)$/;
const MYSQL_CONNECT = new RegExp(String.raw`^(?:${USER}@(?:localhost|${IPV4}) on (?:[a-z_]+)? using (?:Socket|TCP/IP|SSL/TLS)|Access denied for user '${USER}'@'${IPV4}' \(using password: (?:YES|NO)\))$`);

/** MySQL 5.7 general log record (File_query_log::write_general: time, tab, "%5u ", command, tab, argument). Returns µs. */
export function checkMysqlLine(line: string): { micros: number; thread: number; command: string; argument: string } {
  const m = MYSQL_LINE.exec(line);
  if (!m) throw new Error(`not a MySQL 5.7 general log record: ${line}`);
  const [, time, micros, pad, id, command, argument] = m;
  if (pad.length + id.length !== Math.max(5, id.length) || id[0] === '0') throw new Error(`thread id not "%5u": ${line}`);
  if (command === 'Connect' && !MYSQL_CONNECT.test(argument)) throw new Error(`bad Connect argument: ${line}`);
  if (command === 'Quit' && argument !== '') throw new Error(`Quit with an argument: ${line}`);
  if ((command === 'Query' || command === 'Init DB') && argument.trim() === '') throw new Error(`empty ${command}: ${line}`);
  return { micros: Date.parse(`${time}Z`) * 1000 + Number(micros), thread: Number(id), command, argument };
}

/** One JSON object per line, "time" first as ISO 8601 with offset, money with exactly two decimals. */
export function checkJsonLine(line: string): { time: number; record: Record<string, unknown> } {
  if (!line.startsWith('{"time":"')) throw new Error(`"time" is not the first key: ${line}`);
  const record = JSON.parse(line) as Record<string, unknown>;
  const time = record.time;
  if (typeof time !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/.test(time)) throw new Error(`bad time: ${line}`);
  for (const key of ['user', 'ip', 'action', 'result']) if (typeof record[key] !== 'string' || record[key] === '') throw new Error(`missing ${key}: ${line}`);
  if (!new RegExp(`^${IPV4}$`).test(record.ip as string)) throw new Error(`bad ip: ${line}`);
  if ('amount' in record && !/"amount":\d+\.\d{2}[,}]/.test(line)) throw new Error(`amount without two decimals: ${line}`);
  if (JSON.stringify(record) !== line.replace(/"amount":(\d+)\.(\d{2})/, (_, i: string, d: string) => `"amount":${Number(`${i}.${d}`)}`)) throw new Error(`not compact JSON: ${line}`);
  return { time: Date.parse(time), record };
}

export interface Bill {
  rows: string[][];
  summary: string[];
  times: number[];
}

/**
 * A WeChat Pay bill as downloaded: GBK, CRLF, header, rows with every value prefixed by a backtick, the summary
 * header and one summary row (backticks too). `kind` picks the trade or the fund-flow layout.
 */
export function checkBill(content: Buffer, kind: 'trade' | 'fund', offset: string): Bill {
  const text = iconv.decode(content, 'gbk');
  if (!iconv.encode(text, 'gbk').equals(content)) throw new Error('GBK round trip changed the bytes');
  if (text.includes('\uFFFD')) throw new Error('undecodable bytes');
  if (!text.endsWith('\r\n') || /[^\r]\n/.test(text)) throw new Error('lines must end with CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  const [header, summaryHeader, width, summaryWidth] = kind === 'trade' ? [TRADE_BILL_HEADER, TRADE_BILL_SUMMARY_HEADER, 27, 7] : [FUND_BILL_HEADER, FUND_BILL_SUMMARY_HEADER, 11, 5];
  if (lines[0] !== header) throw new Error(`header: ${lines[0]}`);
  if (lines[lines.length - 2] !== summaryHeader) throw new Error(`summary header: ${lines[lines.length - 2]}`);
  const parse = (line: string, n: number) => {
    const fields = line.split(',');
    if (fields.length !== n || !fields.every((f) => f.startsWith('`'))) throw new Error(`row of ${fields.length} fields, or a field without a backtick: ${line}`);
    return fields.map((f) => f.slice(1));
  };
  const rows = lines.slice(1, -2).map((l) => parse(l, width));
  const summary = parse(lines[lines.length - 1], summaryWidth);
  const times = rows.map((r) => {
    if (!/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(r[0])) throw new Error(`bad time ${r[0]}`);
    return Date.parse(`${r[0].replace(' ', 'T')}${offset}`);
  });
  return { rows, summary, times };
}
