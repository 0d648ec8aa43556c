export { type Block, type DocumentModel, type ListItem, type ReportLang } from './model.js';
export { buildDrillRecord } from './drill-record.js';
export { buildEvaluationReport } from './evaluation-report.js';
export { buildInvestigationReport } from './investigation-report.js';
export { renderMarkdown, escapeMarkdown } from './render-markdown.js';
export { renderHtml, escapeHtml } from './render-html.js';
export { renderDocx } from './render-docx.js';
export { renderDrillReport, renderIncidentReport, REPORT_KINDS, type RenderedReport, type ReportFormat, type ReportKind } from './service.js';
