import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { patients } from '../../db/schema/index.ts';
import {
  grantAccess,
  isAllowedByGrants,
  nonClinicalTopics,
  ownRecordAllows,
  staffRoleAllows,
  type Actor,
  type DataCategory,
  type PatientAction,
  type RowFilter,
} from './access.policy.ts';
import { outsideGrantKinds, practiceAllows, practiceOrganizationsOf } from './practice-access.ts';

/** The patient columns the scope reads: a table or an alias of `patients`. */
export interface PatientColumns {
  id: AnyColumn | SQL;
  organizationId: AnyColumn | SQL;
  birthDate: AnyColumn | SQL;
  userId: AnyColumn | SQL;
  pcpId: AnyColumn | SQL;
}

/**
 * The one list rule (DESIGN.md "Access"): a condition on a patients row that holds exactly when `decide(actor, that
 * patient, action, category)` allows. Every list of patients or patient data filters by it; a property test keeps the
 * two in step. `now` fixes the day ages are computed on, as in `decide`.
 */
export function patientScopeSql(
  actor: Actor,
  action: PatientAction,
  category: DataCategory,
  p: PatientColumns = patients,
  now = new Date(),
): SQL {
  const parts: SQL[] = [];
  if (actor.ownPatientId !== null && ownRecordAllows(action, category)) parts.push(sql`${p.id} = ${actor.ownPatientId}::uuid`);
  const organizations = actor.memberships
    .filter((m) => m.kind === 'staff' && staffRoleAllows(m.role, action, category))
    .map((m) => m.organizationId);
  if (organizations.length > 0) parts.push(sql`${p.organizationId} = any(${sql.param(organizations)}::uuid[])`);
  // An outside practice: its organization's patients whose PCP is one of its physicians (practice-access.ts).
  if (practiceAllows(action, category))
    for (const m of actor.memberships) {
      const physicians = m.kind === 'practice' ? (m.practice?.physicianIds ?? []) : [];
      if (physicians.length > 0)
        parts.push(sql`(${p.organizationId} = ${m.organizationId}::uuid and ${p.pcpId} = any(${sql.param([...physicians])}::uuid[]))`);
    }
  const plain: string[] = [];
  // An outside provider's own grants count only in the organizations where they belong to a practice (practice-access.ts).
  const outside: string[] = [];
  const practiceOrganizations = practiceOrganizationsOf(actor);
  for (const grant of actor.grants) {
    // Age only decides whether a proxy grant applies at all; the categories do not depend on it (asked as of a newborn).
    if (!isAllowedByGrants(grantAccess(grant, { birthDate: '2000-01-01', userId: null }, '2000-01-01'), action, category)) continue;
    // A legal representative is not ended by the age rules (grantAccess), so its patient is in scope at any age.
    if (outsideGrantKinds.includes(grant.kind)) {
      outside.push(grant.patientId);
      continue;
    }
    if (grant.kind !== 'proxy' || grant.relationship === 'legal_representative') {
      plain.push(grant.patientId);
      continue;
    }
    // A proxy ends at the patient's 18th birthday, on the organization's calendar day, unless the patient granted it themself.
    const grantedByPatient = grant.grantedBy === null ? sql`false` : sql`${p.userId} is not distinct from ${grant.grantedBy}::uuid`;
    parts.push(
      sql`(${p.id} = ${grant.patientId}::uuid and (${grantedByPatient} or ${p.birthDate} > ${organizationDaySql(p, now)} - interval '18 years'))`,
    );
  }
  if (plain.length > 0) parts.push(sql`${p.id} = any(${sql.param(plain)}::uuid[])`);
  if (outside.length > 0 && practiceOrganizations.length > 0)
    parts.push(
      sql`(${p.id} = any(${sql.param(outside)}::uuid[]) and ${p.organizationId} = any(${sql.param(practiceOrganizations)}::uuid[]))`,
    );
  if (parts.length === 0) return sql`false`;
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** `now`'s calendar day in the patient's organization's zone, as `dayInZone` computes it for `decide`. */
function organizationDaySql(p: PatientColumns, now: Date): SQL {
  return sql`((${now.toISOString()}::timestamptz at time zone (select o.time_zone from organizations o where o.id = ${p.organizationId}))::date)`;
}

/** The patients columns under the alias the subquery below gives the table. */
const scoped = {
  id: sql.raw('scope_patient.id'),
  organizationId: sql.raw('scope_patient.organization_id'),
  birthDate: sql.raw('scope_patient.birth_date'),
  userId: sql.raw('scope_patient.user_id'),
  pcpId: sql.raw('scope_patient.pcp_id'),
};

/** `column in (patients the actor may act on)`: the scope for tables keyed by patient_id (threads, appointments, resources). */
export function patientIdInScopeSql(
  actor: Actor,
  action: PatientAction,
  category: DataCategory,
  column: AnyColumn | SQL,
  now = new Date(),
): SQL {
  return sql`${column} in (select scope_patient.id from ${patients} as scope_patient where ${patientScopeSql(actor, action, category, scoped, now)})`;
}

/** Resource columns the row filter reads. */
export interface SensitiveColumn {
  sensitiveCategory: AnyColumn | SQL;
  confidential: AnyColumn | SQL;
}

/**
 * The row filter as SQL for FHIR resources: rows of a sensitive category hidden from the actor are left out, and rows
 * marked confidential unless the actor sees them. Undefined when nothing is hidden, so it drops into drizzle's `and(...)`.
 */
export function sensitiveRowFilterSql(filter: RowFilter, columns: SensitiveColumn): SQL | undefined {
  const parts: SQL[] = [];
  if (filter.hiddenSensitive.length > 0)
    parts.push(
      sql`(${columns.sensitiveCategory} is null or not (${columns.sensitiveCategory} = any(${sql.param([...filter.hiddenSensitive])}::text[])))`,
    );
  if (!filter.seesConfidential) parts.push(sql`not ${columns.confidential}`);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` and `)})`;
}

/** The row filter as SQL for message threads: front desk and billing see no clinical topics. */
export function threadTopicFilterSql(filter: RowFilter, topicColumn: AnyColumn | SQL): SQL | undefined {
  if (filter.seesClinicalThreads) return undefined;
  return sql`${topicColumn} = any(${sql.param([...nonClinicalTopics])}::text[])`;
}

/** The row filter as SQL for message threads: a thread the teen kept private only for readers who see confidential content. */
export function confidentialThreadFilterSql(filter: RowFilter, confidentialColumn: AnyColumn | SQL): SQL | undefined {
  return filter.seesConfidential ? undefined : sql`not ${confidentialColumn}`;
}

/** The row filter as SQL for messages: internal care-team notes only for readers who see them. */
export function internalNotesFilterSql(filter: RowFilter, internalColumn: AnyColumn | SQL): SQL | undefined {
  return filter.seesInternalNotes ? undefined : sql`not ${internalColumn}`;
}
