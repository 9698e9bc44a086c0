import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../../db/client.ts';
import { departments, fhirResources, organizations, patients, staffDepartments } from '../../../db/schema/index.ts';
import type { RowFilter } from '../../access/access.policy.ts';
import { sensitiveRowFilterSql } from '../../access/access.scope.ts';
import { heldResultIdsSql } from '../result-release.ts';

/** What the download's cover and the FHIR Patient fallback print about the patient, with their organization's name. */
export async function findPatientHeader(db: Executor, patientId: string) {
  const [row] = await db
    .select({
      id: patients.id,
      organizationId: patients.organizationId,
      organizationName: organizations.name,
      mrn: patients.mrn,
      givenName: patients.givenName,
      familyName: patients.familyName,
      birthDate: patients.birthDate,
      sex: patients.sex,
      pcpId: patients.pcpId,
    })
    .from(patients)
    .innerJoin(organizations, eq(organizations.id, patients.organizationId))
    .where(eq(patients.id, patientId));
  return row;
}

/**
 * The zone the record is printed in: the department of the patient's PCP, else the organization's first department
 * (by name), else none. Every department stores an IANA zone (DESIGN.md: times carry their location's zone).
 */
export async function findRecordTimeZone(db: Executor, organizationId: string, pcpId: string | null): Promise<string | undefined> {
  if (pcpId) {
    const [pcp] = await db
      .select({ timeZone: departments.timeZone })
      .from(staffDepartments)
      .innerJoin(departments, eq(departments.id, staffDepartments.departmentId))
      .where(and(eq(staffDepartments.userId, pcpId), eq(departments.organizationId, organizationId)))
      .orderBy(asc(departments.name), asc(departments.id))
      .limit(1);
    if (pcp) return pcp.timeZone;
  }
  const [first] = await db
    .select({ timeZone: departments.timeZone })
    .from(departments)
    .where(eq(departments.organizationId, organizationId))
    .orderBy(asc(departments.name), asc(departments.id))
    .limit(1);
  return first?.timeZone;
}

const exportColumns = {
  id: fhirResources.id,
  resourceType: fhirResources.resourceType,
  versionId: fhirResources.versionId,
  lastUpdated: fhirResources.lastUpdated,
  resource: fhirResources.resource,
};

/** The patient's own stored Patient resource (the importer keeps its id equal to the patient's), if there is one. */
export async function findPatientResource(db: Executor, patientId: string) {
  const [row] = await db
    .select(exportColumns)
    .from(fhirResources)
    .where(and(eq(fhirResources.id, patientId), eq(fhirResources.patientId, patientId), eq(fhirResources.resourceType, 'Patient')));
  return row;
}

/**
 * The patient's stored resources with these ids, as stored (version and time included); always scoped to the patient
 * and to the reader's row filter (sensitive categories and confidential content hidden from them).
 */
export function findPatientResources(db: Executor, patientId: string, ids: readonly string[], filter: RowFilter) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select(exportColumns)
    .from(fhirResources)
    .where(
      and(
        eq(fhirResources.patientId, patientId),
        sql`${fhirResources.id} = any(${sql.param([...ids])}::uuid[])`,
        sensitiveRowFilterSql(filter, fhirResources),
      ),
    );
}

/** Which of the patient's stored resources with these ids the reader's row filter hides (lower-case ids). */
export async function findFilteredOutIds(db: Executor, patientId: string, ids: readonly string[], filter: RowFilter): Promise<Set<string>> {
  const condition = sensitiveRowFilterSql(filter, fhirResources);
  if (ids.length === 0 || condition === undefined) return new Set();
  const rows = await db
    .select({ id: fhirResources.id })
    .from(fhirResources)
    .where(
      and(eq(fhirResources.patientId, patientId), sql`${fhirResources.id} = any(${sql.param([...ids])}::uuid[])`, sql`not ${condition}`),
    );
  return new Set(rows.map((r) => r.id.toLowerCase()));
}

/** Directory resources (no patient) of these types and ids, of the organization only. */
export function findDirectoryResources(db: Executor, organizationId: string, types: readonly string[], ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select(exportColumns)
    .from(fhirResources)
    .where(
      and(
        eq(fhirResources.organizationId, organizationId),
        isNull(fhirResources.patientId),
        sql`${fhirResources.resourceType} = any(${sql.param([...types])}::text[])`,
        sql`${fhirResources.id} = any(${sql.param([...ids])}::uuid[])`,
      ),
    );
}

/** The ids (lower-case text) of the patient's results kept from them now: held ones and the members of held reports. */
export async function findHeldResultIds(db: Executor, patientId: string): Promise<Set<string>> {
  const rows = await queryRows<{ id: string }>(db, sql`select held.id from (${heldResultIdsSql(patientId)}) as held(id)`);
  return new Set(rows.map((r) => r.id.toLowerCase()));
}
