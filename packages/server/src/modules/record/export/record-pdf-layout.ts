import PDFDocument from 'pdfkit';
import type { Translator } from '@portico/shared/i18n';
import { loadPdfFonts, TextCleaner } from './record-pdf-text.ts';

/**
 * A small page-layout engine over pdfkit for the record PDF. It wraps every line itself and draws it with
 * `lineBreak: false`, so pdfkit never breaks a page on its own: a page break only ever falls between two whole lines,
 * a table row moves to the next page whole when it fits on one, and a section heading never sits alone at a page
 * bottom. Every string passes through the TextCleaner before it is measured or drawn.
 */

type FontName = 'Regular' | 'Bold';

/** A table column: its header and its share of the page width. */
export interface Column {
  header: string;
  share: number;
}

/** A table cell: one string, or several lines (e.g. a list of reactions). */
export interface Cell {
  text: string | string[];
  bold?: boolean;
}

/** A table with its heading; `empty` is the sentence printed instead when there are no rows. */
export interface TableSpec {
  heading: string;
  level: 1 | 2;
  note?: string;
  columns: Column[];
  rows: Cell[][];
  empty: string;
}

const MARGIN = 50;
const FOOTER_SPACE = 24;
const GUTTER = 8;
const ROW_PAD = 4;
const TABLE_SIZE = 8.5;
const BODY_SIZE = 9.5;
const HEADING_SIZE: Record<1 | 2, number> = { 1: 13, 2: 11 };
const LEADING = 1.3;
const INK = '#111111';
const MUTED = '#555555';
const RULE = '#bbbbbb';

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Lays out the record top to bottom, page by page; `finish()` numbers the pages and returns the bytes. */
export class PdfLayout {
  readonly cleaner: TextCleaner;
  private readonly doc: PDFKit.PDFDocument;
  private readonly bytes: Promise<Buffer>;
  private readonly left = MARGIN;
  private readonly width: number;
  private readonly top = MARGIN;
  private readonly bottom: number;
  private y = MARGIN;
  /** The reader's language: the document's `lang`, and the words the layout adds ("continued", "Page 1 of 2"). */
  private readonly t: Translator;

  constructor(info: { title: string; createdAt: Date; t: Translator }) {
    this.t = info.t;
    const fonts = loadPdfFonts();
    this.cleaner = new TextCleaner(fonts);
    this.doc = new PDFDocument({
      size: 'LETTER',
      margin: MARGIN,
      bufferPages: true,
      lang: info.t.locale,
      displayTitle: true,
      info: { Title: this.cleaner.metadata(info.title), Author: 'Portico', Creator: 'Portico', CreationDate: info.createdAt },
    });
    const chunks: Uint8Array[] = [];
    this.bytes = new Promise((resolve, reject) => {
      this.doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    this.doc.registerFont('Regular', fonts.regular);
    this.doc.registerFont('Bold', fonts.bold);
    this.width = this.doc.page.width - 2 * MARGIN;
    this.bottom = this.doc.page.height - MARGIN - FOOTER_SPACE;
  }

  /** The document's title line. */
  title(text: string, size = 20): void {
    this.paragraph(text, { size, bold: true, after: 4 });
  }

  /** A run of text across the page width, wrapped; a page break falls only between its lines. */
  paragraph(text: string, options: { size?: number; bold?: boolean; color?: string; after?: number } = {}): void {
    const size = options.size ?? BODY_SIZE;
    const font: FontName = options.bold ? 'Bold' : 'Regular';
    for (const line of this.wrap(text, this.width, font, size)) {
      this.ensure(size * LEADING);
      this.drawLine(line, this.left, font, size, options.color ?? INK);
      this.y += size * LEADING;
    }
    this.y += options.after ?? 0;
  }

  /**
   * The organization's line atop the title block: its name in bold, in the brand colour (4.5:1 against white at least),
   * after its logo when it has one (28 pt tall, at most a third of the width). A logo the PDF library cannot read is
   * left out rather than failing the download.
   */
  brand(name: string, options: { color?: string; logo?: { bytes: Buffer; width: number; height: number } | null } = {}): void {
    const size = 11;
    const color = options.color ?? INK;
    const logo = options.logo;
    if (!logo) {
      this.paragraph(name, { size, bold: true, color });
      return;
    }
    const scale = Math.min(28 / logo.height, this.width / 3 / logo.width);
    const [width, height] = [logo.width * scale, logo.height * scale];
    let x = this.left;
    try {
      this.doc.image(logo.bytes, this.left, this.y, { width, height });
      x += width + GUTTER;
    } catch {
      // pdfkit throws (synchronously) on an image it cannot parse; the name alone still identifies the organization.
    }
    const lines = this.wrap(name, this.left + this.width - x, 'Bold', size);
    const textHeight = lines.length * size * LEADING;
    const top = this.y + Math.max(0, (height - textHeight) / 2);
    lines.forEach((line, i) => this.drawLine(line, x, 'Bold', size, color, top + i * size * LEADING));
    this.y += Math.max(height, textHeight) + 6;
  }

  /** Label and value pairs, labels in a narrow bold column (the title block), widened to the longest label's width. */
  fields(pairs: [string, string][]): void {
    this.doc.font('Bold').fontSize(BODY_SIZE);
    const widest = Math.max(0, ...pairs.map(([label]) => this.doc.widthOfString(this.cleaner.line(label))));
    const labelWidth = Math.min(Math.max(92, Math.ceil(widest) + 2), this.width / 3);
    const columns = [
      { x: this.left, width: labelWidth },
      { x: this.left + labelWidth + GUTTER, width: this.width - labelWidth - GUTTER },
    ];
    for (const [label, value] of pairs) {
      this.row(columns, [{ text: label, bold: true }, { text: value }], BODY_SIZE, 1, () => undefined);
    }
    this.y += 6;
  }

  /** A section heading, kept on one page with at least `keepWith` points of what follows. */
  heading(text: string, level: 1 | 2, keepWith = 0): void {
    const size = HEADING_SIZE[level];
    const lines = this.wrap(text, this.width, 'Bold', size);
    const space = this.y === this.top ? 0 : level === 1 ? 14 : 8;
    this.ensure(space + lines.length * size * LEADING + 4 + keepWith);
    if (this.y !== this.top) this.y += space;
    for (const line of lines) {
      this.ensure(size * LEADING);
      this.drawLine(line, this.left, 'Bold', size, INK);
      this.y += size * LEADING;
    }
    if (level === 1) this.rule(this.left, this.left + this.width, INK, 0.8);
    this.y += 4;
  }

  /** A headed table; on each page it continues onto, the heading (marked "continued") and the header row repeat. */
  table(spec: TableSpec): void {
    const columns = this.columnsFor(spec.columns);
    const headerCells = spec.columns.map((column) => ({ text: column.header, bold: true }));
    const headerHeight = this.rowHeight(columns, headerCells, TABLE_SIZE) + 1;
    const noteHeight = spec.note ? this.wrap(spec.note, this.width, 'Regular', BODY_SIZE).length * BODY_SIZE * LEADING + 4 : 0;
    const first = spec.rows[0];
    const firstHeight = first
      ? headerHeight + Math.min(this.rowHeight(columns, first, TABLE_SIZE), 3 * TABLE_SIZE * LEADING)
      : this.wrap(spec.empty, this.width, 'Regular', BODY_SIZE).length * BODY_SIZE * LEADING;
    this.heading(spec.heading, spec.level, noteHeight + firstHeight);
    if (spec.note) this.paragraph(spec.note, { color: MUTED, after: 4 });
    if (!first) {
      this.paragraph(spec.empty);
      return;
    }
    const drawHeader = () => {
      this.row(columns, headerCells, TABLE_SIZE, 0, () => undefined);
      this.rule(this.left, this.left + this.width, INK, 0.6);
      this.y += 1;
    };
    const continueOnNewPage = () => {
      this.newPage();
      this.paragraph(this.t('documents.pdf.continued', { heading: spec.heading }), { size: HEADING_SIZE[2], bold: true, after: 4 });
      drawHeader();
    };
    drawHeader();
    const fullPage = this.bottom - this.top - HEADING_SIZE[2] * LEADING - 4 - headerHeight;
    for (const cells of spec.rows) {
      const height = this.rowHeight(columns, cells, TABLE_SIZE);
      // A row that fits on a page is never split; a longer one breaks between its lines.
      if (this.y + height > this.bottom && height <= fullPage) continueOnNewPage();
      this.row(columns, cells, TABLE_SIZE, ROW_PAD, continueOnNewPage);
      this.rule(this.left, this.left + this.width, RULE, 0.4);
    }
  }

  /** Prints "Page N of M" and the footer text on every page, then ends the document and returns its bytes. */
  async finish(footer: string): Promise<Buffer> {
    const { start, count } = this.doc.bufferedPageRange();
    const size = 7.5;
    for (let index = start; index < start + count; index++) {
      this.doc.switchToPage(index);
      const pageLabel = this.t('documents.pdf.page', { page: index - start + 1, count });
      const y = this.doc.page.height - MARGIN - size;
      this.rule(this.left, this.left + this.width, RULE, 0.4, y - 6);
      this.doc.font('Regular').fontSize(size);
      const labelWidth = this.doc.widthOfString(pageLabel);
      const footerLine = this.truncate(this.cleaner.line(footer), this.width - labelWidth - 2 * GUTTER, 'Regular', size);
      this.drawLine(footerLine, this.left, 'Regular', size, MUTED, y);
      this.drawLine(pageLabel, this.left + this.width - labelWidth, 'Regular', size, MUTED, y);
    }
    this.doc.end();
    return this.bytes;
  }

  private columnsFor(columns: Column[]): { x: number; width: number }[] {
    const total = columns.reduce((sum, column) => sum + column.share, 0);
    const usable = this.width - GUTTER * (columns.length - 1);
    let x = this.left;
    return columns.map((column) => {
      const width = (usable * column.share) / total;
      const placed = { x, width };
      x += width + GUTTER;
      return placed;
    });
  }

  private cellLines(cell: Cell, width: number, size: number): string[] {
    const texts = typeof cell.text === 'string' ? [cell.text] : cell.text;
    return texts.flatMap((text) => this.wrap(text, width, cell.bold ? 'Bold' : 'Regular', size));
  }

  private rowHeight(columns: { width: number }[], cells: Cell[], size: number): number {
    const lines = Math.max(1, ...cells.map((cell, i) => this.cellLines(cell, columns[i]?.width ?? 0, size).length));
    return lines * size * LEADING + 2 * ROW_PAD;
  }

  /** Draws one row line by line; if a line would cross the page bottom, `onBreak` starts the next page first. */
  private row(columns: { x: number; width: number }[], cells: Cell[], size: number, pad: number, onBreak: () => void): void {
    const lines = cells.map((cell, i) => this.cellLines(cell, columns[i]?.width ?? 0, size));
    const count = Math.max(1, ...lines.map((cellLines) => cellLines.length));
    this.y += pad;
    for (let lineIndex = 0; lineIndex < count; lineIndex++) {
      if (this.y + size * LEADING > this.bottom) onBreak();
      this.ensure(size * LEADING);
      cells.forEach((cell, i) => {
        const line = lines[i]?.[lineIndex];
        const column = columns[i];
        if (line && column) this.drawLine(line, column.x, cell.bold ? 'Bold' : 'Regular', size, INK);
      });
      this.y += size * LEADING;
    }
    this.y += pad;
  }

  /** Splits cleaned text into lines no wider than `width`: at spaces, or between characters for an overlong word. */
  private wrap(text: string, width: number, font: FontName, size: number): string[] {
    this.doc.font(font).fontSize(size);
    const out: string[] = [];
    for (const paragraph of this.cleaner.lines(text)) {
      let line = '';
      for (const word of paragraph.split(' ')) {
        const candidate = line ? `${line} ${word}` : word;
        if (this.doc.widthOfString(candidate) <= width) {
          line = candidate;
          continue;
        }
        if (line) out.push(line);
        line = '';
        if (this.doc.widthOfString(word) <= width) {
          line = word;
          continue;
        }
        for (const { segment } of segmenter.segment(word)) {
          if (line && this.doc.widthOfString(line + segment) > width) {
            out.push(line);
            line = segment;
          } else {
            line += segment;
          }
        }
      }
      if (line) out.push(line);
    }
    return out;
  }

  private truncate(text: string, width: number, font: FontName, size: number): string {
    this.doc.font(font).fontSize(size);
    if (this.doc.widthOfString(text) <= width) return text;
    let out = '';
    for (const { segment } of segmenter.segment(text)) {
      if (this.doc.widthOfString(`${out}${segment}…`) > width) break;
      out += segment;
    }
    return `${out}…`;
  }

  private drawLine(text: string, x: number, font: FontName, size: number, color: string, y = this.y): void {
    this.doc.font(font).fontSize(size).fillColor(color).text(text, x, y, { lineBreak: false });
  }

  private rule(from: number, to: number, color: string, width: number, y = this.y): void {
    this.doc.save().moveTo(from, y).lineTo(to, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  private ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > this.top) this.newPage();
  }

  private newPage(): void {
    this.doc.addPage();
    this.y = this.top;
  }
}
