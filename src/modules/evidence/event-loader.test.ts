/**
 * CopyRowWriter writes COPY rows into a byte buffer; copyRow is the string formatting it replaced. For any events the
 * bytes must be the same: escapes, NUL, text cut at 8192 UTF-16 units (even inside a surrogate pair), lone
 * surrogates, invalid addresses, fractional and missing times, odd numbers.
 */
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type LocatedEvent } from './event.js';
import { CopyRowWriter } from './event-loader.js';

// ---- the reference: rows as strings ----

// The COPY text format: backslash, tab, newline and carriage return escaped; NUL cannot be stored at all.
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\\\t\n\r\u0000]/;
// eslint-disable-next-line no-control-regex
const SPECIAL_ALL = /[\\\t\n\r\u0000]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\u0000': '' };

const MAX_TEXT = 8192;

function text(value: string | null): string {
  if (value === null) return '\\N';
  const v = value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
  return SPECIAL.test(v) ? v.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : v;
}

function json(fields: LocatedEvent['fields']): string {
  let s = JSON.stringify(fields);
  // jsonb refuses \u0000 inside strings: drop the character itself, not an escaped backslash before "u0000".
  if (s.includes('\\u0000')) s = JSON.stringify(fields, (_k, v: unknown) => (typeof v === 'string' ? v.replaceAll('\u0000', '') : v));
  return text(s);
}

let lastSecond = NaN;
let lastPrefix = '';
/** ISO time of `ms`, formatted once per second (log lines come many to a second). */
function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  const frac = ms - second * 1000;
  return frac === 0 ? `${lastPrefix}Z` : `${lastPrefix}.${String(Math.round(frac)).padStart(3, '0')}Z`;
}

/** One COPY text row for an event, as a string: the formatting the loaders used before CopyRowWriter. */
function copyRow(incidentId: string, evidenceId: string, e: LocatedEvent): string {
  const time = e.time === null || !Number.isFinite(e.time) ? '\\N' : isoTime(e.time);
  const ip = e.srcIp !== null && isIP(e.srcIp) ? e.srcIp : null;
  return `${incidentId}\t${evidenceId}\t${time}\t${text(e.host)}\t${text(e.source)}\t${text(e.type)}\t${text(e.user)}\t${ip ?? '\\N'}\t${text(e.target)}\t${text(e.action)}\t${text(e.outcome)}\t${text(e.message)}\t${json(e.fields)}\t${e.lineNo}\t${e.offset}\t${e.length}\n`;
}

// ---- events ----

const INCIDENT = '6f1c1f4e-3a5e-4a8b-9b7e-0d8f2c1a9e01';
const EVIDENCE = '0b5e2f77-8d34-4c1e-a1f0-77c9d3e4b512';

/** Text with the characters COPY escapes, non-ASCII, astral and lone surrogates. */
const piece = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('\\', '\t', '\n', '\r', '\u0000', '\\N', 'é', '中文', '😀', '\ud800', '\udc00', '"', '\u007f', '\u0085'),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const textValue = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
/** Sometimes longer than the 8192-unit cut, sometimes with an astral character straddling it. */
const longText = fc.oneof(
  fc.tuple(fc.integer({ min: 8180, max: 8200 }), textValue).map(([n, t]) => 'a'.repeat(n) + t),
  fc.integer({ min: 8185, max: 8195 }).map((n) => 'x'.repeat(n - 1) + '😀'.repeat(4) + '\\'),
);
const maybeText = fc.option(fc.oneof({ weight: 9, arbitrary: textValue }, { weight: 1, arbitrary: longText }), { nil: null });

const ip = fc.option(
  fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('10.0.0.300', '::ffff:1.2.3.4', 'fe80::1%eth0', 'not an ip', '01.2.3.4', '', '1.2.3.4\t'), textValue),
  { nil: null },
);

const time = fc.option(
  fc.oneof(
    fc.integer({ min: -62_000_000_000_000, max: 253_000_000_000_000 }),
    fc.integer({ min: 0, max: 4_000_000_000_000 }).map((n) => n * 1000),
    fc.double({ min: -1e13, max: 1e13, noNaN: true }),
    fc.integer({ min: 0, max: 1e9 }).map((n) => n * 1000 + 999.6),
    fc.constantFrom(NaN, Infinity, -Infinity, 0, -1, 1.5),
  ),
  { nil: null },
);

const fieldValue = fc.oneof(textValue, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant('a\u0000b'), longText);
const fields = fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('pid', 'port', 'k\u0000', 'tab\t')), fieldValue, { maxKeys: 5 });
const count = fc.oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 9, 10, 99, 100, 2 ** 53, -1, 1.5));

const event: fc.Arbitrary<LocatedEvent> = fc.record({
  time,
  host: maybeText,
  source: textValue,
  type: fc.constantFrom(...EVENT_TYPES),
  user: maybeText,
  srcIp: ip,
  target: maybeText,
  action: maybeText,
  outcome: fc.constantFrom('success', 'failure', null),
  message: fc.oneof({ weight: 9, arbitrary: textValue }, { weight: 1, arbitrary: longText }),
  fields,
  lineNo: count,
  offset: count,
  length: count,
}) as fc.Arbitrary<LocatedEvent>;

function reference(batches: LocatedEvent[][]): Buffer {
  return Buffer.from(batches.map((b) => b.map((e) => copyRow(INCIDENT, EVIDENCE, e)).join('')).join(''), 'utf8');
}

describe('CopyRowWriter', () => {
  it('writes the bytes copyRow formats, batch after batch', () => {
    fc.assert(
      fc.property(fc.array(fc.array(event, { maxLength: 6 }), { maxLength: 4 }), fc.boolean(), (batches, takeEach) => {
        // A tiny first buffer makes it grow in the middle of rows.
        const writer = new CopyRowWriter(16);
        const out: Buffer[] = [];
        for (const batch of batches) {
          writer.add(INCIDENT, EVIDENCE, batch);
          if (takeEach) out.push(writer.take());
        }
        out.push(writer.take());
        const got = Buffer.concat(out);
        const want = reference(batches);
        if (!got.equals(want)) {
          let i = 0;
          while (i < got.length && got[i] === want[i]) i++;
          console.log('DIFF at', i, JSON.stringify(got.subarray(Math.max(0, i - 40), i + 40).toString('latin1')), JSON.stringify(want.subarray(Math.max(0, i - 40), i + 40).toString('latin1')));
        }
        expect(got.equals(want)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('writes the same bytes for a realistic auth.log batch', () => {
    const events: LocatedEvent[] = [
      { time: Date.UTC(2024, 0, 2, 3, 4, 5), host: 'web1', source: 'sshd', type: 'auth.success', user: 'root', srcIp: '192.168.1.10', target: null, action: 'login', outcome: 'success', message: 'Accepted password for root from 192.168.1.10 port 52344 ssh2', fields: { pid: 1234, program: 'sshd', method: 'password', port: 52344 }, lineNo: 1, offset: 0, length: 92 },
      { time: Date.UTC(2024, 0, 2, 3, 4, 5) + 120, host: 'web1', source: 'sudo', type: 'privilege.escalation', user: 'alice', srcIp: null, target: 'root', action: 'sudo', outcome: 'success', message: 'alice : TTY=pts/0 ; PWD=C:\\tmp ; USER=root ; COMMAND=/bin/bash', fields: { command: '/bin/bash', pwd: 'C:\\tmp' }, lineNo: 2, offset: 93, length: 80 },
    ];
    const writer = new CopyRowWriter();
    writer.add(INCIDENT, EVIDENCE, events);
    const bytes = writer.take();
    expect(bytes.equals(reference([events]))).toBe(true);
    expect(bytes.toString('utf8')).toContain('PWD=C:\\\\tmp');
    expect(bytes.toString('utf8').split('\n')).toHaveLength(3);
  });

  it('starts the prefix afresh when the evidence changes', () => {
    const e: LocatedEvent = { time: null, host: null, source: 'json', type: 'log', user: null, srcIp: null, target: null, action: null, outcome: null, message: 'm', fields: {}, lineNo: 1, offset: 0, length: 1 };
    const writer = new CopyRowWriter();
    writer.add(INCIDENT, EVIDENCE, [e]);
    writer.add(EVIDENCE, INCIDENT, [e]);
    expect(writer.take().toString('utf8')).toBe(copyRow(INCIDENT, EVIDENCE, e) + copyRow(EVIDENCE, INCIDENT, e));
  });
});
