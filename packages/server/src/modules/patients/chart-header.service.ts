import type { ChartHeader } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { ageOn, utcDay, type Actor } from '../access/access.policy.ts';
import { withPatientAccess } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import { findResourcesOfTypes } from '../record/record.repository.ts';
import { toAllergyItem, type StoredResource } from '../record/record-view.ts';
import { findPatientListItem } from './chart-header.repository.ts';

/** How many active allergies the header names; the rest are counted ("and 2 more"). */
const listedAllergies = 5;
/** How many allergy resources the header reads at most (a record with more still reads in one bounded query). */
const allergyReadLimit = 200;
/** SNOMED CT 716186003 "No known allergy": the record's statement that the patient has none (FHIR R4 AllergyIntolerance). */
const noKnownAllergyCode = { system: 'http://snomed.info/sct', code: '716186003' };
/** Criticality, highest first (FHIR R4 allergy-intolerance-criticality). */
const criticalityRank: Record<string, number> = { high: 0, 'unable-to-assess': 1, low: 2 };

/** Whole months between a birth date and a day (both YYYY-MM-DD): an infant's age. */
export function monthsOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return Math.max(0, (ty - by) * 12 + (tm - bm) - (td < bd ? 1 : 0));
}

/** Whether an AllergyIntolerance says "no known allergy" rather than naming one. */
function isNoKnownAllergy(row: StoredResource): boolean {
  const resource = row.resource as { code?: { coding?: { system?: string; code?: string }[] } };
  return (resource.code?.coding ?? []).some((c) => c.system === noKnownAllergyCode.system && c.code === noKnownAllergyCode.code);
}

/**
 * The header's allergy line from the record's AllergyIntolerance resources: the active ones (neither refuted nor
 * entered in error, clinical status active or not given), most critical first, then newest; "no known allergies" only
 * when the record says so; "not recorded" otherwise, resolved allergies alone included (nobody said there are none now).
 */
export function summarizeAllergies(rows: readonly StoredResource[]): NonNullable<ChartHeader['allergies']> {
  const active = rows.flatMap((row) => {
    if (isNoKnownAllergy(row)) return [];
    const item = toAllergyItem(row);
    return item && (item.clinicalStatus === 'active' || item.clinicalStatus === 'unknown') ? [item] : [];
  });
  if (active.length === 0) {
    const noneKnown = rows.some((row) => isNoKnownAllergy(row) && toAllergyItem(row)?.clinicalStatus !== 'inactive');
    return { status: noneKnown ? 'none_known' : 'not_recorded', items: [], more: 0 };
  }
  // Rows come newest first; a stable sort by criticality keeps that order within each level.
  const ranked = [...active].sort((a, b) => (criticalityRank[a.criticality ?? ''] ?? 3) - (criticalityRank[b.criticality ?? ''] ?? 3));
  return {
    status: 'recorded',
    items: ranked.slice(0, listedAllergies).map((a) => ({ id: a.id, substance: a.substance, criticality: a.criticality })),
    more: Math.max(0, ranked.length - listedAllergies),
  };
}

/**
 * GET /api/patients/:id/chart-header (issue 10 §5.5): who the chart is of, their age today (UTC day, as the policy
 * computes ages) and, for readers of clinical data, their allergies; one audited read naming the categories it read.
 */
export function getChartHeader(db: Database, actor: Actor, audit: AuditContext, patientId: string, now = new Date()): Promise<ChartHeader> {
  const request = {
    patientId,
    action: 'read' as const,
    categories: ['demographics' as const, 'clinical' as const],
    auditAction: 'patient.chart.header.read',
  };
  return withPatientAccess(db, actor, audit, request, async (tx, grant) => {
    const patient = await findPatientListItem(tx, patientId);
    if (!patient) throw new Error('the patient vanished between the policy and the read');
    const today = utcDay(now);
    const allergies = grant.allowed.has('clinical')
      ? summarizeAllergies(
          await findResourcesOfTypes(
            tx,
            { patientId, filter: grant.filter },
            ['AllergyIntolerance'],
            { except: ['entered-in-error'] },
            allergyReadLimit,
          ),
        )
      : null;
    return { patient, age: { years: ageOn(patient.birthDate, today), months: monthsOn(patient.birthDate, today) }, allergies };
  });
}
