/** Renewing a prescription in the FHIR record: the new MedicationRequest and the old one's completed version (pure). */
import { hasRestrictedConfidentiality, searchColumns, sensitiveCategoryOf, type SensitiveCategory } from '@portico/fhir';
import { sensitiveCategories } from '../../db/schema/index.ts';
import type { PlannedEntry } from '../fhir-import/bundle-plan.ts';

/** A stored MedicationRequest row as the approval reads it (fhir_resources with every column). */
export interface StoredMedicationRequest {
  id: string;
  patientId: string | null;
  encounterId: string | null;
  sensitiveCategory: string | null;
  resource: unknown;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asSensitiveCategory(value: string | null): SensitiveCategory | null {
  return sensitiveCategories.find((c) => c === value) ?? null;
}

/** The store's row for a resource, with the columns the importer would derive (searchColumns, sensitiveCategoryOf). */
function toEntry(
  resource: Record<string, unknown> & { id: string; resourceType: string },
  patientId: string,
  keep: { encounterId: string | null; sensitiveCategory: SensitiveCategory | null },
): PlannedEntry {
  const typed = resource as unknown as fhir4.Resource;
  const columns = searchColumns(typed);
  return {
    index: 0,
    id: resource.id,
    resourceType: resource.resourceType,
    patientId,
    encounterId: keep.encounterId,
    resource,
    category: columns.category,
    code: columns.code,
    effectiveAt: columns.effectiveAt,
    status: columns.status,
    identifiers: columns.identifiers,
    sensitiveCategory: sensitiveCategoryOf(typed) ?? keep.sensitiveCategory,
    confidential: hasRestrictedConfidentiality(typed),
    matchedExisting: false,
  };
}

/**
 * A clinician renews a prescription (FHIR R4 MedicationRequest): a new order, active, authored now, that names the old
 * one as its `priorPrescription`, with the same medication, directions, reason and patient, requested by the approving
 * clinician; and the old order as a new version with status `completed`. The old one's security labels carry over, so
 * a sensitive prescription stays sensitive. Returns both rows for upsertResources, in id order (its locking order).
 */
export function renewalEntries(
  old: StoredMedicationRequest,
  patientId: string,
  renewal: { id: string; requester: string; authoredOn: Date },
): PlannedEntry[] {
  const previous = asObject(old.resource);
  const security = asObject(previous.meta).security;
  const copied: Record<string, unknown> = {};
  for (const element of ['medicationCodeableConcept', 'medicationReference', 'dosageInstruction', 'reasonCode', 'reasonReference']) {
    if (previous[element] !== undefined) copied[element] = previous[element];
  }
  const renewed = {
    resourceType: 'MedicationRequest',
    id: renewal.id,
    ...(Array.isArray(security) && security.length > 0 ? { meta: { security } } : {}),
    status: 'active',
    intent: 'order',
    ...copied,
    subject: previous.subject ?? { reference: `Patient/${patientId}` },
    authoredOn: renewal.authoredOn.toISOString(),
    requester: { display: renewal.requester },
    priorPrescription: { reference: `MedicationRequest/${old.id}` },
  };
  const completed = { ...previous, resourceType: 'MedicationRequest', id: old.id, status: 'completed' };
  const stored = asSensitiveCategory(old.sensitiveCategory);
  return [
    toEntry(renewed, patientId, { encounterId: null, sensitiveCategory: stored }),
    toEntry(completed, patientId, { encounterId: old.encounterId, sensitiveCategory: stored }),
  ];
}
