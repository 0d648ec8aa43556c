/**
 * Properties every parser keeps, whatever the input: it never throws except the whole-file errors, never hangs
 * (bounded inputs), accounts for every line (events' lines + skipped + unparsed = lines read), and each event
 * points at the exact bytes of its line(s).
 */
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../errors.js';
import type { LocatedEvent } from '../event.js';
import { createEventParser } from './index.js';
import { expectAccounted } from '../../../../test/helpers/evidence-parsers.js';
import { PARSER_NAMES, type ParserName } from './types.js';

/** Whole-file errors a parser may throw on arbitrary input. */
const ALLOWED = new Set(['evidence_empty', 'evidence_format_unknown', 'evidence_encoding_invalid', 'evidence_csv_missing_column']);

const VALID: Record<ParserName, string[]> = {
  auth: [
    'Jan  2 03:04:05 web1 sshd[1234]: Accepted password for root from 192.168.1.10 port 52344 ssh2',
    'Jan  2 03:04:06 web1 sshd[1235]: Failed password for invalid user admin test from 10.0.0.5 port 4242 ssh2',
    'Jan  2 03:04:08 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash',
    'Jan  2 03:05:01 web1 CRON[999]: (root) CMD (cd / && run-parts --report /etc/cron.hourly)',
    'Jan  2 03:05:02 web1 sshd[1235]: message repeated 3 times: [ Failed password for root from 10.0.0.5 port 4242 ssh2]',
  ],
  syslog: ['<34>Oct 11 22:14:15 mymachine su: failed for lonvick on /dev/pts/8', '<165>1 2003-10-11T22:14:15.003Z host app - ID47 [x@1 a="1"] msg', 'Jan  2 03:04:05 web1 kernel: [ 1.23] hello'],
  nginx: ['203.0.113.9 - - [02/Jan/2024:03:04:05 +0800] "GET /a?b=1 HTTP/1.1" 200 612 "-" "curl/8" "-"', '2001:db8::7 - alice [02/Jan/2024:03:04:06 +0800] "POST /pay HTTP/2.0" 403 0 "-" "x"'],
  apache: ['127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326', '1.2.3.4 - - [10/Oct/2000:13:55:37 -0700] "GET /a\\"b HTTP/1.0" 404 - "-" "UA"'],
  mysql: [
    'Time                 Id Command    Argument',
    '2024-01-02T03:04:05.123456Z\t   10 Connect\tapp@10.0.0.5 on shop using TCP/IP',
    '2024-01-02T03:04:05.200000Z\t   10 Query\tSELECT *',
    'FROM users',
    '240102  3:04:05\t    1 Query\tselect 1',
    '\t\t    1 Quit\t',
  ],
  postgres: [
    '2024-01-02 03:04:05.123 CST [4321] LOG:  connection received: host=10.0.0.5 port=52344',
    '2024-01-02 03:04:06.000 CST [4321] ERROR:  relation "userz" does not exist',
    '2024-01-02 03:04:06.000 CST [4321] STATEMENT:  SELECT * FROM userz',
    '\t  WHERE id = 1;',
  ],
  'postgres-csv': [
    '2024-01-02 03:04:05.123 CST,"app","shop",4321,"10.0.0.5:52344",65937a15.10e1,1,"authentication",2024-01-02 03:04:05 CST,3/1,0,LOG,00000,"connection authorized: user=app",,,,,,,,,"psql","client backend",,0',
    '2024-01-02 03:04:06.000 CST,"app","shop",4321,"10.0.0.5:52344",65937a15.10e1,2,"SELECT",2024-01-02 03:04:05 CST,3/2,0,ERROR,42P01,"x",,,,,,"SELECT *\nFROM userz",15,,"psql","client backend",,0',
  ],
  jsonl: ['{"time":"2024-01-02T03:04:05Z","user":"alice","ip":"10.0.0.5","action":"login","result":"ok"}', '{"ts":1704135847,"type":"payment","amount":"12.50"}'],
  csv: ['time,user,ip,action', '2024-01-02 03:04:05,alice,10.0.0.5,login', '"2024-01-02 03:04:06","bo""b","10.0.0.6","multi\nline"'],
  wechatpay: [
    '交易时间,商户号,微信订单号,商户订单号,用户标识,交易状态,货币种类,订单金额,退款金额',
    '`2024-01-02 03:04:05,`10000100,`42000001,`ORD1,`oABC,`SUCCESS,`CNY,`9.90,`0.00',
    '总交易单数,应结订单总金额',
    '`1,`9.90',
  ],
};

/** Lines a property may mix in: printable text, unicode, quotes, separators, control characters. */
const noiseLine = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.stringMatching(/^[ -~\t"`,;[\]{}<>]{0,80}$/),
  fc.constantFrom('', ' ', '\t', '"', '""', '{', '}', '[', ']', '`', ',,,', '\u0000', '\u001b[31mred', 'é', '张三'),
);

function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10 && i + 1 < bytes.length) starts.push(i + 1);
  return starts;
}

/** Runs bytes through a parser in the given chunks; returns null when it threw an allowed whole-file error. */
function run(bytes: Buffer, parser: ParserName | 'auto', chunk: number, encoding: 'utf8' | 'auto' = 'auto') {
  const p = createEventParser({ parser, encoding, timeZone: 'Asia/Shanghai', year: 2024, maxLineBytes: 4096 });
  const events: LocatedEvent[] = [];
  try {
    for (let i = 0; i < bytes.length; i += chunk) events.push(...p.push(bytes.subarray(i, i + chunk)));
    events.push(...p.end());
  } catch (err) {
    if (err instanceof AppError && ALLOWED.has(err.code)) return null;
    throw err;
  }
  return { events, report: p.report() };
}

function checkResult(bytes: Buffer, result: NonNullable<ReturnType<typeof run>>) {
  const { events, report } = result;
  expect(report.bytes).toBe(bytes.length);
  expectAccounted(bytes, events, report);
  const starts = lineStarts(bytes);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (const e of events) {
    // The offset is the start of line lineNo.
    expect(e.offset === starts[e.lineNo - 1] || (e.lineNo === 1 && e.offset === bom)).toBe(true);
    expect(e.length).toBeGreaterThanOrEqual(0);
    expect(e.offset + e.length).toBeLessThanOrEqual(bytes.length);
    for (const key of ['host', 'user', 'srcIp', 'target', 'action'] as const) expect(e[key] === null || (typeof e[key] === 'string' && e[key] !== '')).toBe(true);
  }
  expect(report.unparsedLines.length).toBe(Math.min(20, report.unparsed));
  for (const n of report.unparsedLines) expect(n).toBeGreaterThanOrEqual(1);
}

describe.each(PARSER_NAMES)('%s parser', (name) => {
  it('never throws on arbitrary bytes (only whole-file errors) and accounts for every line', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 700 }), fc.constantFrom<'utf8' | 'auto'>('utf8', 'auto'), (raw, chunk, encoding) => {
        const bytes = Buffer.from(raw);
        const result = run(bytes, name, chunk, encoding);
        if (result) checkResult(bytes, result);
      }),
      { numRuns: 150 },
    );
  });

  it('accounts for every line of valid files with arbitrary lines mixed in, CRLF or LF, in any chunking', () => {
    let parsed = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...VALID[name]) }, { weight: 1, arbitrary: noiseLine }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom<'utf8' | 'gbk'>('utf8', 'gbk'),
        (lines, eol, trailing, chunk, encoding) => {
          const text = lines.join(eol) + (trailing ? eol : '');
          const bytes = encoding === 'utf8' ? Buffer.from(text) : iconv.encode(text, 'gbk');
          const result = run(bytes, name, chunk);
          if (result) {
            checkResult(bytes, result);
            parsed++;
          }
        },
      ),
      { numRuns: 150 },
    );
    // Mostly these files parse (a whole-file error is the exception: mostly-binary noise).
    expect(parsed).toBeGreaterThan(100);
  });

  it('parses its valid lines the same way whatever the chunk size', () => {
    const bytes = Buffer.from(VALID[name].join('\n'));
    const whole = run(bytes, name, bytes.length)!;
    expect(whole.report.events).toBeGreaterThan(0);
    expect(whole.report.unparsed).toBe(0);
    for (const chunk of [1, 3, 64]) expect(run(bytes, name, chunk)!.events).toEqual(whole.events);
  });
});
