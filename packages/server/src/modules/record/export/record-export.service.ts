import type { HealthSummary, RecordExportBody, RecordSection, ResultItem, VisitItem } from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import { reportMemberIds } from '@portico/fhir';
import type { Database, Transaction } from '../../../db/client.ts';
import type { Actor, PatientRef, RowFilter } from '../../access/access.policy.ts';
import { withPatientAccess } from '../../access/access.service.ts';
import type { AuditContext } from '../../audit/audit.service.ts';
import { documentBrandingOf } from '../../branding/branding.service.ts';
import type { EffectiveRange } from '../record.repository.ts';
import { readHealthSummary, readVisitPage } from '../record.service.ts';
import { asReport, storedIds } from '../result-view.ts';
import { readResultPage } from '../results.service.ts';
import { buildRecordBundle } from './record-bundle.ts';
import {
  directoryReferenceIds,
  directoryTypes,
  patientResourceFrom,
  removeHeldReferences,
  resourceOfRow,
  withPortalMrn,
  type ExportRow,
} from './record-export-fhir.ts';
import {
  findDirectoryResources,
  findHeldResultIds,
  findPatientHeader,
  findPatientResource,
  findFilteredOutIds,
  findPatientResources,
  findRecordTimeZone,
} from './record-export.repository.ts';
import { renderRecordPdf } from './record-pdf.ts';
import { resolveTimeZone } from './record-pdf-text.ts';
import { addDays, civilDateInZone, formatCivilDate, parseCivilDate, startOfDayInZone } from '@portico/shared/zoned-time';

/**
 * The patient's record as a download (ONC 170.315(e)(1) "View, download, and transmit"): the chosen sections and days as
 * a readable PDF or as a FHIR R4 Bundle of the same content. The content is read with the code the record pages use, so
 * the download shows what the pages show. Results held from the patient are left out of every export, staff ones too:
 * the download is the patient's copy, and a held result must leave no trace in it.
 */

/** Visits and results are exported whole, newest first, up to this many rows each (the PDF says when it cut a list). */
export const exportSectionCap = 5000;

/** The order sections are printed and bundled in, whatever order they were picked in. */
const sectionOrder: readonly RecordSection[] = ['problems', 'allergies', 'medications', 'immunizations', 'carePlans', 'visits', 'results'];

/** How many rounds of directory references are followed (a PractitionerRole names its Practitioner and Organization). */
const directoryRounds = 3;

/** A file ready to send as an attachment. */
export interface RecordExportFile {
  contentType: 'application/pdf' | 'application/fhir+json';
  filename: string;
  body: Buffer | string;
}

/**
 * How a caller other than the record page reads through the export (a share link's download, issue 11 §2): its own
 * audit action and ids, and work done first in the same transaction (counting the link's open, which may refuse).
 */
export interface ExportAccess {
  auditAction?: string;
  auditDetails?: Record<string, unknown>;
  before?: (tx: Transaction) => Promise<void>;
}

type Header = NonNullable<Awaited<ReturnType<typeof findPatientHeader>>>;

/** What the audited read gathers: everything either format needs, already limited to what the patient may see. */
interface Gathered {
  header: Header;
  timeZone: string;
  summary: Partial<HealthSummary>;
  visits: VisitItem[];
  results: ResultItem[];
  truncated: Partial<Record<'visits' | 'results', number>>;
  /** FHIR only: the stored resources to bundle, in print order, Patient first. */
  resources: fhir4.Resource[];
}

/**
 * POST export: one audited clinical read (withPatientAccess: 404 and a denied event when not allowed) gathers the
 * content; the file is made after the transaction commits, so rendering never holds a database connection. The PDF's
 * own words and dates are in `locale`, the reader's language; the record's content is never translated.
 */
export async function exportRecord(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  body: RecordExportBody,
  locale: Locale,
  access: ExportAccess = {},
): Promise<RecordExportFile> {
  const sections = sectionOrder.filter((section) => body.sections.includes(section));
  const generatedAt = new Date();
  const range = { from: body.from ?? null, to: body.to ?? null };
  // Ids, choices and counts only: never clinical content (SECURITY.md "Audit"). withPatientAccess writes its event
  // after the work, so the counts the work adds here are in it.
  const auditDetails: Record<string, unknown> = { ...access.auditDetails, format: body.format, sections, from: range.from, to: range.to };
  const gathered = await withPatientAccess(
    db,
    actor,
    audit,
    { patientId, action: 'read', categories: ['clinical'], auditAction: access.auditAction ?? 'record.export', auditDetails },
    async (tx, grant) => {
      await access.before?.(tx);
      const content = await gather(tx, grant.patient, grant.filter, sections, range, body.format === 'fhir');
      auditDetails.counts = countsOf(content, sections);
      if (Object.keys(content.truncated).length > 0) auditDetails.truncated = content.truncated;
      return content;
    },
  );

  const day = formatCivilDate(civilDateInZone(generatedAt, gathered.timeZone));
  if (body.format === 'fhir') {
    const bundle = buildRecordBundle({ resources: gathered.resources, generatedAt });
    return { contentType: 'application/fhir+json', filename: `health-record-${day}.json`, body: JSON.stringify(bundle) };
  }
  const { header } = gathered;
  const brand = await documentBrandingOf(db, header.organizationId);
  const pdf = await renderRecordPdf({
    patient: { name: `${header.givenName} ${header.familyName}`, birthDate: header.birthDate, mrn: header.mrn },
    organizationName: brand.name,
    brand: { color: brand.primaryColor, logo: brand.logo },
    generatedAt,
    timeZone: gathered.timeZone,
    range,
    sections,
    summary: gathered.summary,
    visits: gathered.visits,
    results: gathered.results,
    truncated: gathered.truncated,
    locale,
  });
  return { contentType: 'application/pdf', filename: `health-record-${day}.pdf`, body: pdf };
}

async function gather(
  tx: Transaction,
  patient: PatientRef,
  filter: RowFilter,
  sections: readonly RecordSection[],
  days: { from: string | null; to: string | null },
  withResources: boolean,
): Promise<Gathered> {
  const header = await findPatientHeader(tx, patient.id);
  // withPatientAccess has just read this patient in the same transaction.
  if (!header) throw new Error('export: the patient row vanished inside its own transaction');
  const timeZone = resolveTimeZone((await findRecordTimeZone(tx, header.organizationId, header.pcpId)) ?? 'UTC');
  const range = effectiveRange(days, timeZone);
  const has = (section: RecordSection) => sections.includes(section);

  const summary: Partial<HealthSummary> = {};
  if (sections.some((s) => s !== 'visits' && s !== 'results')) {
    const full = await readHealthSummary(tx, patient, filter, range);
    if (has('problems')) summary.problems = full.problems;
    if (has('allergies')) summary.allergies = full.allergies;
    if (has('medications')) summary.medications = full.medications;
    if (has('immunizations')) summary.immunizations = full.immunizations;
    if (has('carePlans')) Object.assign(summary, { carePlans: full.carePlans, goals: full.goals });
  }
  const truncated: Gathered['truncated'] = {};
  let visits: VisitItem[] = [];
  if (has('visits')) {
    const page = await readVisitPage(tx, patient, filter, null, exportSectionCap, range);
    visits = page.visits;
    if (page.nextCursor !== null) truncated.visits = exportSectionCap;
  }
  let results: ResultItem[] = [];
  if (has('results')) {
    // Held results hidden from every reader: no export carries a held result (see the module comment).
    const page = await readResultPage(
      tx,
      { patientId: patient.id, filter: { ...filter, seesHeldResults: false } },
      null,
      exportSectionCap,
      range,
    );
    results = page.results;
    if (page.nextCursor !== null) truncated.results = exportSectionCap;
  }
  const content: Gathered = { header, timeZone, summary, visits, results, truncated, resources: [] };
  if (withResources) content.resources = await gatherResources(tx, patient, filter, content);
  return content;
}

/** The stored resources behind what the sections list, report members included, and what they need to read on their own. */
async function gatherResources(tx: Transaction, patient: PatientRef, filter: RowFilter, content: Gathered): Promise<fhir4.Resource[]> {
  const { summary } = content;
  const listed = [
    ...(summary.problems ?? []),
    ...(summary.allergies ?? []),
    ...(summary.medications ?? []),
    ...(summary.immunizations ?? []),
    ...(summary.carePlans ?? []),
    ...(summary.goals ?? []),
    ...content.visits,
    ...content.results,
  ].map((item) => item.id);
  const held = await findHeldResultIds(tx, patient.id);
  const visible = (row: ExportRow) => !held.has(row.id.toLowerCase());

  // The row filter again (sensitive categories, confidential content): a listed report's members are read by id here.
  const byId = new Map((await findPatientResources(tx, patient.id, listed, filter)).filter(visible).map((row) => [row.id, row]));
  const rows = listed.flatMap((id) => byId.get(id) ?? []);
  const memberIds = storedIds(rows.flatMap((row) => reportMemberIdsOf(row))).filter((id) => !byId.has(id));
  const members = (await findPatientResources(tx, patient.id, memberIds, filter)).filter(
    (row) => row.resourceType === 'Observation' && visible(row),
  );
  const stored = await findPatientResource(tx, patient.id);
  const { header } = content;
  const patientResource = stored
    ? withPortalMrn(resourceOfRow(stored) as fhir4.Patient, header.organizationId, header.mrn)
    : patientResourceFrom(header);
  const resources = [patientResource, ...[...rows, ...members].map(resourceOfRow)];

  const seen = new Set(resources.flatMap((r) => (r.id ? [r.id] : [])));
  let newest: fhir4.Resource[] = resources;
  for (let round = 0; round < directoryRounds && newest.length > 0; round++) {
    const ids = directoryReferenceIds(newest).filter((id) => !seen.has(id));
    newest = (await findDirectoryResources(tx, patient.organizationId, directoryTypes, ids)).map(resourceOfRow);
    for (const resource of newest) if (resource.id) seen.add(resource.id);
    resources.push(...newest);
  }
  // References to what the reader may not see (held results, members the row filter hides) are dropped with them.
  const filteredOut = await findFilteredOutIds(tx, patient.id, memberIds, filter);
  const withheld = filteredOut.size === 0 ? held : new Set([...held, ...filteredOut]);
  for (const resource of resources) removeHeldReferences(resource, withheld);
  return resources;
}

function reportMemberIdsOf(row: ExportRow): string[] {
  const report = asReport(row.resource);
  return report ? reportMemberIds(report) : [];
}

/** Rows per chosen section (goals print with care plans) and, for FHIR, the resources bundled: numbers only. */
function countsOf(content: Gathered, sections: readonly RecordSection[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key, items] of Object.entries(content.summary)) counts[key] = items.length;
  if (sections.includes('visits')) counts.visits = content.visits.length;
  if (sections.includes('results')) counts.results = content.results.length;
  if (content.resources.length > 0) counts.resources = content.resources.length;
  return counts;
}

/**
 * The chosen days, both ends inclusive, as instants: midnights in the record's zone (the zone the PDF prints times in,
 * so a visit printed on the last day is in), and the same days in UTC for dates recorded without a time.
 */
function effectiveRange(days: { from: string | null; to: string | null }, timeZone: string): EffectiveRange | undefined {
  if (!days.from && !days.to) return undefined;
  const end = days.to ? formatCivilDate(addDays(parseCivilDate(days.to), 1)) : null;
  return {
    zoned: { start: days.from ? startOfDayInZone(days.from, timeZone) : null, end: end ? startOfDayInZone(end, timeZone) : null },
    utc: { start: days.from ? new Date(`${days.from}T00:00:00Z`) : null, end: end ? new Date(`${end}T00:00:00Z`) : null },
  };
}
