import type { HealthSummary, RecordSection, ResultItem, VisitItem } from '@portico/shared';
import { defaultLocale, type Locale, type MessageId, type Translator } from '@portico/shared/i18n';
import { translatorFor } from '../../../lib/i18n.ts';
import { type Cell, PdfLayout, type TableSpec } from './record-pdf-layout.ts';
import { formatFhirDate, formatInstant, humanizeCode, REPLACEMENT_CHARACTER, resolveTimeZone } from './record-pdf-text.ts';

/**
 * The patient's record as a printable PDF (ONC 170.315(e)(1): view, download and transmit in a human-readable form).
 * Layout, page breaks and page numbers live in record-pdf-layout.ts; fonts, text cleaning and dates in
 * record-pdf-text.ts. The document's own words (headings, labels, notes, dates) are in the reader's language, from the
 * catalogue's `documents.pdf.*`; the record's content is printed as stored, never translated. Nothing here logs: every
 * string in the document is patient data.
 */

/** Everything the PDF prints, already filtered to what the reader may see and to the dates they picked. */
export interface RecordDocument {
  patient: { name: string; birthDate: string; mrn: string };
  organizationName: string;
  /** The organization's colour and logo (issue 10 §2), printed with its name atop the title block. */
  brand?: { color: string; logo: { bytes: Buffer; width: number; height: number } | null };
  generatedAt: Date;
  /** IANA zone used to print instants. */
  timeZone: string;
  /** ISO dates the patient picked; null for an open end. */
  range: { from: string | null; to: string | null };
  /** In the order to print. */
  sections: RecordSection[];
  /** The summary lists for the chosen sections. */
  summary: Partial<HealthSummary>;
  /** When 'visits' is chosen. */
  visits: VisitItem[];
  /** When 'results' is chosen; held results never reach here. */
  results: ResultItem[];
  /** Sections cut short at this many rows (the newest ones), so the reader knows the list is not complete. */
  truncated?: Partial<Record<'visits' | 'results', number>>;
  /** The reader's language (the signed-in user's); English when not given. */
  locale?: Locale;
}

const NONE = '—';

/** The catalogue's heading of each section, and the sentence printed when a list is empty. */
const sectionWords: Record<RecordSection | 'goals', { title: MessageId; empty: MessageId }> = {
  problems: { title: 'documents.pdf.section.problems', empty: 'documents.pdf.empty.problems' },
  allergies: { title: 'documents.pdf.section.allergies', empty: 'documents.pdf.empty.allergies' },
  medications: { title: 'documents.pdf.section.medications', empty: 'documents.pdf.empty.medications' },
  immunizations: { title: 'documents.pdf.section.immunizations', empty: 'documents.pdf.empty.immunizations' },
  carePlans: { title: 'documents.pdf.section.carePlans', empty: 'documents.pdf.empty.carePlans' },
  goals: { title: 'documents.pdf.section.goals', empty: 'documents.pdf.empty.goals' },
  visits: { title: 'documents.pdf.section.visits', empty: 'documents.pdf.empty.visits' },
  results: { title: 'documents.pdf.section.results', empty: 'documents.pdf.empty.results' },
};

const flagWords = { H: 'documents.pdf.flag.H', L: 'documents.pdf.flag.L', A: 'documents.pdf.flag.A' } as const;

/** Which kind of coded value a cell holds: each has its own words (and, in Spanish, its own grammatical gender). */
type CodeKind = 'status' | 'category' | 'criticality' | 'severity' | 'setting';

/** What every table builder needs: the translator and the date printer of this document. */
interface Words {
  t: Translator;
  date: DateText;
  /** A coded value in the reader's words; a code the catalogue does not know reads as humanizeCode() gives it. */
  code: (kind: CodeKind, value: string) => string;
}

/** A FHIR code as a select key of the catalogue (`on-hold` → `on_hold`); anything else matches no case. */
function selectKey(value: string): string {
  if (!/^[a-z][a-z0-9]*(?:[- ][a-z0-9]+)*$/.test(value)) return 'other';
  const key = value.replace(/[- ]/g, '_');
  return key in Object.prototype ? 'other' : key;
}

/** A readable, printable PDF of the chosen sections, in the reader's language. */
export async function renderRecordPdf(doc: RecordDocument): Promise<Buffer> {
  const t = translatorFor(doc.locale ?? defaultLocale);
  const timeZone = resolveTimeZone(doc.timeZone);
  const date = (value: string | null) => (value ? formatFhirDate(value, timeZone, t.locale) : NONE);
  const words: Words = {
    t,
    date,
    code: (kind, value) => t(`documents.pdf.code.${kind}`, { code: selectKey(value), fallback: humanizeCode(value) }),
  };
  const sections = [...new Set(doc.sections)];
  const layout = new PdfLayout({ title: t('documents.pdf.infoTitle', { name: doc.patient.name }), createdAt: doc.generatedAt, t });

  layout.brand(doc.organizationName, { color: doc.brand?.color, logo: doc.brand?.logo });
  layout.title(t('documents.pdf.title'));
  layout.fields([
    [t('documents.pdf.field.patient'), doc.patient.name],
    [t('documents.pdf.field.birthDate'), date(doc.patient.birthDate)],
    [t('documents.pdf.field.mrn'), doc.patient.mrn],
    [t('documents.pdf.field.range'), describeRange(doc.range, words)],
    [t('documents.pdf.field.sections'), sections.map((section) => t(sectionWords[section].title)).join(', ')],
    [t('documents.pdf.field.generated'), formatInstant(doc.generatedAt, timeZone, t.locale)],
  ]);

  for (const section of sections) {
    for (const table of tablesFor(section, doc, words)) layout.table(table);
  }

  if (layout.cleaner.hasReplaced) {
    layout.paragraph(t('documents.pdf.replaced', { character: REPLACEMENT_CHARACTER }), { size: 8.5, color: '#555555' });
  }
  return layout.finish(t('documents.pdf.footer', { name: doc.patient.name, birthDate: date(doc.patient.birthDate), mrn: doc.patient.mrn }));
}

type DateText = (value: string | null) => string;

function describeRange(range: RecordDocument['range'], { t, date }: Words): string {
  if (range.from && range.to) return t('documents.pdf.range.between', { from: date(range.from), to: date(range.to) });
  if (range.from) return t('documents.pdf.range.from', { from: date(range.from) });
  if (range.to) return t('documents.pdf.range.to', { to: date(range.to) });
  return t('documents.pdf.range.all');
}

function text(value: string | null, bold = false): Cell {
  return { text: value === null || value.trim() === '' ? NONE : value, bold };
}

function truncatedNote(t: Translator, count: number | undefined, what: 'visits' | 'results'): string | undefined {
  if (count === undefined) return undefined;
  return t(`documents.pdf.truncated.${what}`, { count });
}

/** The catalogue's column headers. */
const columnIds = {
  problem: 'documents.pdf.column.problem',
  status: 'documents.pdf.column.status',
  onset: 'documents.pdf.column.onset',
  resolved: 'documents.pdf.column.resolved',
  substance: 'documents.pdf.column.substance',
  type: 'documents.pdf.column.type',
  reactions: 'documents.pdf.column.reactions',
  criticality: 'documents.pdf.column.criticality',
  recorded: 'documents.pdf.column.recorded',
  medication: 'documents.pdf.column.medication',
  directions: 'documents.pdf.column.directions',
  takingNow: 'documents.pdf.column.takingNow',
  prescribed: 'documents.pdf.column.prescribed',
  reason: 'documents.pdf.column.reason',
  vaccine: 'documents.pdf.column.vaccine',
  date: 'documents.pdf.column.date',
  carePlan: 'documents.pdf.column.carePlan',
  dates: 'documents.pdf.column.dates',
  activities: 'documents.pdf.column.activities',
  addresses: 'documents.pdf.column.addresses',
  goal: 'documents.pdf.column.goal',
  target: 'documents.pdf.column.target',
  visit: 'documents.pdf.column.visit',
  clinician: 'documents.pdf.column.clinician',
  location: 'documents.pdf.column.location',
  test: 'documents.pdf.column.test',
  value: 'documents.pdf.column.value',
  unit: 'documents.pdf.column.unit',
  referenceRange: 'documents.pdf.column.referenceRange',
  flag: 'documents.pdf.column.flag',
} as const satisfies Record<string, MessageId>;

/** The table or tables one section prints; care plans and goals are one section with two tables. */
function tablesFor(section: RecordSection, doc: RecordDocument, words: Words): TableSpec[] {
  const { t, date, code } = words;
  const heading = t(sectionWords[section].title);
  const empty = t(sectionWords[section].empty);
  const column = (name: keyof typeof columnIds, share: number) => ({ header: t(columnIds[name]), share });
  const status = (value: string): Cell => text(code('status', value));
  const { summary } = doc;
  switch (section) {
    case 'problems':
      return [
        {
          heading,
          level: 1,
          empty,
          columns: [column('problem', 46), column('status', 18), column('onset', 18), column('resolved', 18)],
          rows: (summary.problems ?? []).map((p) => [
            text(p.name, true),
            status(p.clinicalStatus),
            text(date(p.onset)),
            text(date(p.resolved)),
          ]),
        },
      ];
    case 'allergies':
      return [
        {
          heading,
          level: 1,
          empty,
          columns: [
            column('substance', 22),
            column('type', 14),
            column('reactions', 28),
            column('criticality', 12),
            column('status', 12),
            column('recorded', 12),
          ],
          rows: (summary.allergies ?? []).map((a) => [
            text(a.substance, true),
            text(a.category && code('category', a.category)),
            {
              text: a.reactions.length
                ? a.reactions.map((r) => (r.severity ? `${r.manifestation} (${code('severity', r.severity)})` : r.manifestation))
                : t('documents.pdf.noneRecorded'),
            },
            text(a.criticality && code('criticality', a.criticality)),
            status(a.clinicalStatus),
            text(date(a.recorded)),
          ]),
        },
      ];
    case 'medications':
      return [
        {
          heading,
          level: 1,
          empty,
          columns: [
            column('medication', 24),
            column('directions', 30),
            column('takingNow', 12),
            column('prescribed', 17),
            column('reason', 17),
          ],
          rows: (summary.medications ?? []).map((m) => [
            text(m.name, true),
            text(m.directions),
            { text: [t(m.current ? 'documents.pdf.yes' : 'documents.pdf.no'), code('status', m.status)] },
            {
              text: m.prescriber ? [date(m.authoredOn), t('documents.pdf.prescribedBy', { name: m.prescriber })] : date(m.authoredOn),
            },
            text(m.reason),
          ]),
        },
      ];
    case 'immunizations':
      return [
        {
          heading,
          level: 1,
          empty,
          columns: [column('vaccine', 55), column('date', 25), column('status', 20)],
          rows: (summary.immunizations ?? []).map((i) => [text(i.vaccine, true), text(date(i.date)), status(i.status)]),
        },
      ];
    case 'carePlans':
      return [
        {
          heading,
          level: 1,
          empty,
          columns: [column('carePlan', 22), column('status', 11), column('dates', 17), column('activities', 32), column('addresses', 18)],
          rows: (summary.carePlans ?? []).map((c) => [
            text(c.title, true),
            status(c.status),
            text(
              c.start || c.end
                ? t('documents.pdf.period', { start: date(c.start), end: c.end ? date(c.end) : t('documents.pdf.ongoing') })
                : null,
            ),
            { text: c.activities.length ? c.activities.map((activity) => `• ${activity}`) : NONE },
            { text: c.addresses.length ? c.addresses : NONE },
          ]),
        },
        {
          heading: t(sectionWords.goals.title),
          level: 2,
          empty: t(sectionWords.goals.empty),
          columns: [column('goal', 50), column('status', 18), column('target', 32)],
          rows: (summary.goals ?? []).map((g) => [text(g.description, true), status(g.lifecycleStatus), text(g.target)]),
        },
      ];
    case 'visits':
      return [
        {
          heading,
          level: 1,
          note: truncatedNote(t, doc.truncated?.visits, 'visits'),
          empty,
          columns: [column('date', 18), column('visit', 20), column('clinician', 18), column('location', 18), column('reason', 26)],
          rows: doc.visits.map((v) => [
            text(date(v.start), true),
            {
              text: [
                v.type,
                ...(v.setting ? [code('setting', v.setting)] : []),
                ...(v.status === 'finished' ? [] : [code('status', v.status)]),
              ],
            },
            text(v.clinician),
            text(v.location),
            text(v.reason),
          ]),
        },
      ];
    case 'results':
      return [
        {
          heading,
          level: 1,
          note: [truncatedNote(t, doc.truncated?.results, 'results'), t('documents.pdf.flagNote')].filter(Boolean).join(' '),
          empty,
          columns: [
            column('test', 23),
            column('value', 10),
            column('unit', 9),
            column('referenceRange', 14),
            column('flag', 12),
            column('status', 11),
            column('date', 21),
          ],
          rows: doc.results.map((r) => [
            text(r.name, true),
            text(r.value),
            text(r.unit),
            text(r.referenceRange),
            { text: r.flag ? t(flagWords[r.flag]) : '', bold: true },
            status(r.status),
            text(date(r.effectiveAt)),
          ]),
        },
      ];
  }
}
