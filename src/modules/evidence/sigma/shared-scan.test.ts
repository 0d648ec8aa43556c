/**
 * The shared scan (runRulesReport's default) must find exactly what running each rule on its own finds: same hits,
 * counts, times, group keys and event ids, for the bundled rules and for uploaded ones, over random mixes of the
 * events the rules look for and of events they must leave alone. And when the scan cannot run, every rule still
 * runs on its own.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.js';
import { insertEvents, type TestEvent } from '../../../../test/helpers/events.js';
import { bundledRules, parseSigmaRules, runRulesReport, type RuleRunReport, type RunOptions } from './index.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const T0 = Date.parse('2026-03-06T02:00:00Z');
const IPS = ['198.51.100.1', '198.51.100.2', '203.0.113.5', '10.0.0.1', '2001:db8::7'];
const USERS = ['root', 'admin', 'alice', 'deploy', 'ubuntu', 'mallory', 'fin-li', 'shop_app'];

/** One event of a kind the bundled rules care about, with its variable parts drawn by fast-check. */
const eventArb: fc.Arbitrary<TestEvent> = fc
  .record({
    kind: fc.integer({ min: 0, max: 11 }),
    minute: fc.integer({ min: 0, max: 3 * 24 * 60 }),
    ip: fc.constantFrom(...IPS),
    user: fc.constantFrom(...USERS),
    pick: fc.integer({ min: 0, max: 5 }),
  })
  .map(({ kind, minute, ip, user, pick }): TestEvent => {
    const time = T0 + minute * 60_000;
    switch (kind) {
      case 0:
      case 1: {
        const type = kind === 0 ? 'auth.failure' : 'auth.success';
        const method = pick % 2 ? 'password' : 'publickey';
        return { time, source: 'sshd', type, user, srcIp: ip, action: 'login', outcome: kind ? 'success' : 'failure', message: `${kind ? 'Accepted' : 'Failed'} ${method} for ${user} from ${ip} port 52311 ssh2`, fields: { method, port: 52311 } };
      }
      case 2: {
        const command = ['/bin/bash', '/usr/bin/systemctl restart nginx', '/bin/su -', '/usr/bin/vim /etc/hosts', '/bin/sh -i', '/usr/bin/id'][pick];
        return { time, source: 'sudo', type: 'privilege.escalation', user, target: 'root', action: 'sudo', outcome: 'success', message: `${user} : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=${command}`, fields: { target_user: pick === 5 ? 'www' : 'root', command } };
      }
      case 3:
        return { time, source: 'useradd', type: pick % 2 ? 'account.create' : 'log', user: 'sysadm', message: `new user: name=sysadm${pick}, UID=0`, fields: {} };
      case 4:
      case 5: {
        const target = ['/index.html', "/item.php?id=1' or '1'='1", '/download?file=../../../../etc/passwd', '/search?q=UNION%20SELECT%20password', '/a?x=sleep(5)', '/static/app.js?v=3'][pick];
        const [path, query] = target.split('?');
        const status = pick === 4 && kind === 5 ? 404 : 200;
        const fields: Record<string, string | number> = { method: 'GET', path, status };
        if (query) fields.query = query;
        return { time, source: kind === 4 ? 'nginx' : 'apache', type: 'http.request', srcIp: ip, target: path, action: 'GET', outcome: status < 400 ? 'success' : 'failure', message: `GET ${target} HTTP/1.1`, fields };
      }
      case 6:
      case 7: {
        const query = ['SELECT * FROM users', 'SELECT id FROM orders WHERE id = 5', "SELECT * FROM users INTO OUTFILE '/tmp/u.csv'", 'UPDATE accounts SET balance = 99999 WHERE id = 42', 'UPDATE orders SET status = 1 WHERE amount = 3', 'select * from `shop`.orders;'][pick];
        return { time, source: kind === 6 ? 'mysql' : 'postgres', type: 'db.query', user, srcIp: '10.8.1.20', target: 'shop', action: query.split(' ')[0].toUpperCase(), outcome: 'success', message: query, fields: { sql: query, command: 'Query', database: 'shop' } };
      }
      case 8:
        return { time, source: 'json', type: pick % 3 ? 'payment' : 'refund', user: pick === 5 ? null : user, srcIp: '10.8.2.5', target: `order-${pick}`, action: 'withdraw', outcome: 'success', message: 'withdrawal approved', fields: { amount: pick * 100 } };
      case 9:
        return { time, source: 'su', type: 'session.open', user, message: 'pam_unix(su:session): session opened', fields: {} };
      case 10:
        return { time: pick === 0 ? null : time, source: 'CRON', type: 'cron.exec', user: 'root', message: '(root) CMD (/usr/local/bin/backup.sh)', fields: { command: '/usr/local/bin/backup.sh' } };
      default:
        return { time, source: 'app', type: 'log', user, message: `mysqldump of shop by ${user}`, fields: { application_name: pick % 2 ? 'pg_dump' : 'psql' } };
    }
  });

/** A burst that makes the correlations fire: failures then a success, or many whole-table SELECTs. */
const burstArb: fc.Arbitrary<TestEvent[]> = fc.record({ start: fc.integer({ min: 0, max: 3 * 24 * 60 }), n: fc.integer({ min: 4, max: 25 }), ip: fc.constantFrom(...IPS), user: fc.constantFrom(...USERS), db: fc.boolean() }).map(({ start, n, ip, user, db }) =>
  Array.from({ length: n + 1 }, (_, i): TestEvent => {
    const time = T0 + start * 60_000 + i * 10_000;
    if (db) return { time, source: 'mysql', type: 'db.query', user, message: `SELECT * FROM t${i}`, fields: { sql: `SELECT * FROM t${i}`, command: 'Query' } };
    const type = i === n ? 'auth.success' : 'auth.failure';
    return { time, source: 'sshd', type, user, srcIp: ip, action: 'login', outcome: i === n ? 'success' : 'failure', message: `${i === n ? 'Accepted' : 'Failed'} password for ${user} from ${ip} port 1 ssh2`, fields: { method: 'password' } };
  }),
);

/** Everything that makes up the findings, comparable with toEqual. */
function findings(report: RuleRunReport) {
  return {
    hits: report.hits.map((h) => ({ ruleId: h.ruleId, count: h.count, firstTime: h.firstTime, lastTime: h.lastTime, groupKey: h.groupKey, eventIds: h.eventIds })),
    errors: report.errors.map((e) => ({ ruleId: e.ruleId, code: e.error.code })),
    rules: report.timings.map((t) => t.ruleId),
  };
}

const UPLOADED = parseSigmaRules(`title: Messages with a word
name: any_word
logsource:
    product: linux
detection:
    sel:
        message|re|i: '\\b(opened|approved)\\b'
    condition: sel
---
title: A placeholder nobody defined
name: unknown_placeholder
logsource:
    category: webserver
detection:
    sel:
        cs-uri-query|expand: '%nobody_defined_this%'
    condition: sel
`);

async function both(incident: string, rules = bundledRules(), options: RunOptions = {}) {
  const base: RunOptions = { ruleSet: bundledRules(), placeholders: { finance_accounts: ['fin-li'], app_db_accounts: ['shop_app'], backup_accounts: ['deploy'] }, maxEventIds: 7, ...options };
  const shared = await runRulesReport(database.db, incident, rules, { ...base, combined: true });
  const single = await runRulesReport(database.db, incident, rules, { ...base, combined: false });
  return { shared, single };
}

describe('shared rule scan', () => {
  it('finds exactly what rule-by-rule finds, bundled and uploaded rules, random events', { timeout: 120_000 }, async () => {
    let scanned = 0;
    let hits = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 120 }), fc.array(burstArb, { maxLength: 3 }), async (events, bursts) => {
        const incident = randomUUID();
        // Another incident's events must stay out of both.
        await insertEvents(database.db, randomUUID(), events.slice(0, 10));
        await insertEvents(database.db, incident, [...events, ...bursts.flat()]);
        const { shared, single } = await both(incident, [...bundledRules(), ...UPLOADED]);
        expect(findings(shared)).toEqual(findings(single));
        expect(single.scan).toBeUndefined();
        if (shared.scan && 'ms' in shared.scan) scanned++;
        hits += shared.hits.length;
      }),
      { numRuns: 12 },
    );
    // The shared path did run, and found things.
    expect(scanned).toBe(12);
    expect(hits).toBeGreaterThan(12);
  });

  it('runs the planted attacks to the same findings, which include every bundled rule', { timeout: 60_000 }, async () => {
    const incident = randomUUID();
    const events: TestEvent[] = [
      ...Array.from({ length: 6 }, (_, i): TestEvent => ({ time: T0 + i * 20_000, source: 'sshd', type: 'auth.failure', user: 'root', srcIp: '45.155.205.7', message: 'Failed password', fields: { method: 'password' } })),
      { time: T0 + 200_000, source: 'sshd', type: 'auth.success', user: 'root', srcIp: '45.155.205.7', message: 'Accepted password', fields: { method: 'password' } },
      { time: T0 - 86_400_000 * 2, source: 'sshd', type: 'auth.success', user: 'root', srcIp: '10.0.0.1', message: 'Accepted publickey', fields: { method: 'publickey' } },
      // 03:00 in Shanghai
      { time: T0 - 7 * 3_600_000, source: 'sshd', type: 'auth.success', user: 'root', srcIp: '185.220.101.4', message: 'Accepted publickey', fields: { method: 'publickey' } },
      { time: T0 + 300_000, source: 'sudo', type: 'privilege.escalation', user: 'deploy', target: 'root', message: 'COMMAND=/bin/bash', fields: { target_user: 'root', command: '/bin/bash' } },
      { time: T0 + 400_000, source: 'useradd', type: 'account.create', user: 'sysadm', message: 'new user: name=sysadm', fields: {} },
      { time: T0 + 500_000, source: 'json', type: 'payment', user: 'dev-zhao', message: 'withdrawal approved', fields: { amount: 49_999 } },
      ...Array.from({ length: 21 }, (_, i): TestEvent => ({ time: T0 + 600_000 + i * 3000, source: 'mysql', type: 'db.query', user: 'mallory', message: `SELECT * FROM t${i}`, fields: { sql: `SELECT * FROM t${i}` } })),
      { time: T0 + 700_000, source: 'mysql', type: 'db.query', user: 'dba', message: 'UPDATE accounts SET balance = 99999 WHERE id = 42', fields: { sql: 'UPDATE accounts SET balance = 99999 WHERE id = 42' } },
      { time: T0 + 800_000, source: 'nginx', type: 'http.request', srcIp: '45.155.205.7', target: '/item.php', message: 'GET', fields: { path: '/item.php', query: "id=1' or '1'='1", status: 200 } },
      { time: T0 + 900_000, source: 'nginx', type: 'http.request', srcIp: '45.155.205.7', target: '/download', message: 'GET', fields: { path: '/download', query: 'file=../../../../etc/passwd', status: 200 } },
    ];
    await insertEvents(database.db, incident, events);
    const { shared, single } = await both(incident);
    expect(findings(shared)).toEqual(findings(single));
    expect(shared.scan).toMatchObject({ predicates: expect.any(Number), rows: expect.any(Number) });
    const found = new Set(shared.hits.map((h) => h.name));
    for (const name of ['ssh_bruteforce_then_success', 'ssh_new_source_ip_admin', 'admin_login_off_hours', 'ssh_root_password_login', 'sudo_to_root_shell', 'new_local_account', 'payment_by_non_finance', 'db_mass_export', 'db_balance_tampering', 'web_sqli_attempt', 'web_path_traversal'])
      expect(found, name).toContain(name);
  });

  it('runs a lone detection rule on its own, without a scan', async () => {
    const incident = randomUUID();
    await insertEvents(database.db, incident, [{ time: T0, source: 'sshd', type: 'session.open', message: 'session opened', fields: {} }]);
    const { shared, single } = await both(incident, UPLOADED);
    expect(findings(shared)).toEqual(findings(single));
    expect(shared.scan).toBeUndefined();
    expect(shared.hits.map((h) => h.name)).toEqual(['any_word']);
    expect(shared.errors.map((e) => e.error.code)).toEqual(['rule_invalid']);
  });
});
