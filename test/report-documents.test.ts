/**
 * The evaluation report (演练总结评估报告, GB/T 38645-2020) and the investigation report (安全事件调查报告, the seed's
 * step 10) of the seed drill, and of a real incident: their structure, the figures computed from the timeline,
 * the chart, and user text shown literally in every format.
 */
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeedCompany } from '../src/demo/seed-company.js';
import { addLesson } from '../src/modules/drills/evaluation.js';
import { createIncident, drillIncident, updateInvestigation } from '../src/modules/incidents/service.js';
import { updateCompanyProfile } from '../src/modules/org/service.js';
import { buildEvaluationReport } from '../src/modules/reports/evaluation-report.js';
import { buildInvestigationReport } from '../src/modules/reports/investigation-report.js';
import type { DocumentModel } from '../src/modules/reports/model.js';
import { renderDocx } from '../src/modules/reports/render-docx.js';
import { renderHtml } from '../src/modules/reports/render-html.js';
import { renderMarkdown } from '../src/modules/reports/render-markdown.js';
import { renderIncidentReport } from '../src/modules/reports/service.js';
import { systemContext } from './factories.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';

const EVALUATION_HEADINGS = ['一、演练概况', '二、演练准备', '三、演练实施', '(一)关键时间', '(二)响应时间线与报告时限', '(三)响应时间指标', '(四)报告时限执行情况', '四、演练目标评估', '五、发现的问题', '六、改进措施与预案修订', '(一)经验总结', '(二)整改措施', '(三)应急预案修订', '(四)问责'];
const INVESTIGATION_HEADINGS = ['一、事件概况', '二、影响范围', '三、事件发生时间与持续时间', '四、应急处理过程', '五、后果评价', '六、采取的主要应急响应措施及其有效性', '七、主要经验教训和预防措施', '八、事件根源、泄露源及违规操作人员', '九、报告与通报情况', '十、调查结论'];

function expectInOrder(text: string, needles: string[]) {
  let from = 0;
  for (const needle of needles) {
    const i = text.indexOf(needle, from);
    expect(i, `"${needle}" after position ${from}`).toBeGreaterThanOrEqual(0);
    from = i + needle.length;
  }
}
const unescapeMarkdown = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, '$1');
const decodeHtml = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const docxText = async (buffer: Buffer) => (await mammoth.extractRawText({ buffer })).value;
/** The SVG of the first chart in an HTML rendition. */
function chartSvg(html: string): string {
  const b64 = /<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/.exec(html)?.[1];
  expect(b64, 'an SVG chart').toBeDefined();
  return Buffer.from(b64!, 'base64').toString('utf8');
}

let db: TestDatabase;
let drillId: string;
let evaluation: DocumentModel;
let investigation: DocumentModel;

beforeAll(async () => {
  db = await createTestDatabase();
  drillId = (await loadSeedCompany(db.db)).drillId!;
  const ctx = systemContext(db.db);
  evaluation = await buildEvaluationReport(ctx, drillId, 'zh-CN');
  investigation = await buildInvestigationReport(ctx, drillId, 'zh-CN', 'drill');
});
afterAll(async () => {
  await db?.close();
});

describe('the evaluation report of the seed drill (演练总结评估报告)', () => {
  it('follows GB/T 38645 and is headed by the company, marked as an exercise', () => {
    expect(evaluation.title).toBe('【演练】进出口企业信息安全应急演练总结评估报告');
    expect(evaluation.header).toBe('【演练】某进出口贸易有限公司 研发部');
    expectInOrder(renderMarkdown(evaluation), EVALUATION_HEADINGS);
  });

  it('computes the figures from the timeline: detected 9:15, reported to the general manager 9:25, 10 minutes, met', () => {
    const md = renderMarkdown(evaluation);
    expect(md).toContain('| 发现事件 | 9:15 | \\+15 分钟 |');
    expect(md).toContain('| 首次报告 | 9:25 | \\+25 分钟 |');
    expect(md).toContain('| 首次报告用时(发现→首次报告) | 10 分钟 |');
    expect(md).toContain('| 总经理 | 10 分钟 | 9:25 | 10 分钟 | 按时 |');
    expect(md).toContain('| 演练总时长 | 2 小时 |');
    // Key times in the order they happened: the plan was activated (9:20) before the first report (9:25).
    expectInOrder(md, ['| 演练开始 |', '| 发现事件 |', '| 启动预案 |', '| 首次报告 |', '| 控制事态 |', '| 恢复 |', '| 演练结束 |']);
    // The police report was never made during the drill: a problem found.
    expect(md).toContain('| 公安机关 | 1 天 | — | — | 未报 |');
    expect(md.slice(md.indexOf('五、发现的问题'))).toContain('向公安机关报告:未报。');
  });

  it('rates every objective with its evidence, indicators and the most cautious rating', () => {
    const md = renderMarkdown(evaluation);
    expectInOrder(md, ['目标 1:接到报告后迅速核实异常交易并止损', '评定结果:达成', '综合得分:94', '| 10 分钟内核实异常流水 | 40 | 100 |']);
    expectInOrder(md, ['目标 3:通过扫描和日志分析查明事件根因', '评定结果:部分达成']);
    expect(md.slice(md.indexOf('五、发现的问题'))).toContain('目标“通过扫描和日志分析查明事件根因”评定为部分达成。');
  });

  it('lists the corrective actions a, b, c with owners and state, and the plan revision they caused', () => {
    const md = renderMarkdown(evaluation);
    const improvements = md.slice(md.indexOf('六、改进措施与预案修订'));
    expectInOrder(improvements, ['a) 更换服务器远程登录端口号', '| 李二 | 2020-04-20 | 高 | 已验证 |']);
    expect(improvements).toContain('| 郑玉茹 | 2020-04-30 | 中 | 已完成(待验证) |');
    expectInOrder(improvements, ['进出口企业信息系统突发事件应急预案 第 2 版(已发布)', '整改措施 c：服务器口令统一管理制度纳入预案']);
    expect(improvements).toContain('服务器口令管理由研发主管郑玉茹负责');
  });

  it('draws the response timeline: phases, injects, each reporting rule coloured by its state', () => {
    const image = evaluation.blocks.find((b) => b.type === 'image');
    expect(image).toBeDefined();
    const svg = chartSvg(renderHtml(evaluation));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const label of ['响应时间线与报告时限', '响应阶段', '情景注入', '总经理 ≤ 10 分钟', '公安机关 ≤ 1 天', '按时', '未报', '发现', '结束']) expect(svg).toContain(label);
    expect(svg).toContain('#389e0d'); // met
    expect(svg).toContain('#cf1322'); // missed
  });

  it('carries the chart in DOCX (SVG with a PNG fallback) and reads back with every section', async () => {
    const buffer = await renderDocx(evaluation);
    expect(buffer.subarray(0, 2).toString()).toBe('PK');
    const text = await docxText(buffer);
    expectInOrder(text, ['【演练】进出口企业信息安全应急演练总结评估报告', ...EVALUATION_HEADINGS, '评估组组长(签字)']);
    const html = (await mammoth.convertToHtml({ buffer })).value;
    expect(html).toMatch(/<img [^>]*src="data:image\/png;base64,/);
  });

  it('is in English too', async () => {
    const en = await buildEvaluationReport(systemContext(db.db), drillId, 'en');
    expect(en.title).toBe('[EXERCISE] 进出口企业信息安全应急演练 — drill evaluation report');
    expect(en.header).toBe('[EXERCISE] Example Import & Export Trading Co., Ltd. — 研发部');
    const md = renderMarkdown(en);
    expectInOrder(md, ['1. Overview', '2. Preparation', '3. Execution', '3.2 Response timeline and reporting deadlines', '4. Evaluation of the objectives', '5. Problems found', '6. Improvements and plan revision']);
    expect(md).toContain('| Time to first report (detection → report) | 10 min |');
    expect(chartSvg(renderHtml(en))).toContain('Response timeline and reporting deadlines');
  });
});

describe('the investigation report of the seed drill (安全事件调查报告)', () => {
  it('covers everything step 10 asks for, in order', () => {
    expect(investigation.title).toBe('【演练】进出口企业信息安全应急演练安全事件调查报告');
    const md = renderMarkdown(investigation);
    expectInOrder(md, INVESTIGATION_HEADINGS);
    expect(md).toContain('事件分类(GB/T 20986-2023):网络攻击事件');
    expect(md).toContain('发生时间:2020年4月17日 23:31');
    expect(md).toContain('发现时间:2020年4月18日 9:15');
    expect(md).toContain('发现用时(发生→发现):9 小时 44 分钟');
    expect(md).toContain('处置用时(发现→恢复):1 小时 40 分钟');
    const handling = md.slice(md.indexOf('四、应急处理过程'), md.indexOf('五、后果评价'));
    expectInOrder(handling, ['9:00 应急预案演练开始', '9:19 迅速将微信商户平台账号金额清空', '9:25 研发主管首先以口头方式向总经理报告', '11:00 演练结束']);
    expect(handling).not.toContain('演练评估完成');
    expectInOrder(md, ['后果评价', '业务中断约 1.5 小时', '措施有效性评价:', '付款二次验证已验证有效', '张三(组长):张三用旧口令和 22 端口登录均失败']);
    expectInOrder(md, ['事件根源:服务器与数据库共用一套口令', '泄露源:共享文档中保存的服务器口令', '违规/非法操作人员:']);
    expectInOrder(md, ['九、报告与通报情况', '| 9:25 | 总经理 | 口头 |', '调查完成后的报告与报案:2020-04-18 调查完成后向总经理书面汇报；同日向公安机关报案。']);
    expectInOrder(md, ['调查结论:', '调查组成员:张三（组长）', '调查组组长(签字)']);
  });

  it('reads back from DOCX with every section', async () => {
    const text = await docxText(await renderDocx(investigation));
    expectInOrder(text, INVESTIGATION_HEADINGS);
    expect(text).toContain('调查组组长(签字)');
  });
});

describe('the investigation report of a real incident', () => {
  it('is not marked as an exercise, says what is not written yet, and downloads in each format', async () => {
    const ctx = systemContext(db.db);
    const incident = await createIncident(ctx, { title: '官网被篡改', category: 'network_attack', level: 'III', detectedAt: '2026-11-30T02:10:00Z', occurredAt: '2026-11-30T01:55:00Z' });
    const before = await buildInvestigationReport(ctx, incident.id, 'zh-CN', 'incident');
    expect(before.title).toBe('官网被篡改安全事件调查报告');
    expect(before.header).not.toContain('【演练】');
    expect(renderMarkdown(before)).toContain('事件根源:(调查组尚未填写)');
    await updateInvestigation(ctx, incident.id, { rootCause: 'CMS 后台弱口令' });
    const md = await renderIncidentReport(ctx, incident.id, { format: 'md', lang: 'zh-CN' });
    expect(md.filename).toBe('investigation-2026-11-30.zh-CN.md');
    expect(md.body as string).toContain('事件根源:CMS 后台弱口令');
    expect(md.body as string).toContain('发现用时(发生→发现):15 分钟');
    const docx = await renderIncidentReport(ctx, incident.id, { format: 'docx', lang: 'en' });
    expect(await docxText(docx.body as Buffer)).toContain('Root cause: CMS 后台弱口令');
  });
});

describe('user text with markup in the evaluation and investigation reports', () => {
  const LESSON = '<script>alert(1)</script> **bold** a|b { HYPERLINK "http://x" } [x](http://e)';
  const COMPANY = '<b>Acme</b> | **Co**';
  let models: DocumentModel[];

  beforeAll(async () => {
    const ctx = systemContext(db.db);
    await addLesson(ctx, drillId, { kind: 'to_improve', text: LESSON });
    await updateInvestigation(ctx, (await drillIncident(db.db, drillId))!.id, { leakSource: LESSON });
    await updateCompanyProfile(ctx, { name: COMPANY });
    models = [await buildEvaluationReport(ctx, drillId, 'zh-CN'), await buildInvestigationReport(ctx, drillId, 'zh-CN', 'drill')];
  });

  it('appears literally in Markdown, HTML and DOCX', async () => {
    for (const model of models) {
      expect(model.header).toContain(COMPANY);
      const md = renderMarkdown(model);
      expect(md).not.toMatch(/(?<!\\)<script>/);
      expect(md).not.toContain('**bold**');
      expect(unescapeMarkdown(md)).toContain(LESSON);
      const html = renderHtml(model);
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toContain('<b>Acme');
      expect(decodeHtml(html)).toContain(LESSON);
      const text = await docxText(await renderDocx(model));
      expect(text).toContain(LESSON);
    }
  });
});
