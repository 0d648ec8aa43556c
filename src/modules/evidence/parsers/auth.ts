/**
 * Classifies the messages of authentication-related programs in syslog lines (auth.log / secure): sshd, sudo, su,
 * cron, login, systemd-logind, the shadow-utils account tools and PAM. Message texts are those of OpenSSH 7–9,
 * sudo 1.8–1.9, util-linux su, shadow-utils 4.x, cronie / Debian cron and Linux-PAM's pam_unix.
 *
 * Matching reads `b` (the message's bytes, index for index with `text`); values are cut from `text`.
 */
import type { EventType, FieldValue, Outcome } from '../event.js';
import { bAt, bFind, bFindLast, bIndexOf, bIp, bLastIndexOf, bNumber, CodeScratch, type Bytes, lit, numberEnd } from './bytes.js';
import { ipAt } from './ip.js';

/** What the classifiers need from the line's syslog header. */
export interface AuthHeader {
  program: string;
  /** programKind(program). */
  programKind: number;
  /** sourceName(program). */
  programSource: string;
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

const L_REPEATED = lit('message repeated ');
const L_TIMES = lit(' times: [');
const L_PAM_ = lit('pam_');
const L_ACCEPTED = lit('Accepted ');
const L_FAILED = lit('Failed ');
const L_INVALID_USER_CAP = lit('Invalid user ');
const L_CONN_CLOSED = lit('Connection closed by ');
const L_CONN_RESET = lit('Connection reset by ');
const L_DISCONNECTED = lit('Disconnected from ');
const L_DISCONNECTING = lit('Disconnecting ');
const L_DISCONNECTING_COLON = lit('Disconnecting: ');
const L_RECEIVED_DISCONNECT = lit('Received disconnect from ');
const L_PAM_MORE = lit('PAM ');
const L_MORE_FAILURES = lit(' more authentication failure');
const L_MAX_ATTEMPTS = lit('error: maximum authentication attempts exceeded for ');
const L_FROM = lit(' from ');
const L_FOR = lit(' for ');
const L_PORT = lit(' port ');
const L_USER_ = lit('user ');
const L_INVALID_USER = lit('invalid user ');
const L_AUTHENTICATING_USER = lit('authenticating user ');
const L_PREAUTH = lit('[preauth]');
const L_SESSION_OPENED = lit('session opened for user ');
const L_SESSION_CLOSED = lit('session closed for user ');
const L_UID = lit('(uid=');
const L_BY = lit(' by ');
const L_AUTH_FAILURE = lit('authentication failure;');
const L_CHECK_PASS = lit('check pass; user unknown');
const L_PASSWORD_CHANGED = lit('password changed for ');
const L_COULD_NOT_IDENTIFY = lit('auth could not identify password for [');
const L_SEP = lit(' : ');
const L_ITEM_SEP = lit(' ; ');
const L_COMMAND = lit('COMMAND=');
const L_CMD = lit('CMD (');
const L_NEW_SESSION = lit('New session ');
const L_OF_USER = lit(' of user ');
const L_REMOVED_SESSION = lit('Removed session ');

/** Names that recur in auth messages (PAM modules and services, login methods): one string each, not a copy per line. */
const KNOWN_NAMES = ['pam_unix', 'pam_sss', 'pam_ldap', 'pam_systemd', 'sshd', 'cron', 'sudo', 'su', 'login', 'systemd-user', 'passwd', 'chpasswd', 'su-l', 'sudo-i', 'password', 'publickey', 'none', 'keyboard-interactive/pam', 'hostbased', 'gssapi-with-mic'].map((s) => ({ s, b: lit(s) }));

function knownName(b: Bytes, text: string, start: number, end: number): string {
  const n = end - start;
  outer: for (let k = 0; k < KNOWN_NAMES.length; k++) {
    const known = KNOWN_NAMES[k];
    const kb = known.b;
    if (kb.length !== n) continue;
    for (let i = 0; i < n; i++) if (kb[i] !== b[start + i]) continue outer;
    return known.s;
  }
  return text.slice(start, end);
}

/** Emits the event for an auth-related message at text[m, end); false when it is not one we classify. */
export function classifyAuth(h: AuthHeader, b: Bytes, text: string, m: number, end: number): boolean {
  if (b[m] === 109 && bAt(b, m, end, L_REPEATED)) {
    // rsyslog: "message repeated 3 times: [ Failed password for root from 1.2.3.4 port 22 ssh2]"
    const n = bNumber(b, m + 17, end);
    if (n > 0 && bAt(b, numberEnd, end, L_TIMES) && b[end - 1] === 93) {
      h.repeated = n;
      let inner = numberEnd + 9;
      if (b[inner] === 32) inner++;
      // The inner message ends before the "]": classify it as a text of its own (matchers run to the end of a line).
      const sub = text.slice(inner, end - 1);
      return classifyAuth(h, new CodeScratch().of(sub, 0, sub.length), sub, 0, sub.length);
    }
    return false;
  }
  switch (h.programKind) {
    case K_SSHD:
      return sshd(h, b, text, m, end);
    case K_SUDO:
      return sudo(h, b, text, m, end);
    case K_SU:
      return su(h, b, text, m, end);
    case K_CRON:
      return cron(h, b, text, m, end);
    case K_LOGIND:
      return logind(h, b, text, m, end);
    case K_LOGIN:
      return login(h, b, text, m, end);
    case K_ACCOUNT:
      return account(h, b, text, m, end);
    default:
      return b[m] === 112 && bAt(b, m, end, L_PAM_) ? pam(h, b, text, m, end) : false;
  }
}

const K_OTHER = 0;
const K_SSHD = 1;
const K_SUDO = 2;
const K_SU = 3;
const K_CRON = 4;
const K_LOGIND = 5;
const K_LOGIN = 6;
const K_ACCOUNT = 7;

/** Which classifier reads a program's messages. */
export function programKind(program: string): number {
  switch (program) {
    case 'sshd':
    case 'sshd-session':
    case 'sshd-auth':
      return K_SSHD;
    case 'sudo':
      return K_SUDO;
    case 'su':
      return K_SU;
    case 'CRON':
    case 'cron':
    case 'CROND':
    case 'crond':
      return K_CRON;
    case 'systemd-logind':
      return K_LOGIND;
    case 'login':
      return K_LOGIN;
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
      return K_ACCOUNT;
    default:
      return K_OTHER;
  }
}

// Results of userIpPort (one line at a time).
let uUser: string | null = null;
let uIp: string | null = null;
let uHost: string | null = null;
let uPort = -1;
let uInvalid = false;
/** Index just after the port number. */
let uRest = 0;

/**
 * Reads "[authenticating |invalid ]user NAME ADDR port N" or "ADDR port N" at b[p, end) (OpenSSH's
 * connection-close messages). False when there is no " port ".
 */
function userIpPort(b: Bytes, text: string, p: number, end: number): boolean {
  uUser = null;
  uIp = null;
  uHost = null;
  uPort = -1;
  uInvalid = false;
  const k = bFindLast(b, L_PORT, p, end);
  if (k < 0) return false;
  const sp = bLastIndexOf(b, 32, p, k);
  const addrStart = sp < p ? p : sp + 1;
  uIp = bIp(b, text, addrStart, k);
  if (uIp === null && k > addrStart) uHost = text.slice(addrStart, k);
  if (addrStart > p) {
    let u = p;
    if (bAt(b, u, end, L_AUTHENTICATING_USER)) u += 20;
    else if (bAt(b, u, end, L_INVALID_USER)) {
      u += 13;
      uInvalid = true;
    } else if (bAt(b, u, end, L_USER_)) u += 5;
    if (addrStart - 1 > u) uUser = text.slice(u, addrStart - 1);
  }
  uPort = bNumber(b, k + 6, end);
  uRest = numberEnd;
  return true;
}

function endsWithPreauth(b: Bytes, end: number): boolean {
  return b[end - 1] === 93 && bAt(b, end - 9, end, L_PREAUTH);
}

function sshd(h: AuthHeader, b: Bytes, text: string, m: number, end: number): boolean {
  switch (b[m]) {
    case 65: // Accepted
      if (bAt(b, m, end, L_ACCEPTED)) return sshLogin(h, b, text, m, m + 9, end, true, 'login');
      break;
    case 70: // Failed
      if (bAt(b, m, end, L_FAILED)) return sshLogin(h, b, text, m, m + 7, end, false, 'login');
      break;
    case 73: // Invalid user NAME from ADDR [port N]
      if (bAt(b, m, end, L_INVALID_USER_CAP)) return sshLogin(h, b, text, m, m + 13, end, false, 'invalid_user');
      break;
    case 67: // Connection closed by … / Connection reset by …
      if (bAt(b, m, end, L_CONN_CLOSED)) return sshClose(h, b, text, m, m + 21, end);
      if (bAt(b, m, end, L_CONN_RESET)) return sshClose(h, b, text, m, m + 20, end);
      break;
    case 68: // Disconnected from … / Disconnecting …
      if (bAt(b, m, end, L_DISCONNECTED)) return sshClose(h, b, text, m, m + 18, end);
      if (bAt(b, m, end, L_DISCONNECTING_COLON)) return sshClose(h, b, text, m, m + 15, end);
      if (bAt(b, m, end, L_DISCONNECTING)) return sshClose(h, b, text, m, m + 14, end);
      break;
    case 82: // Received disconnect from ADDR port N:11: reason
      if (bAt(b, m, end, L_RECEIVED_DISCONNECT)) return sshClose(h, b, text, m, m + 25, end);
      break;
    case 112: // pam_unix(sshd:…)
      if (bAt(b, m, end, L_PAM_)) return pam(h, b, text, m, end);
      break;
    case 80: // PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root
      if (bAt(b, m, end, L_PAM_MORE)) {
        const count = bNumber(b, m + 4, end);
        if (count >= 0 && bAt(b, numberEnd, end, L_MORE_FAILURES)) {
          const f = h.baseFields();
          f.count = count;
          const semi = bIndexOf(b, 59, numberEnd, end);
          return pamKeyValues(h, b, text, m, semi, end, 'sshd', 'auth.failure', 'login', 'failure', f);
        }
      }
      break;
    case 101: // error: maximum authentication attempts exceeded for [invalid user ]NAME from ADDR port N ssh2 [preauth]
      if (bAt(b, m, end, L_MAX_ATTEMPTS)) return sshLogin(h, b, text, m, m + L_MAX_ATTEMPTS.length, end, false, 'max_attempts');
      break;
  }
  // Any other sshd line: keep its client address when it names one ("Connection from A port N", "… from A").
  const f = h.baseFields();
  let ip: string | null = null;
  const from = bFind(b, L_FROM, m, end);
  if (from >= 0) {
    let s = from + 6;
    if (bAt(b, s, end, L_INVALID_USER) || bAt(b, s, end, L_AUTHENTICATING_USER)) {
      userIpPort(b, text, s, end);
      ip = uIp;
    } else {
      let e = bIndexOf(b, 32, s, end);
      if (e < 0) e = end;
      if (b[s] === 91 && b[e - 1] === 93) {
        s++;
        e--;
      }
      ip = bIp(b, text, s, e);
    }
  }
  h.emit('sshd', 'log', null, ip, null, null, null, text.slice(m, end), f);
  return true;
}

/** Linux-PAM's fixed layout of the key=value part of its failure messages. */
const RE_PAM_KV = /logname=(\S*) uid=(\d*) euid=(\d*) tty=(\S*) ruser=(\S*) rhost=(\S*)(?: +user=(\S*))?(?=[\r\n]|$)/y;

/** Runs a sticky expression at text[at] and accepts the match only when it ends at `end` (the end of the line). */
function matchAt(re: RegExp, text: string, at: number, end: number): RegExpExecArray | null {
  re.lastIndex = at;
  const x = re.exec(text);
  return x !== null && re.lastIndex === end ? x : null;
}

function ipOrHost(value: string, f: Record<string, FieldValue>): string | null {
  const ip = ipAt(value, 0, value.length);
  if (ip === null && value.length > 0) f.rhost = value;
  return ip;
}

/**
 * "Accepted|Failed METHOD for [invalid user ]NAME from ADDR port N ssh2[: KEYTYPE FINGERPRINT]" (action login: p
 * after the verb); "Invalid user NAME from ADDR port N" and "maximum authentication attempts exceeded for …"
 * (p at the user).
 */
function sshLogin(h: AuthHeader, b: Bytes, text: string, m: number, p: number, end: number, success: boolean, action: string): boolean {
  let method: string | null = null;
  let u = p;
  if (action === 'login') {
    const forAt = bFind(b, L_FOR, p, end);
    if (forAt < 0) return false;
    method = knownName(b, text, p, forAt);
    u = forAt + 5;
  }
  let invalid = action === 'invalid_user';
  if (bAt(b, u, end, L_INVALID_USER)) {
    invalid = true;
    u += 13;
  }
  const from = bFindLast(b, L_FROM, u - 1, end);
  if (from < 0) return false;
  const addrStart = from + 6;
  let addrEnd = bIndexOf(b, 32, addrStart, end);
  if (addrEnd < 0) addrEnd = end;
  const ip = bIp(b, text, addrStart, addrEnd);
  const f = h.baseFields();
  if (method !== null) f.method = method;
  if (ip === null && addrEnd > addrStart) f.rhost = text.slice(addrStart, addrEnd);
  if (bAt(b, addrEnd, end, L_PORT)) {
    const port = bNumber(b, addrEnd + 6, end);
    if (port >= 0) f.port = port;
    // " ssh2: RSA SHA256:…" for public keys
    const colon = bIndexOf(b, 58, numberEnd, end);
    if (colon > 0 && b[colon + 1] === 32) {
      const sp = bIndexOf(b, 32, colon + 2, end);
      if (sp > colon + 2) {
        f.key_type = text.slice(colon + 2, sp);
        f.fingerprint = text.slice(sp + 1, end);
      }
    }
  }
  if (invalid) f.invalid_user = true;
  if (endsWithPreauth(b, end)) f.preauth = true;
  h.emit('sshd', success ? 'auth.success' : 'auth.failure', from > u ? text.slice(u, from) : null, ip, null, action, success ? 'success' : 'failure', text.slice(m, end), f);
  return true;
}

/** OpenSSH connection ends; p after the leading words. */
function sshClose(h: AuthHeader, b: Bytes, text: string, m: number, p: number, end: number): boolean {
  const f = h.baseFields();
  const preauth = endsWithPreauth(b, end);
  let r: number;
  if (userIpPort(b, text, p, end)) {
    if (uPort >= 0) f.port = uPort;
    if (uHost !== null) f.rhost = uHost;
    if (uInvalid) f.invalid_user = true;
    // ":11: Bye Bye [preauth]" or ": Too many authentication failures [preauth]"
    r = uRest;
    if (b[r] === 58) {
      r++;
      const c = bIndexOf(b, 58, r, Math.min(end, r + 4));
      if (c > r && b[c + 1] === 32) r = c + 2;
      else if (b[r] === 32) r++;
    } else {
      r = end;
    }
  } else {
    r = p;
  }
  let re = preauth ? end - 10 : end;
  while (re > r && b[re - 1] === 32) re--;
  if (re > r) f.reason = text.slice(r, re);
  if (preauth) f.preauth = true;
  h.emit('sshd', 'session.close', uUser, uIp, null, 'disconnect', null, text.slice(m, end), f);
  return true;
}

/** pam_MODULE(SERVICE:KIND): … — session opened/closed, authentication failure, password changed. */
function pam(h: AuthHeader, b: Bytes, text: string, m: number, end: number): boolean {
  const limit = Math.min(end, m + 64);
  const open = bIndexOf(b, 40, m, limit);
  const colon = open < 0 ? -1 : bIndexOf(b, 58, open + 1, limit);
  const close = colon < 0 ? -1 : bIndexOf(b, 41, colon + 1, limit);
  if (close < 0 || b[close + 1] !== 58 || b[close + 2] !== 32) return false;
  const service = knownName(b, text, open + 1, colon);
  const r = close + 3;
  const f = h.baseFields();
  f.pam_module = knownName(b, text, m, open);
  f.pam_service = service;
  const source = h.program ? h.programSource : sourceName(service);
  const action = service === 'sshd' ? 'login' : service;
  if (b[r] === 115 && (bAt(b, r, end, L_SESSION_OPENED) || bAt(b, r, end, L_SESSION_CLOSED))) {
    const opened = b[r + 8] === 111;
    const u = r + 24;
    // "root(uid=0) by alice(uid=1000)" / "root by (uid=0)" / "root"
    let userEnd = u;
    while (userEnd < end && b[userEnd] !== 40 && b[userEnd] !== 32) userEnd++;
    let q = userEnd;
    if (b[q] === 40) {
      if (bAt(b, q, end, L_UID)) {
        const uid = bNumber(b, q + 5, end);
        if (uid >= 0 && b[numberEnd] === 41) f.uid = uid;
      }
      const e = bIndexOf(b, 41, q, end);
      q = e < 0 ? end : e + 1;
    }
    if (bAt(b, q, end, L_BY)) {
      const s = q + 4;
      let be = s;
      while (be < end && b[be] !== 40 && b[be] !== 32) be++;
      if (be > s) f.by_user = text.slice(s, be);
    }
    h.emit(source, opened ? 'session.open' : 'session.close', userEnd > u ? text.slice(u, userEnd) : null, null, null, opened ? 'session_open' : 'session_close', null, text.slice(m, end), f);
    return true;
  }
  if (bAt(b, r, end, L_AUTH_FAILURE)) return pamKeyValues(h, b, text, m, r + 22, end, source, 'auth.failure', action, 'failure', f);
  if (bAt(b, r, end, L_CHECK_PASS)) {
    f.reason = 'user unknown';
    h.emit(source, 'auth.failure', null, null, null, action, 'failure', text.slice(m, end), f);
    return true;
  }
  if (bAt(b, r, end, L_PASSWORD_CHANGED)) {
    h.emit(source, 'account.change', text.slice(r + 21, end).trim(), null, null, 'password_change', 'success', text.slice(m, end), f);
    return true;
  }
  if (bAt(b, r, end, L_COULD_NOT_IDENTIFY)) {
    const e = bIndexOf(b, 93, r + 38, end);
    h.emit(source, 'auth.failure', e > r + 38 ? text.slice(r + 38, e) : null, null, null, action, 'failure', text.slice(m, end), f);
    return true;
  }
  return false;
}

/** "…; logname=X uid=N euid=N tty=T ruser=R rhost=H  user=U" from `semi` (the ';'). */
function pamKeyValues(
  h: AuthHeader,
  b: Bytes,
  text: string,
  m: number,
  semi: number,
  end: number,
  source: string,
  type: EventType,
  action: string,
  outcome: Outcome,
  f: Record<string, FieldValue>,
): boolean {
  let user: string | null = null;
  let ip: string | null = null;
  let ruser: string | null = null;
  let p = semi < 0 ? end : semi + 1;
  // Linux-PAM's fixed layout first: "logname=%s uid=%d euid=%d tty=%s ruser=%s rhost=%s[  user=%s]"
  const x = semi < 0 ? null : matchAt(RE_PAM_KV, text, b[p] === 32 ? p + 1 : p, end);
  if (x !== null) {
    if (x[1]) f.logname = x[1];
    if (x[2]) f.uid = Number(x[2]);
    if (x[3]) f.euid = Number(x[3]);
    if (x[4]) f.tty = x[4];
    if (x[5]) f.ruser = x[5];
    if (x[6]) ip = ipOrHost(x[6], f);
    user = x[7] || x[5] || null;
    h.emit(source, type, user, ip, null, action, outcome, text.slice(m, end), f);
    return true;
  }
  while (p < end) {
    while (p < end && b[p] === 32) p++;
    let e = bIndexOf(b, 32, p, end);
    if (e < 0) e = end;
    const eq = bIndexOf(b, 61, p, e);
    if (eq > p && e > eq + 1) {
      // Keys: logname uid euid tty ruser rhost user
      const k0 = b[p];
      const klen = eq - p;
      if (k0 === 117 && klen === 4) user = text.slice(eq + 1, e);
      else if (k0 === 114 && klen === 5 && b[p + 1] === 104) {
        ip = bIp(b, text, eq + 1, e);
        if (ip === null) f.rhost = text.slice(eq + 1, e);
      } else if (k0 === 114 && klen === 5) {
        ruser = text.slice(eq + 1, e);
        f.ruser = ruser;
      } else if ((k0 === 117 && klen === 3) || (k0 === 101 && klen === 4)) {
        const n = bNumber(b, eq + 1, e);
        if (n >= 0 && numberEnd === e) f[k0 === 117 ? 'uid' : 'euid'] = n;
      } else if (k0 === 116 && klen === 3) f.tty = text.slice(eq + 1, e);
      else if (k0 === 108 && klen === 7) f.logname = text.slice(eq + 1, e);
    }
    p = e + 1;
  }
  if (user === null) user = ruser;
  h.emit(source, type, user, ip, null, action, outcome, text.slice(m, end), f);
  return true;
}

/** sudo: "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls" (and failure notes before TTY). */
function sudo(h: AuthHeader, b: Bytes, text: string, m: number, end: number): boolean {
  let p = m;
  while (p < end && b[p] === 32) p++;
  if (bAt(b, p, end, L_PAM_)) return pam(h, b, text, p, end);
  const sep = bFind(b, L_SEP, p, end);
  if (sep <= p || bIndexOf(b, 32, p, sep) >= 0) return false;
  const user = text.slice(p, sep);
  const f = h.baseFields();
  let outcome: Outcome = 'success';
  let target: string | null = null;
  let q = sep + 3;
  while (q < end) {
    if (bAt(b, q, end, L_COMMAND)) {
      f.command = text.slice(q + 8, end);
      break;
    }
    let e = bFind(b, L_ITEM_SEP, q, end);
    if (e < 0) e = end;
    const eq = bIndexOf(b, 61, q, e);
    if (eq > q && isUpperKey(b, q, eq)) {
      const value = text.slice(eq + 1, e);
      const len = eq - q;
      if (len === 4 && b[q] === 85) target = value; // USER
      else if (len === 3 && b[q] === 84) f.tty = value; // TTY
      else if (len === 3 && b[q] === 80) f.pwd = value; // PWD
      else f[text.slice(q, eq).toLowerCase()] = value;
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

function isUpperKey(b: Bytes, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (!((c >= 65 && c <= 90) || c === 95)) return false;
  }
  return true;
}

const SU_TO = /^(FAILED SU )?\(to (\S+)\) (\S+) on (\S+)$/;
const SU_FOR = /^(Successful|FAILED) su for (\S+) by (\S+)$/;
const SU_SHORT = /^([+-]) (\S+) (\S+?):(\S+)$/;

function su(h: AuthHeader, b: Bytes, text: string, m: number, end: number): boolean {
  if (bAt(b, m, end, L_PAM_)) return pam(h, b, text, m, end);
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
function cron(h: AuthHeader, b: Bytes, text: string, m: number, end: number): boolean {
  if (b[m] === 40) {
    const close = bIndexOf(b, 41, m + 1, end);
    if (close > m + 1 && b[close + 1] === 32 && bAt(b, close + 2, end, L_CMD)) {
      const f = h.baseFields();
      f.command = text.slice(close + 7, b[end - 1] === 41 ? end - 1 : end);
      h.emit('cron', 'cron.exec', text.slice(m + 1, close), null, null, 'cmd', null, text.slice(m, end), f);
      return true;
    }
    return false;
  }
  if (bAt(b, m, end, L_PAM_)) return pam(h, b, text, m, end);
  return false;
}

/** systemd-logind: "New session 12 of user alice." / "Removed session 12." */
function logind(h: AuthHeader, b: Bytes, text: string, m: number, end: number): boolean {
  const e = b[end - 1] === 46 ? end - 1 : end;
  if (bAt(b, m, end, L_NEW_SESSION)) {
    const of = bFind(b, L_OF_USER, m + 12, e);
    if (of > m + 12 && e > of + 9) {
      const f = h.baseFields();
      f.session_id = text.slice(m + 12, of);
      h.emit('systemd-logind', 'session.open', text.slice(of + 9, e), null, null, 'session_open', null, text.slice(m, end), f);
      return true;
    }
  } else if (bAt(b, m, end, L_REMOVED_SESSION) && e > m + 16 && bIndexOf(b, 32, m + 16, e) < 0) {
    const f = h.baseFields();
    f.session_id = text.slice(m + 16, e);
    h.emit('systemd-logind', 'session.close', null, null, null, 'session_close', null, text.slice(m, end), f);
    return true;
  }
  return false;
}

const LOGIN_FAILED = /^FAILED LOGIN \(?(\d+)\)? (?:ON|FROM) '?(\S+?)'? FOR '?(\S+?)'?, (.+)$/;
const LOGIN_ROOT = /^ROOT LOGIN\s+ON '?(\S+?)'?(?: FROM '?(\S+?)'?)?$/;
const LOGIN_OK = /^LOGIN ON '?(\S+?)'? BY '?(\S+?)'?(?: FROM '?(\S+?)'?)?$/;

function login(h: AuthHeader, b: Bytes, text: string, m: number, end: number): boolean {
  if (bAt(b, m, end, L_PAM_)) return pam(h, b, text, m, end);
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

function account(h: AuthHeader, b: Bytes, text: string, m: number, end: number): boolean {
  if (bAt(b, m, end, L_PAM_)) return pam(h, b, text, m, end);
  const msg = text.slice(m, end);
  for (const rule of ACCOUNT_RULES) {
    const x = rule.re.exec(msg);
    if (!x) continue;
    const f = h.baseFields();
    for (const [key, group] of Object.entries(rule.fields ?? {})) {
      const v = x[group];
      if (v === undefined || v === '') continue;
      f[key] = key === 'uid' || key === 'gid' ? Number(v) : v;
    }
    h.emit(h.programSource, rule.type, rule.user ? x[rule.user] : null, null, rule.target ? x[rule.target] : null, rule.action, 'success', msg, f);
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
