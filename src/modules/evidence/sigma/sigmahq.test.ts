import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.js';
import { insertEvents, type TestEvent } from '../../../../test/helpers/events.js';
import { parseSigmaRules, runRules } from './index.js';

/** Public SigmaHQ rules, unchanged (see fixtures/sigmahq/README.md for their authors and licence). */
const fixture = (file: string) => parseSigmaRules(readFileSync(join(import.meta.dirname, 'fixtures', 'sigmahq', file), 'utf8'));

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

async function matched(file: string, events: TestEvent[]): Promise<number[]> {
  const incident = randomUUID();
  const ids = await insertEvents(database.db, incident, events);
  const hits = await runRules(database.db, incident, fixture(file));
  return hits.flatMap((h) => h.eventIds.map((id) => ids.indexOf(id))).sort((a, b) => a - b);
}

const T = '2026-03-06T02:00:00Z';
function request(target: string, status = 200, userAgent = 'Mozilla/5.0', method = 'GET'): TestEvent {
  const [path, query] = target.split('?');
  return {
    time: T,
    source: 'nginx',
    type: 'http.request',
    srcIp: '203.0.113.9',
    target: path,
    action: method,
    message: `${method} ${target} HTTP/1.1`,
    fields: { method, path, ...(query !== undefined ? { query } : {}), status, user_agent: userAgent },
  };
}

describe('SigmaHQ rules run unchanged', () => {
  it('web_sql_injection_in_access_logs: keywords in the request, GET only, not 404', async () => {
    const events = [
      request('/item.php?id=1%20UNION%20SELECT%20password%20FROM%20users'), // 0 yes
      request('/item.php?id=1%20UNION%20SELECT%20password%20FROM%20users', 404), // 1 no: 404
      request('/item.php?id=1%20UNION%20SELECT%20password', 200, 'x', 'POST'), // 2 no: POST
      request('/q?x=@@version'), // 3 yes
      request('/index.html'), // 4 no
    ];
    expect(await matched('web_sql_injection_in_access_logs.yml', events)).toEqual([0, 3]);
  });

  it('web_path_traversal_exploitation_attempt: cs-uri-query patterns', async () => {
    const events = [request('/download?file=../../../etc/passwd'), request('/a/../b'), request('/x?f=..%252f..%252f..%252fetc%252fpasswd')];
    expect(await matched('web_path_traversal_exploitation_attempt.yml', events)).toEqual([0, 2]);
  });

  it('web_susp_useragents: cs-user-agent', async () => {
    const events = [request('/', 200, 'sqlmap/1.7.2#stable (https://sqlmap.org)'), request('/', 200, 'Mozilla/5.0 (Windows NT 10.0)'), request('/', 200, 'Mozilla/5.00 (Nikto/2.5.0)')];
    expect(await matched('web_susp_useragents.yml', events)).toEqual([0, 2]);
  });

  it('lnx_sshd_susp_ssh: sshd keywords', async () => {
    const sshd = (message: string, source = 'sshd'): TestEvent => ({ time: T, source, type: 'log', message });
    const events = [
      sshd('error: Corrupted MAC on input. [preauth]'),
      sshd('Accepted publickey for deploy from 10.0.0.3 port 50022 ssh2'),
      sshd('fatal: buffer_get_string: bad string length 1048577'),
      sshd('Corrupted MAC on input', 'nginx'),
    ];
    expect(await matched('lnx_sshd_susp_ssh.yml', events)).toEqual([0, 2]);
  });

  it('lnx_sudo_exploit_cve_2019_14287: the USER field with wildcards', async () => {
    const sudo = (target: string): TestEvent => ({
      time: T,
      source: 'sudo',
      type: 'privilege.escalation',
      user: 'mallory',
      message: `mallory : TTY=pts/1 ; PWD=/home/mallory ; USER=${target} ; COMMAND=/usr/bin/id`,
      fields: { target_user: target, command: '/usr/bin/id' },
    });
    expect(await matched('lnx_sudo_exploit_cve_2019_14287.yml', [sudo('#-1'), sudo('root'), sudo('#4294967295'), sudo('#1000')])).toEqual([0, 2]);
  });

  it('hits credit the rule author (Detection Rule License)', async () => {
    const incident = randomUUID();
    await insertEvents(database.db, incident, [request('/q?x=@@version')]);
    const [hit] = await runRules(database.db, incident, fixture('web_sql_injection_in_access_logs.yml'));
    expect(hit).toMatchObject({ ruleId: '5513deaf-f49a-46c2-a6c8-3f111b5cb453', author: expect.stringContaining('Saw Win Naung'), level: 'high', count: 1 });
  });
});
