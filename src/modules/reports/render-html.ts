import type { Block, DocumentModel, ReportLang } from './model.js';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Plain text as HTML, line breaks kept. */
function text(s: string): string {
  return escapeHtml(s).replace(/\r\n?|\n/g, '<br>');
}

const STYLE = `
@page { size: A4; margin: 25mm 20mm 22mm 20mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "SimSun", "宋体", "Songti SC", "STSong", "Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", serif;
  font-size: 12pt; line-height: 1.75; color: #000; max-width: 170mm; margin: 0 auto; padding: 8mm 0; }
.running-header { font-size: 9pt; color: #444; border-bottom: 0.5pt solid #888; padding-bottom: 2pt; margin-bottom: 12pt; }
h1, h2, h3, h4 { font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; page-break-after: avoid; break-after: avoid; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 16pt; }
h2 { font-size: 14pt; margin: 16pt 0 6pt; }
h3 { font-size: 12pt; margin: 12pt 0 6pt; }
p { margin: 6pt 0; text-indent: 2em; }
p.plain { text-indent: 0; }
ol, ul { margin: 6pt 0; padding-left: 2.2em; }
li { margin: 3pt 0; page-break-inside: avoid; break-inside: avoid; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; page-break-inside: avoid; }
th, td { border: 0.5pt solid #000; padding: 3pt 6pt; text-align: left; vertical-align: top; }
table.kv th { width: 7em; background: #f2f2f2; }
figure { margin: 10pt 0; text-align: center; page-break-inside: avoid; break-inside: avoid; }
figure img { max-width: 100%; height: auto; }
figcaption { font-size: 10pt; }
.signature { margin-top: 28pt; page-break-inside: avoid; break-inside: avoid; }
.signature p { text-indent: 0; margin: 14pt 0; }
.blank { display: inline-block; min-width: 12em; border-bottom: 0.5pt solid #000; }
@media print { body { padding: 0; max-width: none; } }
`;

function block(b: Block, lang: ReportLang): string {
  switch (b.type) {
    case 'heading':
      return `<h${b.level + 1}>${text(b.text)}</h${b.level + 1}>`;
    case 'paragraph':
      return b.label ? `<p><strong>${text(b.label)}</strong>${text(b.text)}</p>` : `<p>${text(b.text)}</p>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      const items = b.items.map((i) => {
        const sub = i.sub?.length ? `<ul>${i.sub.map((s) => `<li>${text(s)}</li>`).join('')}</ul>` : '';
        return `<li>${text(i.text)}${sub}</li>`;
      });
      return `<${tag}>\n${items.join('\n')}\n</${tag}>`;
    }
    case 'kv':
      return `<table class="kv">\n${b.rows.map(([k, v]) => `<tr><th scope="row">${text(k)}</th><td>${text(v)}</td></tr>`).join('\n')}\n</table>`;
    case 'table':
      return `<table>\n${b.widths ? `<colgroup>${b.widths.map((w) => `<col style="width:${Number(w)}%">`).join('')}</colgroup>\n` : ''}<thead><tr>${b.header.map((h) => `<th>${text(h)}</th>`).join('')}</tr></thead>\n<tbody>\n${b.rows
        .map((r) => `<tr>${r.map((c) => `<td>${text(c)}</td>`).join('')}</tr>`)
        .join('\n')}\n</tbody>\n</table>`;
    case 'image':
      return `<figure>\n<img src="data:image/svg+xml;base64,${Buffer.from(b.svg, 'utf8').toString('base64')}" width="${b.width}" height="${b.height}" alt="${escapeHtml(b.caption)}">\n<figcaption>${text(b.caption)}</figcaption>\n</figure>`;
    case 'signature':
      return `<div class="signature" lang="${lang}">\n${b.lines.map((l) => `<p>${text(l)} <span class="blank">&nbsp;</span></p>`).join('\n')}\n</div>`;
  }
}

/** The document as a complete, print-ready HTML page (A4). Pure: model in, string out; every string escaped. */
export function renderHtml(doc: DocumentModel): string {
  return `<!DOCTYPE html>
<html lang="${doc.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="running-header">${text(doc.header)}</div>
<h1>${text(doc.title)}</h1>
${doc.subtitle ? `<p class="plain">${text(doc.subtitle)}</p>\n` : ''}${doc.blocks.map((b) => block(b, doc.lang)).join('\n')}
</body>
</html>
`;
}
