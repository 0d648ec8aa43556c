import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, signIn, type TestApp } from '../../../test/helpers/app.js';
import { parseScenarioYaml, readLibrary, toYaml } from './service.js';

let t: TestApp;
let coordinator: string;

beforeAll(async () => {
  t = await buildTestApp();
  coordinator = (await signIn(t, 'coordinator')).cookie;
});
afterAll(async () => {
  await t?.close();
});

describe('scenario library', () => {
  it('ships seven scenarios, installed at start-up', async () => {
    const res = await t.app.inject({ url: '/api/scenarios', headers: { cookie: coordinator } });
    const keys = res.json().scenarios.map((s: { key: string }) => s.key).sort();
    expect(keys).toEqual(['data-leak', 'ddos', 'insider-misuse', 'phishing-account-takeover', 'ransomware', 'seed-password-leak', 'website-defacement']);
    expect(readLibrary()).toHaveLength(7);
  });

  it('exports YAML that imports back as the same scenario', async () => {
    const { scenarios } = (await t.app.inject({ url: '/api/scenarios', headers: { cookie: coordinator } })).json();
    const ransomware = scenarios.find((s: { key: string }) => s.key === 'ransomware');
    const exported = await t.app.inject({ url: `/api/scenarios/${ransomware.id}/export`, headers: { cookie: coordinator } });
    expect(exported.headers['content-type']).toContain('application/yaml');
    expect(exported.headers['content-disposition']).toContain('ransomware.yaml');
    const original = parseScenarioYaml(exported.body);
    const mine = { ...original, key: 'our-ransomware', title: { ...original.title, 'zh-CN': '我们的勒索软件演练' } };
    const imported = await t.app.inject({ method: 'POST', url: '/api/scenarios/import', payload: toYaml(mine), headers: { cookie: coordinator, 'content-type': 'application/yaml' } });
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({ source: 'custom', definition: { key: 'our-ransomware', title: { 'zh-CN': '我们的勒索软件演练' } } });
    expect(imported.json().definition.injects).toEqual(original.injects);
    const again = await t.app.inject({ method: 'POST', url: '/api/scenarios/import', payload: { yaml: toYaml(mine) }, headers: { cookie: coordinator } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('scenario_version_conflict');
  });

  it('names the line of a YAML syntax error and the field of a format error', async () => {
    const post = (yaml: string) => t.app.inject({ method: 'POST', url: '/api/scenarios/import', payload: yaml, headers: { cookie: coordinator, 'content-type': 'text/yaml', 'accept-language': 'en' } });
    const syntax = await post('key: x\ntitle: [unclosed\n');
    expect(syntax.statusCode).toBe(400);
    expect(syntax.json().error.code).toBe('scenario_yaml_invalid');
    expect(syntax.json().error.message).toMatch(/第 \d+ 行/);
    const seed = readLibrary().find((s) => s.key === 'seed-password-leak')!;
    const broken = toYaml({ ...seed, key: 'broken', injects: [{ ...seed.injects[0], channel: 'pigeon' as never }] });
    const format = await post(broken);
    expect(format.statusCode).toBe(400);
    expect(format.json().error.code).toBe('scenario_invalid');
    expect(format.json().error.message).toContain('injects.0.channel');
  });
});
