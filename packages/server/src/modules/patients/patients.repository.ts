import { aliasedTable, and, asc, desc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { appointments, departments, fhirResources, patients, users } from '../../db/schema/index.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { resourceRowFilterSql } from '../record/result-release.ts';

const pcp = aliasedTable(users, 'pcp');
const clinician = aliasedTable(users, 'clinician');

const listColumns = {
  id: patients.id,
  mrn: patients.mrn,
  givenName: patients.givenName,
  familyName: patients.familyName,
  birthDate: patients.birthDate,
  sex: patients.sex,
  pcpName: pcp.displayName,
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Turns what was typed into a condition: a birth date, an MRN, or name prefixes (each word matches a name part). */
export function searchCondition(q: string): SQL | undefined {
  const text = q.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return eq(patients.birthDate, text);
  if (/^\d+$/.test(text)) return eq(patients.mrn, text);
  const words = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .slice(0, 4);
  return and(...words.map((w) => or(ilike(patients.givenName, `${escapeLike(w)}%`), ilike(patients.familyName, `${escapeLike(w)}%`))));
}

/** Patients of an organization matching a search, scope applied in SQL (STYLE.md: lists filtered by the policy in SQL). */
/** Patients matching a search, among those the scope (patientScopeSql) lets the searcher see. */
export function searchPatients(db: Executor, scope: SQL, q: string, limit: number) {
  return db
    .select(listColumns)
    .from(patients)
    .leftJoin(pcp, eq(pcp.id, patients.pcpId))
    .where(and(scope, searchCondition(q)))
    .orderBy(asc(patients.familyName), asc(patients.givenName), asc(patients.birthDate))
    .limit(limit);
}

/** One patient's list fields. */
export async function findPatientListItem(db: Executor, patientId: string) {
  const [row] = await db.select(listColumns).from(patients).leftJoin(pcp, eq(pcp.id, patients.pcpId)).where(eq(patients.id, patientId));
  return row;
}

/** The patient's next booked visit. */
export async function findNextAppointment(db: Executor, patientId: string, now: Date) {
  const [row] = await db
    .select({
      id: appointments.id,
      startAt: appointments.startAt,
      endAt: appointments.endAt,
      timeZone: appointments.timeZone,
      visitType: appointments.visitType,
      status: appointments.status,
      clinicianName: clinician.displayName,
      departmentName: departments.name,
      locationAddress: departments.address,
    })
    .from(appointments)
    .innerJoin(departments, eq(departments.id, appointments.departmentId))
    .leftJoin(clinician, eq(clinician.id, appointments.clinicianId))
    .where(
      and(eq(appointments.patientId, patientId), gt(appointments.startAt, now), inArray(appointments.status, ['scheduled', 'checked_in'])),
    )
    .orderBy(asc(appointments.startAt))
    .limit(1);
  return row;
}

/**
 * The newest laboratory Observations of a patient (the patient/type/category/date index), held ones left out unless the
 * reader may see held results: the home page obeys the same release rules as the results list.
 */
export function findRecentLabResults(db: Executor, patientId: string, limit: number, filter: RowFilter) {
  return db
    .select({
      id: fhirResources.id,
      resourceType: fhirResources.resourceType,
      resource: fhirResources.resource,
      effectiveAt: fhirResources.effectiveAt,
    })
    .from(fhirResources)
    .where(
      and(
        eq(fhirResources.patientId, patientId),
        eq(fhirResources.resourceType, 'Observation'),
        eq(fhirResources.category, 'laboratory'),
        sql`${fhirResources.effectiveAt} is not null`,
        resourceRowFilterSql(filter, patientId),
      ),
    )
    .orderBy(desc(fhirResources.effectiveAt), desc(fhirResources.id))
    .limit(limit);
}
