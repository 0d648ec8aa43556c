import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IFontAttributesProperties,
  type IRunOptions,
} from 'docx';
import { svgToPng } from './chart.js';
import type { Block, DocumentModel } from './model.js';

/**
 * Fonts Word and WPS show Chinese with: 宋体 for text, 黑体 for headings, set for East Asian text (eastAsia)
 * as well as Latin, so neither falls back to a font without CJK glyphs.
 */
const BODY_FONT: IFontAttributesProperties = { ascii: 'SimSun', hAnsi: 'SimSun', cs: 'SimSun', eastAsia: '宋体', hint: 'eastAsia' };
const HEADING_FONT: IFontAttributesProperties = { ascii: 'SimHei', hAnsi: 'SimHei', cs: 'SimHei', eastAsia: '黑体', hint: 'eastAsia' };
const HALF_POINTS = { body: 24, small: 18, h1: 28, h2: 24, title: 36 };
const A4 = { width: 11906, height: 16838 }; // twentieths of a point
const CM = 567;
/** The text width between the margins below, in CSS pixels (1 px = 15 twentieths of a point). */
const TEXT_WIDTH_TWIPS = A4.width - 2 * Math.round(3.17 * CM);
const TEXT_WIDTH_PX = Math.floor(TEXT_WIDTH_TWIPS / 15);

/** Column widths in twentieths of a point from percentages (equal columns when none are given). */
function columnWidths(count: number, percents?: number[]): number[] {
  const p = percents && percents.length === count ? percents : Array.from({ length: count }, () => 100 / count);
  const total = p.reduce((a, b) => a + b, 0);
  return p.map((x) => Math.floor((TEXT_WIDTH_TWIPS * x) / total));
}

/**
 * User text as runs. Text goes into <w:t> (XML-escaped by docx), never into a field, so `{ HYPERLINK … }`,
 * `<script>` or `**x**` stay text. Line breaks become Word line breaks.
 */
function runs(text: string, options: Omit<IRunOptions, 'text' | 'break' | 'children'> = {}): TextRun[] {
  // Characters XML 1.0 cannot hold are dropped rather than producing a file Word refuses to open.
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
  return clean
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, i) => new TextRun({ ...options, text: line, ...(i > 0 ? { break: 1 } : {}) }));
}

const CELL_BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const BORDERS = { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER };

function cell(text: string, opts: { bold?: boolean; width?: number } = {}): TableCell {
  return new TableCell({
    borders: BORDERS,
    ...(opts.width ? { width: { size: opts.width, type: WidthType.DXA } } : {}),
    children: [new Paragraph({ children: runs(text, { bold: opts.bold }) })],
  });
}

function block(b: Block, png: Map<string, Buffer>): (Paragraph | Table)[] {
  switch (b.type) {
    case 'heading':
      return [new Paragraph({ heading: b.level === 1 ? HeadingLevel.HEADING_1 : b.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3, children: runs(b.text) })];
    case 'paragraph':
      return [new Paragraph({ indent: { firstLine: 480 }, children: [...(b.label ? runs(b.label, { bold: true }) : []), ...runs(b.text)] })];
    case 'list':
      // Numbers are written out (as in the template) rather than Word auto-numbering, so every viewer
      // (Word, WPS, text extraction) shows the same 1., 2. … .
      return b.items.flatMap((item, i) => [
        new Paragraph({ indent: { left: 420, hanging: 420 }, children: [new TextRun({ text: b.ordered ? `${i + 1}. ` : '• ' }), ...runs(item.text)] }),
        ...(item.sub ?? []).map((s) => new Paragraph({ indent: { left: 840, hanging: 280 }, children: [new TextRun({ text: '– ' }), ...runs(s)] })),
      ]);
    case 'kv': {
      // Explicit grid widths: Word honours cell widths, LibreOffice and WPS the grid.
      const [key, value] = columnWidths(2, [24, 76]);
      return [
        new Table({
          width: { size: TEXT_WIDTH_TWIPS, type: WidthType.DXA },
          columnWidths: [key, value],
          rows: b.rows.map(([k, v]) => new TableRow({ children: [cell(k, { bold: true, width: key }), cell(v, { width: value })] })),
        }),
      ];
    }
    case 'table': {
      const widths = columnWidths(b.header.length, b.widths);
      return [
        new Table({
          width: { size: TEXT_WIDTH_TWIPS, type: WidthType.DXA },
          columnWidths: widths,
          rows: [
            new TableRow({ tableHeader: true, children: b.header.map((h, i) => cell(h, { bold: true, width: widths[i] })) }),
            ...b.rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c, { width: widths[i] })) })),
          ],
        }),
      ];
    }
    case 'image': {
      // Scaled to the text width; Word and WPS draw the SVG, older viewers the PNG.
      const scale = Math.min(1, TEXT_WIDTH_PX / b.width);
      const size = { width: Math.round(b.width * scale), height: Math.round(b.height * scale) };
      return [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          keepNext: true,
          // Single, automatic line spacing: a fixed line height would clip the picture to one line.
          spacing: { line: 240, lineRule: LineRuleType.AUTO },
          children: [new ImageRun({ type: 'svg', data: Buffer.from(b.svg, 'utf8'), transformation: size, fallback: { type: 'png', data: png.get(b.svg)! }, altText: { name: b.caption, title: b.caption, description: b.caption } })],
        }),
        new Paragraph({ alignment: AlignmentType.CENTER, children: runs(b.caption, { size: HALF_POINTS.small }) }),
      ];
    }
    case 'signature':
      return [
        new Paragraph({ text: '', spacing: { before: 480 } }),
        ...b.lines.map((l) => new Paragraph({ spacing: { before: 240, after: 240 }, indent: { left: 4200 }, children: [...runs(l), new TextRun({ text: '\u00a0'.repeat(24), underline: {} })] })),
      ];
  }
}

/** The document as a .docx file (A4, header, page numbers, signature block). Pure: model in, Buffer out. */
export async function renderDocx(doc: DocumentModel): Promise<Buffer> {
  // PNG fallbacks of the charts, drawn first (rasterising is asynchronous, building the document is not).
  const png = new Map<string, Buffer>();
  for (const b of doc.blocks) if (b.type === 'image') png.set(b.svg, await svgToPng(b.svg, b.width));
  const pageText =
    doc.lang === 'zh-CN'
      ? ['第 ', PageNumber.CURRENT, ' 页 / 共 ', PageNumber.TOTAL_PAGES, ' 页']
      : ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES];
  const document = new Document({
    title: doc.title,
    creator: 'Firedrill',
    description: doc.header,
    styles: {
      default: {
        document: { run: { font: BODY_FONT, size: HALF_POINTS.body }, paragraph: { spacing: { line: 360, lineRule: LineRuleType.AUTO } } },
        title: { run: { font: HEADING_FONT, size: HALF_POINTS.title, bold: true, color: '000000' }, paragraph: { alignment: AlignmentType.CENTER, spacing: { after: 240 } } },
        heading1: { run: { font: HEADING_FONT, size: HALF_POINTS.h1, bold: true, color: '000000' }, paragraph: { spacing: { before: 240, after: 120 }, keepNext: true } },
        heading2: { run: { font: HEADING_FONT, size: HALF_POINTS.h2, bold: true, color: '000000' }, paragraph: { spacing: { before: 180, after: 90 }, keepNext: true } },
        heading3: { run: { font: HEADING_FONT, size: HALF_POINTS.body, bold: true, color: '000000' }, paragraph: { spacing: { before: 120, after: 60 }, keepNext: true } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: A4.width, height: A4.height },
            margin: { top: Math.round(2.54 * CM), bottom: Math.round(2.54 * CM), left: Math.round(3.17 * CM), right: Math.round(3.17 * CM) },
          },
        },
        headers: {
          default: new Header({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: runs(doc.header, { size: HALF_POINTS.small }) })] }),
        },
        footers: {
          default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: pageText, size: HALF_POINTS.small })] })] }),
        },
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: runs(doc.title) }),
          ...(doc.subtitle ? [new Paragraph({ alignment: AlignmentType.CENTER, children: runs(doc.subtitle, { size: HALF_POINTS.small }) })] : []),
          ...doc.blocks.flatMap((b) => block(b, png)),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
