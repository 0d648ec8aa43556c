/**
 * The drill record (应急演练记录) of the seed company's drill, rendered as Markdown, HTML and DOCX: the seed
 * template's structure, the record in order with its times, user text shown literally in every format.
 */
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeedCompany } from '../src/demo/seed-company.js';
import { getDrill } from '../src/modules/drills/service.js';
import { createGroup, createPerson } from '../src/modules/org/service.js';
import { buildDrillRecord } from '../src/modules/reports/drill-record.js';
import type { DocumentModel } from '../src/modules/reports/model.js';
import { renderDocx } from '../src/modules/reports/render-docx.js';
import { renderHtml } from '../src/modules/reports/render-html.js';
import { renderMarkdown } from '../src/modules/reports/render-markdown.js';
import { renderDrillReport } from '../src/modules/reports/service.js';
import { systemContext } from './factories.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';

const HEADINGS = ['一、指导思想', '二、组织机构', '三、演练方案', '(一)演练时间', '(二)演练内容', '(三)演练的目的', '四、应急演练阶段', '(一)演练时间、地点、方式及参加人员', '(二)演练内容记录'];
const STEPS = ['9:00 应急预案演练开始', '9:15 演练紧急事件发生', '9:19 迅速将微信商户平台账号金额清空', '9:25 研发主管首先以口头方式向总经理报告', '10:20 发现', '11:00 信息系统应急行动结束', '11:00 演练结束'];
const EN_HEADINGS = ['1. Guiding principle', '2. Organisation', '3. Drill plan', '4. Drill stage', '4.1 Time, place, mode and participants', '4.2 Record of the drill'];

/** Asserts each needle occurs in text, each after the previous one. */
function expectInOrder(text: string, needles: string[]) {
  let from = 0;
  for (const needle of needles) {
    const i = text.indexOf(needle, from);
    expect(i, `"${needle}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = i + needle.length;
  }
}

/** What a Markdown reader shows for escaped text: a backslash before ASCII punctuation disappears. */
function unescapeMarkdown(md: string): string {
  return md.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

function decodeHtml(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

async function docxText(buffer: Buffer): Promise<string> {
  return (await mammoth.extractRawText({ buffer })).value;
}

let db: TestDatabase;
let drillId: string;
let zh: DocumentModel;

beforeAll(async () => {
  db = await createTestDatabase();
  const seed = await loadSeedCompany(db.db);
  drillId = seed.drillId!;
  zh = await buildDrillRecord(systemContext(db.db), drillId, 'zh-CN');
});
afterAll(async () => {
  await db?.close();
});

describe('the drill record of the seed drill (zh-CN)', () => {
  it('is marked as an exercise', () => {
    expect(zh.title).toContain('【演练】');
  });

  it('Markdown has every section of the template and the record in order with its times', () => {
    const md = renderMarkdown(zh);
    expectInOrder(md, ['# 【演练】', ...HEADINGS]);
    expect(md).toContain('## 一、指导思想');
    expect(md).toContain('### (二)演练内容记录');
    expect(md).toContain('预防为主');
    expect(md).toContain('- 组长:张三');
    expect(md).toContain('- 成员:李二、王二麻子');
    expect(md).toContain('3. 方式:模拟演练');
    expect(md).toContain('2. 地点:研发办公室');
    expect(md).toContain('1. 时间:2020年4月18日上午9:00');
    const record = md.slice(md.indexOf('(二)演练内容记录'));
    expectInOrder(record, STEPS);
    expect(record).toMatch(/^1\. 9:00 应急预案演练开始/m);
    expect(record).toContain('报告对象:总经理(方式:口头)');
    expect(record).toContain('影响范围:微信商户平台');
  });

  it('HTML is a complete print-ready page with the same sections and record', () => {
    const html = renderHtml(zh);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('@page');
    expect(html).toContain('A4');
    expect(html).toContain('SimSun');
    expectInOrder(html, HEADINGS);
    expectInOrder(html.slice(html.indexOf('(二)演练内容记录')), STEPS);
  });

  it('DOCX read back has the same sections and record in order', async () => {
    const buffer = await renderDocx(zh);
    expect(buffer.subarray(0, 2).toString()).toBe('PK');
    const text = await docxText(buffer);
    expectInOrder(text, ['【演练】', ...HEADINGS]);
    expectInOrder(text.slice(text.indexOf('(二)演练内容记录')), STEPS);
    expect(text).toContain('记录人(签字)');
  });

  it('renderDrillReport names, types and renders each format', async () => {
    const ctx = systemContext(db.db);
    const md = await renderDrillReport(ctx, drillId, { kind: 'record', format: 'md', lang: 'zh-CN' });
    expect(md.filename).toBe('drill-record-2020-04-18.zh-CN.md');
    expect(md.contentType).toMatch(/^text\/markdown/);
    expect(typeof md.body).toBe('string');
    const docx = await renderDrillReport(ctx, drillId, { kind: 'record', format: 'docx', lang: 'en' });
    expect(docx.filename).toBe('drill-record-2020-04-18.en.docx');
    expect(Buffer.isBuffer(docx.body)).toBe(true);
    const html = await renderDrillReport(ctx, drillId, { kind: 'record', format: 'html', lang: 'zh-CN' });
    expect(html.contentType).toBe('text/html; charset=utf-8');
  });
});

describe('the English drill record', () => {
  it('has English headings in every format', async () => {
    const en = await buildDrillRecord(systemContext(db.db), drillId, 'en');
    expect(en.title).toContain('EXERCISE');
    const md = renderMarkdown(en);
    expectInOrder(md, EN_HEADINGS);
    expect(md).not.toContain('一、指导思想');
    expect(md).toContain('Mode: simulated drill');
    expectInOrder(md, ['9:00 The emergency-plan drill starts.', '9:25 ', '11:00 The drill ends.']);
    expectInOrder(renderHtml(en), EN_HEADINGS);
    expectInOrder(await docxText(await renderDocx(en)), EN_HEADINGS);
  });
});

describe('user text with markup', () => {
  const NAME = '<script>alert(1)</script> **bold** a|b';
  const DUTIES = '{ HYPERLINK "x" } <script>alert(1)</script> **bold** a|b _em_ `code` [link](http://e) # not a heading\n- not a list & &amp;';
  const GROUP = '# 组 **x** a|b <b>';
  let model: DocumentModel;

  beforeAll(async () => {
    const ctx = systemContext(db.db);
    const drill = await getDrill(ctx, drillId);
    const zhang = drill.participants.find((p) => p.name === '张三')!;
    const odd = await createPerson(ctx, { name: NAME, department: '研发部' });
    await createGroup(ctx, { name: GROUP, duties: DUTIES, leaderId: zhang.personId, memberIds: [odd.id] });
    model = await buildDrillRecord(ctx, drillId, 'zh-CN');
  });

  it('appears literally in Markdown, escaped so it renders as text', () => {
    const md = renderMarkdown(model);
    expect(md).not.toMatch(/(?<!\\)<script>/);
    expect(md).not.toContain('**bold**');
    expect(md).not.toContain('a|b');
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(md).not.toMatch(/^# not a heading/m);
    expect(md).not.toMatch(/^\s*- not a list/m);
    const shown = unescapeMarkdown(md);
    expect(shown).toContain(NAME);
    for (const line of DUTIES.split('\n')) expect(shown).toContain(line);
    expect(shown).toContain(GROUP);
  });

  it('is escaped in HTML: no tag from user text', () => {
    const html = renderHtml(model);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('{ HYPERLINK &quot;x&quot; }');
    const shown = decodeHtml(html.replace(/<br>/g, '\n'));
    expect(shown).toContain(NAME);
    expect(shown).toContain(DUTIES);
    expect(shown).toContain(GROUP);
  });

  it('reads back from DOCX exactly as written', async () => {
    const text = await docxText(await renderDocx(model));
    expect(text).toContain(NAME);
    expect(text).toContain(GROUP);
    // The duties paragraph: label then the text. Its line break is a Word line break (<w:br/>), which
    // mammoth's raw text leaves out; everything else reads back character for character.
    expect(text).toContain(`职责是:${DUTIES.replace('\n', '')}`);
  });
});
