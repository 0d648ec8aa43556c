import { describe, expect, it } from 'vitest';
import { isoUtcMicros, Zone } from './clock.js';
import { Random } from './random.js';

describe('Zone', () => {
  const shanghai = new Zone('Asia/Shanghai');
  const t = Date.parse('2020-04-07T23:41:07.250+08:00');

  it('writes each log format’s timestamp', () => {
    expect(shanghai.syslog(t)).toBe('Apr  7 23:41:07');
    expect(shanghai.nginx(t)).toBe('07/Apr/2020:23:41:07 +0800');
    expect(shanghai.isoLocal(t)).toBe('2020-04-07T23:41:07+08:00');
    expect(shanghai.plain(t)).toBe('2020-04-07 23:41:07');
    expect(shanghai.compactDate(t)).toBe('20200407');
    expect(isoUtcMicros(t, 7)).toBe('2020-04-07T15:41:07.250007Z');
  });

  it('turns wall-clock times into instants and back, across a DST change', () => {
    const ny = new Zone('America/New_York');
    expect(ny.instant(2020, 3, 7, 12)).toBe(Date.parse('2020-03-07T12:00:00-05:00'));
    expect(ny.instant(2020, 3, 9, 12)).toBe(Date.parse('2020-03-09T12:00:00-04:00'));
    expect(ny.nginx(Date.parse('2020-03-09T12:00:00-04:00'))).toBe('09/Mar/2020:12:00:00 -0400');
    expect(ny.dayStart(Date.parse('2020-03-08T15:00:00-04:00'))).toBe(Date.parse('2020-03-08T00:00:00-05:00'));
    expect(ny.local(Date.parse('2020-03-08T15:00:00-04:00'))).toMatchObject({ day: 8, hour: 15, weekday: 0, offsetMinutes: -240 });
    expect(shanghai.dayStart(t, -5)).toBe(Date.parse('2020-04-02T00:00:00+08:00'));
  });

  it('refuses an unknown zone with a coded error', () => {
    expect(() => new Zone('Nowhere/Special')).toThrow(expect.objectContaining({ code: 'trace_time_zone_invalid' }));
  });
});

describe('Random', () => {
  it('repeats itself for a seed, differs for another, and its streams do not depend on each other', () => {
    const draw = (r: Random) => Array.from({ length: 20 }, () => r.int(0, 1_000_000));
    expect(draw(new Random('a'))).toEqual(draw(new Random('a')));
    expect(draw(new Random('a'))).not.toEqual(draw(new Random('b')));
    const one = new Random('a');
    const before = draw(one.stream('attack'));
    draw(one);
    draw(one.stream('background'));
    expect(draw(one.stream('attack'))).toEqual(before);
  });

  it('stays inside the bounds it is given', () => {
    const r = new Random('bounds');
    for (let i = 0; i < 2000; i++) {
      const v = r.int(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
      expect(r.poisson(4)).toBeGreaterThanOrEqual(0);
    }
    expect(r.hex(16)).toMatch(/^[0-9a-f]{16}$/);
    expect(r.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
    expect(r.weighted([['only', 1]] as const)).toBe('only');
  });
});
