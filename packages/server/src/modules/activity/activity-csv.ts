import { activityCsvCap, formatZonedDateTime, type ActivityEntry } from '@portico/shared';
import { intlLocales, type Translator } from '@portico/shared/i18n';

/**
 * The activity log as a CSV file (RFC 4180: CRLF line ends, quoted cells), in the reader's language, with a UTF-8 byte
 * order mark so spreadsheet programs read accents right. Every cell is defused against formula injection (OWASP "CSV
 * Injection"): names and addressees are typed by people, and a spreadsheet would run a cell that starts with `=`.
 */

/** Characters that make a spreadsheet read a cell as a formula (OWASP's list: = + - @, tab and carriage return). */
const formulaStart = /^[=+\-@\t\r]/;

/** One cell: a leading formula character is preceded by `'`, then the cell is quoted when it holds `"`, `,` or a line end. */
export function csvCell(value: string): string {
  const defused = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(defused) ? `"${defused.replaceAll('"', '""')}"` : defused;
}

/** Rows of cells as CSV text. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** An entry's "who" in words. */
export function whoText(t: Translator, entry: ActivityEntry): string {
  if (entry.who.role === 'system') return t('activity.who.system');
  const name = entry.who.name ?? t('activity.who.unknown');
  return entry.who.isYou ? t('activity.who.you', { name }) : name;
}

/** An entry's "what" in words, with the file format and addressee it names. */
export function whatText(t: Translator, entry: ActivityEntry): string {
  const what = t(`activity.what.${entry.what}`);
  const format = entry.format ? t('activity.what.withFormat', { what, format: t(`activity.format.${entry.format}`) }) : what;
  return entry.addressee ? t('activity.what.withAddressee', { what: format, addressee: entry.addressee }) : format;
}

/** An entry's relationship in words (a proxy's kind when known). */
export function relationshipText(t: Translator, entry: ActivityEntry): string {
  if (entry.relationship) return t(`activity.relationship.${entry.relationship}`);
  return entry.via ? t(`activity.via.${entry.via}`) : t('activity.notRecorded');
}

/** The table of the download: a header row, then one row per entry; a last line says when the cap cut it. */
export function activityCsvRows(t: Translator, entries: readonly ActivityEntry[], timeZone: string, truncated: boolean): string[][] {
  const header = [
    t('activity.column.when'),
    t('activity.column.whenUtc'),
    t('activity.column.who'),
    t('activity.column.role'),
    t('activity.column.organization'),
    t('activity.column.what'),
    t('activity.column.onBehalfOf'),
    t('activity.column.relationship'),
  ];
  const rows = entries.map((entry) => [
    formatZonedDateTime(entry.at, timeZone, intlLocales[t.locale]) ?? entry.at,
    entry.at,
    whoText(t, entry),
    t(`activity.role.${entry.who.role}`),
    entry.who.organization ?? '',
    whatText(t, entry),
    entry.onBehalfOf ? (entry.onBehalfOf.isYou ? t('activity.onBehalfOf.you') : entry.onBehalfOf.name) : '',
    relationshipText(t, entry),
  ]);
  const note = truncated ? [[t('activity.download.truncated', { count: activityCsvCap })]] : [];
  return [header, ...rows, ...note];
}
