import type { HealthSummary, RecordSection, ResultItem, VisitItem } from '@portico/shared';
import { type Cell, PdfLayout, type TableSpec } from './record-pdf-layout.ts';
import { formatFhirDate, formatInstant, humanizeCode, REPLACEMENT_CHARACTER, resolveTimeZone } from './record-pdf-text.ts';

/**
 * The patient's record as a printable PDF (ONC 170.315(e)(1): view, download and transmit in a human-readable form).
 * Layout, page breaks and page numbers live in record-pdf-layout.ts; fonts, text cleaning and dates in
 * record-pdf-text.ts. Nothing here logs: every string in the document is patient data.
 */

/** Everything the PDF prints, already filtered to what the reader may see and to the dates they picked. */
export interface RecordDocument {
  patient: { name: string; birthDate: string; mrn: string };
  organizationName: string;
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
}

const NONE = '—';
const flagWords = { H: 'High', L: 'Low', A: 'Abnormal' } as const;

const sectionTitles: Record<RecordSection, string> = {
  problems: 'Problems',
  allergies: 'Allergies and intolerances',
  medications: 'Medications',
  immunizations: 'Immunizations',
  carePlans: 'Care plans and goals',
  visits: 'Visits',
  results: 'Test results',
};

/** A readable, printable PDF of the chosen sections. */
export async function renderRecordPdf(doc: RecordDocument): Promise<Buffer> {
  const timeZone = resolveTimeZone(doc.timeZone);
  const date = (value: string | null) => (value ? formatFhirDate(value, timeZone) : NONE);
  const sections = [...new Set(doc.sections)];
  const layout = new PdfLayout({ title: `Health record: ${doc.patient.name}`, createdAt: doc.generatedAt });

  layout.paragraph(doc.organizationName, { size: 11, bold: true });
  layout.title('Health record');
  layout.fields([
    ['Patient', doc.patient.name],
    ['Date of birth', date(doc.patient.birthDate)],
    ['MRN', doc.patient.mrn],
    ['Dates covered', describeRange(doc.range, date)],
    ['Sections', sections.map((section) => sectionTitles[section]).join(', ')],
    ['Generated', formatInstant(doc.generatedAt, timeZone)],
  ]);

  for (const section of sections) {
    for (const table of tablesFor(section, doc, date)) layout.table(table);
  }

  if (layout.cleaner.hasReplaced) {
    layout.paragraph(
      `Some characters in this record cannot be shown in this PDF and appear as ${REPLACEMENT_CHARACTER}. ` +
        'The FHIR download of your record keeps the exact text.',
      { size: 8.5, color: '#555555' },
    );
  }
  return layout.finish(`${doc.patient.name} · Born ${date(doc.patient.birthDate)} · MRN ${doc.patient.mrn}`);
}

type DateText = (value: string | null) => string;

function describeRange(range: RecordDocument['range'], date: DateText): string {
  if (range.from && range.to) return `${date(range.from)} to ${date(range.to)}`;
  if (range.from) return `From ${date(range.from)}`;
  if (range.to) return `Up to ${date(range.to)}`;
  return 'All dates';
}

function text(value: string | null, bold = false): Cell {
  return { text: value === null || value.trim() === '' ? NONE : value, bold };
}

function status(value: string): Cell {
  return text(humanizeCode(value));
}

function empty(what: string): string {
  return `No ${what} recorded in this period.`;
}

function truncatedNote(count: number | undefined, what: string): string | undefined {
  if (count === undefined) return undefined;
  return `Only the newest ${count.toLocaleString('en-US')} ${what} are shown. Choose a shorter period to see earlier ones.`;
}

/** The table or tables one section prints; care plans and goals are one section with two tables. */
function tablesFor(section: RecordSection, doc: RecordDocument, date: DateText): TableSpec[] {
  const heading = sectionTitles[section];
  const { summary } = doc;
  switch (section) {
    case 'problems':
      return [
        {
          heading,
          level: 1,
          empty: empty('problems'),
          columns: [
            { header: 'Problem', share: 46 },
            { header: 'Status', share: 18 },
            { header: 'Onset', share: 18 },
            { header: 'Resolved', share: 18 },
          ],
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
          empty: empty('allergies'),
          columns: [
            { header: 'Substance', share: 24 },
            { header: 'Type', share: 12 },
            { header: 'Reactions (severity)', share: 28 },
            { header: 'Criticality', share: 12 },
            { header: 'Status', share: 12 },
            { header: 'Recorded', share: 12 },
          ],
          rows: (summary.allergies ?? []).map((a) => [
            text(a.substance, true),
            text(a.category && humanizeCode(a.category)),
            {
              text: a.reactions.length
                ? a.reactions.map((r) => (r.severity ? `${r.manifestation} (${humanizeCode(r.severity)})` : r.manifestation))
                : 'None recorded',
            },
            text(a.criticality && humanizeCode(a.criticality)),
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
          empty: empty('medications'),
          columns: [
            { header: 'Medication', share: 24 },
            { header: 'Directions', share: 30 },
            { header: 'Taking now', share: 12 },
            { header: 'Prescribed', share: 17 },
            { header: 'Reason', share: 17 },
          ],
          rows: (summary.medications ?? []).map((m) => [
            text(m.name, true),
            text(m.directions),
            { text: [m.current ? 'Yes' : 'No', humanizeCode(m.status)] },
            { text: m.prescriber ? [date(m.authoredOn), `by ${m.prescriber}`] : date(m.authoredOn) },
            text(m.reason),
          ]),
        },
      ];
    case 'immunizations':
      return [
        {
          heading,
          level: 1,
          empty: empty('immunizations'),
          columns: [
            { header: 'Vaccine', share: 55 },
            { header: 'Date', share: 25 },
            { header: 'Status', share: 20 },
          ],
          rows: (summary.immunizations ?? []).map((i) => [text(i.vaccine, true), text(date(i.date)), status(i.status)]),
        },
      ];
    case 'carePlans':
      return [
        {
          heading,
          level: 1,
          empty: empty('care plans'),
          columns: [
            { header: 'Care plan', share: 22 },
            { header: 'Status', share: 11 },
            { header: 'Dates', share: 17 },
            { header: 'Activities', share: 32 },
            { header: 'Addresses', share: 18 },
          ],
          rows: (summary.carePlans ?? []).map((c) => [
            text(c.title, true),
            status(c.status),
            text(c.start || c.end ? `${date(c.start)} to ${c.end ? date(c.end) : 'ongoing'}` : null),
            { text: c.activities.length ? c.activities.map((activity) => `• ${activity}`) : NONE },
            { text: c.addresses.length ? c.addresses : NONE },
          ]),
        },
        {
          heading: 'Goals',
          level: 2,
          empty: empty('goals'),
          columns: [
            { header: 'Goal', share: 50 },
            { header: 'Status', share: 18 },
            { header: 'Target', share: 32 },
          ],
          rows: (summary.goals ?? []).map((g) => [text(g.description, true), status(g.lifecycleStatus), text(g.target)]),
        },
      ];
    case 'visits':
      return [
        {
          heading,
          level: 1,
          note: truncatedNote(doc.truncated?.visits, 'visits'),
          empty: empty('visits'),
          columns: [
            { header: 'Date', share: 18 },
            { header: 'Visit', share: 20 },
            { header: 'Clinician', share: 18 },
            { header: 'Location', share: 18 },
            { header: 'Reason', share: 26 },
          ],
          rows: doc.visits.map((v) => [
            text(date(v.start), true),
            {
              text: [v.type, ...(v.setting ? [humanizeCode(v.setting)] : []), ...(v.status === 'finished' ? [] : [humanizeCode(v.status)])],
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
          note: [
            truncatedNote(doc.truncated?.results, 'test results'),
            'Flag: High, Low or Abnormal when the result is outside its reference range.',
          ]
            .filter(Boolean)
            .join(' '),
          empty: empty('test results'),
          columns: [
            { header: 'Test', share: 23 },
            { header: 'Value', share: 10 },
            { header: 'Unit', share: 9 },
            { header: 'Reference range', share: 14 },
            { header: 'Flag', share: 12 },
            { header: 'Status', share: 11 },
            { header: 'Date', share: 21 },
          ],
          rows: doc.results.map((r) => [
            text(r.name, true),
            text(r.value),
            text(r.unit),
            text(r.referenceRange),
            { text: r.flag ? flagWords[r.flag] : '', bold: true },
            status(r.status),
            text(date(r.effectiveAt)),
          ]),
        },
      ];
  }
}
