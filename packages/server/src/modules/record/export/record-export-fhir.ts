/**
 * The pieces of the FHIR download that are pure logic: the Patient resource when none is stored, stored rows with their
 * `meta` from the row columns, the directory references to follow, and the removal of every trace of a held result.
 */
import { forEachReference, referenceTarget } from '@portico/fhir';
import { portalMrnIdentifier, portalMrnSystem } from '../../fhir-import/patient-identity.ts';
import { storedIds } from '../result-view.ts';

/** A stored row as the export reads it. */
export interface ExportRow {
  id: string;
  resourceType: string;
  versionId: number;
  lastUpdated: Date;
  resource: unknown;
}

/** The patients row fields a Patient resource is built from when the record has no stored Patient. */
export interface PatientFields {
  id: string;
  organizationId: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: string | null;
}

/** Directory resources a download carries when its resources refer to them, so it reads on its own. */
export const directoryTypes = ['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication'] as const;

const genders = new Set(['male', 'female', 'other', 'unknown']);

/** A FHIR R4 Patient from the patients row: name, birth date, gender (when it is an R4 AdministrativeGender) and MRN. */
export function patientResourceFrom(p: PatientFields): fhir4.Patient {
  const given = p.givenName.split(/\s+/).filter(Boolean);
  return {
    resourceType: 'Patient',
    id: p.id,
    identifier: [portalMrnIdentifier(p.organizationId, p.mrn)],
    name: [{ use: 'official', family: p.familyName, ...(given.length > 0 && { given }) }],
    ...(p.sex && genders.has(p.sex) && { gender: p.sex as fhir4.Patient['gender'] }),
    birthDate: p.birthDate,
  };
}

/**
 * The exported Patient carries the organization's MRN first, with our system and the v2-0203 `MR` type (US Core), and
 * the source's identifiers after it; the importer recognises the system and finds the patient again. Changes `patient`.
 */
export function withPortalMrn(patient: fhir4.Patient, organizationId: string, mrn: string): fhir4.Patient {
  const ours = portalMrnSystem(organizationId);
  const others = (patient.identifier ?? []).filter((i) => i.system !== ours);
  patient.identifier = [portalMrnIdentifier(organizationId, mrn), ...others];
  return patient;
}

/** A copy of a stored resource with `meta.versionId` and `meta.lastUpdated` from the row (FHIR R4 Resource.meta). */
export function resourceOfRow(row: ExportRow): fhir4.Resource {
  const resource = structuredClone(row.resource) as fhir4.Resource;
  resource.meta = { ...resource.meta, versionId: String(row.versionId), lastUpdated: row.lastUpdated.toISOString() };
  return resource;
}

/** The ids of directory resources (by `Type/id` references of the types above) these resources point at. */
export function directoryReferenceIds(resources: readonly unknown[]): string[] {
  const ids: string[] = [];
  const wanted = new Set<string>(directoryTypes);
  for (const resource of resources) {
    forEachReference(resource, '', ({ target: reference }) => {
      const target = referenceTarget(reference);
      if (target?.type && wanted.has(target.type)) ids.push(target.id);
    });
  }
  return storedIds(ids);
}

const trailingUuid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Removes, in place, every Reference whose target is a held result (`Observation/<id>`, `urn:uuid:<id>` or a URL ending
 * in the id, read as result-release.ts reads report members), with its display: a DiagnosticReport lists no held
 * member, an Observation no held `hasMember`/`derivedFrom`. An element left empty by the removal goes too (FHIR JSON
 * has no empty objects or arrays).
 */
export function removeHeldReferences(resource: object, held: ReadonlySet<string>): void {
  if (held.size === 0) return;
  const isHeld = (value: unknown): boolean => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
    const reference = (value as { reference?: unknown }).reference;
    if (typeof reference !== 'string') return false;
    const id = trailingUuid.exec(reference)?.[1];
    return id !== undefined && held.has(id.toLowerCase());
  };
  prune(resource, isHeld);
}

/** Drops held references below `node`; answers true when `node` itself should go (it is one, or nothing is left of it). */
function prune(node: unknown, isHeld: (value: unknown) => boolean): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (isHeld(node)) return true;
  if (Array.isArray(node)) {
    const items = node as unknown[];
    const before = items.length;
    for (let i = items.length - 1; i >= 0; i--) if (prune(items[i], isHeld)) items.splice(i, 1);
    return before > 0 && items.length === 0;
  }
  const record = node as Record<string, unknown>;
  const keys = Object.keys(record);
  for (const key of keys) if (prune(record[key], isHeld)) delete record[key];
  return keys.length > 0 && Object.keys(record).length === 0;
}
