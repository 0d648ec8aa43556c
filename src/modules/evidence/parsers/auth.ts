/**
 * Classifies the messages of authentication-related programs in syslog lines (auth.log / secure): sshd, sudo, su,
 * cron, login, systemd-logind, the shadow-utils account tools and PAM. Message texts are those of OpenSSH 7–9,
 * sudo 1.8–1.9, util-linux su, shadow-utils 4.x, cronie / Debian cron and Linux-PAM's pam_unix.
 */
import type { EventType, FieldValue, Outcome } from '../event.js';
import { ipAt } from './ip.js';

/** What the classifiers need from the line's syslog header. */
export interface AuthHeader {
  program: string;
  /** Set by "message repeated N times": added to the events' fields. */
  repeated: number;
  baseFields(): Record<string, FieldValue>;
  emit(
    source: string,
    type: EventType,
    user: string | null,
    srcIp: string | null,
    target: string | null,
    action: string | null,
    outcome: Outcome | null,
    message: string,
    fields: Record<string, FieldValue>,
  ): void;
}

/** Emits the event for an auth-related message at text[m, end); false when it is not one we classify. */
export function classifyAuth(h: AuthHeader, text: string, m: number, end: number): boolean {
  if (text.charCodeAt(m) === 109 && text.startsWith('message repeated ', m)) {
    // rsyslog: "message repeated 3 times: [ Failed password for root from 1.2.3.4 port 22 ssh2]"
    const times = text.indexOf(' times: [', m + 17);
    if (times > 0 && text.charCodeAt(end - 1) === 93) {
      const n = Number(text.slice(m + 17, times));
      if (Number.isInteger(n) && n > 0) {
        h.repeated = n;
        let inner = times + 9;
        if (text.charCodeAt(inner) === 32) inner++;
        return classifyAuth(h, text, inner, end - 1);
      }
    }
    return false;
  }
  const program = h.program;
  switch (program) {
    case 'sshd':
    case 'sshd-session':
    case 'sshd-auth':
      return sshd(h, text, m, end);
    case 'sudo':
      return sudo(h, text, m, end);
    case 'su':
      return su(h, text, m, end);
    case 'CRON':
    case 'cron':
    case 'CROND':
    case 'crond':
      return cron(h, text, m, end);
    case 'systemd-logind':
      return logind(h, text, m, end);
    case 'login':
      return login(h, text, m, end);
    case 'useradd':
    case 'userdel':
    case 'usermod':
    case 'groupadd':
    case 'groupdel':
    case 'groupmod':
    case 'passwd':
    case 'chpasswd':
    case 'gpasswd':
    case 'chage':
    case 'newusers':
      return account(h, text, m, end);
    default:
      return text.charCodeAt(m) === 112 && text.startsWith('pam_', m) ? pam(h, text, m, end) : false;
  }
}

// Scratch results of userIpPort (one line at a time).
let uUser: string | null = null;
let uIp: string | null = null;
let uHost: string | null = null;
let uPort = -1;
let uInvalid = false;
/** Index just after the port number. */
let uRest = 0;

/**
 * Reads "[authenticating |invalid ]user NAME ADDR port N" or "ADDR port N" at text[p, end) (OpenSSH's
 * connection-close messages). False when there is no " port ".
 */
function userIpPort(text: string, p: number, end: number): boolean {
  uUser = null;
  uIp = null;
  uHost = null;
  uPort = -1;
  uInvalid = false;
  const k = text.indexOf(' port ', p);
  if (k < 0 || k >= end) return false;
  const sp = text.lastIndexOf(' ', k - 1);
  const addrStart = sp < p ? p : sp + 1;
  uIp = ipAt(text, addrStart, k);
  if (uIp === null && k > addrStart) uHost = text.slice(addrStart, k);
  if (addrStart > p) {
    let u = p;
    if (text.startsWith('authenticating user ', u)) u += 20;
    else if (text.startsWith('invalid user ', u)) {
      u += 13;
      uInvalid = true;
    } else if (text.startsWith('user ', u)) u += 5;
    if (addrStart - 1 > u) uUser = text.slice(u, addrStart - 1);
  }
  let q = k + 6;
  let port = 0;
  const q0 = q;
  while (q < end) {
    const d = text.charCodeAt(q) - 48;
    if (d < 0 || d > 9) break;
    port = port * 10 + d;
    q++;
  }
  uPort = q > q0 ? port : -1;
  uRest = q;
  return true;
}

const MAX_ATTEMPTS = 'error: maximum authentication attempts exceeded for ';

function endsWithPreauth(text: string, end: number): boolean {
  return text.charCodeAt(end - 1) === 93 && text.startsWith('[preauth]', end - 9);
}

function sshd(h: AuthHeader, text: string, m: number, end: number): boolean {
  switch (text.charCodeAt(m)) {
    case 65: // Accepted
      if (text.startsWith('Accepted ', m)) return sshLogin(h, text, m, m + 9, end, true);
      break;
    case 70: // Failed
      if (text.startsWith('Failed ', m)) return sshLogin(h, text, m, m + 7, end, false);
      break;
    case 73: // Invalid user NAME from ADDR [port N]
      if (text.startsWith('Invalid user ', m)) {
        const from = text.lastIndexOf(' from ', end);
        if (from < m + 12) break;
        const u = m + 13;
        const addrStart = from + 6;
        let addrEnd = text.indexOf(' ', addrStart);
        if (addrEnd < 0 || addrEnd > end) addrEnd = end;
        const f = h.baseFields();
        f.invalid_user = true;
        const ip = ipAt(text, addrStart, addrEnd);
        if (ip === null && addrEnd > addrStart) f.rhost = text.slice(addrStart, addrEnd);
        if (text.startsWith(' port ', addrEnd)) {
          const port = Number.parseInt(text.slice(addrEnd + 6, Math.min(end, addrEnd + 12)), 10);
          if (port >= 0) f.port = port;
        }
        h.emit('sshd', 'auth.failure', from > u ? text.slice(u, from) : null, ip, null, 'invalid_user', 'failure', text.slice(m, end), f);
        return true;
      }
      break;
    case 67: // Connection closed by … / Connection reset by …
      if (text.startsWith('Connection closed by ', m)) return sshClose(h, text, m, m + 21, end, 'disconnect');
      if (text.startsWith('Connection reset by ', m)) return sshClose(h, text, m, m + 20, end, 'disconnect');
      break;
    case 68: // Disconnected from … / Disconnecting …
      if (text.startsWith('Disconnected from ', m)) return sshClose(h, text, m, m + 18, end, 'disconnect');
      if (text.startsWith('Disconnecting ', m)) return sshClose(h, text, m, m + 14, end, 'disconnect');
      if (text.startsWith('Disconnecting: ', m)) return sshClose(h, text, m, m + 15, end, 'disconnect');
      break;
    case 82: // Received disconnect from ADDR port N:11: reason
      if (text.startsWith('Received disconnect from ', m)) return sshClose(h, text, m, m + 25, end, 'disconnect');
      break;
    case 112: // pam_unix(sshd:…)
      if (text.startsWith('pam_', m)) return pam(h, text, m, end);
      break;
    case 80: // PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root
      if (text.startsWith('PAM ', m)) {
        const more = text.indexOf(' more authentication failure', m + 4);
        if (more > m + 4) {
          const f = h.baseFields();
          f.count = Number(text.slice(m + 4, more)) || 0;
          return pamKeyValues(h, text, m, text.indexOf(';', more), end, 'auth.failure', 'login', 'failure', f);
        }
      }
      break;
    case 101: // error: maximum authentication attempts exceeded for [invalid user ]NAME from ADDR port N ssh2 [preauth]
      if (text.startsWith(MAX_ATTEMPTS, m)) return sshLogin(h, text, m, m + MAX_ATTEMPTS.length, end, false, 'max_attempts');
      break;
  }
  // Any other sshd line: keep its client address when it names one ("Connection from A port N", "… from A").
  const f = h.baseFields();
  let ip: string | null = null;
  const from = text.indexOf(' from ', m);
  if (from >= 0 && from < end) {
    let s = from + 6;
    if (text.startsWith('invalid user ', s) || text.startsWith('authenticating user ', s)) {
      userIpPort(text, s, end);
      ip = uIp;
    } else {
      let e = text.indexOf(' ', s);
      if (e < 0 || e > end) e = end;
      if (text.charCodeAt(s) === 91 && text.charCodeAt(e - 1) === 93) {
        s++;
        e--;
      }
      ip = ipAt(text, s, e);
    }
  }
  h.emit('sshd', 'log', null, ip, null, null, null, text.slice(m, end), f);
  return true;
}

/**
 * "Accepted|Failed METHOD for [invalid user ]NAME from ADDR port N ssh2[: KEYTYPE FINGERPRINT]" (p after the verb),
 * also "maximum authentication attempts exceeded for …" (method absent, p after "for ").
 */
function sshLogin(h: AuthHeader, text: string, m: number, p: number, end: number, success: boolean, action = 'login'): boolean {
  let method: string | null = null;
  let u = p;
  if (action === 'login') {
    const forAt = text.indexOf(' for ', p);
    if (forAt < 0 || forAt > end) return false;
    method = text.slice(p, forAt);
    u = forAt + 5;
  }
  let invalid = false;
  if (text.startsWith('invalid user ', u)) {
    invalid = true;
    u += 13;
  }
  const from = text.lastIndexOf(' from ', end - 6);
  if (from < u - 1) return false;
  const addrStart = from + 6;
  let addrEnd = text.indexOf(' ', addrStart);
  if (addrEnd < 0 || addrEnd > end) addrEnd = end;
  const ip = ipAt(text, addrStart, addrEnd);
  const f = h.baseFields();
  if (method !== null) f.method = method;
  if (ip === null && addrEnd > addrStart) f.rhost = text.slice(addrStart, addrEnd);
  if (text.startsWith(' port ', addrEnd)) {
    let q = addrEnd + 6;
    let port = 0;
    const q0 = q;
    while (q < end) {
      const d = text.charCodeAt(q) - 48;
      if (d < 0 || d > 9) break;
      port = port * 10 + d;
      q++;
    }
    if (q > q0) f.port = port;
    // " ssh2: RSA SHA256:…" for public keys
    const colon = text.indexOf(': ', q);
    if (colon > 0 && colon < end) {
      const key = text.slice(colon + 2, end);
      const sp = key.indexOf(' ');
      if (sp > 0) {
        f.key_type = key.slice(0, sp);
        f.fingerprint = key.slice(sp + 1);
      }
    }
  }
  if (invalid) f.invalid_user = true;
  if (endsWithPreauth(text, end)) f.preauth = true;
  h.emit('sshd', success ? 'auth.success' : 'auth.failure', from > u ? text.slice(u, from) : null, ip, null, action, success ? 'success' : 'failure', text.slice(m, end), f);
  return true;
}

/** OpenSSH connection ends; p after the leading words. */
function sshClose(h: AuthHeader, text: string, m: number, p: number, end: number, action: string): boolean {
  const f = h.baseFields();
  if (userIpPort(text, p, end)) {
    if (uPort >= 0) f.port = uPort;
    if (uHost !== null) f.rhost = uHost;
    if (uInvalid) f.invalid_user = true;
    // ":11: Bye Bye [preauth]" or ": Too many authentication failures [preauth]"
    let r = uRest;
    if (text.charCodeAt(r) === 58) {
      r++;
      const c = text.indexOf(': ', r);
      if (c > r && c < end && c - r <= 3) r = c + 2;
      else if (text.charCodeAt(r) === 32) r++;
      let re = endsWithPreauth(text, end) ? end - 10 : end;
      while (re > r && text.charCodeAt(re - 1) === 32) re--;
      if (re > r) f.reason = text.slice(r, re);
    }
  } else {
    let r = p;
    let re = endsWithPreauth(text, end) ? end - 10 : end;
    while (re > r && text.charCodeAt(re - 1) === 32) re--;
    if (re > r) f.reason = text.slice(r, re);
    uUser = null;
    uIp = null;
  }
  if (endsWithPreauth(text, end)) f.preauth = true;
  h.emit('sshd', 'session.close', uUser, uIp, null, action, null, text.slice(m, end), f);
  return true;
}

/** pam_MODULE(SERVICE:KIND): … — session opened/closed, authentication failure, password changed. */
function pam(h: AuthHeader, text: string, m: number, end: number): boolean {
  const open = text.indexOf('(', m);
  const colon = text.indexOf(':', open + 1);
  const close = text.indexOf('): ', colon + 1);
  if (open < 0 || colon < 0 || close < 0 || close >= end || close - m > 64) return false;
  const service = text.slice(open + 1, colon);
  const kind = text.slice(colon + 1, close);
  const r = close + 3;
  const f = h.baseFields();
  f.pam_module = text.slice(m, open);
  f.pam_service = service;
  const source = sourceName(h.program || service);
  if (text.startsWith('session opened for user ', r) || text.startsWith('session closed for user ', r)) {
    const opened = text.charCodeAt(r + 8) === 111;
    const u = r + 24;
    // "root(uid=0) by alice(uid=1000)" / "root by (uid=0)" / "root"
    let userEnd = u;
    while (userEnd < end) {
      const c = text.charCodeAt(userEnd);
      if (c === 40 || c === 32) break;
      userEnd++;
    }
    const user = text.slice(u, userEnd);
    let q = userEnd;
    if (text.charCodeAt(q) === 40) {
      const e = text.indexOf(')', q);
      const uid = e > q ? Number(text.slice(q + 5, e)) : Number.NaN;
      if (text.startsWith('(uid=', q) && Number.isInteger(uid)) f.uid = uid;
      q = e < 0 ? end : e + 1;
    }
    if (text.startsWith(' by ', q)) {
      const b = q + 4;
      let be = b;
      while (be < end && text.charCodeAt(be) !== 40 && text.charCodeAt(be) !== 32) be++;
      if (be > b) f.by_user = text.slice(b, be);
    }
    h.emit(source, opened ? 'session.open' : 'session.close', user, null, null, opened ? 'session_open' : 'session_close', null, text.slice(m, end), f);
    return true;
  }
  if (text.startsWith('authentication failure;', r)) {
    return pamKeyValues(h, text, m, r + 22, end, 'auth.failure', service === 'sshd' ? 'login' : service, 'failure', f, source);
  }
  if (text.startsWith('check pass; user unknown', r)) {
    f.reason = 'user unknown';
    h.emit(source, 'auth.failure', null, null, null, service === 'sshd' ? 'login' : service, 'failure', text.slice(m, end), f);
    return true;
  }
  if (text.startsWith('password changed for ', r)) {
    h.emit(source, 'account.change', text.slice(r + 21, end).trim(), null, null, 'password_change', 'success', text.slice(m, end), f);
    return true;
  }
  if (text.startsWith('auth could not identify password for [', r)) {
    const e = text.indexOf(']', r + 38);
    h.emit(source, 'auth.failure', e > r + 38 ? text.slice(r + 38, e) : null, null, null, service === 'sshd' ? 'login' : service, 'failure', text.slice(m, end), f);
    return true;
  }
  void kind;
  return false;
}

/** "…; logname=X uid=N euid=N tty=T ruser=R rhost=H  user=U" from `semi` (the ';'). */
function pamKeyValues(
  h: AuthHeader,
  text: string,
  m: number,
  semi: number,
  end: number,
  type: EventType,
  action: string,
  outcome: Outcome,
  f: Record<string, FieldValue>,
  source = 'sshd',
): boolean {
  let user: string | null = null;
  let ip: string | null = null;
  let p = semi < 0 ? end : semi + 1;
  while (p < end) {
    while (p < end && text.charCodeAt(p) === 32) p++;
    let e = text.indexOf(' ', p);
    if (e < 0 || e > end) e = end;
    const eq = text.indexOf('=', p);
    if (eq > p && eq < e) {
      const key = text.slice(p, eq);
      if (e > eq + 1) {
        const value = text.slice(eq + 1, e);
        if (key === 'user') user = value;
        else if (key === 'rhost') {
          ip = ipAt(value, 0, value.length);
          if (ip === null) f.rhost = value;
        } else if (key === 'uid' || key === 'euid') {
          const n = Number(value);
          f[key] = Number.isInteger(n) ? n : value;
        } else if (key === 'tty' || key === 'ruser' || key === 'logname') f[key] = value;
      }
    }
    p = e + 1;
  }
  if (user === null && typeof f.ruser === 'string') user = f.ruser;
  h.emit(source, type, user, ip, null, action, outcome, text.slice(m, end), f);
  return true;
}

/** sudo: "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls" (and failure notes before TTY). */
function sudo(h: AuthHeader, text: string, m: number, end: number): boolean {
  let p = m;
  while (p < end && text.charCodeAt(p) === 32) p++;
  if (text.startsWith('pam_', p)) return pam(h, text, p, end);
  const sep = text.indexOf(' : ', p);
  if (sep <= p || sep >= end) return false;
  const user = text.slice(p, sep);
  if (user.indexOf(' ') >= 0) return false;
  const f = h.baseFields();
  let outcome: Outcome = 'success';
  let target: string | null = null;
  let q = sep + 3;
  while (q < end) {
    if (text.startsWith('COMMAND=', q)) {
      f.command = text.slice(q + 8, end);
      break;
    }
    let e = text.indexOf(' ; ', q);
    if (e < 0 || e > end) e = end;
    const eq = text.indexOf('=', q);
    if (eq > q && eq < e && isUpperKey(text, q, eq)) {
      const key = text.slice(q, eq);
      const value = text.slice(eq + 1, e);
      if (key === 'USER') target = value;
      else if (key === 'TTY') f.tty = value;
      else if (key === 'PWD') f.pwd = value;
      else f[key.toLowerCase()] = value;
    } else if (e > q) {
      // "3 incorrect password attempts", "user NOT in sudoers", "command not allowed", "a password is required"
      outcome = 'failure';
      const note = text.slice(q, e);
      f.reason = note;
      const attempts = /^(\d+) incorrect password attempts?$/.exec(note);
      if (attempts) f.attempts = Number(attempts[1]);
    }
    q = e + 3;
  }
  if (target !== null) f.target_user = target;
  h.emit('sudo', 'privilege.escalation', user, null, target, 'sudo', outcome, text.slice(p, end), f);
  return true;
}

function isUpperKey(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || c === 95)) return false;
  }
  return true;
}

const SU_TO = /^(FAILED SU )?\(to (\S+)\) (\S+) on (\S+)$/;
const SU_FOR = /^(Successful|FAILED) su for (\S+) by (\S+)$/;
const SU_SHORT = /^([+-]) (\S+) (\S+?):(\S+)$/;

function su(h: AuthHeader, text: string, m: number, end: number): boolean {
  if (text.startsWith('pam_', m)) return pam(h, text, m, end);
  const msg = text.slice(m, end);
  const f = h.baseFields();
  let to = SU_TO.exec(msg);
  if (to) {
    f.target_user = to[2];
    f.tty = to[4];
    h.emit('su', 'privilege.escalation', to[3], null, to[2], 'su', to[1] ? 'failure' : 'success', msg, f);
    return true;
  }
  to = SU_FOR.exec(msg);
  if (to) {
    f.target_user = to[2];
    h.emit('su', 'privilege.escalation', to[3], null, to[2], 'su', to[1] === 'FAILED' ? 'failure' : 'success', msg, f);
    return true;
  }
  to = SU_SHORT.exec(msg);
  if (to) {
    f.tty = to[2];
    f.target_user = to[4];
    h.emit('su', 'privilege.escalation', to[3], null, to[4], 'su', to[1] === '-' ? 'failure' : 'success', msg, f);
    return true;
  }
  return false;
}

/** cron: "(root) CMD (command)"; PAM session lines. */
function cron(h: AuthHeader, text: string, m: number, end: number): boolean {
  if (text.charCodeAt(m) === 40) {
    const close = text.indexOf(') ', m);
    if (close > m + 1 && close < end && text.startsWith('CMD (', close + 2)) {
      const f = h.baseFields();
      const cmdEnd = text.charCodeAt(end - 1) === 41 ? end - 1 : end;
      f.command = text.slice(close + 7, cmdEnd);
      h.emit('cron', 'cron.exec', text.slice(m + 1, close), null, null, 'cmd', null, text.slice(m, end), f);
      return true;
    }
    return false;
  }
  if (text.startsWith('pam_', m)) return pam(h, text, m, end);
  return false;
}

const LOGIND_NEW = /^New session (\S+) of user (\S+?)\.?$/;
const LOGIND_REMOVED = /^Removed session (\S+?)\.?$/;

function logind(h: AuthHeader, text: string, m: number, end: number): boolean {
  const msg = text.slice(m, end);
  const f = h.baseFields();
  const started = LOGIND_NEW.exec(msg);
  if (started) {
    f.session_id = started[1];
    h.emit('systemd-logind', 'session.open', started[2], null, null, 'session_open', null, msg, f);
    return true;
  }
  const removed = LOGIND_REMOVED.exec(msg);
  if (removed) {
    f.session_id = removed[1];
    h.emit('systemd-logind', 'session.close', null, null, null, 'session_close', null, msg, f);
    return true;
  }
  return false;
}

const LOGIN_FAILED = /^FAILED LOGIN \(?(\d+)\)? (?:ON|FROM) '?(\S+?)'? FOR '?(\S+?)'?, (.+)$/;
const LOGIN_ROOT = /^ROOT LOGIN\s+ON '?(\S+?)'?(?: FROM '?(\S+?)'?)?$/;
const LOGIN_OK = /^LOGIN ON '?(\S+?)'? BY '?(\S+?)'?(?: FROM '?(\S+?)'?)?$/;

function login(h: AuthHeader, text: string, m: number, end: number): boolean {
  if (text.startsWith('pam_', m)) return pam(h, text, m, end);
  const msg = text.slice(m, end);
  const f = h.baseFields();
  let x = LOGIN_FAILED.exec(msg);
  if (x) {
    f.tty = x[2];
    f.attempts = Number(x[1]);
    f.reason = x[4];
    h.emit('login', 'auth.failure', x[3], null, null, 'login', 'failure', msg, f);
    return true;
  }
  x = LOGIN_ROOT.exec(msg);
  if (x) {
    f.tty = x[1];
    h.emit('login', 'auth.success', 'root', x[2] ? ipAt(x[2], 0, x[2].length) : null, null, 'login', 'success', msg, f);
    return true;
  }
  x = LOGIN_OK.exec(msg);
  if (x) {
    f.tty = x[1];
    h.emit('login', 'auth.success', x[2], x[3] ? ipAt(x[3], 0, x[3].length) : null, null, 'login', 'success', msg, f);
    return true;
  }
  return false;
}

interface AccountRule {
  re: RegExp;
  type: EventType;
  action: string;
  /** Which groups give user, target and the named fields. */
  user?: number;
  target?: number;
  fields?: Record<string, number>;
}

/** shadow-utils messages (useradd, userdel, usermod, groupadd, groupdel, passwd, chpasswd, gpasswd, chage). */
const ACCOUNT_RULES: AccountRule[] = [
  { re: /^new user: name=([^,]+), UID=(\d+), GID=(\d+), home=([^,]*), shell=([^,]*)(?:, from=(.*))?$/, type: 'account.create', action: 'user_create', user: 1, target: 1, fields: { uid: 2, gid: 3, home: 4, shell: 5, from: 6 } },
  { re: /^new group: name=([^,]+), GID=(\d+)$/, type: 'account.create', action: 'group_create', target: 1, fields: { group: 1, gid: 2 } },
  { re: /^group added to (\S+): name=([^,]+)(?:, GID=(\d+))?$/, type: 'account.create', action: 'group_create', target: 2, fields: { group: 2, gid: 3, file: 1 } },
  { re: /^add '([^']+)' to (?:shadow )?group '([^']+)'$/, type: 'account.change', action: 'group_add', user: 1, target: 2, fields: { group: 2 } },
  { re: /^delete '([^']+)' from (?:shadow )?group '([^']+)'$/, type: 'account.change', action: 'group_remove', user: 1, target: 2, fields: { group: 2 } },
  { re: /^user (\S+) added by (\S+) to group (\S+)$/, type: 'account.change', action: 'group_add', user: 1, target: 3, fields: { group: 3, by_user: 2 } },
  { re: /^user (\S+) removed by (\S+) from group (\S+)$/, type: 'account.change', action: 'group_remove', user: 1, target: 3, fields: { group: 3, by_user: 2 } },
  { re: /^delete user '([^']+)'$/, type: 'account.delete', action: 'user_delete', user: 1, target: 1 },
  { re: /^removed (?:shadow )?group '([^']+)' owned by '([^']+)'$/, type: 'account.delete', action: 'group_delete', target: 1, fields: { group: 1, owner: 2 } },
  { re: /^group '([^']+)' removed(?: from (\S+))?$/, type: 'account.delete', action: 'group_delete', target: 1, fields: { group: 1, file: 2 } },
  { re: /^change user name '([^']+)' to '([^']+)'$/, type: 'account.change', action: 'user_rename', user: 1, target: 2, fields: { new_name: 2 } },
  { re: /^change user '([^']+)' password$/, type: 'account.change', action: 'password_change', user: 1, target: 1 },
  { re: /^password for '([^']+)' changed by '([^']+)'$/, type: 'account.change', action: 'password_change', user: 1, target: 1, fields: { by_user: 2 } },
  { re: /^(lock|unlock) user '([^']+)' password$/, type: 'account.change', action: 'password_lock', user: 2, target: 2, fields: { change: 1 } },
  { re: /^change user '([^']+)' (\w+) from '([^']*)' to '([^']*)'$/, type: 'account.change', action: 'user_change', user: 1, target: 1, fields: { attribute: 2, from: 3, to: 4 } },
  { re: /^changed password expiry for (\S+)$/, type: 'account.change', action: 'password_expiry', user: 1, target: 1 },
];

function account(h: AuthHeader, text: string, m: number, end: number): boolean {
  if (text.startsWith('pam_', m)) return pam(h, text, m, end);
  const msg = text.slice(m, end);
  for (const rule of ACCOUNT_RULES) {
    const x = rule.re.exec(msg);
    if (!x) continue;
    const f = h.baseFields();
    for (const [key, group] of Object.entries(rule.fields ?? {})) {
      const v = x[group];
      if (v === undefined || v === '') continue;
      f[key] = /^(uid|gid)$/.test(key) ? Number(v) : v;
    }
    h.emit(sourceName(h.program), rule.type, rule.user ? x[rule.user] : null, null, rule.target ? x[rule.target] : null, rule.action, 'success', msg, f);
    return true;
  }
  return false;
}

/** The event source for a syslog program name: sshd-session is sshd, CRON is cron, paths lose their folder. */
export function sourceName(program: string): string {
  switch (program) {
    case 'sshd':
    case 'sudo':
    case 'su':
    case 'cron':
      return program;
    case 'sshd-session':
    case 'sshd-auth':
      return 'sshd';
    case 'CRON':
    case 'CROND':
    case 'crond':
      return 'cron';
  }
  const slash = program.lastIndexOf('/');
  const base = slash >= 0 ? program.slice(slash + 1) : program;
  return base.length > 0 ? base : 'syslog';
}
