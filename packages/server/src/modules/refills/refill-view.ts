/** Refill requests and medications in the contract's shapes (packages/shared/src/api/messaging.ts). */
import { referenceTarget } from '@portico/fhir';
import { messagingLimits, type RefillView } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { ownRecordRowFilter, type PatientRef, type RowFilter } from '../access/access.policy.ts';
import { findReferencedResources } from '../record/record.repository.ts';
import { nameOfResource, referencesToName, toMedicationItem, type StoredResource } from '../record/record-view.ts';
import { findMedicationRequestsByIds, type RefillRow } from './refills.repository.ts';

/** A medication as the refill pages show it. */
export interface RefillMedication {
  id: string;
  name: string;
  directions: string | null;
  prescriber: string | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Medications in words: name (codeableText, or the referenced Medication's name), directions (dosageText) and
 * prescriber (the requester's display, or the referenced practitioner's name), looked up in one query.
 */
export async function describeMedications(db: Executor, patient: PatientRef, rows: StoredResource[]): Promise<RefillMedication[]> {
  const ids = new Set<string>();
  for (const row of rows) {
    for (const reference of referencesToName(row)) {
      const id = referenceTarget(reference)?.id;
      if (id && uuidPattern.test(id)) ids.add(id.toLowerCase());
    }
  }
  const names = new Map<string, string>();
  for (const target of await findReferencedResources(db, patient.organizationId, patient.id, [...ids])) {
    const name = nameOfResource(target.resourceType, target.resource);
    if (name) names.set(target.id, name);
  }
  return rows.map((row) => {
    const item = toMedicationItem(row, names);
    return { id: item.id, name: item.name, directions: item.directions, prescriber: item.prescriber };
  });
}

/**
 * Refill requests as patient and staff see them; the medications of all of them are read in one query. Given the
 * reader's row filter, a medication it hides is never named (lists leave such a request out first: refillVisibleSql);
 * without one, every medication is, as the patient sees them: for a caller that already showed the reader the thread.
 */
export async function toRefillViews(db: Executor, patient: PatientRef, rows: RefillRow[], filter?: RowFilter): Promise<RefillView[]> {
  const ids = [...new Set(rows.flatMap((r) => r.medicationIds))];
  const found = await findMedicationRequestsByIds(db, patient.id, ids, filter ?? ownRecordRowFilter);
  const medications = await describeMedications(db, patient, found);
  const byId = new Map(medications.map((m) => [m.id, m]));
  return rows.map((row) => ({
    id: row.id,
    status: row.status === 'approved' || row.status === 'denied' ? row.status : 'requested',
    medications: row.medicationIds.flatMap((id) => {
      const m = byId.get(id);
      return m ? [{ id: m.id, name: m.name, directions: m.directions }] : [];
    }),
    pharmacy: row.pharmacy,
    note: row.note,
    denialReason: row.denialReason,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    threadId: row.threadId,
  }));
}

/** The patient's first message of a refill thread: which medicines, in words, where to send them, and their note. */
export function refillRequestMessage(
  medications: RefillMedication[],
  pharmacy: { name: string; address: string; phone: string | null },
  note: string | null,
): string {
  const lines = ['Please renew these prescriptions:', ...medications.map((m) => `- ${m.name}${m.directions ? ` (${m.directions})` : ''}`)];
  lines.push('', `Pharmacy: ${pharmacy.name}, ${pharmacy.address}${pharmacy.phone ? `, ${pharmacy.phone}` : ''}`);
  if (note) lines.push('', `Note: ${note}`);
  // Cut by code points (the database's length), never inside a surrogate pair.
  return [...lines.join('\n')].slice(0, messagingLimits.bodyMaxLength).join('');
}
