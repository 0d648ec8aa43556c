import { describe, expect, it } from 'vitest';
import { expectAccounted, parseAll, rawOf } from '../../../../test/helpers/evidence-parsers.js';

const SHANGHAI = (y: number, mo: number, d: number, h: number, mi: number, s: number) => Date.UTC(y, mo - 1, d, h - 8, mi, s);

function one(line: string, options = {}) {
  const { events, report } = parseAll(line, { parser: 'auth', ...options });
  expect(report.unparsed).toBe(0);
  expect(events).toHaveLength(1);
  return events[0];
}

describe('auth.log', () => {
  it('reads sshd logins: accepted password and public key, with IPv4 and IPv6 clients', () => {
    const e = one('Jan  2 03:04:05 web1 sshd[1234]: Accepted password for root from 192.168.1.10 port 52344 ssh2');
    expect(e).toMatchObject({
      time: SHANGHAI(2024, 1, 2, 3, 4, 5),
      host: 'web1',
      source: 'sshd',
      type: 'auth.success',
      user: 'root',
      srcIp: '192.168.1.10',
      action: 'login',
      outcome: 'success',
      message: 'Accepted password for root from 192.168.1.10 port 52344 ssh2',
    });
    expect(e.fields).toEqual({ program: 'sshd', pid: 1234, method: 'password', port: 52344 });

    const k = one('Feb 29 23:59:59 bastion sshd-session[77]: Accepted publickey for deploy from 2001:db8::1 port 40022 ssh2: ED25519 SHA256:k9Qz1v7YpXw3LmN0');
    expect(k).toMatchObject({ source: 'sshd', type: 'auth.success', user: 'deploy', srcIp: '2001:db8::1', time: SHANGHAI(2024, 2, 29, 23, 59, 59) });
    expect(k.fields).toMatchObject({ program: 'sshd-session', method: 'publickey', port: 40022, key_type: 'ED25519', fingerprint: 'SHA256:k9Qz1v7YpXw3LmN0' });
  });

  it('reads failed passwords, invalid users (with spaces and empty), and the client when it is a host name', () => {
    const f = one('Mar  3 10:00:01 web1 sshd[99]: Failed password for invalid user admin test from 203.0.113.5 port 4242 ssh2');
    expect(f).toMatchObject({ type: 'auth.failure', user: 'admin test', srcIp: '203.0.113.5', outcome: 'failure', action: 'login' });
    expect(f.fields).toMatchObject({ method: 'password', invalid_user: true, port: 4242 });

    const i = one('Mar  3 10:00:01 web1 sshd[99]: Invalid user oracle from 203.0.113.5 port 4243');
    expect(i).toMatchObject({ type: 'auth.failure', user: 'oracle', srcIp: '203.0.113.5', action: 'invalid_user' });

    const empty = one('Mar  3 10:00:01 web1 sshd[99]: Failed none for invalid user  from 203.0.113.5 port 4244 ssh2');
    expect(empty).toMatchObject({ type: 'auth.failure', user: null, srcIp: '203.0.113.5' });

    const named = one('Mar  3 10:00:01 web1 sshd[99]: Failed password for root from scanner.example.net port 22 ssh2');
    expect(named.srcIp).toBeNull();
    expect(named.fields.rhost).toBe('scanner.example.net');

    const max = one('Mar  3 10:00:02 web1 sshd[99]: error: maximum authentication attempts exceeded for root from 203.0.113.5 port 4245 ssh2 [preauth]');
    expect(max).toMatchObject({ type: 'auth.failure', user: 'root', srcIp: '203.0.113.5', action: 'max_attempts' });
    expect(max.fields.preauth).toBe(true);
  });

  it('reads connection ends, PAM sessions and PAM failures', () => {
    const c = one('Mar  3 10:00:03 web1 sshd[99]: Connection closed by authenticating user root 203.0.113.5 port 4245 [preauth]');
    expect(c).toMatchObject({ type: 'session.close', user: 'root', srcIp: '203.0.113.5', action: 'disconnect' });
    expect(c.fields).toMatchObject({ port: 4245, preauth: true });

    const r = one('Mar  3 10:00:03 web1 sshd[99]: Received disconnect from 198.51.100.7 port 50000:11: disconnected by user');
    expect(r).toMatchObject({ type: 'session.close', srcIp: '198.51.100.7' });
    expect(r.fields.reason).toBe('disconnected by user');

    const d = one('Mar  3 10:00:03 web1 sshd[99]: Disconnected from user alice 198.51.100.7 port 50000');
    expect(d).toMatchObject({ type: 'session.close', user: 'alice', srcIp: '198.51.100.7' });

    const open = one('Mar  3 10:00:04 web1 sshd[100]: pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)');
    expect(open).toMatchObject({ type: 'session.open', user: 'alice', source: 'sshd' });
    expect(open.fields).toMatchObject({ uid: 1000, pam_service: 'sshd' });

    const closed = one('Mar  3 10:00:05 web1 sshd[100]: pam_unix(sshd:session): session closed for user alice');
    expect(closed).toMatchObject({ type: 'session.close', user: 'alice' });

    const failure = one('Mar  3 10:00:06 web1 sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=root');
    expect(failure).toMatchObject({ type: 'auth.failure', user: 'root', srcIp: '203.0.113.5', outcome: 'failure' });
    expect(failure.fields).toMatchObject({ uid: 0, euid: 0, tty: 'ssh' });

    const more = one('Mar  3 10:00:06 web1 sshd[101]: PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5  user=root');
    expect(more).toMatchObject({ type: 'auth.failure', user: 'root', srcIp: '203.0.113.5' });
    expect(more.fields.count).toBe(2);
  });

  it('reads rsyslog "message repeated" lines as the repeated message', () => {
    const e = one('Mar  3 10:00:07 web1 sshd[101]: message repeated 5 times: [ Failed password for root from 203.0.113.5 port 4242 ssh2]');
    expect(e).toMatchObject({ type: 'auth.failure', user: 'root', srcIp: '203.0.113.5' });
    expect(e.fields.repeated).toBe(5);
  });

  it('reads sudo, su, cron and account changes', () => {
    const s = one('Mar  3 10:01:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh -c id ; rm -rf /tmp/x');
    expect(s).toMatchObject({ type: 'privilege.escalation', user: 'alice', target: 'root', action: 'sudo', outcome: 'success' });
    expect(s.fields).toMatchObject({ tty: 'pts/0', pwd: '/home/alice', target_user: 'root', command: '/bin/sh -c id ; rm -rf /tmp/x' });

    const bad = one('Mar  3 10:01:01 web1 sudo:      bob : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id');
    expect(bad).toMatchObject({ type: 'privilege.escalation', user: 'bob', outcome: 'failure' });
    expect(bad.fields.attempts).toBe(3);

    const notInSudoers = one('Mar  3 10:01:01 web1 sudo:      eve : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/eve ; USER=root ; COMMAND=/bin/bash');
    expect(notInSudoers).toMatchObject({ user: 'eve', outcome: 'failure' });
    expect(notInSudoers.fields.reason).toBe('user NOT in sudoers');

    const su = one('Mar  3 10:01:02 web1 su[300]: (to root) alice on pts/2');
    expect(su).toMatchObject({ type: 'privilege.escalation', user: 'alice', target: 'root', source: 'su', outcome: 'success' });
    const suFail = one('Mar  3 10:01:02 web1 su[301]: FAILED SU (to root) bob on pts/3');
    expect(suFail).toMatchObject({ user: 'bob', outcome: 'failure' });

    const cron = one('Mar  3 10:05:01 web1 CRON[4000]: (root) CMD (cd / && run-parts --report /etc/cron.hourly)');
    expect(cron).toMatchObject({ type: 'cron.exec', user: 'root', source: 'cron' });
    expect(cron.fields.command).toBe('cd / && run-parts --report /etc/cron.hourly');
    const cronSession = one('Mar  3 10:05:01 web1 CRON[4000]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)');
    expect(cronSession).toMatchObject({ type: 'session.open', user: 'root', source: 'cron' });

    const add = one('Mar  3 10:06:00 web1 useradd[500]: new user: name=backdoor, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/0');
    expect(add).toMatchObject({ type: 'account.create', user: 'backdoor', source: 'useradd' });
    expect(add.fields).toMatchObject({ uid: 0, gid: 0, home: '/root', shell: '/bin/bash' });
    expect(one("Mar  3 10:06:01 web1 usermod[501]: add 'backdoor' to group 'sudo'")).toMatchObject({ type: 'account.change', user: 'backdoor', target: 'sudo' });
    expect(one("Mar  3 10:06:02 web1 userdel[502]: delete user 'backdoor'")).toMatchObject({ type: 'account.delete', user: 'backdoor' });
    expect(one('Mar  3 10:06:03 web1 groupadd[503]: group added to /etc/group: name=ops, GID=1005')).toMatchObject({ type: 'account.create', target: 'ops' });
    expect(one('Mar  3 10:06:04 web1 passwd[504]: pam_unix(passwd:chauthtok): password changed for alice')).toMatchObject({ type: 'account.change', user: 'alice', action: 'password_change' });
    expect(one('Mar  3 10:06:05 web1 chpasswd[505]: pam_unix(chpasswd:chauthtok): password changed for bob')).toMatchObject({ type: 'account.change', user: 'bob' });
  });

  it('keeps lines of other programs as log events named after the program', () => {
    const e = one('Mar  3 10:07:00 web1 systemd[1]: Started Session 12 of User root.');
    expect(e).toMatchObject({ type: 'log', source: 'systemd', message: 'Started Session 12 of User root.' });
    expect(e.fields).toEqual({ program: 'systemd', pid: 1 });
    const logind = one('Mar  3 10:07:00 web1 systemd-logind[812]: New session 12 of user alice.');
    expect(logind).toMatchObject({ type: 'session.open', user: 'alice' });
  });

  it('reads the RFC 3339 timestamps of Debian 12 rsyslog, with their offset', () => {
    const e = one('2024-05-06T07:08:09.123456+02:00 web1 sshd[1]: Accepted password for root from 10.0.0.1 port 22 ssh2');
    expect(e.time).toBe(Date.UTC(2024, 4, 6, 5, 8, 9, 123));
    expect(e.host).toBe('web1');
  });

  it('puts December lines of a log collected in January in the year before', () => {
    const input = ['Dec 31 23:59:58 web1 sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2', 'Jan  1 00:00:01 web1 sshd[1]: Accepted password for root from 10.0.0.1 port 22 ssh2'].join('\n');
    const { events } = parseAll(input, { parser: 'auth', year: 2025, referenceTime: Date.UTC(2025, 0, 5) });
    expect(events.map((e) => e.time)).toEqual([SHANGHAI(2024, 12, 31, 23, 59, 58), SHANGHAI(2025, 1, 1, 0, 0, 1)]);
  });

  it('reads wall-clock times in a DST zone on both sides of the changes', () => {
    const input = [
      'Mar 10 01:59:59 h sshd[1]: a', // EST
      'Mar 10 03:00:00 h sshd[1]: b', // EDT (02:00–02:59 does not exist)
      'Nov  3 01:30:00 h sshd[1]: c', // first 01:30 (EDT)
      'Nov  3 01:59:59 h sshd[1]: d',
      'Nov  3 01:00:00 h sshd[1]: e', // back to 01:00, now EST
      'Nov  3 01:30:00 h sshd[1]: f', // second 01:30 (EST)
    ].join('\n');
    const { events } = parseAll(input, { parser: 'auth', timeZone: 'America/New_York', year: 2024 });
    expect(events.map((e) => new Date(e.time!).toISOString())).toEqual([
      '2024-03-10T06:59:59.000Z',
      '2024-03-10T07:00:00.000Z',
      '2024-11-03T05:30:00.000Z',
      '2024-11-03T05:59:59.000Z',
      '2024-11-03T06:00:00.000Z',
      '2024-11-03T06:30:00.000Z',
    ]);
  });

  it('gives exact byte offsets with CRLF endings and multi-byte characters, and counts every line', () => {
    const input = Buffer.from(
      'Jan  2 03:04:05 主机 sshd[1]: Failed password for invalid user 张三 from 10.0.0.1 port 22 ssh2\r\n\r\nnot a syslog line\r\nJan  2 03:04:06 web1 sshd[1]: Accepted password for root from 10.0.0.1 port 22 ssh2',
    );
    const { events, report } = parseAll(input, { parser: 'auth' });
    expect(report).toMatchObject({ lines: 4, events: 2, skipped: 1, unparsed: 1, unparsedLines: [3] });
    expect(events[0]).toMatchObject({ host: '主机', user: '张三', lineNo: 1, offset: 0 });
    expect(rawOf(input, events[0])).toBe('Jan  2 03:04:05 主机 sshd[1]: Failed password for invalid user 张三 from 10.0.0.1 port 22 ssh2');
    expect(events[1].lineNo).toBe(4);
    expect(rawOf(input, events[1])).toBe('Jan  2 03:04:06 web1 sshd[1]: Accepted password for root from 10.0.0.1 port 22 ssh2');
    expectAccounted(input, events, report);
  });

  it('gives the same events whatever the chunk size', () => {
    const input = Buffer.from(Array.from({ length: 50 }, (_, i) => `Jan  2 03:04:${String(i % 60).padStart(2, '0')} web1 sshd[${i}]: Failed password for user${i} from 10.0.0.${i} port 22 ssh2`).join('\n'));
    const whole = parseAll(input, { parser: 'auth' }).events;
    for (const size of [1, 7, 100, 4096]) expect(parseAll(input, { parser: 'auth' }, size).events).toEqual(whole);
  });
});

describe('syslog', () => {
  it('reads RFC 3164 with a priority and RFC 5424 with structured data', () => {
    const { events, report } = parseAll(
      [
        '<34>Oct 11 22:14:15 mymachine su: \'su root\' failed for lonvick on /dev/pts/8',
        '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry',
        '<86>1 2024-01-02T03:04:05+08:00 web1 sshd 1234 - - Accepted password for root from 10.1.1.1 port 22 ssh2',
        '<38>Oct 11 22:14:16 mymachine sshd[7]: Accepted password for root from 10.1.1.1 port 22 ssh2',
        '<38>Oct 11 22:14:16 mymachine sshd[7]: pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)',
      ].join('\n'),
      { parser: 'syslog' },
    );
    expect(report.unparsed).toBe(0);
    expect(events[0]).toMatchObject({ host: 'mymachine', source: 'su', type: 'log', time: SHANGHAI(2024, 10, 11, 22, 14, 15) });
    expect(events[0].fields).toMatchObject({ facility: 4, severity: 2 });
    expect(events[1]).toMatchObject({ host: 'mymachine.example.com', source: 'evntslog', message: 'An application event log entry', time: Date.UTC(2003, 9, 11, 22, 14, 15, 3) });
    expect(events[1].fields).toMatchObject({ facility: 20, severity: 5, msgid: 'ID47', structured_data: '[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"]' });
    expect(events[2]).toMatchObject({ type: 'auth.success', user: 'root', srcIp: '10.1.1.1', time: Date.UTC(2024, 0, 1, 19, 4, 5) });
    expect(events[2].fields).toMatchObject({ pid: 1234, facility: 10, severity: 6 });
    // A line repeating the previous line's header keeps its priority.
    expect(events[4]).toMatchObject({ type: 'session.open', user: 'root', host: 'mymachine' });
    expect(events[4].fields).toMatchObject({ pid: 7, facility: 4, severity: 6 });
  });
});
