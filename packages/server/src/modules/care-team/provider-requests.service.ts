import { isTeen } from '../access/ages.ts';
import { sensitiveCategoryNames, type ProviderRequestView, type SensitiveCategoryName } from '@portico/shared';
import { AppError, notFound } from '../../errors.ts';
import { actsForPatient, type Actor } from '../access/access.policy.ts';
import { withAuditedPatientAccess } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { notAManager } from './care-team-access.ts';
import { isPatientRequest, listPatientRequests } from './care-team.repository.ts';
import { approveNonPcpRequest, denyOutsideRequest } from './request-decisions.ts';

/**
 * The patient's side answers an outside provider's non-PCP request (issue 12 §2: "sent to the patient or guardian, who
 * approves or denies it in their portal"): the patient, or a proxy who may change the patient's settings (a guardian
 * answers for a child). Staff, who may read the patient's settings, answer 404: the organization's support team
 * answers the requests routed to it from its own console.
 */
function patientSideRequest(actor: Actor, patientId: string, action: 'read' | 'write', auditAction: string, requestId?: string) {
  return {
    patientId,
    action,
    categories: ['preferences' as const],
    auditAction,
    ...(requestId ? { auditDetails: { requestId } } : {}),
  };
}

/** GET /api/patients/:id/provider-requests: the pending non-PCP requests routed to the patient, oldest first. */
export function listProviderRequests(deps: AuthDeps, actor: Actor, audit: AuditContext, patientId: string): Promise<ProviderRequestView[]> {
  const request = patientSideRequest(actor, patientId, 'read', 'outside_request.list');
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
    if (!actsForPatient(actor, patient)) throw notAManager('patient_side_only');
    const rows = await listPatientRequests(tx, patient);
    return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
  });
}

/**
 * POST .../provider-requests/:requestId/approve: the provider gets an approved-request grant reading the chart, with
 * the sensitive categories consented here (none by default). The consent is the patient's: a proxy may give it only for
 * a patient without an account of their own (a child), as on the Sharing and privacy page.
 */
export async function approveProviderRequest(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  requestId: string,
  categories: readonly SensitiveCategoryName[] = [],
): Promise<void> {
  const chosen = sensitiveCategoryNames.filter((c) => categories.includes(c));
  const request = patientSideRequest(actor, patientId, 'write', 'outside_request.approve', requestId);
  await withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient, _allowed, grant) => {
    if (!actsForPatient(actor, patient)) throw notAManager('patient_side_only');
    if (!(await isPatientRequest(tx, patient.id, requestId))) throw notFound('The request');
    // A proxy consents only for a child without an account of their own: never for a 12-17 year old, whose sensitive
    // categories are hidden from the guardian themself (issue 11 §1).
    if (chosen.length > 0 && grant.via !== 'own_record' && (patient.userId !== null || isTeen(patient)))
      throw new AppError(403, 'own_consent', 'Only the patient can choose which sensitive information this provider may see.');
    const { grantId } = await approveNonPcpRequest(tx, deps, { requestId, decidedBy: actor.userId, sensitiveCategories: chosen });
    Object.assign(request.auditDetails ?? {}, { grantId, sensitiveCategories: chosen });
  });
  deps.kickMail();
}

/** POST .../provider-requests/:requestId/deny: the request is closed with the optional note; the provider keeps no access. */
export async function denyProviderRequest(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  requestId: string,
  note: string | undefined,
): Promise<void> {
  const request = patientSideRequest(actor, patientId, 'write', 'outside_request.deny', requestId);
  await withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
    if (!actsForPatient(actor, patient)) throw notAManager('patient_side_only');
    if (!(await isPatientRequest(tx, patient.id, requestId))) throw notFound('The request');
    await denyOutsideRequest(tx, deps, { requestId, decidedBy: actor.userId, note: note?.trim() || null });
  });
}
