import type { ActivityEntry } from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import { translatorFor } from '../../lib/i18n.ts';
import { PdfLayout, type Cell } from '../record/export/record-pdf-layout.ts';
import { formatFhirDate, formatInstant, REPLACEMENT_CHARACTER, resolveTimeZone } from '../record/export/record-pdf-text.ts';
import { relationshipText, whatText, whoText } from './activity-csv.ts';

/** What the activity PDF shows: the entries already read through the policy, and the words around them. */
export interface ActivityDocument {
  patientName: string;
  organizationName: string;
  brand: { color?: string; logo?: { bytes: Buffer; width: number; height: number } | null };
  entries: readonly ActivityEntry[];
  truncated: boolean;
  timeZone: string;
  range: { from: string | null; to: string | null };
  /** The person filter's name, or null for everyone. */
  person: string | null;
  generatedAt: Date;
  locale: Locale;
}

/**
 * The activity log as a PDF, with the record PDF's layout engine (pages break between whole rows, the header row repeats,
 * "Page N of M"), in the reader's language; times in the record's time zone, as the page and the day filters read them.
 */
export function renderActivityPdf(doc: ActivityDocument): Promise<Buffer> {
  const t = translatorFor(doc.locale);
  const timeZone = resolveTimeZone(doc.timeZone);
  const day = (value: string) => formatFhirDate(value, timeZone, t.locale);
  const layout = new PdfLayout({ title: t('activity.pdf.title'), createdAt: doc.generatedAt, t });
  const { from, to } = doc.range;
  const range =
    from && to
      ? t('activity.pdf.range.between', { from: day(from), to: day(to) })
      : from
        ? t('activity.pdf.range.from', { from: day(from) })
        : to
          ? t('activity.pdf.range.to', { to: day(to) })
          : t('activity.pdf.range.all');

  layout.brand(doc.organizationName, doc.brand);
  layout.title(t('activity.pdf.title'));
  layout.fields([
    [t('activity.pdf.field.patient'), doc.patientName],
    [t('activity.pdf.field.dates'), range],
    [t('activity.filters.person'), doc.person ?? t('activity.filters.everyone')],
    [t('activity.pdf.field.generated'), formatInstant(doc.generatedAt, timeZone, t.locale)],
  ]);
  const rows: Cell[][] = doc.entries.map((entry) => [
    { text: formatInstant(new Date(entry.at), timeZone, t.locale) },
    { text: whoText(t, entry), bold: entry.who.isYou },
    {
      text: entry.who.organization ? [t(`activity.role.${entry.who.role}`), entry.who.organization] : t(`activity.role.${entry.who.role}`),
    },
    { text: whatText(t, entry) },
    { text: entry.onBehalfOf ? (entry.onBehalfOf.isYou ? t('activity.onBehalfOf.you') : entry.onBehalfOf.name) : t('activity.none') },
    { text: relationshipText(t, entry) },
  ]);
  layout.table({
    heading: t('activity.pdf.heading'),
    level: 1,
    ...(doc.truncated ? { note: t('activity.download.truncated', { count: doc.entries.length }) } : {}),
    columns: [
      { header: t('activity.column.when'), share: 17 },
      { header: t('activity.column.who'), share: 17 },
      { header: t('activity.column.role'), share: 18 },
      { header: t('activity.column.what'), share: 20 },
      { header: t('activity.column.onBehalfOf'), share: 12 },
      { header: t('activity.column.relationship'), share: 16 },
    ],
    rows,
    empty: t('activity.empty'),
  });
  if (layout.cleaner.hasReplaced) {
    layout.paragraph(t('documents.pdf.replaced', { character: REPLACEMENT_CHARACTER }), { size: 8.5, color: '#555555' });
  }
  return layout.finish(t('activity.pdf.footer', { name: doc.patientName }));
}
