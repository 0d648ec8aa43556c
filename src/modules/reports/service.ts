import type { ServiceContext } from '../../context.js';
import { getDrill } from '../drills/service.js';
import { buildDrillRecord, shanghaiIsoDate, type ReportLang } from './model.js';
import { renderDocx } from './render-docx.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';

export type ReportFormat = 'md' | 'html' | 'docx';

export interface RenderedReport {
  /** ASCII file name, e.g. drill-record-2020-04-18.zh-CN.docx. */
  filename: string;
  contentType: string;
  body: string | Buffer;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** The drill record (应急演练记录) as Markdown, HTML or DOCX. Throws NotFound. */
export async function renderDrillRecord(ctx: ServiceContext, drillId: string, options: { format: ReportFormat; lang: ReportLang }): Promise<RenderedReport> {
  const model = await buildDrillRecord(ctx, drillId, options.lang);
  const drill = await getDrill(ctx, drillId);
  const when = drill.startedAt ?? drill.scheduledStart;
  const filename = `drill-record-${when ? shanghaiIsoDate(when) : drillId.slice(0, 8)}.${options.lang}.${options.format}`;
  const body = options.format === 'md' ? renderMarkdown(model) : options.format === 'html' ? renderHtml(model) : await renderDocx(model);
  return { filename, contentType: CONTENT_TYPES[options.format], body };
}
