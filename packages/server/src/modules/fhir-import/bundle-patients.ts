import type { OutcomeIssue } from '@portico/fhir';
import { issue, serverId, sourceIdSystem, uuidPattern, type EntryDraft } from './bundle-entry.ts';
import { chosenName } from './patient-identity.ts';

/**
 * Which portal patient each imported Patient is. A Patient with an MRN (ours by system, or any of type MR) is the
 * organization's patient with that MRN, or a new one with it. A Patient without one is the patient an earlier import of
 * the same source Patient made (found by its source id, or by its id when that is already one of ours), or a new
 * patient with a new local MRN (patient-identity.ts).
 */

/** A patient row the import creates or refreshes, from an imported Patient resource. */
export interface PlannedPatient {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: string | null;
  phone: string | null;
  address: string | null;
  existing: boolean;
  /** A new patient under an MRN minted here: written only if no concurrent import created the same patient first. */
  newLocalMrn: boolean;
}

/** The lookups the patient step needs, scoped to the importing organization. */
export interface PatientLookups {
  /** Patients of the organization by MRN: MRN → id. */
  patientsByMrn(mrns: string[]): Promise<Map<string, string>>;
  /** Patients of the organization by id: id → MRN. */
  patientsById(ids: string[]): Promise<Map<string, string>>;
}

/** Who each Patient entry is: the patient row's id and MRN, whether it exists, and whether its MRN was minted here. */
export interface PatientIdentity {
  id: string;
  mrn: string;
  existing: boolean;
  newLocalMrn: boolean;
}

/** Rounds of minting before giving up on an MRN nobody holds (each collision is one chance in hundreds of millions). */
const mintRounds = 5;

/**
 * The identity of every Patient draft. `storedBySourceId` answers the stored Patients carrying a source id (the lookup
 * the plan already made); `mintMrn` draws a new local MRN. A Patient no free MRN could be found for is left out.
 */
export async function patientIdentities(
  drafts: readonly EntryDraft[],
  organizationId: string,
  lookups: PatientLookups,
  storedBySourceId: (sourceKey: string) => string[],
  mintMrn: () => string,
): Promise<Map<EntryDraft, PatientIdentity>> {
  const out = new Map<EntryDraft, PatientIdentity>();
  const withMrn = drafts.filter((d) => d.mrn);
  const mrns = [...new Set(withMrn.map((d) => d.mrn!))];
  const byMrn = mrns.length > 0 ? await lookups.patientsByMrn(mrns) : new Map<string, string>();
  for (const d of withMrn) {
    const existing = byMrn.get(d.mrn!);
    out.set(d, {
      id: existing ?? serverId(organizationId, 'Patient#mrn', d.mrn!),
      mrn: d.mrn!,
      existing: existing !== undefined,
      newLocalMrn: false,
    });
  }

  const local = drafts.filter((d) => !d.mrn);
  if (local.length === 0) return out;
  const candidates = new Map(
    local.map((d) => [
      d,
      [
        ...storedBySourceId(d.sourceKey),
        ...(uuidPattern.test(d.sourceKey) ? [d.sourceKey.toLowerCase()] : []),
        serverId(organizationId, 'Patient#source', d.sourceKey),
      ],
    ]),
  );
  const known = await lookups.patientsById([...new Set([...candidates.values()].flat())]);
  const needMrn: EntryDraft[] = [];
  for (const d of local) {
    const found = candidates.get(d)!.find((id) => known.has(id));
    if (found) out.set(d, { id: found, mrn: known.get(found)!, existing: true, newLocalMrn: false });
    else needMrn.push(d);
  }
  const taken = new Set([...out.values()].map((p) => p.mrn));
  for (let round = 0; round < mintRounds && needMrn.length > 0; round++) {
    const minted = needMrn.map((d) => ({ d, mrn: mintMrn() }));
    const held = await lookups.patientsByMrn(minted.map((m) => m.mrn));
    needMrn.length = 0;
    for (const { d, mrn } of minted) {
      if (held.has(mrn) || taken.has(mrn)) {
        needMrn.push(d);
        continue;
      }
      taken.add(mrn);
      out.set(d, { id: serverId(organizationId, 'Patient#source', d.sourceKey), mrn, existing: false, newLocalMrn: true });
    }
  }
  return out;
}

/** The patient row an imported Patient gives, or null with the issues when it lacks what a portal patient needs. */
export function patientRow(draft: EntryDraft, identity: PatientIdentity | undefined, issues: OutcomeIssue[]): PlannedPatient | null {
  const r = draft.resource as unknown as fhir4.Patient;
  const name = chosenName(r.name);
  const given = name?.given?.join(' ') ?? '';
  const family = name?.family ?? '';
  const before = issues.length;
  if (!identity) issues.push(issue('processing', 'No free medical record number could be drawn; import again.', `${draft.path}.resource`));
  if (!given || !family) issues.push(issue('required', 'A Patient needs a given and a family name.', `${draft.path}.resource.name`));
  if (!r.birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(r.birthDate)) {
    issues.push(issue('required', 'A Patient needs a full birthDate (YYYY-MM-DD).', `${draft.path}.resource.birthDate`));
  }
  if (!identity || issues.length > before || !r.birthDate) return null;
  const phone = r.telecom?.find((t) => t.system === 'phone')?.value ?? null;
  const address = r.address?.[0];
  const addressText = address
    ? (address.text ?? [...(address.line ?? []), address.city, address.state, address.postalCode].filter(Boolean).join(', '))
    : null;
  return {
    id: identity.id,
    mrn: identity.mrn,
    givenName: given,
    familyName: family,
    birthDate: r.birthDate,
    sex: r.gender ?? null,
    phone,
    address: addressText || null,
    existing: identity.existing,
    newLocalMrn: identity.newLocalMrn,
  };
}

/** The source id a Patient is also kept under (see sourceIdSystem), as a stored identifier. */
export function sourceIdIdentifier(sourceKey: string): string {
  return `${sourceIdSystem}|${sourceKey}`;
}
