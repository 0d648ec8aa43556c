import type { ServiceContext } from '../../context.js';
import { NotFoundError } from '../../errors.js';
import { getDrill } from '../drills/service.js';
import { getIncident } from '../incidents/service.js';
import { buildDrillRecord } from './drill-record.js';
import { buildEvaluationReport } from './evaluation-report.js';
import { buildInvestigationReport } from './investigation-report.js';
import { shanghaiIsoDate, type DocumentModel, type ReportLang } from './model.js';
import { renderDocx } from './render-docx.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';

export type ReportFormat = 'md' | 'html' | 'docx';
export const REPORT_FORMATS = ['docx', 'md', 'html'] as const;
/** The three documents of a drill: 应急演练记录, 演练总结评估报告, 安全事件调查报告. */
export const REPORT_KINDS = ['record', 'evaluation', 'investigation'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

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

const FILE_STEM: Record<ReportKind, string> = { record: 'drill-record', evaluation: 'drill-evaluation', investigation: 'investigation' };

/** One document model, rendered in the asked format. */
export async function renderModel(model: DocumentModel, format: ReportFormat): Promise<string | Buffer> {
  return format === 'md' ? renderMarkdown(model) : format === 'html' ? renderHtml(model) : renderDocx(model);
}

/** Builds the document model of one of a drill's reports. Throws NotFound. */
export async function buildDrillReport(ctx: ServiceContext, drillId: string, kind: ReportKind, lang: ReportLang): Promise<DocumentModel> {
  if (kind === 'record') return buildDrillRecord(ctx, drillId, lang);
  if (kind === 'evaluation') return buildEvaluationReport(ctx, drillId, lang);
  return buildInvestigationReport(ctx, drillId, lang, 'drill');
}

/** A drill's record, evaluation report or investigation report as Markdown, HTML or DOCX. Throws NotFound. */
export async function renderDrillReport(ctx: ServiceContext, drillId: string, options: { kind: ReportKind; format: ReportFormat; lang: ReportLang }): Promise<RenderedReport> {
  const [model, drill] = await Promise.all([buildDrillReport(ctx, drillId, options.kind, options.lang), getDrill(ctx, drillId)]);
  const when = drill.startedAt ?? drill.scheduledStart;
  const filename = `${FILE_STEM[options.kind]}-${when ? shanghaiIsoDate(when) : drillId.slice(0, 8)}.${options.lang}.${options.format}`;
  return { filename, contentType: CONTENT_TYPES[options.format], body: await renderModel(model, options.format) };
}

/** A real incident's investigation report (安全事件调查报告). Throws NotFound. */
export async function renderIncidentReport(ctx: ServiceContext, incidentId: string, options: { format: ReportFormat; lang: ReportLang }): Promise<RenderedReport> {
  const incident = await getIncident(ctx, incidentId);
  const model = await buildInvestigationReport(ctx, incidentId, options.lang, 'incident');
  const when = incident.occurredAt ?? incident.detectedAt ?? incident.createdAt;
  const filename = `investigation-${shanghaiIsoDate(when)}.${options.lang}.${options.format}`;
  return { filename, contentType: CONTENT_TYPES[options.format], body: await renderModel(model, options.format) };
}

/**
 * For the command line: `id` names a drill (any kind), or an incident (investigation only).
 * Throws NotFound naming the drill when it is neither.
 */
export async function renderReportById(ctx: ServiceContext, id: string, options: { kind: ReportKind; format: ReportFormat; lang: ReportLang }): Promise<RenderedReport> {
  try {
    return await renderDrillReport(ctx, id, options);
  } catch (err) {
    if (!(err instanceof NotFoundError) || (err.details as { entity?: string } | undefined)?.entity !== 'drill' || options.kind !== 'investigation') throw err;
    return renderIncidentReport(ctx, id, options).catch((incidentErr: unknown) => {
      throw incidentErr instanceof NotFoundError ? err : incidentErr;
    });
  }
}
