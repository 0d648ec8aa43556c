import type { Block, DocumentModel, ReportLang } from './model.js';

/** Backslash-escapes the characters of inline markup (emphasis, code, links, HTML, tables, entities). */
export function escapeMarkdownInline(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|~!&$]/g, (c) => `\\${c}`);
}

/**
 * Escapes plain text so Markdown (CommonMark/GFM) shows it literally: inline markup characters are
 * backslash-escaped everywhere, block markers (#, >, -, +, =, 1.) at the start of a line too.
 */
export function escapeMarkdownLine(text: string): string {
  const s = escapeMarkdownInline(text).replace(/^(\s*)([-+=])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
  // Leading spaces would make an indented code block; non-breaking spaces keep them visible.
  return s.replace(/^ +/, (m) => '\u00a0'.repeat(m.length));
}

/** Plain text, possibly over several lines, as Markdown; continuation lines are indented by `indent`. */
export function escapeMarkdown(text: string, indent = ''): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map(escapeMarkdownLine)
    .join(`\\\n${indent}`);
}

/** A table cell: one line, pipes escaped (escapeMarkdown already does). */
function cell(text: string): string {
  return escapeMarkdownLine(text.replace(/\s*\r?\n\s*/g, ' '));
}

function block(b: Block, lang: ReportLang): string {
  switch (b.type) {
    case 'heading':
      // A heading's content is inline only: no block markers to escape, and it stays on one line.
      return `${'#'.repeat(b.level + 1)} ${escapeMarkdownInline(b.text.replace(/\s*\r?\n\s*/g, ' '))}`;
    case 'paragraph':
      // Labels stay plain, as in the template: `**…:**` followed by CJK text is not bold in CommonMark.
      return `${b.label ? escapeMarkdown(b.label) : ''}${escapeMarkdown(b.text)}`;
    case 'list':
      return b.items
        .map((item, i) => {
          const marker = b.ordered ? `${i + 1}. ` : '- ';
          const indent = ' '.repeat(marker.length);
          const sub = (item.sub ?? []).map((s) => `${indent}- ${escapeMarkdown(s, `${indent}  `)}`);
          return [`${marker}${escapeMarkdown(item.text, indent)}`, ...sub].join('\n');
        })
        .join('\n');
    case 'kv':
      return b.rows.map(([k, v]) => `- ${escapeMarkdown(k, '  ')}${lang === 'zh-CN' ? ':' : ': '}${escapeMarkdown(v, '  ')}`).join('\n');
    case 'table': {
      const head = `| ${b.header.map(cell).join(' | ')} |`;
      const rule = `| ${b.header.map(() => '---').join(' | ')} |`;
      return [head, rule, ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
    }
    case 'image':
      // Self-contained: the chart travels inside the file as an SVG data URI.
      return `![${escapeMarkdownInline(b.caption)}](data:image/svg+xml;base64,${Buffer.from(b.svg, 'utf8').toString('base64')})\n\n${escapeMarkdown(b.caption)}`;
    case 'signature':
      return b.lines.map((l) => `${escapeMarkdown(l)} \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_`).join('  \n');
  }
}

/** The document as Markdown. Pure: model in, string out. */
export function renderMarkdown(doc: DocumentModel): string {
  const parts = [`# ${escapeMarkdownInline(doc.title.replace(/\s*\r?\n\s*/g, ' '))}`];
  if (doc.subtitle) parts.push(`> ${escapeMarkdown(doc.subtitle, '> ')}`);
  for (const b of doc.blocks) parts.push(block(b, doc.lang));
  return `${parts.join('\n\n')}\n`;
}
