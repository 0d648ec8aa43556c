/**
 * The DOCX reports open in an office suite: LibreOffice (headless) converts each to PDF, and the PDF has a
 * sensible number of pages and the Chinese text, header and page numbers intact. The test command installs
 * LibreOffice, poppler and the Noto CJK fonts when missing (scripts/test.mjs).
 * FIREDRILL_DOCS_SCREENSHOTS=1 also writes the record's first page to docs/screenshots/drill-record-docx.zh.png.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeedCompany } from '../src/demo/seed-company.js';
import { renderDrillReport, type ReportKind } from '../src/modules/reports/service.js';
import { systemContext } from './factories.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';

const DOCS = [
  { kind: 'record', lang: 'zh-CN', pages: [2, 6], text: ['进出口企业信息安全应急演练记录', '一、指导思想', '二、组织机构', '(二)演练内容记录', '应急预案演练开始', '王二麻子', '记录人(签字)'] },
  { kind: 'evaluation', lang: 'zh-CN', pages: [5, 14], text: ['演练总结评估报告', '一、演练概况', '三、演练实施', '首次报告用时', '四、演练目标评估', '六、改进措施与预案修订', '评估组组长(签字)'] },
  { kind: 'investigation', lang: 'zh-CN', pages: [3, 12], text: ['安全事件调查报告', '一、事件概况', '四、应急处理过程', '八、事件根源、泄露源及违规操作人员', '调查组组长(签字)'] },
  { kind: 'record', lang: 'en', pages: [2, 6], text: ['drill record', '1. Guiding principle', '4.2 Record of the drill', 'The emergency-plan drill starts.', 'Page 1 of'] },
] as const;

let db: TestDatabase;
let dir: string;
const pdfText = new Map<string, string>();
const pdfPages = new Map<string, number>();
const name = (d: (typeof DOCS)[number]) => `${d.kind}.${d.lang}`;

beforeAll(async () => {
  db = await createTestDatabase();
  const drillId = (await loadSeedCompany(db.db)).drillId!;
  dir = mkdtempSync(join(tmpdir(), 'firedrill-pdf-'));
  const ctx = systemContext(db.db);
  for (const d of DOCS) {
    const report = await renderDrillReport(ctx, drillId, { kind: d.kind as ReportKind, format: 'docx', lang: d.lang });
    writeFileSync(join(dir, `${name(d)}.docx`), report.body);
  }
  // A profile of its own, so a LibreOffice the user has open (or another test run) is not in the way.
  execFileSync(
    'soffice',
    [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...DOCS.map((d) => join(dir, `${name(d)}.docx`))],
    { stdio: 'pipe', timeout: 180_000 },
  );
  for (const d of DOCS) {
    const pdf = join(dir, `${name(d)}.pdf`);
    expect(existsSync(pdf), `${pdf} written by LibreOffice`).toBe(true);
    pdfPages.set(name(d), Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]));
    pdfText.set(name(d), execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }));
  }
  if (process.env.FIREDRILL_DOCS_SCREENSHOTS === '1') {
    execFileSync('pdftoppm', ['-r', '80', '-f', '1', '-l', '1', '-png', '-singlefile', join(dir, 'record.zh-CN.pdf'), join(dir, 'first-page')]);
    copyFileSync(join(dir, 'first-page.png'), new URL('../docs/screenshots/drill-record-docx.zh.png', import.meta.url));
  }
}, 300_000);

afterAll(async () => {
  await db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the DOCX reports converted to PDF by LibreOffice', () => {
  for (const d of DOCS) {
    it(`${d.kind} (${d.lang}) has ${d.pages[0]}–${d.pages[1]} pages and its text intact`, () => {
      const pages = pdfPages.get(name(d))!;
      expect(pages).toBeGreaterThanOrEqual(d.pages[0]);
      expect(pages).toBeLessThanOrEqual(d.pages[1]);
      const text = pdfText.get(name(d))!;
      // Compared without white space: line wrapping and PDF text extraction move spaces and breaks.
      const squeezed = text.replace(/\s+/g, '');
      for (const needle of d.text) expect(squeezed, needle).toContain(needle.replace(/\s+/g, ''));
      // Header and footer on every page: the company, and "第 N 页 / 共 M 页" (or "Page N of M").
      const header = d.lang === 'zh-CN' ? '【演练】某进出口贸易有限公司 研发部' : '[EXERCISE] Example Import & Export Trading Co., Ltd.';
      expect(squeezed.split(header.replace(/\s+/g, '')).length - 1).toBe(pages);
      for (let page = 1; page <= pages; page++) {
        expect(squeezed).toContain(d.lang === 'zh-CN' ? `第${page}页/共${pages}页` : `Page${page}of${pages}`);
      }
      // No missing-glyph boxes where Chinese should be.
      expect(text).not.toMatch(/[\u25a1\ufffd]/);
    });
  }
});
