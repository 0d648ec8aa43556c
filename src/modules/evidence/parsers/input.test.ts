/** Bad input, encodings and format detection. */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { translate } from '../../../i18n/index.js';
import { createEventParser, detectFormat } from './index.js';
import { BASE, expectAccounted, parseAll, rawOf } from '../../../../test/helpers/evidence-parsers.js';

const AUTH_LINE = 'Jan  2 03:04:05 web1 sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2';

describe('whole-file errors', () => {
  it('refuses an empty file', () => {
    expect(() => parseAll(Buffer.alloc(0))).toThrow(expect.objectContaining({ code: 'evidence_empty', status: 400 }));
    expect(() => parseAll(Buffer.alloc(0), { parser: 'auth', encoding: 'utf8' })).toThrow(expect.objectContaining({ code: 'evidence_empty' }));
  });

  it('refuses binary content, saying so in both languages', () => {
    const garbage = Buffer.alloc(10_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 256;
    let error: unknown;
    try {
      parseAll(garbage, { parser: 'auth' });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'evidence_format_unknown', params: { context: 'binary' } });
    const params = (error as { params: Record<string, unknown> }).params;
    expect(translate('en', 'evidence_format_unknown', params)).toMatch(/binary \(\d+% control bytes\)/);
    expect(translate('zh-CN', 'evidence_format_unknown', params)).toMatch(/二进制文件/);
    // A gzip file that was not decompressed is binary too.
    const gz = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, ...Array(200).fill(0)]);
    expect(() => parseAll(gz)).toThrow(expect.objectContaining({ code: 'evidence_format_unknown' }));
  });

  it('says which parsers were tried when none recognises the file', () => {
    let error: unknown;
    try {
      parseAll('hello world\nthis is just some prose\nwith no structure at all\n');
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'evidence_format_unknown' });
    const params = (error as { params: Record<string, unknown> }).params;
    expect(translate('en', 'evidence_format_unknown', params)).toContain('auth, syslog, nginx');
    expect(translate('zh-CN', 'evidence_format_unknown', params)).toContain('已尝试');
  });

  it('refuses bytes that are not valid in the chosen encoding, and a file valid in none', () => {
    const gbk = iconv.encode('交易时间,商户号\n`2024-01-02 03:04:05,`1\n', 'gbk');
    expect(() => parseAll(gbk, { parser: 'csv', encoding: 'utf8' })).toThrow(expect.objectContaining({ code: 'evidence_encoding_invalid', params: { encoding: 'utf8', offset: 0 } }));
    const latin1 = Buffer.from(`${AUTH_LINE}\nJan  2 03:04:06 web1 sshd[1]: Failed password for Jos\xe9 from 10.0.0.1 port 22 ssh2\xff\n`, 'latin1');
    expect(() => parseAll(latin1)).toThrow(expect.objectContaining({ code: 'evidence_encoding_invalid' }));
  });

  it('refuses an unknown time zone', () => {
    expect(() => createEventParser({ ...BASE, timeZone: 'Mars/Olympus' })).toThrow(expect.objectContaining({ code: 'evidence_time_zone_invalid' }));
  });
});

describe('encodings', () => {
  it('reads a UTF-8 file with a byte-order mark; offsets count the mark', () => {
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${AUTH_LINE}\n${AUTH_LINE}`)]);
    const { events, report } = parseAll(input);
    expect(report).toMatchObject({ parser: 'auth', encoding: 'utf8', events: 2 });
    expect(events[0].offset).toBe(3);
    expect(rawOf(input, events[0])).toBe(AUTH_LINE);
    expectAccounted(input, events, report);
  });

  it('switches to GB18030 when a file that began in ASCII turns out to be GBK', () => {
    const head = Array.from({ length: 1500 }, () => AUTH_LINE).join('\n');
    const input = Buffer.concat([Buffer.from(`${head}\n`), iconv.encode('Jan  2 03:04:07 web1 sshd[1]: Failed password for invalid user 管理员 from 10.0.0.1 port 22 ssh2\n', 'gbk')]);
    expect(input.length).toBeGreaterThan(64 * 1024);
    const { events, report } = parseAll(input, {}, 10_000);
    expect(report).toMatchObject({ encoding: 'gb18030', events: 1501, unparsed: 0 });
    expect(events[1500].user).toBe('管理员');
  });

  it('counts a line with invalid bytes after the first 64 KiB as unparsed', () => {
    const head = Array.from({ length: 2500 }, () => '2024-01-02 03:04:05,用户,10.0.0.1').join('\n');
    const input = Buffer.concat([Buffer.from(`time,user,ip\n${head}\n`), Buffer.from([0x32, 0x30, 0xff, 0xfe, 0x0a]), Buffer.from('2024-01-02 03:04:06,b,10.0.0.2\n')]);
    const { report } = parseAll(input, { parser: 'csv' });
    expect(input.indexOf(0xff)).toBeGreaterThan(64 * 1024);
    expect(report).toMatchObject({ encoding: 'utf8', events: 2501, unparsed: 1, unparsedLines: [2502] });
  });
});

describe('long lines', () => {
  it('counts a 50 MB line as unparsed without holding it in memory', () => {
    const parser = createEventParser({ ...BASE, parser: 'auth', encoding: 'utf8' });
    const chunk = Buffer.alloc(1 << 20, 0x61);
    const events = [...parser.push(Buffer.from(`${AUTH_LINE}\n`))];
    const before = process.memoryUsage();
    let peak = 0;
    for (let i = 0; i < 50; i++) {
      events.push(...parser.push(chunk));
      const now = process.memoryUsage();
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - (before.heapUsed + before.arrayBuffers));
    }
    events.push(...parser.push(Buffer.from(`\n${AUTH_LINE}`)));
    events.push(...parser.end());
    expect(peak).toBeLessThan(20 * 1024 * 1024);
    expect(parser.report()).toMatchObject({ lines: 3, events: 2, unparsed: 1, unparsedLines: [2], bytes: 2 * (AUTH_LINE.length + 1) + 50 * (1 << 20) });
    expect(events.map((e) => e.lineNo)).toEqual([1, 3]);
    expect(events[1].offset).toBe(AUTH_LINE.length + 1 + 50 * (1 << 20) + 1);
  });

  it('counts a multi-line record that grows past the limit as unparsed', () => {
    const long = Array.from({ length: 100 }, (_, i) => `  AND column_${i} = 'value'`).join('\n');
    const input = Buffer.from(`2024-01-02T03:04:05.000000Z\t    1 Query\tSELECT 1\n${long}\n2024-01-02T03:04:06.000000Z\t    1 Query\tSELECT 2\n`);
    const { events, report } = parseAll(input, { parser: 'mysql', maxLineBytes: 1000 });
    expect(report).toMatchObject({ lines: 102, events: 1, unparsed: 101 });
    expect(report.unparsedLines[0]).toBe(1);
    expect(events[0].fields.sql).toBe('SELECT 2');
    expectAccounted(input, events, report);
  });
});

describe('detectFormat', () => {
  const samples: Array<[string, string | Buffer, string | undefined]> = [
    ['auth', `${AUTH_LINE}\nJan  2 03:04:06 web1 sudo:    alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/id\nJan  2 03:05:01 web1 CRON[9]: (root) CMD (true)\n`, undefined],
    ['syslog', 'Jan  2 03:04:05 web1 kernel: [    0.000000] Linux version 6.1.0\nJan  2 03:04:06 web1 systemd[1]: Started Journal Service.\nJan  2 03:04:07 web1 NetworkManager[600]: <info> ok\n', undefined],
    ['nginx', '203.0.113.9 - - [02/Jan/2024:03:04:05 +0800] "GET / HTTP/1.1" 200 612 "-" "curl/8" "-"\n', 'access.log'],
    ['apache', '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "-" "Mozilla/4.08"\n', 'apache2/access.log'],
    ['mysql', '/usr/sbin/mysqld, Version: 8.0.36 (MySQL Community Server - GPL). started with:\nTcp port: 3306  Unix socket: /tmp/mysql.sock\nTime                 Id Command    Argument\n2024-01-02T03:04:05.123456Z\t   10 Connect\tapp@10.0.0.5 on shop using TCP/IP\n', undefined],
    ['postgres', '2024-01-02 03:04:05.123 CST [4321] LOG:  database system is ready to accept connections\n2024-01-02 03:04:06.000 CST [4322] FATAL:  password authentication failed for user "x"\n', undefined],
    [
      'postgres-csv',
      '2024-01-02 03:04:05.123 CST,"app","shop",4321,"10.0.0.5:52344",65937a15.10e1,1,"authentication",2024-01-02 03:04:05 CST,3/1,0,LOG,00000,"connection authorized: user=app",,,,,,,,,"psql","client backend",,0\n',
      'postgresql.csv',
    ],
    ['jsonl', '{"time":"2024-01-02T03:04:05Z","user":"alice"}\n{"time":"2024-01-02T03:04:06Z","user":"bob"}\n', undefined],
    ['csv', '登录时间,账号,IP\n2024-01-02 03:04:05,alice,10.0.0.5\n2024-01-02 03:04:06,bob,10.0.0.6\n', 'logins.csv'],
    ['wechatpay', iconv.encode('交易时间,商户号,微信订单号,商户订单号,用户标识\n`2024-01-02 03:04:05,`1,`2,`3,`o\n', 'gbk'), undefined],
  ];
  it.each(samples)('recognises %s', (parser, sample, filename) => {
    const detected = detectFormat(Buffer.isBuffer(sample) ? sample : Buffer.from(sample), filename);
    expect(detected?.parser).toBe(parser);
    expect(detected!.confidence).toBeGreaterThanOrEqual(0.3);
    expect(detected!.confidence).toBeLessThanOrEqual(1);
    if (parser === 'wechatpay') expect(detected!.encoding).toBe('gb18030');
  });

  it('finds nothing in binary or shapeless input', () => {
    expect(detectFormat(Buffer.from([0, 1, 2, 3, 0, 0, 0, 4, 5]))).toBeNull();
    expect(detectFormat(Buffer.from('just words\nand more words\n'))).toBeNull();
  });
});
