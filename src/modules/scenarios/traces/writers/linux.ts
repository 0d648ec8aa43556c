/**
 * Debian/Ubuntu (18.04, OpenSSH 7.6, sudo 1.8, rsyslog) records: /var/log/auth.log gets sshd, PAM, sudo,
 * systemd-logind, useradd; /var/log/syslog gets cron's CMD lines and everything else. Messages follow the
 * programs' own format strings (pam_unix's "rhost=%s %s%s" leaves a trailing space when no user is known).
 */
import type { LogFile } from '../bundle.js';
import { PidCounter } from '../bundle.js';
import type { Zone } from '../clock.js';
import type { Random } from '../random.js';

const SECOND = 1000;

export interface SshSessionOptions {
  user: string;
  ip: string;
  method: 'password' | 'publickey';
  /** How long the session stays open (ms). */
  durationMs: number;
  step?: string;
  /** Marks only the login lines (Accepted, session opened) with the step, not the whole session. */
  stepLoginOnly?: boolean;
  /** The client's source port (random when absent). */
  port?: number;
}

export interface SshSession {
  pid: number;
  port: number;
  sessionId: number;
  tty: string;
  start: number;
  end: number;
}

export interface FailedLoginOptions {
  user: string;
  ip: string;
  /** True for names that do not exist on the machine (admin, oracle, test …). */
  invalid: boolean;
  /** Password attempts on this one connection (1–3). */
  attempts: number;
  step?: string;
}

/** One Linux machine writing auth.log (and optionally syslog). */
export class LinuxHost {
  readonly pids: PidCounter;
  private sessionNo: number;
  private readonly logindPid: number;
  private readonly rsyslogPid: number;
  /** When each pseudo-terminal in use is released. */
  private readonly ptsUntil = new Map<number, number>();

  constructor(
    readonly name: string,
    private readonly zone: Zone,
    private readonly rng: Random,
    readonly authLog: LogFile,
    readonly syslog?: LogFile,
  ) {
    this.pids = new PidCounter(rng.int(2000, 9000), rng);
    this.sessionNo = rng.int(300, 4000);
    this.logindPid = rng.int(500, 900);
    this.rsyslogPid = rng.int(400, 700);
  }

  private auth(t: number, program: string, pid: number | null, message: string, step?: string): void {
    const tag = pid === null ? `${program}:` : `${program}[${pid}]:`;
    this.authLog.add(t, `${this.zone.syslog(t)} ${this.name} ${tag} ${message}`, step);
  }

  /** A line in /var/log/syslog (ignored when the host has none). */
  sys(t: number, program: string, pid: number | null, message: string, step?: string): void {
    if (!this.syslog) return;
    const tag = pid === null ? `${program}:` : `${program}[${pid}]:`;
    this.syslog.add(t, `${this.zone.syslog(t)} ${this.name} ${tag} ${message}`, step);
  }

  get rsyslogd(): number {
    return this.rsyslogPid;
  }

  /** The lowest pts number free at `t` (sessions are generated in time order). */
  private takePts(t: number, until: number): number {
    let n = 0;
    while ((this.ptsUntil.get(n) ?? 0) > t) n++;
    this.ptsUntil.set(n, until);
    return n;
  }

  /** A successful SSH login and, `durationMs` later, its logout. */
  sshLogin(t: number, o: SshSessionOptions): SshSession {
    const pid = this.pids.next();
    const port = o.port ?? this.rng.int(32768, 60999);
    const sessionId = ++this.sessionNo;
    const loginStep = o.step;
    const restStep = o.stepLoginOnly ? undefined : o.step;
    const accepted =
      o.method === 'password'
        ? `Accepted password for ${o.user} from ${o.ip} port ${port} ssh2`
        : `Accepted publickey for ${o.user} from ${o.ip} port ${port} ssh2: RSA SHA256:${fingerprint(o.user)}`;
    this.auth(t, 'sshd', pid, accepted, loginStep);
    this.auth(t, 'sshd', pid, `pam_unix(sshd:session): session opened for user ${o.user} by (uid=0)`, loginStep);
    this.auth(t, 'systemd-logind', this.logindPid, `New session ${sessionId} of user ${o.user}.`, restStep);
    const end = t + Math.max(5 * SECOND, o.durationMs);
    const pts = this.takePts(t, end);
    const child = pid + this.rng.int(1, 3);
    this.auth(end, 'sshd', child, `Received disconnect from ${o.ip} port ${port}:11: disconnected by user`, restStep);
    this.auth(end, 'sshd', child, `Disconnected from user ${o.user} ${o.ip} port ${port}`, restStep);
    this.auth(end, 'sshd', pid, `pam_unix(sshd:session): session closed for user ${o.user}`, restStep);
    this.auth(end, 'systemd-logind', this.logindPid, `Removed session ${sessionId}.`, restStep);
    return { pid, port, sessionId, tty: `pts/${pts}`, start: t, end };
  }

  /** One connection of a password guesser: 1–3 wrong passwords, then it hangs up. */
  failedLogin(t: number, o: FailedLoginOptions): number {
    const pid = this.pids.next();
    const port = this.rng.int(1024, 65000);
    const attempts = Math.max(1, Math.min(3, o.attempts));
    let at = t;
    if (o.invalid) {
      this.auth(at, 'sshd', pid, `Invalid user ${o.user} from ${o.ip} port ${port}`, o.step);
      this.auth(at, 'sshd', pid, `input_userauth_request: invalid user ${o.user} [preauth]`, o.step);
    }
    for (let i = 0; i < attempts; i++) {
      at += this.rng.int(0, 2) * SECOND;
      if (i === 0) {
        if (o.invalid) this.auth(at, 'sshd', pid, 'pam_unix(sshd:auth): check pass; user unknown', o.step);
        this.auth(at, 'sshd', pid, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${o.ip} ${pamUser(o)}`, o.step);
      }
      at += this.rng.int(1, 3) * SECOND;
      const forWhom = o.invalid ? `invalid user ${o.user}` : o.user;
      this.auth(at, 'sshd', pid, `Failed password for ${forWhom} from ${o.ip} port ${port} ssh2`, o.step);
    }
    at += this.rng.int(0, 1) * SECOND;
    const who = o.invalid ? `invalid user ${o.user}` : `authenticating user ${o.user}`;
    this.auth(at, 'sshd', pid, `Received disconnect from ${o.ip} port ${port}:11: Bye Bye [preauth]`, o.step);
    this.auth(at, 'sshd', pid, `Disconnected from ${who} ${o.ip} port ${port} [preauth]`, o.step);
    if (attempts > 1) {
      const failures = `${attempts - 1} more authentication failure${attempts > 2 ? 's' : ''}`;
      this.auth(at, 'sshd', pid, `PAM ${failures}; logname= uid=0 euid=0 tty=ssh ruser= rhost=${o.ip} ${pamUser(o)}`, o.step);
    }
    return at;
  }

  /** A connection that never sends an SSH banner (port scanners). */
  noIdentification(t: number, ip: string, step?: string): void {
    this.auth(t, 'sshd', this.pids.next(), `Did not receive identification string from ${ip} port ${this.rng.int(1024, 65000)}`, step);
  }

  /** A cron job: PAM session lines in auth.log, the CMD line in syslog. */
  cron(t: number, user: string, command: string, durationMs = SECOND): void {
    const pid = this.pids.next(8);
    this.auth(t, 'CRON', pid, `pam_unix(cron:session): session opened for user ${user} by (uid=0)`);
    this.sys(t, 'CRON', pid + 1, `(${user}) CMD (${command})`);
    this.auth(t + durationMs, 'CRON', pid, `pam_unix(cron:session): session closed for user ${user}`);
  }

  /** `sudo` running one command as root (sudo logs without a pid). */
  sudo(t: number, o: { user: string; tty: string; pwd: string; command: string; durationMs?: number; step?: string; targetUser?: string }): void {
    const target = o.targetUser ?? 'root';
    this.auth(t, 'sudo', null, `${o.user.padStart(8, ' ')} : TTY=${o.tty} ; PWD=${o.pwd} ; USER=${target} ; COMMAND=${o.command}`, o.step);
    this.auth(t, 'sudo', null, `pam_unix(sudo:session): session opened for user ${target} by ${o.user}(uid=0)`, o.step);
    this.auth(t + (o.durationMs ?? SECOND), 'sudo', null, `pam_unix(sudo:session): session closed for user ${target}`, o.step);
  }

  /** `useradd` of a new local account (groupadd lines first, as useradd -m does with USERGROUPS_ENAB). */
  useradd(t: number, o: { name: string; uid: number; shell: string; step?: string }): void {
    const gpid = this.pids.next(3);
    this.auth(t, 'groupadd', gpid, `group added to /etc/group: name=${o.name}, GID=${o.uid}`, o.step);
    this.auth(t, 'groupadd', gpid, `group added to /etc/gshadow: name=${o.name}`, o.step);
    this.auth(t, 'groupadd', gpid, `new group: name=${o.name}, GID=${o.uid}`, o.step);
    const upid = this.pids.next(3);
    this.auth(t, 'useradd', upid, `new user: name=${o.name}, UID=${o.uid}, GID=${o.uid}, home=/home/${o.name}, shell=${o.shell}`, o.step);
  }

  /** `passwd` setting an account's password. */
  passwd(t: number, name: string, step?: string): void {
    this.auth(t, 'passwd', this.pids.next(3), `pam_unix(passwd:chauthtok): password changed for ${name}`, step);
  }

  /** `usermod -aG group name`. */
  addToGroup(t: number, name: string, group: string, step?: string): void {
    const pid = this.pids.next(3);
    this.auth(t, 'usermod', pid, `add '${name}' to group '${group}'`, step);
    this.auth(t, 'usermod', pid, `add '${name}' to shadow group '${group}'`, step);
  }
}

/** pam_unix's "rhost=%s %s%s" tail: " user=NAME" for a known account, nothing (a trailing space) otherwise. */
function pamUser(o: FailedLoginOptions): string {
  return o.invalid ? '' : ` user=${o.user}`;
}

/** A stable, realistic-looking key fingerprint per account (43 base64 characters). */
function fingerprint(user: string): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let h = 2166136261;
  let s = '';
  for (let i = 0; i < 43; i++) {
    h ^= user.charCodeAt(i % user.length) + i;
    h = Math.imul(h, 16777619) >>> 0;
    s += chars[h % 64];
  }
  return s;
}
