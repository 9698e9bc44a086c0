import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create as createFont, type Font } from 'fontkit';
import { defaultLocale, intlLocales, type Locale } from '@portico/shared/i18n';

/**
 * Text for the record PDF: the embedded Unicode font, cleaning of stored strings before they are drawn, and dates.
 *
 * The standard PDF fonts only cover WinAnsi (Latin-1 and a few extras), so names such as "Zoë Nguyễn", "Łukasz" or
 * "Алексей" would be lost. The PDF embeds DejaVu Sans (npm `dejavu-fonts-ttf`, a free licence that allows embedding;
 * pdfkit subsets it, so only the glyphs used travel in the file). DejaVu covers Latin, Greek, Cyrillic, Armenian,
 * Georgian, Hebrew, Arabic and many symbols, but not CJK, Indic scripts or emoji: a character neither face can draw
 * is printed as U+FFFD "�" and the document ends with a note saying so (the FHIR download keeps the exact text).
 */

const require = createRequire(import.meta.url);

/** The two faces the PDF draws with, as bytes for pdfkit and parsed for coverage checks. */
export interface PdfFonts {
  regular: Buffer;
  bold: Buffer;
  /** True when both faces have a glyph for the code point, so it prints the same in a heading and in body text. */
  canDraw(codePoint: number): boolean;
}

let fonts: PdfFonts | undefined;

function parseFont(bytes: Buffer): Font {
  const parsed = createFont(bytes);
  if ('fonts' in parsed) throw new Error('Expected a single font, not a collection');
  return parsed;
}

/** The embedded font faces, read once per process. */
export function loadPdfFonts(): PdfFonts {
  if (fonts) return fonts;
  const regular = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  const bold = readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'));
  const regularFont = parseFont(regular);
  const boldFont = parseFont(bold);
  fonts = {
    regular,
    bold,
    canDraw: (codePoint) => regularFont.hasGlyphForCodePoint(codePoint) && boldFont.hasGlyphForCodePoint(codePoint),
  };
  return fonts;
}

/** What a character that cannot be printed becomes. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

const lineBreaks = /\r\n|[\n\r\u0085\u2028\u2029]/;
/** Control and format characters (bidi overrides, zero-width joiners, BOM, soft hyphen): dropped, they draw nothing. */
const invisible = /[\p{Cc}\p{Cf}]/u;
/** Surrogates without a partner, private-use and unassigned code points: no font can be trusted to draw them. */
const undrawable = /[\p{Cs}\p{Co}\p{Cn}]/u;
const spaces = /[\p{Zs}\t]+/gu;

/** Turns stored strings into text the PDF can draw, and remembers whether any character had to be replaced. */
export class TextCleaner {
  /** True once a character was printed as U+FFFD because the font has no glyph for it. */
  hasReplaced = false;

  constructor(private readonly fonts: PdfFonts) {}

  /** One line of text: line breaks become spaces. */
  line(value: string): string {
    return this.lines(value).join(' ');
  }

  /** The text's own lines (a stored value may hold line breaks, e.g. medication directions), each cleaned. */
  lines(value: string): string[] {
    return value
      .normalize('NFC')
      .split(lineBreaks)
      .map((line) => this.cleanLine(line))
      .filter((line) => line !== '');
  }

  /** Text for the document's Info dictionary, which viewers show in their own fonts: only invisible characters go. */
  metadata(value: string): string {
    return value
      .normalize('NFC')
      .split(lineBreaks)
      .join(' ')
      .replace(spaces, ' ')
      .replace(/[\p{Cc}\p{Cf}]/gu, '')
      .replace(/\p{Cs}/gu, REPLACEMENT_CHARACTER)
      .trim();
  }

  private cleanLine(line: string): string {
    let out = '';
    for (const char of line.replace(spaces, ' ')) {
      if (invisible.test(char)) continue;
      const codePoint = char.codePointAt(0) ?? 0;
      if (char === ' ' || (!undrawable.test(char) && this.fonts.canDraw(codePoint))) {
        out += char;
      } else {
        out += REPLACEMENT_CHARACTER;
        this.hasReplaced = true;
      }
    }
    return out.replace(/ {2,}/g, ' ').trim();
  }
}

const englishMonths = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthsByLocale = new Map<Locale, string[]>([['en', englishMonths]]);

/** Short month names in a language ("Mar", "mar"): the reader's own, spelled so nobody misreads the order of a date. */
function monthsOf(locale: Locale): string[] {
  let months = monthsByLocale.get(locale);
  if (!months) {
    const format = new Intl.DateTimeFormat(intlLocales[locale], { month: 'short', timeZone: 'UTC' });
    months = Array.from({ length: 12 }, (_, month) => format.format(Date.UTC(2000, month, 15)).replace(/\.$/, ''));
    monthsByLocale.set(locale, months);
  }
  return months;
}

/** The zone to print instants in: the one asked for when the runtime knows it, otherwise UTC. */
export function resolveTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/**
 * An instant in the given zone, e.g. "4 Mar 2025, 09:30 EST" ("4 mar 2025, 09:30 EST" in Spanish); month names are
 * spelled so no reader misreads the order.
 */
export function formatInstant(instant: Date, timeZone: string, locale: Locale = defaultLocale): string {
  const parts = new Intl.DateTimeFormat(intlLocales[locale], {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const month = monthsOf(locale)[Number(part('month')) - 1] ?? '';
  return `${part('day')} ${month} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

/**
 * A FHIR date or dateTime as a reader expects it. FHIR allows partial dates (`2019`, `2019-04`); they stay partial
 * ("2019", "Apr 2019"). Calendar dates are printed as written, never shifted by a zone; instants are printed in
 * `timeZone`. Month names are in the reader's language. Anything unparseable is returned as written (the caller cleans
 * it like any other text).
 */
export function formatFhirDate(value: string, timeZone: string, locale: Locale = defaultLocale): string {
  const date = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (date) {
    const [, year, month, day] = date;
    const monthName = month ? monthsOf(locale)[Number(month) - 1] : undefined;
    if (month && !monthName) return value;
    if (!monthName) return year ?? value;
    return day ? `${Number(day)} ${monthName} ${year}` : `${monthName} ${year}`;
  }
  if (!value.includes('T')) return value;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? value : formatInstant(instant, timeZone, locale);
}

/** A coded value ("on-hold", "unable-to-assess") as words ("On hold", "Unable to assess"); display text is kept. */
export function humanizeCode(value: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(value)) return value;
  const words = value.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
