import { describe, expect, it } from 'vitest';
import { checkBill, checkJsonLine, checkMysqlLine, checkNginxLine, checkSyslogLine, MYSQL_BANNER } from '../../../../test/helpers/trace-formats.js';
import { generateTraces, TRACE_SCENARIO_KEYS, type TraceBundle, type TraceFile } from './index.js';

const start = Date.parse('2020-04-18T09:00:00+08:00');
const end = start + 150 * 60_000;
const bundles = new Map<string, TraceBundle>(TRACE_SCENARIO_KEYS.map((key) => [key, generateTraces(key, { seed: 'formats', start, end, includeOptionalSteps: true })]));

function textLines(f: TraceFile): string[] {
  const text = f.content.toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

/** Checks every line of a file against its real format; returns the record times in file order. */
function checkFile(f: TraceFile, bundle: TraceBundle): number[] {
  const year = 2020;
  switch (f.parser) {
    case 'auth':
    case 'syslog':
      return textLines(f).map((l) => checkSyslogLine(l, f.parser as 'auth' | 'syslog', f.host, year, '+08:00'));
    case 'nginx':
      return textLines(f).map(checkNginxLine);
    case 'mysql': {
      const lines = textLines(f);
      MYSQL_BANNER.forEach((re, i) => expect(lines[i]).toMatch(re));
      return lines.slice(3).map((l) => checkMysqlLine(l).micros / 1000);
    }
    case 'jsonl':
      return textLines(f).map((l) => checkJsonLine(l).time);
    case 'wechatpay':
      return checkBill(f.content, f.name.includes('fundflow') ? 'fund' : 'trade', '+08:00').times;
    default:
      throw new Error(`no checker for ${f.parser} (${bundle.scenarioKey}/${f.name})`);
  }
}

describe.each(TRACE_SCENARIO_KEYS.map((k) => [k]))('%s: every line is in its real format', (key) => {
  const bundle = bundles.get(key)!;

  it('writes files with names, parsers, hosts and descriptions in both languages', () => {
    expect(bundle.files.length).toBeGreaterThan(0);
    expect(new Set(bundle.files.map((f) => f.name)).size).toBe(bundle.files.length);
    for (const f of bundle.files) {
      expect(f.description['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(f.description.en).toMatch(/^[A-Za-z]/);
      expect(f.host).not.toBe('');
      expect(f.encoding).toBe(f.parser === 'wechatpay' ? 'gbk' : 'utf8');
      if (f.encoding === 'utf8') expect(Buffer.from(f.content.toString('utf8'), 'utf8').equals(f.content)).toBe(true);
    }
  });

  it.each(bundle.files.map((f) => [f.name, f] as const))('%s: strict format, times inside the coverage and in order', (_name, f) => {
    const times = checkFile(f, bundle);
    expect(times.length).toBeGreaterThan(0);
    for (let i = 0; i < times.length; i++) {
      expect(Number.isFinite(times[i])).toBe(true);
      // Second resolution in most formats: the coverage bounds are compared at that resolution.
      expect(times[i]).toBeGreaterThanOrEqual(Math.floor(bundle.coverage.from / 1000) * 1000);
      expect(times[i]).toBeLessThanOrEqual(bundle.coverage.to);
      if (i > 0) expect(times[i], `${f.name} line ${i + 1} goes back in time`).toBeGreaterThanOrEqual(times[i - 1]);
    }
  });
});

describe('the checkers reject what real programs never write', () => {
  it('auth.log', () => {
    const ok = 'Apr 17 23:31:07 app-server sshd[1234]: Accepted password for root from 103.1.2.27 port 51544 ssh2';
    expect(checkSyslogLine(ok, 'auth', 'app-server', 2020, '+08:00')).toBe(Date.parse('2020-04-17T23:31:07+08:00'));
    expect(checkSyslogLine(ok.replace('Apr 17', 'Apr  7'), 'auth', 'app-server', 2020, '+08:00')).toBe(Date.parse('2020-04-07T23:31:07+08:00'));
    expect(() => checkSyslogLine('Apr 07 23:31:07 app-server sshd[1]: Invalid user a from 1.2.3.4 port 5', 'auth', 'app-server', 2020, '+08:00')).toThrow(/padded/);
    expect(() => checkSyslogLine(ok.replace('sshd[1234]', 'sshd'), 'auth', 'app-server', 2020, '+08:00')).toThrow(/pid/);
    expect(() => checkSyslogLine(ok.replace(' ssh2', ''), 'auth', 'app-server', 2020, '+08:00')).toThrow(/format/);
    expect(() => checkSyslogLine('Apr 17 23:31:07 app-server sshd[9]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4 user=root', 'auth', 'app-server', 2020, '+08:00')).toThrow();
  });

  it('nginx, MySQL, JSON lines', () => {
    expect(() => checkNginxLine('1.2.3.4 - - [17/Apr/2020:23:45:01 +0800] "GET /a HTTP/1.1" 200 512 "-" "Mozilla/5.0"')).not.toThrow();
    expect(() => checkNginxLine('1.2.3.4 - - [17/Apr/2020:23:45:01 +0800] "GET /a HTTP/1.1" 200 512 "-"')).toThrow();
    expect(() => checkNginxLine('1.2.3.4 - - [17/Apr/2020:23:45:01 +0800] "GET /a"b HTTP/1.1" 200 512 "-" "x"')).toThrow();
    expect(checkMysqlLine('2020-04-17T15:41:09.123456Z\t   12 Connect\troot@localhost on shop using Socket').thread).toBe(12);
    expect(() => checkMysqlLine('2020-04-17T15:41:09.123456Z\t12 Query\tselect 1')).toThrow(/%5u/);
    expect(() => checkMysqlLine('2020-04-17T15:41:09.123Z\t   12 Query\tselect 1')).toThrow();
    expect(() => checkJsonLine('{"time":"2020-04-18T08:52:10+08:00","user":"a","ip":"1.2.3.4","action":"withdraw","amount":5000,"result":"success"}')).toThrow(/two decimals/);
    expect(checkJsonLine('{"time":"2020-04-18T08:52:10+08:00","user":"a","ip":"1.2.3.4","action":"withdraw","amount":5000.00,"result":"success"}').record.amount).toBe(5000);
  });
});
