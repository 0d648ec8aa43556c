import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.js';
import { insertEvents, type TestEvent } from '../../../../test/helpers/events.js';
import { bundledRules, runRules, type RuleHit, type RunOptions } from '../sigma/index.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

interface Result {
  hits: RuleHit[];
  /** Indexes of each hit's events, in hit order. */
  events: number[][];
}

/** Runs one bundled rule (by name) over the given events in a fresh incident. */
async function run(name: string, events: TestEvent[], options: RunOptions = {}): Promise<Result> {
  const rule = bundledRules().find((r) => r.name === name);
  if (!rule) throw new Error(`no bundled rule ${name}`);
  const incident = randomUUID();
  const ids = await insertEvents(database.db, incident, events);
  const hits = await runRules(database.db, incident, [rule], { ruleSet: bundledRules(), ...options });
  return { hits, events: hits.map((h) => h.eventIds.map((id) => ids.indexOf(id)).sort((a, b) => a - b)) };
}

const at = (base: string, seconds: number) => new Date(Date.parse(base) + seconds * 1000).toISOString();
const T0 = '2026-03-06T02:00:00Z'; // a Friday, 10:00 in Shanghai

function ssh(type: 'auth.failure' | 'auth.success', ip: string, user: string, time: string, method = 'password'): TestEvent {
  const verb = type === 'auth.success' ? 'Accepted' : 'Failed';
  return {
    time,
    source: 'sshd',
    type,
    user,
    srcIp: ip,
    action: 'login',
    outcome: type === 'auth.success' ? 'success' : 'failure',
    message: `${verb} ${method} for ${user} from ${ip} port 52311 ssh2`,
    fields: { method, port: 52311, pid: 4242, program: 'sshd' },
  };
}
const fail = (ip: string, user: string, time: string) => ssh('auth.failure', ip, user, time);
const ok = (ip: string, user: string, time: string, method = 'password') => ssh('auth.success', ip, user, time, method);

describe('bundled rules', () => {
  it('all parse, with uuid ids and unique names', () => {
    const rules = bundledRules();
    const names = rules.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.name).toMatch(/^[a-z0-9_]+$/);
    }
    for (const name of [
      'ssh_bruteforce_then_success',
      'ssh_new_source_ip_admin',
      'admin_login_off_hours',
      'ssh_root_password_login',
      'payment_by_non_finance',
      'db_mass_export',
      'db_balance_tampering',
      'sudo_to_root_shell',
      'new_local_account',
      'web_sqli_attempt',
      'web_path_traversal',
    ])
      expect(names).toContain(name);
  });

  it('ssh_bruteforce_then_success: five failures then a success from one address within 10 minutes', async () => {
    const events: TestEvent[] = [
      // 0–5: hit
      ...[0, 60, 120, 180, 240].map((s) => fail('198.51.100.1', 'root', at(T0, s))),
      ok('198.51.100.1', 'root', at(T0, 360)),
      // 6–10: four failures then success: no
      ...[0, 60, 120, 180].map((s) => fail('198.51.100.2', 'root', at(T0, s))),
      ok('198.51.100.2', 'root', at(T0, 300)),
      // 11–16: success 11 minutes after the first failure: no
      ...[0, 60, 120, 180, 240].map((s) => fail('198.51.100.3', 'root', at(T0, s))),
      ok('198.51.100.3', 'root', at(T0, 660)),
      // 17–22: success from another address: no
      ...[0, 60, 120, 180, 240].map((s) => fail('198.51.100.4', 'root', at(T0, s))),
      ok('198.51.100.5', 'root', at(T0, 300)),
      // 23–28: success before the failures: no
      ok('198.51.100.6', 'root', at(T0, 0)),
      ...[60, 120, 180, 240, 300].map((s) => fail('198.51.100.6', 'root', at(T0, s))),
      // 29–49: twenty failures every 90 s, then success a minute after the last: the last windows qualify
      ...Array.from({ length: 20 }, (_, i) => fail('198.51.100.7', 'admin', at(T0, i * 90))),
      ok('198.51.100.7', 'admin', at(T0, 19 * 90 + 60)),
    ];
    const { hits, events: got } = await run('ssh_bruteforce_then_success', events);
    expect(hits.map((h) => h.groupKey)).toEqual([{ SourceIp: '198.51.100.1' }, { SourceIp: '198.51.100.7' }]);
    expect(got[0]).toEqual([0, 1, 2, 3, 4, 5]);
    // failures 14…20 (of 20) and the success
    expect(got[1]).toEqual([42, 43, 44, 45, 46, 47, 48, 49]);
    expect(hits[0]).toMatchObject({ level: 'high', count: 6, firstTime: at(T0, 0), lastTime: at(T0, 360), author: 'Firedrill' });
  });

  it('ssh_new_source_ip_admin: an admin account from an address new for it after the 24 h baseline', async () => {
    const day1 = at(T0, 86_400 + 3600);
    const events: TestEvent[] = [
      ok('10.0.0.1', 'root', at(T0, 0)), // 0 baseline
      ok('10.0.0.2', 'admin', at(T0, 4 * 3600)), // 1 baseline
      ok('192.0.2.9', 'ubuntu', at(T0, 10 * 3600)), // 2 first seen inside the baseline: no
      ok('10.0.0.1', 'root', day1), // 3 known: no
      ok('203.0.113.5', 'root', at(day1, 600)), // 4 new: hit
      ok('203.0.113.5', 'root', at(day1, 3600)), // 5 same pair: same hit
      ok('198.51.100.7', 'alice', at(day1, 900)), // 6 not an admin account: no
      ok('10.0.0.1', 'admin', at(day1, 1200)), // 7 new for admin (root used it): hit
      fail('198.51.100.99', 'root', at(day1, 1500)), // 8 a failure: no
      ok('10.0.0.2', 'admin', at(T0, 23 * 3600)), // 9 known: no
    ];
    const { hits, events: got } = await run('ssh_new_source_ip_admin', events);
    expect(hits.map((h) => h.groupKey)).toEqual([
      { User: 'root', SourceIp: '203.0.113.5' },
      { User: 'admin', SourceIp: '10.0.0.1' },
    ]);
    expect(got).toEqual([[4, 5], [7]]);
    // with alice among the admin accounts, her new address is reported too
    const withAlice = await run('ssh_new_source_ip_admin', events, { placeholders: { admin_accounts: ['root', 'admin', 'alice'] } });
    expect(withAlice.hits.map((h) => h.groupKey?.User).sort()).toEqual(['admin', 'alice', 'root']);
  });

  it('admin_login_off_hours: before 08:00, from 20:00 or at the weekend, local time', async () => {
    const events: TestEvent[] = [
      ok('10.0.0.1', 'root', '2026-03-06T11:59:00Z'), // 0 Fri 19:59: no
      ok('10.0.0.1', 'root', '2026-03-06T12:01:00Z'), // 1 Fri 20:01: yes
      ok('10.0.0.1', 'root', '2026-03-05T23:59:00Z'), // 2 Fri 07:59: yes
      ok('10.0.0.1', 'root', '2026-03-06T00:00:00Z'), // 3 Fri 08:00: no
      ok('10.0.0.1', 'ubuntu', '2026-03-07T06:00:00Z'), // 4 Sat 14:00: yes
      ok('10.0.0.1', 'alice', '2026-03-06T15:00:00Z'), // 5 not an admin: no
      fail('10.0.0.1', 'root', '2026-03-06T15:00:00Z'), // 6 a failure: no
      { ...ok('10.0.0.1', 'root', '2026-03-06T15:00:00Z'), source: 'su', message: 'pam_unix(su:session): session opened' }, // 7 su 23:00: yes (auth)
    ];
    expect((await run('admin_login_off_hours', events)).events).toEqual([[1, 2, 4, 7]]);
    // in UTC, 12:01 and 15:00 are office hours; 23:59 Thursday, 00:00 Friday and Saturday are not
    expect((await run('admin_login_off_hours', events, { timeZone: 'UTC' })).events).toEqual([[2, 3, 4]]);
  });

  it('ssh_root_password_login: root with a password, not a key', async () => {
    const events: TestEvent[] = [
      ok('10.0.0.1', 'root', at(T0, 0)), // 0 yes
      ok('10.0.0.1', 'root', at(T0, 60), 'publickey'), // 1 no
      ok('10.0.0.1', 'root', at(T0, 120), 'keyboard-interactive/pam'), // 2 yes
      ok('10.0.0.1', 'admin', at(T0, 180)), // 3 no
      fail('10.0.0.1', 'root', at(T0, 240)), // 4 no
    ];
    expect((await run('ssh_root_password_login', events)).events).toEqual([[0, 2]]);
  });

  it('payment_by_non_finance: payments and refunds by accounts outside %finance_accounts%', async () => {
    const op = (type: 'payment' | 'refund' | 'log', user: string | null, source = 'json'): TestEvent => ({
      time: T0,
      source,
      type,
      user,
      action: type === 'refund' ? 'refund' : 'withdraw',
      message: `${user} ${type}`,
      fields: { amount: 5000, currency: 'CNY' },
    });
    const events = [op('payment', 'fin-li'), op('payment', 'dev-zhao'), op('refund', 'ops-qian'), op('log', 'dev-zhao'), op('payment', null, 'wechatpay'), op('payment', 'dev', 'wechatpay')];
    expect((await run('payment_by_non_finance', events, { placeholders: { finance_accounts: ['fin-li', 'fin-wang'] } })).events).toEqual([[1, 2]]);
    // no finance accounts configured: every operator's payment is reported
    expect((await run('payment_by_non_finance', events)).events).toEqual([[0, 1, 2]]);
  });

  it('db_mass_export: export statements, dump clients and bursts of whole-table SELECTs per account', async () => {
    const q = (user: string, sqlText: string, time: string, source = 'mysql'): TestEvent => ({
      time,
      source,
      type: 'db.query',
      user,
      action: sqlText.split(' ')[0].toUpperCase(),
      message: sqlText,
      fields: { sql: sqlText, command: 'Query', database: 'shop' },
    });
    const events: TestEvent[] = [
      q('dba', "SELECT * FROM users INTO OUTFILE '/tmp/u.csv'", at(T0, 0)), // 0 yes
      q('app', 'select id, name from users where id = 5', at(T0, 10)), // 1 no
      q('pgadmin', "COPY orders TO '/tmp/o.csv' WITH CSV", at(T0, 20), 'postgres'), // 2 yes
      q('pgadmin2', "COPY orders FROM '/tmp/o.csv' WITH CSV", at(T0, 30), 'postgres'), // 3 no
      ...Array.from({ length: 20 }, (_, i) => q('mallory', `SELECT * FROM t_${i}`, at(T0, 100 + i * 12))), // 4–23 yes
      ...Array.from({ length: 19 }, (_, i) => q('bob', `select * from t_${i};`, at(T0, 100 + i * 12))), // 24–42 no
      ...Array.from({ length: 20 }, (_, i) => q('carol', `SELECT * FROM t_${i}`, at(T0, i * 90))), // 43–62 no: too slow
      q('eve', 'SELECT * FROM users WHERE id = 1', at(T0, 50)), // 63 no
      // 64–84: the nightly backup account's dump: its client banner and a whole-table SELECT burst; no once listed
      q('backup', '/*!40100 SET @@SQL_MODE=\'\' */ -- mysqldump', at(T0, 0)),
      ...Array.from({ length: 20 }, (_, i) => q('backup', `SELECT /*!40001 SQL_NO_CACHE */ * FROM t_${i}`, at(T0, i))),
    ];
    const { hits } = await run('db_mass_export', events);
    expect(hits.map((h) => h.groupKey?.User).sort()).toEqual(['backup', 'dba', 'mallory', 'pgadmin']);
    const listed = await run('db_mass_export', events, { placeholders: { backup_accounts: ['backup'] } });
    expect(listed.hits.map((h) => h.groupKey?.User).sort()).toEqual(['dba', 'mallory', 'pgadmin']);
    expect(listed.events.flat().sort((a, b) => a - b)).toEqual([0, 2, ...Array.from({ length: 20 }, (_, i) => 4 + i)]);
  });

  it('db_balance_tampering: direct UPDATEs of balance columns outside the application account', async () => {
    const q = (user: string, sqlText: string): TestEvent => ({ time: T0, source: 'mysql', type: 'db.query', user, message: sqlText, fields: { sql: sqlText } });
    const events = [
      q('dba', 'UPDATE accounts SET balance = balance + 1000 WHERE id = 7'), // 0 yes
      q('app', 'UPDATE accounts SET balance = balance + 1000 WHERE id = 7'), // 1 no: the application
      q('dba', 'update orders set status = 2, commission_rate=0.5 where id=1'), // 2 yes
      q('dba', 'UPDATE users SET 余额 = 100 WHERE id = 1'), // 3 yes
      q('dba', 'select balance from accounts'), // 4 no
      q('dba', "UPDATE users SET name = 'amount' WHERE id = 1"), // 5 no
      q('dba', 'UPDATE accounts SET status = 1 WHERE balance = 0'), // 6 no: balance only in WHERE
    ];
    expect((await run('db_balance_tampering', events, { placeholders: { app_db_accounts: ['app'] } })).events).toEqual([[0, 2, 3]]);
  });

  it('sudo_to_root_shell: an interactive root shell through sudo', async () => {
    const sudo = (targetUser: string, command: string): TestEvent => ({
      time: T0,
      source: 'sudo',
      type: 'privilege.escalation',
      user: 'alice',
      message: `alice : TTY=pts/0 ; PWD=/home/alice ; USER=${targetUser} ; COMMAND=${command}`,
      fields: { target_user: targetUser, command, tty: 'pts/0', pwd: '/home/alice' },
    });
    const events = [sudo('root', '/bin/bash'), sudo('root', '/usr/bin/su -'), sudo('root', '/usr/bin/apt update'), sudo('postgres', '/bin/bash'), sudo('root', "/bin/bash -c 'id'")];
    expect((await run('sudo_to_root_shell', events)).events).toEqual([[0, 1]]);
  });

  it('new_local_account: useradd', async () => {
    const events: TestEvent[] = [
      { time: T0, source: 'useradd', type: 'account.create', user: 'hacker', message: 'new user: name=hacker, UID=1001, GID=1001, home=/home/hacker, shell=/bin/bash' },
      { time: T0, source: 'useradd', type: 'log', message: 'new group: name=hacker, GID=1001' },
      { time: T0, source: 'usermod', type: 'account.change', user: 'hacker', message: "add 'hacker' to group 'sudo'" },
      { time: T0, source: 'adduser', type: 'log', message: 'new user: name=svc, UID=999' },
    ];
    expect((await run('new_local_account', events)).events).toEqual([[0, 3]]);
  });

  const request = (target: string, status = 200): TestEvent => {
    const [path, query] = target.split('?');
    return {
      time: T0,
      source: 'nginx',
      type: 'http.request',
      srcIp: '203.0.113.9',
      target: path,
      action: 'GET',
      message: `GET ${target} HTTP/1.1`,
      fields: { method: 'GET', path, ...(query !== undefined ? { query } : {}), status, protocol: 'HTTP/1.1', user_agent: 'curl/8.0' },
    };
  };

  it('web_sqli_attempt: SQL injection strings in the URI, not on 404s', async () => {
    const events = [
      request('/item.php?id=1%27%20or%20%271%27%3D%271'), // 0 yes
      request('/search?q=1 UNION SELECT username,password FROM users'), // 1 yes
      request('/search?q=1 UNION SELECT username,password FROM users', 404), // 2 no: 404
      request('/search?q=union'), // 3 no
      request('/products/select-union-tools'), // 4 no
      request('/news?id=5 AND SLEEP(5)'), // 5 yes
    ];
    expect((await run('web_sqli_attempt', events)).events).toEqual([[0, 1, 5]]);
  });

  it('web_path_traversal: traversal sequences in path or query', async () => {
    const events = [
      request('/download.php?file=../../../../etc/passwd'), // 0 yes
      request('/cgi-bin/.%2e/.%2e/.%2e/bin/sh'), // 1 yes
      request('/static/../app.js'), // 2 no
      request('/images/logo.png'), // 3 no
      request('/view?page=..%2F..%2Fwindows%2Fwin.ini'), // 4 yes
    ];
    expect((await run('web_path_traversal', events)).events).toEqual([[0, 1, 4]]);
  });

  it('run together over one incident, each rule finds only its own events', async () => {
    const incident = randomUUID();
    const events: TestEvent[] = [
      ...[0, 60, 120, 180, 240].map((s) => fail('198.51.100.1', 'root', at(T0, s))),
      ok('198.51.100.1', 'root', at(T0, 300)),
      request('/download.php?file=../../../../etc/passwd'),
      { time: T0, source: 'json', type: 'payment', user: 'dev-zhao', message: 'withdraw', fields: { amount: 1 } },
    ];
    await insertEvents(database.db, incident, events);
    const hits = await runRules(database.db, incident, bundledRules());
    expect(hits.map((h) => h.name).sort()).toEqual(['payment_by_non_finance', 'ssh_bruteforce_then_success', 'ssh_root_password_login', 'web_path_traversal']);
  });
});
