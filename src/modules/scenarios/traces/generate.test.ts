import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { translate } from '../../../i18n/index.js';
import { EVENT_TYPES } from '../../evidence/event.js';
import { libraryFolder } from '../service.js';
import { BUNDLED_RULES, generateTraces, TRACE_SCENARIO_KEYS, type TraceBundle } from './index.js';

const start = Date.parse('2020-04-18T09:00:00+08:00');
const end = start + 150 * 60_000;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const hashes = (bundle: TraceBundle) => Object.fromEntries(bundle.files.map((f) => [f.name, sha(f.content)]));
const lineCount = (bundle: TraceBundle) => bundle.files.reduce((n, f) => n + (f.encoding === 'gbk' ? iconv.decode(f.content, 'gbk') : f.content.toString('utf8')).split('\n').length - 1, 0);
const split = new WeakMap<Buffer, string[]>();
const linesOf = (bundle: TraceBundle, name: string) => {
  const f = bundle.files.find((x) => x.name === name)!;
  let lines = split.get(f.content);
  if (!lines) {
    lines = (f.encoding === 'gbk' ? iconv.decode(f.content, 'gbk') : f.content.toString('utf8')).split(/\r?\n/);
    split.set(f.content, lines);
  }
  return lines;
};

describe('generateTraces', () => {
  it('has a generator for every scenario of the shipped library, and only those', () => {
    const keys = readdirSync(libraryFolder)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => (parse(readFileSync(join(libraryFolder, f), 'utf8')) as { key: string }).key);
    expect([...TRACE_SCENARIO_KEYS].sort()).toEqual(keys.sort());
  });

  it('refuses an unknown scenario, an empty window, an unknown zone, a wild scale or baseline, with coded errors', () => {
    expect(() => generateTraces('no-such-scenario', { seed: 1, start, end })).toThrow(expect.objectContaining({ code: 'trace_scenario_unknown', status: 400 }));
    expect(() => generateTraces('seed-password-leak', { seed: 1, start, end: start })).toThrow(expect.objectContaining({ code: 'trace_window_invalid' }));
    expect(() => generateTraces('seed-password-leak', { seed: 1, start: Number.NaN, end })).toThrow(expect.objectContaining({ code: 'trace_window_invalid' }));
    expect(() => generateTraces('seed-password-leak', { seed: 1, start, end, timeZone: 'Mars/Olympus' })).toThrow(expect.objectContaining({ code: 'trace_time_zone_invalid' }));
    expect(() => generateTraces('seed-password-leak', { seed: 1, start, end, scale: 0 })).toThrow(expect.objectContaining({ code: 'trace_scale_invalid' }));
    expect(() => generateTraces('seed-password-leak', { seed: 1, start, end, baselineDays: 0 })).toThrow(expect.objectContaining({ code: 'trace_baseline_invalid' }));
    for (const code of ['trace_scenario_unknown', 'trace_window_invalid', 'trace_time_zone_invalid', 'trace_scale_invalid', 'trace_baseline_invalid']) {
      expect(translate('zh-CN', code, { key: 'x', known: 'y', timeZone: 'z', scale: 0, days: 0 })).toMatch(/[\u4e00-\u9fff]/);
      expect(translate('en', code, { key: 'x', known: 'y', timeZone: 'z', scale: 0, days: 0 })).toMatch(/^[A-Z]/);
    }
  });

  it('is deterministic: the same inputs give byte-identical files, another seed other files', () => {
    const a = generateTraces('seed-password-leak', { seed: 20200418, start, end });
    const b = generateTraces('seed-password-leak', { seed: 20200418, start, end });
    const c = generateTraces('seed-password-leak', { seed: 20200419, start, end });
    expect(hashes(b)).toEqual(hashes(a));
    expect(b.truth).toEqual(a.truth);
    expect(b.attackerLines).toEqual(a.attackerLines);
    const other = hashes(c);
    for (const [name, h] of Object.entries(hashes(a))) expect(other[name], name).not.toBe(h);
    expect(c.truth.steps[0].srcIp).not.toBe(a.truth.steps[0].srcIp);
  });

  it('keeps the attack the same when only the background volume changes, and scale makes the bundle bigger', () => {
    const small = generateTraces('seed-password-leak', { seed: 'scale', start, end });
    const big = generateTraces('seed-password-leak', { seed: 'scale', start, end, scale: 3 });
    expect(big.truth).toEqual(small.truth);
    expect(lineCount(big)).toBeGreaterThan(lineCount(small) * 1.8);
  });

  it('covers the baseline days before the drill up to when the evidence was taken', () => {
    const bundle = generateTraces('seed-password-leak', { seed: 1, start, end });
    expect(bundle.coverage).toEqual({ from: Date.parse('2020-04-13T00:00:00+08:00'), to: start + 20 * 60_000 });
    const longer = generateTraces('seed-password-leak', { seed: 1, start, end, baselineDays: 9 });
    expect(longer.coverage.from).toBe(Date.parse('2020-04-09T00:00:00+08:00'));
    expect(linesOf(longer, 'auth.log')[0]).toMatch(/^Apr {2}9 /);
  });

  it('writes times in the requested zone', () => {
    const ny = generateTraces('seed-password-leak', { seed: 1, start: Date.parse('2020-04-18T09:00:00-04:00'), end: Date.parse('2020-04-18T11:30:00-04:00'), timeZone: 'America/New_York' });
    expect(linesOf(ny, 'access.log')[0]).toMatch(/^\S+ - - \[13\/Apr\/2020:\d\d:\d\d:\d\d -0400\]/);
    const login = linesOf(ny, 'auth.log').find((l) => l.includes(`from ${ny.truth.steps[0].srcIp} `))!;
    expect(login).toMatch(/^Apr 17 23:31:\d\d /);
    expect(linesOf(ny, 'operation.jsonl')[0]).toMatch(/^\{"time":"2020-04-1\dT\d\d:\d\d:\d\d-04:00"/);
  });
});

describe.each(TRACE_SCENARIO_KEYS.map((k) => [k]))('%s bundle', (key) => {
  const bundle = generateTraces(key, { seed: 7, start, end, includeOptionalSteps: true });

  it('is realistic but small enough to ingest in a test', () => {
    const lines = lineCount(bundle);
    expect(lines).toBeGreaterThan(900);
    expect(lines).toBeLessThan(60_000);
    expect(bundle.files.reduce((n, f) => n + f.content.length, 0)).toBeLessThan(12 * 1024 * 1024);
  });

  it('has ground truth whose every step is in the files, inside the coverage', () => {
    const { steps, placeholders } = bundle.truth;
    expect(steps.length).toBeGreaterThan(0);
    expect(new Set(steps.map((s) => s.key)).size).toBe(steps.length);
    for (const s of steps) {
      expect(s.title['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(s.title.en.length).toBeGreaterThan(5);
      expect(s.description['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(s.time).toBeGreaterThanOrEqual(bundle.coverage.from);
      expect(s.time).toBeLessThanOrEqual(bundle.coverage.to);
      if (s.endTime !== undefined) expect(s.endTime).toBeGreaterThanOrEqual(s.time);
      for (const r of s.ruleNames) expect(BUNDLED_RULES).toContain(r);
      for (const t of s.match.type ?? []) expect(EVENT_TYPES).toContain(t);
      expect(Object.keys(s.match).length).toBeGreaterThan(0);
      expect(bundle.attackerLines.filter((l) => l.step === s.key).length, `lines of ${s.key}`).toBeGreaterThan(0);
    }
    expect(placeholders.admin_accounts.length).toBeGreaterThan(0);
  });

  it('points at attacker lines that exist and carry the step’s address or account', () => {
    for (const ref of bundle.attackerLines) {
      const line = linesOf(bundle, ref.file)[ref.lineNo - 1];
      expect(line, `${ref.file}:${ref.lineNo}`).toBeTruthy();
      const step = bundle.truth.steps.find((s) => s.key === ref.step);
      expect(step, ref.step).toBeDefined();
    }
    for (const step of bundle.truth.steps) {
      const ips = [step.match.srcIp ?? []].flat();
      const users = [step.match.user ?? []].flat();
      if (ips.length === 0 && users.length === 0) continue;
      const lines = bundle.attackerLines.filter((l) => l.step === step.key).map((l) => linesOf(bundle, l.file)[l.lineNo - 1]);
      expect(
        lines.some((l) => ips.some((ip) => l.includes(ip)) || users.some((u) => l.includes(u))),
        `${step.key}: no line with its address or account`,
      ).toBe(true);
    }
  });
});
