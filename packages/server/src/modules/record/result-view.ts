/** Stored result resources (FHIR R4 Observation, DiagnosticReport) as the results pages and the home page read them. */
import { codeableText, humanNameText, referenceRangeOf, referenceTarget, resultFlag, resultValue, type RangeView } from '@portico/fhir';
import type { ResultDetail, ResultItem } from '@portico/shared';

/** H high, L low, A abnormal, null in range or unknown. */
export type Flag = ResultItem['flag'];

/** A stored result row as the repository answers it. */
export interface ResultRow {
  id: string;
  resourceType: string;
  resource: unknown;
  effectiveAt: Date | null;
  held: boolean;
}

function isResourceOf(value: unknown, type: string): value is { resourceType: string } {
  return typeof value === 'object' && value !== null && (value as { resourceType?: unknown }).resourceType === type;
}

/** Stored JSON as the FHIR resource type it says it is (the importer validated its shape), else null. */
export function asResource<T extends fhir4.FhirResource>(resource: unknown, type: T['resourceType']): T | null {
  return isResourceOf(resource, type) ? (resource as T) : null;
}

/** A required FHIR string, guarded: a feed that left it out must not turn a page into a 500. */
function textOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}

/** The stored JSON as an Observation, when it is one. */
export function asObservation(resource: unknown): fhir4.Observation | null {
  return asResource<fhir4.Observation>(resource, 'Observation');
}

/** The stored JSON as a DiagnosticReport, when it is one. */
export function asReport(resource: unknown): fhir4.DiagnosticReport | null {
  return asResource<fhir4.DiagnosticReport>(resource, 'DiagnosticReport');
}

/** What an Observation shows in a list: value text, number, unit, range and flag. */
export function observationReading(o: fhir4.Observation): { value: ReturnType<typeof resultValue>; range: RangeView; flag: Flag } {
  const value = resultValue(o);
  const range = referenceRangeOf(o.referenceRange);
  return { value, range, flag: resultFlag(o.interpretation, value.number, range) };
}

/**
 * A result line. A report has no value of its own; it is flagged A (abnormal) when any of its members the reader sees
 * is flagged, so a panel with one high value does not look normal in the list.
 */
export function toResultItem(row: ResultRow, memberFlags: Flag[] = []): ResultItem {
  const base = { id: row.id, effectiveAt: row.effectiveAt?.toISOString() ?? null, held: row.held };
  const report = asReport(row.resource);
  if (report) {
    return {
      ...base,
      kind: 'report',
      name: codeableText(report.code) ?? 'Report',
      value: null,
      unit: null,
      referenceRange: null,
      flag: memberFlags.some((f) => f !== null) ? 'A' : null,
      status: textOr(report.status, 'unknown'),
    };
  }
  const o = asObservation(row.resource);
  if (!o) {
    return { ...base, kind: 'observation', name: 'Result', value: null, unit: null, referenceRange: null, flag: null, status: 'unknown' };
  }
  const { value, range, flag } = observationReading(o);
  return {
    ...base,
    kind: 'observation',
    name: codeableText(o.code) ?? 'Result',
    value: value.text,
    unit: value.unit,
    referenceRange: range.text,
    flag,
    status: textOr(o.status, 'unknown'),
  };
}

/** A result line on the home page (the summary contract knows H and L only; A shows there as unflagged). */
export function toRecentResult(item: ResultItem) {
  return {
    id: item.id,
    name: item.name,
    value: item.value ?? '',
    unit: item.unit,
    referenceRange: item.referenceRange,
    flag: item.flag === 'A' ? null : item.flag,
    effectiveAt: item.effectiveAt ?? new Date(0).toISOString(),
  };
}

/**
 * A numeric result's history, oldest first, from rows newest first. Points in another unit than this result's are left
 * out: a line through mg/dL and mmol/L values would mislead.
 */
export function toTrend(
  current: fhir4.Observation,
  rows: { id: string; resource: unknown; effectiveAt: Date | null }[],
): ResultDetail['trend'] {
  const { value, range } = observationReading(current);
  if (value.number === null) return null;
  const points: NonNullable<ResultDetail['trend']>['points'] = [];
  for (const row of [...rows].reverse()) {
    const o = asObservation(row.resource);
    if (!o || !row.effectiveAt) continue;
    const reading = observationReading(o);
    if (reading.value.number === null || reading.value.unit !== value.unit) continue;
    points.push({ id: row.id, effectiveAt: row.effectiveAt.toISOString(), value: reading.value.number, flag: reading.flag });
  }
  return { unit: value.unit, low: range.low, high: range.high, points };
}

/** Who a reference names: its display, else the name of the stored Practitioner, PractitionerRole or Organization. */
export function referenceName(reference: fhir4.Reference | undefined, referenced: ReadonlyMap<string, unknown>): string | null {
  if (!reference) return null;
  if (reference.display) return reference.display;
  const target = referenceTarget(reference);
  const resource = target ? referenced.get(target.id) : undefined;
  const practitioner = asResource<fhir4.Practitioner>(resource, 'Practitioner');
  if (practitioner) return humanNameText(practitioner.name);
  const organization = asResource<fhir4.Organization>(resource, 'Organization');
  if (organization) return organization.name ?? null;
  return asResource<fhir4.PractitionerRole>(resource, 'PractitionerRole')?.practitioner?.display ?? null;
}

/** The first reference among these that names someone. */
export function firstName(references: (fhir4.Reference | undefined)[], referenced: ReadonlyMap<string, unknown>): string | null {
  for (const reference of references) {
    const name = referenceName(reference, referenced);
    if (name) return name;
  }
  return null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only UUID-shaped ids can name a stored row (the store's ids are UUIDs; anything else would fail the query). */
export function storedIds(ids: Iterable<string>): string[] {
  return [...new Set([...ids].filter((id) => uuidPattern.test(id)).map((id) => id.toLowerCase()))];
}

/** The stored ids these references point at, for one lookup. */
export function referencedIds(references: (fhir4.Reference | undefined)[]): string[] {
  return storedIds(references.map((r) => referenceTarget(r)?.id ?? ''));
}
