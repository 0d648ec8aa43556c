import { describe, expect, it } from 'vitest';
import type { EscalationRule } from '../plans/schema.js';
import { computeEscalationClocks, levelAtLeast } from './escalation.js';
import type { TimelineEntry } from './schema.js';

const MIN = 60_000;
let seq = 0;
function entry(minute: number, kind: TimelineEntry['kind'], data: Record<string, unknown> = {}, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  seq++;
  return {
    id: `e${seq}`,
    seq,
    kind,
    at: new Date(Date.UTC(2020, 3, 18, 1, minute)).toISOString(),
    drillTimeMs: minute * MIN,
    actorId: null,
    actorLabel: 'test',
    text: kind,
    data,
    correctsId: null,
    attachments: [],
    createdAt: new Date().toISOString(),
    ...extra,
  };
}

const gmRule: EscalationRule = {
  key: 'report-gm',
  trigger: 'incident_detected',
  recipient: '总经理',
  withinMinutes: 10,
  channel: 'verbal',
  requiredFields: ['occurred_at', 'scope', 'trend', 'measures'],
};
const fullReport = { recipient: '总经理', channel: 'verbal', fields: { occurred_at: '09:15', scope: '微信商户平台', trend: '已止损', measures: '清空余额，关闭提现' } };

function clocks(entries: TimelineEntry[], nowMinute: number, rules = [gmRule], level: 'I' | 'II' | 'III' | 'IV' | null = 'IV') {
  return computeEscalationClocks({ rules, entries, level, nowMs: nowMinute * MIN, basis: 'drill' });
}

describe('escalation clocks', () => {
  it('the seed: detected 09:15, reported to the general manager 09:25 with all four fields → met in 10 minutes', () => {
    const entries = [entry(0, 'status_change', { milestone: 'started' }), entry(15, 'inject', { milestone: 'detected' }), entry(25, 'report', { report: fullReport })];
    const [gm] = clocks(entries, 60);
    expect(gm.state).toBe('met');
    expect(gm.triggeredAtMs).toBe(15 * MIN);
    expect(gm.dueAtMs).toBe(25 * MIN);
    expect(gm.reportedAtMs! - gm.triggeredAtMs!).toBe(10 * MIN);
  });

  it('reporting at 09:27 is late by 2 minutes', () => {
    const [gm] = clocks([entry(15, 'inject', { milestone: 'detected' }), entry(27, 'report', { report: fullReport })], 60);
    expect(gm.state).toBe('late');
    expect(gm.lateByMs).toBe(2 * MIN);
  });

  it('waits for its trigger, then counts down, then is overdue', () => {
    expect(clocks([entry(0, 'status_change', { milestone: 'started' })], 5)[0].state).toBe('waiting');
    const detected = [entry(15, 'inject', { milestone: 'detected' })];
    expect(clocks(detected, 18)[0]).toMatchObject({ state: 'pending', remainingMs: 7 * MIN });
    expect(clocks(detected, 31)[0]).toMatchObject({ state: 'overdue', lateByMs: 6 * MIN });
  });

  it('a report missing a required field does not count, and says which', () => {
    const partial = { ...fullReport, fields: { occurred_at: '09:15', scope: 'x', trend: ' ', measures: '' } };
    const [gm] = clocks([entry(15, 'inject', { milestone: 'detected' }), entry(20, 'report', { report: partial })], 22);
    expect(gm.state).toBe('pending');
    expect(gm.missingFields).toEqual(['trend', 'measures']);
  });

  it('a report to someone else does not count; a report naming the rule does', () => {
    const other = { ...fullReport, recipient: '财务经理' };
    expect(clocks([entry(15, 'inject', { milestone: 'detected' }), entry(20, 'report', { report: other })], 22)[0].state).toBe('pending');
    const byRule = { ...other, ruleKey: 'report-gm' };
    expect(clocks([entry(15, 'inject', { milestone: 'detected' }), entry(20, 'report', { report: byRule })], 22)[0].state).toBe('met');
  });

  it('a correction replaces the entry it corrects', () => {
    const late = entry(30, 'report', { report: fullReport });
    // Recorded at 09:30 by mistake; the correction says it was made at 09:24.
    const fix = entry(24, 'report', { report: fullReport }, { correctsId: late.id });
    const [gm] = clocks([entry(15, 'inject', { milestone: 'detected' }), late, fix], 40);
    expect(gm).toMatchObject({ state: 'met', reportedAtMs: 24 * MIN, reportEntryId: fix.id });
  });

  it('rules for severe incidents do not apply to a level IV incident', () => {
    const regulator: EscalationRule = { ...gmRule, key: 'regulator', trigger: 'level_at_least', minLevel: 'III', recipient: '网信部门', withinMinutes: 240 };
    const detected = [entry(15, 'inject', { milestone: 'detected' })];
    expect(clocks(detected, 20, [regulator], 'IV')[0].state).toBe('not_applicable');
    expect(clocks(detected, 20, [regulator], 'II')[0]).toMatchObject({ state: 'pending', dueAtMs: (15 + 240) * MIN });
  });

  it('plan_activated rules start at the activation', () => {
    const rule: EscalationRule = { ...gmRule, key: 'notify-staff', trigger: 'plan_activated', recipient: '财务人员', withinMinutes: 5, requiredFields: [] };
    const entries = [entry(15, 'inject', { milestone: 'detected' }), entry(18, 'decision', { milestone: 'plan_activated' }), entry(22, 'report', { report: { recipient: '财务人员', channel: 'phone' } })];
    expect(clocks(entries, 30, [rule])[0]).toMatchObject({ state: 'met', triggeredAtMs: 18 * MIN });
  });

  it('orders severity I > II > III > IV', () => {
    expect(levelAtLeast('I', 'III')).toBe(true);
    expect(levelAtLeast('III', 'III')).toBe(true);
    expect(levelAtLeast('IV', 'III')).toBe(false);
    expect(levelAtLeast(null, 'IV')).toBe(false);
  });
});
