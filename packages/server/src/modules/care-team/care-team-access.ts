import { notFound } from '../../errors.ts';
import {
  actsForPatient,
  decide,
  staffMembershipIn,
  type Actor,
  type DataCategory,
  type PatientAction,
  type PatientRef,
} from '../access/access.policy.ts';
import { Refusal, type PatientAccessRequest } from '../access/access.service.ts';

/**
 * Who manages a patient's outside providers (issue 12 §2), by the one policy:
 * - the patient's side: the patient, or a proxy acting for them, who may change the patient's settings (`preferences`
 *   write). A guardian of a 12-17 year old may too: the care team is not confidential (it names clinicians, never what
 *   the teen told them), and every outside provider's grant hides what the teen marked confidential and every
 *   sensitive category the patient did not consent to (practice-access.ts), so the guardian opens nothing of the
 *   teen's through it;
 * - staff of the patient's organization at scheduling or check-in: front desk, nurses and clinicians, who may change
 *   the patient's demographics (`demographics` write, HIPAA minimum necessary: billing and administrators read them).
 */
export function managesCareTeam(actor: Actor, patient: PatientRef, now: Date = new Date()): boolean {
  if (actsForPatient(actor, patient)) return decide(actor, patient, 'write', 'preferences', now).allow;
  const staff = decide(actor, patient, 'write', 'demographics', now);
  return staff.allow && staff.via === 'organization_staff';
}

/**
 * Who issues, lists and revokes a patient's tokens for outside providers: whoever manages the care team, and the
 * organization's administrators (who hold the proxy console with the front desk) through the patient's chart.
 */
export function issuesProviderTokens(actor: Actor, patient: PatientRef, now: Date = new Date()): boolean {
  if (managesCareTeam(actor, patient, now)) return true;
  const read = decide(actor, patient, 'read', 'demographics', now);
  return read.allow && read.via === 'organization_staff' && staffMembershipIn(actor, patient.organizationId)?.role === 'admin';
}

/**
 * The policy request of a patient-side or staff operation on outside providers: the patient's settings for the patient's
 * side, the patient's demographics for staff (read for `staffAction: 'read'`, which the work then narrows with
 * `managesCareTeam` or `issuesProviderTokens`).
 */
export function outsideProvidersRequest(
  actor: Actor,
  patientId: string,
  auditAction: string,
  options: { staffAction?: PatientAction; auditDetails?: Record<string, unknown> } = {},
): PatientAccessRequest {
  const patientSide = actsForPatient(actor, { id: patientId });
  const category: DataCategory = patientSide ? 'preferences' : 'demographics';
  const action: PatientAction = patientSide ? 'write' : (options.staffAction ?? 'write');
  return {
    patientId,
    action,
    categories: [category],
    auditAction,
    ...(options.auditDetails ? { auditDetails: options.auditDetails } : {}),
  };
}

/** The 404 of a record out of reach, for a reader the policy allows who does not manage this (a billing clerk, a provider). */
export const notAManager = (reason = 'manages_outside_providers_only'): Refusal => new Refusal('denied', reason, notFound('The patient'));
