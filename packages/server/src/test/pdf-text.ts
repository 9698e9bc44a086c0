import { getDocument, PDFDateString } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * Reading a PDF back in tests with PDF.js (pdfjs-dist, JavaScript: no system package). The text comes out laid out
 * like `pdftotext -layout`: one line per baseline, cells left to right, pages ending in a form feed.
 */

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

type Loaded = Awaited<ReturnType<typeof getDocument>['promise']>;

async function open(pdf: Uint8Array): Promise<Loaded> {
  // PDF.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  return getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
}

/** Items on one line when their baselines are this close, as a share of the font size. */
const sameLine = 0.3;

function lineText(items: Item[]): string {
  items.sort((a, b) => a.x - b.x);
  let text = '';
  let end = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    const gap = item.x - end;
    if (text !== '' && gap > item.size * 0.1 && !/\s$/.test(text) && !/^\s/.test(item.str)) text += ' ';
    text += item.str;
    end = Math.max(end, item.x + item.width);
  }
  return text.trimEnd();
}

/** The PDF's text: lines top to bottom, each line's items left to right (a space where there is a gap); `\f` after each page. */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const doc = await open(pdf);
  try {
    let out = '';
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const items: Item[] = [];
      for (const raw of content.items) {
        if (!('str' in raw) || raw.str === '') continue;
        const [a, b, , , x, y] = raw.transform as number[];
        items.push({ str: raw.str, x: x!, y: y!, width: raw.width, size: Math.hypot(a!, b!) || 1 });
      }
      items.sort((p, q) => q.y - p.y);
      const lines: Item[][] = [];
      for (const item of items) {
        const line = lines.at(-1);
        if (line && Math.abs(line[0]!.y - item.y) <= Math.max(line[0]!.size, item.size) * sameLine) line.push(item);
        else lines.push([item]);
      }
      out += `${lines.map(lineText).join('\n')}\n\f`;
      page.cleanup();
    }
    return out;
  } finally {
    await doc.destroy();
  }
}

/** The document Info dictionary's Title, Author and CreationDate. */
export async function pdfInfo(pdf: Uint8Array): Promise<{ title?: string; author?: string; creationDate: Date | null }> {
  const doc = await open(pdf);
  try {
    const { info } = (await doc.getMetadata()) as { info: { Title?: string; Author?: string; CreationDate?: string } };
    return { title: info.Title, author: info.Author, creationDate: PDFDateString.toDateObject(info.CreationDate ?? '') };
  } finally {
    await doc.destroy();
  }
}
