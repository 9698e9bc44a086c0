import { randomInt } from 'node:crypto';

/**
 * Who an imported Patient is in the portal: its medical record number (the source's, ours, or a new local one) and the
 * name the portal shows. The export writes the MRN back with our system, so an export imported again finds its patient.
 */

/** FHIR R4 identifier type code system (HL7 v2 table 0203). */
export const identifierTypeSystem = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** The identifier system of an organization's MRNs (patients.mrn): unique per organization, stable across deployments. */
export function portalMrnSystem(organizationId: string): string {
  return `urn:portico:mrn:${organizationId.toLowerCase()}`;
}

/** An organization's MRN as a FHIR identifier: our system and the v2-0203 `MR` type (US Core Patient.identifier). */
export function portalMrnIdentifier(organizationId: string, mrn: string): fhir4.Identifier {
  return {
    use: 'usual',
    type: { coding: [{ system: identifierTypeSystem, code: 'MR', display: 'Medical record number' }] },
    system: portalMrnSystem(organizationId),
    value: mrn,
  };
}

/** The MRN an imported Patient carries: ours (by system) first, else the first identifier whose type is v2-0203 `MR`. */
export function mrnOf(resource: Record<string, unknown>, organizationId: string): string | null {
  const identifiers = Array.isArray(resource.identifier) ? (resource.identifier as fhir4.Identifier[]) : [];
  const ours = portalMrnSystem(organizationId);
  const own = identifiers.find((i) => i.system === ours && i.value);
  if (own?.value) return own.value;
  const typed = identifiers.find((i) => i.value && i.type?.coding?.some((c) => c.code === 'MR'));
  return typed?.value ?? null;
}

/**
 * The Patient as stored: without our MRN identifier (patients.mrn holds it and the export adds it back), so a Patient
 * that went out in an export and came back is stored exactly as it was. Changes `resource` in place.
 */
export function dropPortalMrn(resource: Record<string, unknown>, organizationId: string): void {
  if (!Array.isArray(resource.identifier)) return;
  const ours = portalMrnSystem(organizationId);
  const kept = (resource.identifier as fhir4.Identifier[]).filter((i) => i.system !== ours);
  if (kept.length > 0) resource.identifier = kept;
  else delete resource.identifier;
}

/**
 * A new local MRN for a Patient whose source gave none: ten digits, like the portal's own numbers (the staff search
 * reads digits as an MRN), drawn at random so it cannot be guessed from the record. The importer keeps it stable across
 * re-imports by finding the patient it gave it to, not by deriving it again.
 */
export function mintLocalMrn(): string {
  return String(randomInt(1_000_000_000, 10_000_000_000));
}

/** The last instant a FHIR date or dateTime covers (a year, a month, a day or an instant), in ms; NaN when unreadable. */
function endOf(value: string): number {
  if (/^\d{4}$/.test(value)) return Date.UTC(Number(value) + 1, 0, 1) - 1;
  if (/^\d{4}-\d{2}$/.test(value)) return Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)), 1) - 1;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`) + 86_400_000 - 1;
  return Date.parse(value);
}

/** The first instant a FHIR date or dateTime covers, in ms; NaN when unreadable. */
function startOf(value: string): number {
  if (/^\d{4}$/.test(value)) return Date.UTC(Number(value), 0, 1);
  if (/^\d{4}-\d{2}$/.test(value)) return Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)) - 1, 1);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`);
  return Date.parse(value);
}

/** Whether a name is in use at `now`: not `old`, its period (if any) begun and not ended. */
function isCurrent(name: fhir4.HumanName, now: number): boolean {
  if (name.use === 'old') return false;
  const { start, end } = name.period ?? {};
  if (end && endOf(end) < now) return false;
  if (start && startOf(start) > now) return false;
  return true;
}

/**
 * The name a portal shows: the current `official` name, else the current `usual` one, else any current name (not `old`,
 * period not ended), else the first.
 */
export function chosenName(names: readonly fhir4.HumanName[] | undefined, now: Date = new Date()): fhir4.HumanName | undefined {
  if (!names || names.length === 0) return undefined;
  const at = now.getTime();
  const current = names.filter((n) => isCurrent(n, at));
  return current.find((n) => n.use === 'official') ?? current.find((n) => n.use === 'usual') ?? current[0] ?? names[0];
}
