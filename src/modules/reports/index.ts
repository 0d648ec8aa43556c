export { buildDrillRecord, type Block, type DocumentModel, type ListItem, type ReportLang } from './model.js';
export { renderMarkdown, escapeMarkdown } from './render-markdown.js';
export { renderHtml, escapeHtml } from './render-html.js';
export { renderDocx } from './render-docx.js';
export { renderDrillRecord, type RenderedReport, type ReportFormat } from './service.js';
