/**
 * The report route's answers: HTML inline under a policy of its own (framed by our own pages only, no script),
 * Markdown and DOCX as attachments with their file names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeedCompany } from '../../demo/seed-company.js';
import { buildTestApp, signIn, type TestApp } from '../../../test/helpers/app.js';

let t: TestApp;
let cookie: string;
let drillId: string;

beforeAll(async () => {
  t = await buildTestApp();
  drillId = (await loadSeedCompany(t.database.db)).drillId!;
  cookie = (await signIn(t, 'auditor')).cookie;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const get = (query: string) => t.app.inject({ method: 'GET', url: `/api/drills/${drillId}/reports/record?${query}`, headers: { cookie } });

describe('GET /api/drills/:drillId/reports/record', () => {
  it('HTML: inline, framable by this site only, no script allowed, its inline style allowed', async () => {
    const res = await get('format=html&lang=zh-CN');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('inline; filename="drill-record-2020-04-18.zh-CN.html"');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).not.toContain('script-src');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.body).toContain('<style>');
    expect(res.body).toContain('<h1>【演练】');
  });

  it('DOCX and Markdown: attachments with their file names; the app pages keep frame-ancestors none', async () => {
    const docx = await get('format=docx&lang=en');
    expect(docx.headers['content-disposition']).toBe('attachment; filename="drill-record-2020-04-18.en.docx"');
    expect(docx.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(String(docx.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    const md = await get('format=md');
    expect(md.headers['content-disposition']).toBe('attachment; filename="drill-record-2020-04-18.zh-CN.md"');
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
  });
});
