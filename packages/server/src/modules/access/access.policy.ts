import { isStaffRole, type Role } from '@portico/shared';

/** Who is asking: the signed-in user, as the policy sees them. */
export interface Actor {
  userId: string;
  role: Role;
  organizationId: string | null;
  /** The actor's own patient record, for patients. */
  patientId: string | null;
}

/** The patient whose data is touched, as much of them as the policy needs. */
export interface PatientRef {
  id: string;
  organizationId: string;
}

/** What is done to the data. */
export type PatientAction = 'read' | 'write';

/**
 * Which part of the record: roles see different parts (HIPAA minimum necessary, 164.502(b)). `preferences` are the
 * patient's own choices about their record (e.g. when results are released); `result_holds` are results kept back from
 * the patient and the holds themselves (21st Century Cures Act information-blocking exceptions, 45 CFR 171.201).
 */
export type DataCategory = 'demographics' | 'clinical' | 'appointments' | 'billing' | 'preferences' | 'result_holds' | 'messages';

/** The policy's answer, with a reason for the audit trail. */
export type Decision = { allow: true; reason: string } | { allow: false; reason: string };

type Grants = Partial<Record<DataCategory, readonly PatientAction[]>>;
const rw = ['read', 'write'] as const;
const r = ['read'] as const;

/** What each organization role may do to its organization's patients. */
const staffGrants: Partial<Record<Role, Grants>> = {
  clinician: { demographics: rw, clinical: rw, appointments: rw, billing: r, preferences: r, result_holds: rw, messages: rw },
  nurse: { demographics: rw, clinical: rw, appointments: rw, preferences: r, result_holds: r, messages: rw },
  front_desk: { demographics: rw, appointments: rw, messages: rw },
  billing: { demographics: r, billing: rw, messages: rw },
  admin: { demographics: r },
};

/** What a patient may do to their own record. */
const ownGrants: Grants = { demographics: r, clinical: r, appointments: rw, billing: rw, preferences: rw, messages: rw };

/** The patient is the actor themself. */
export function isOwnRecord(actor: Actor, patient: PatientRef): boolean {
  return actor.role === 'patient' && actor.patientId !== null && actor.patientId === patient.id;
}

/** The actor is staff or admin of the patient's organization. */
export function isOfSameOrganization(actor: Actor, patient: PatientRef): boolean {
  return (isStaffRole(actor.role) || actor.role === 'admin') && actor.organizationId === patient.organizationId;
}

/** The role's grants include this action on this category. */
export function isAllowedByGrants(grants: Grants | undefined, action: PatientAction, category: DataCategory): boolean {
  return grants?.[category]?.includes(action) ?? false;
}

/** The one access decision every read or write of patient data passes through (DESIGN.md "Access"). */
export function decide(actor: Actor, patient: PatientRef, action: PatientAction, category: DataCategory): Decision {
  if (isOwnRecord(actor, patient)) {
    return isAllowedByGrants(ownGrants, action, category)
      ? { allow: true, reason: 'own_record' }
      : { allow: false, reason: 'own_record_action_not_allowed' };
  }
  if (isOfSameOrganization(actor, patient)) {
    return isAllowedByGrants(staffGrants[actor.role], action, category)
      ? { allow: true, reason: `organization_${actor.role}` }
      : { allow: false, reason: `role_${actor.role}_lacks_${category}_${action}` };
  }
  return { allow: false, reason: 'no_relationship' };
}

/** Whether a role may search the organization's patient list at all. */
export function canSearchPatients(actor: Actor): boolean {
  return actor.organizationId !== null && isAllowedByGrants(staffGrants[actor.role], 'read', 'demographics');
}

/** Whether the actor may load records from an EHR feed (FHIR Bundles) into their organization: its administrators only. */
export function canImportRecords(actor: Actor): boolean {
  return actor.role === 'admin' && actor.organizationId !== null;
}

/**
 * Care-team messages: staff with the `messages` grant see a thread only when they belong to the thread's pool (its
 * department); the patient sees their own. `poolIds` are the departments the actor belongs to (staff_departments).
 */
export function isMemberOfPool(actor: Actor, departmentId: string, poolIds: ReadonlySet<string>): boolean {
  return isStaffRole(actor.role) && poolIds.has(departmentId);
}
