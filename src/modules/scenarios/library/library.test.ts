// Checks the scenario library (the YAML files beside this test) against the format in the scenarios
// module and against the incident taxonomy. Pure file checks: no database, no server.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  INCIDENT_CATEGORIES,
  REGULATOR_REPORTING_PRESETS,
  REPORT_FIELDS,
  findCategory,
  isIncidentLevel,
  isSubcategoryOf,
  levelAtLeast,
} from '../../incidents/taxonomy.js';

const here = dirname(fileURLToPath(import.meta.url));

const REQUIRED_KEYS = [
  'key',
  'version',
  'title',
  'summary',
  'narrative',
  'category',
  'subcategory',
  'level',
  'attack',
  'mode',
  'scope',
  'durationMinutes',
  'objectives',
  'injects',
  'expectedFindings',
  'escalations',
] as const;

const REQUIRED_SCENARIOS = [
  'seed-password-leak',
  'ransomware',
  'phishing-account-takeover',
  'website-defacement',
  'data-leak',
  'ddos',
  'insider-misuse',
];

const MODES = ['tabletop', 'simulated', 'hands_on', 'demonstration'];
const SCOPES = ['comprehensive', 'single_topic'];
const INJECT_CHANNELS = ['phone', 'email', 'chat', 'system_alert'];
const ROLES = ['coordinator', 'responder', 'observer', 'all'];
const TRIGGERS = ['incident_detected', 'plan_activated', 'level_at_least'];
const ESCALATION_CHANNELS = ['verbal', 'phone', 'email', 'chat', 'wecom', 'dingtalk', 'feishu', 'sms'];
const REPORT_FIELD_KEYS = new Set<string>(REPORT_FIELDS.map((f) => f.key));
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ATTACK_ID = /^T\d{4}(\.\d{3})?$/;
const CJK = /[\u4e00-\u9fff]/;

type Text = { 'zh-CN': string; en: string };
type Scenario = {
  key: string;
  version: number;
  title: Text;
  summary: Text;
  narrative: Text;
  category: string;
  subcategory: string;
  level: string;
  attack: { id: string; name: string }[];
  mode: string;
  scope: string;
  durationMinutes: number;
  objectives: { key: string; text: Text; criterion: Text }[];
  injects: {
    key: string;
    offsetMinutes: number;
    channel: string;
    sender: Text;
    recipients: string[];
    content: Text;
    expectedActions: Text[];
  }[];
  expectedFindings: { key: string; title: Text; description: Text }[];
  escalations: {
    key: string;
    trigger: string;
    recipient: Text;
    withinMinutes: number;
    channel: string;
    requiredFields: string[];
  }[];
};

const files = readdirSync(here)
  .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
  .sort();
const library = files.map((file) => ({
  file,
  scenario: parse(readFileSync(join(here, file), 'utf8')) as Scenario,
}));

/** Every place the format puts human-readable text, with a path for the error message. */
function textMaps(s: Scenario): [string, unknown][] {
  const out: [string, unknown][] = [
    ['title', s.title],
    ['summary', s.summary],
    ['narrative', s.narrative],
  ];
  s.objectives?.forEach((o, i) => out.push([`objectives[${i}].text`, o.text], [`objectives[${i}].criterion`, o.criterion]));
  s.injects?.forEach((inj, i) => {
    out.push([`injects[${i}].sender`, inj.sender], [`injects[${i}].content`, inj.content]);
    inj.expectedActions?.forEach((a, j) => out.push([`injects[${i}].expectedActions[${j}]`, a]));
  });
  s.expectedFindings?.forEach((f, i) => out.push([`expectedFindings[${i}].title`, f.title], [`expectedFindings[${i}].description`, f.description]));
  s.escalations?.forEach((e, i) => out.push([`escalations[${i}].recipient`, e.recipient]));
  return out;
}

/** Any object anywhere that looks like a text map (has zh-CN or en) must be a complete one. */
function strayTextMaps(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => strayTextMaps(v, `${path}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if ('zh-CN' in obj || 'en' in obj) {
      const ok = typeof obj['zh-CN'] === 'string' && obj['zh-CN'].trim() !== '' && typeof obj.en === 'string' && obj.en.trim() !== '';
      if (!ok) out.push(path);
    }
    for (const [k, v] of Object.entries(obj)) strayTextMaps(v, path ? `${path}.${k}` : k, out);
  }
}

function uniqueKeys(items: { key: string }[]): boolean {
  return new Set(items.map((i) => i.key)).size === items.length;
}

describe('scenario library', () => {
  it('holds at least the 7 required scenarios, with unique keys', () => {
    const keys = library.map((l) => l.scenario.key);
    expect(library.length).toBeGreaterThanOrEqual(7);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of REQUIRED_SCENARIOS) expect(keys).toContain(key);
  });

  describe.each(library)('$file', ({ file, scenario: s }) => {
    it('has exactly the format keys, and its key matches the file name', () => {
      expect(Object.keys(s).sort()).toEqual([...REQUIRED_KEYS].sort());
      expect(s.key).toMatch(SLUG);
      expect(file.replace(/\.ya?ml$/, '')).toBe(s.key);
      expect(Number.isInteger(s.version) && s.version >= 1).toBe(true);
    });

    it('has non-empty zh-CN and en in every text map', () => {
      for (const [path, value] of textMaps(s)) {
        expect(value, path).toBeTypeOf('object');
        const t = value as Record<string, unknown>;
        expect(Object.keys(t).sort(), path).toEqual(['en', 'zh-CN']);
        expect(typeof t['zh-CN'] === 'string' && t['zh-CN'].trim().length > 0, `${path} zh-CN`).toBe(true);
        expect(typeof t.en === 'string' && t.en.trim().length > 0, `${path} en`).toBe(true);
        expect(CJK.test(t['zh-CN'] as string), `${path} zh-CN is Chinese`).toBe(true);
        expect(t.en, `${path} en differs from zh-CN`).not.toBe(t['zh-CN']);
      }
      const stray: string[] = [];
      strayTextMaps(s, '', stray);
      expect(stray).toEqual([]);
    });

    it('uses a category and subcategory from the taxonomy, and a level I–IV', () => {
      expect(findCategory(s.category), `category ${s.category}`).toBeDefined();
      expect(isSubcategoryOf(s.category, s.subcategory), `${s.subcategory} in ${s.category}`).toBe(true);
      expect(isIncidentLevel(s.level), `level ${s.level}`).toBe(true);
    });

    it('lists ATT&CK techniques with valid ids', () => {
      expect(Array.isArray(s.attack) && s.attack.length > 0).toBe(true);
      for (const t of s.attack) {
        expect(t.id).toMatch(ATTACK_ID);
        expect(typeof t.name === 'string' && t.name.trim().length > 0, `${t.id} name`).toBe(true);
      }
      expect(new Set(s.attack.map((t) => t.id)).size).toBe(s.attack.length);
    });

    it('has a known mode, scope and a positive duration', () => {
      expect(MODES).toContain(s.mode);
      expect(SCOPES).toContain(s.scope);
      expect(Number.isInteger(s.durationMinutes) && s.durationMinutes > 0).toBe(true);
    });

    it('has 3–5 objectives with unique keys', () => {
      expect(s.objectives.length).toBeGreaterThanOrEqual(3);
      expect(s.objectives.length).toBeLessThanOrEqual(5);
      expect(uniqueKeys(s.objectives)).toBe(true);
      for (const o of s.objectives) expect(o.key).toMatch(SLUG);
    });

    it('has 5–10 injects sorted by offset, unique keys, within the duration', () => {
      expect(s.injects.length).toBeGreaterThanOrEqual(5);
      expect(s.injects.length).toBeLessThanOrEqual(10);
      expect(uniqueKeys(s.injects)).toBe(true);
      const offsets = s.injects.map((i) => i.offsetMinutes);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
      for (const inj of s.injects) {
        expect(inj.key).toMatch(SLUG);
        expect(Number.isInteger(inj.offsetMinutes) && inj.offsetMinutes >= 0, `${inj.key} offset`).toBe(true);
        expect(inj.offsetMinutes, `${inj.key} offset`).toBeLessThanOrEqual(s.durationMinutes);
        expect(INJECT_CHANNELS, `${inj.key} channel`).toContain(inj.channel);
        expect(inj.recipients.length, `${inj.key} recipients`).toBeGreaterThan(0);
        for (const r of inj.recipients) expect(ROLES, `${inj.key} recipient`).toContain(r);
        expect(inj.expectedActions.length, `${inj.key} expectedActions`).toBeGreaterThanOrEqual(3);
        expect(inj.expectedActions.length, `${inj.key} expectedActions`).toBeLessThanOrEqual(6);
      }
    });

    it('has 2–5 expected findings with unique keys', () => {
      expect(s.expectedFindings.length).toBeGreaterThanOrEqual(2);
      expect(s.expectedFindings.length).toBeLessThanOrEqual(5);
      expect(uniqueKeys(s.expectedFindings)).toBe(true);
      for (const f of s.expectedFindings) expect(f.key).toMatch(SLUG);
    });

    it('has well-formed escalations with known report fields', () => {
      expect(s.escalations.length).toBeGreaterThanOrEqual(1);
      expect(uniqueKeys(s.escalations)).toBe(true);
      for (const e of s.escalations) {
        expect(e.key).toMatch(SLUG);
        expect(TRIGGERS, `${e.key} trigger`).toContain(e.trigger);
        expect(ESCALATION_CHANNELS, `${e.key} channel`).toContain(e.channel);
        expect(Number.isInteger(e.withinMinutes) && e.withinMinutes > 0, `${e.key} withinMinutes`).toBe(true);
        expect(e.requiredFields.length, `${e.key} requiredFields`).toBeGreaterThan(0);
        expect(new Set(e.requiredFields).size, `${e.key} requiredFields unique`).toBe(e.requiredFields.length);
        for (const f of e.requiredFields) expect(REPORT_FIELD_KEYS.has(f), `${e.key} field ${f}`).toBe(true);
      }
    });

    it('reports to the regulator in time when the level is III or above', () => {
      if (!isIncidentLevel(s.level) || !levelAtLeast(s.level, 'III')) return;
      const preset = REGULATOR_REPORTING_PRESETS.find((p) => p.key === 'other_operator')!;
      const report = s.escalations.find((e) => e.trigger === 'level_at_least' && e.recipient['zh-CN'] === preset.reportTo['zh-CN']);
      expect(report, 'escalation to the provincial cyberspace administration').toBeDefined();
      expect(report!.withinMinutes).toBeLessThanOrEqual(preset.minutes);
      for (const f of preset.requiredFields) expect(report!.requiredFields, `regulator field ${f.key}`).toContain(f.key);
    });
  });

  describe('seed scenario', () => {
    const seed = library.find((l) => l.scenario.key === 'seed-password-leak')?.scenario;

    it('exists', () => {
      expect(seed).toBeDefined();
    });

    it('has the finance phone call at 09:15 (offset 15)', () => {
      const call = seed!.injects.find((i) => i.offsetMinutes === 15);
      expect(call).toBeDefined();
      expect(call!.channel).toBe('phone');
    });

    it('demands the 10-minute report to the general manager with time, scope, trend and measures', () => {
      const report = seed!.escalations.find((e) => e.recipient['zh-CN'] === '总经理' && e.withinMinutes === 10);
      expect(report).toBeDefined();
      for (const f of ['occurred_at', 'scope', 'trend', 'measures']) expect(report!.requiredFields).toContain(f);
    });
  });
});

describe('incident taxonomy', () => {
  it('has the 10 GB/T 20986-2023 categories with unique keys and codes', () => {
    expect(INCIDENT_CATEGORIES).toHaveLength(10);
    expect(new Set(INCIDENT_CATEGORIES.map((c) => c.key)).size).toBe(10);
    expect(new Set(INCIDENT_CATEGORIES.map((c) => c.code)).size).toBe(10);
    expect(INCIDENT_CATEGORIES.map((c) => c.name['zh-CN'])).toEqual([
      '恶意程序事件',
      '网络攻击事件',
      '数据安全事件',
      '信息内容安全事件',
      '设备设施故障事件',
      '违规操作事件',
      '安全隐患事件',
      '异常行为事件',
      '不可抗力事件',
      '其他事件',
    ]);
  });

  it('has subcategory keys and codes unique across the whole taxonomy', () => {
    const subs = INCIDENT_CATEGORIES.flatMap((c) => c.subcategories.map((s) => ({ ...s, category: c })));
    expect(new Set(subs.map((s) => s.key)).size).toBe(subs.length);
    expect(new Set(subs.map((s) => s.code)).size).toBe(subs.length);
    for (const s of subs) expect(s.code.startsWith(s.category.code)).toBe(true);
    expect(isSubcategoryOf('malware', 'ransomware')).toBe(true);
    expect(isSubcategoryOf('network_attack', 'ransomware')).toBe(false);
  });
});
