import { queueSignInNotice } from '../mail/sign-in-notice.ts';
import type { SensitiveCategory } from '@portico/fhir';
import type { Executor } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { findPatientMailContext, setSensitiveCategories } from '../proxies/proxies.repository.ts';
import { decideOutsideRequest, insertOutsideGrant, lockOutsideGrant, lockOutsideRequest } from './care-team.repository.ts';

/** 409 for a request already approved, denied or cancelled (a second decider, a retried click). */
export const requestNotPending = () => new AppError(409, 'request_not_pending', 'This request was already approved, denied or cancelled.');

/** The request, locked; 404 when there is none, 409 when it is no longer pending. */
async function pendingRequest(tx: Executor, requestId: string) {
  const row = await lockOutsideRequest(tx, requestId);
  if (!row) throw notFound('The request');
  if (row.status !== 'pending') throw requestNotPending();
  return row;
}

/**
 * Approves an outside provider's non-PCP request (issue 12 §2), in the caller's transaction: the provider gets an
 * `approved_request` grant reading the chart (demographics, the record, appointments) with the sensitive categories
 * the decider consented to, or the one already in force is reused (its consent widened by these); the request records
 * the decision; the provider is emailed, in their language, that a patient's record is open to them (no patient data).
 * The caller authorizes the decider (the patient's side or the support team), audits, and nudges the mail after commit.
 */
export async function approveNonPcpRequest(
  tx: Executor,
  deps: AuthDeps,
  args: { requestId: string; decidedBy: string; note?: string | null; sensitiveCategories?: readonly SensitiveCategory[] },
): Promise<{ grantId: string }> {
  const request = await pendingRequest(tx, args.requestId);
  if (request.kind !== 'non_pcp') throw new AppError(400, 'bad_request', 'Only a non-PCP request gives access when approved.');
  const chosen = [...new Set(args.sensitiveCategories ?? [])];
  const existing = await lockOutsideGrant(tx, request.requesterUserId, request.patientId, 'approved_request');
  let grantId: string;
  if (existing) {
    grantId = existing.id;
    const widened = [...new Set([...existing.sensitiveCategories, ...chosen])];
    if (widened.length !== existing.sensitiveCategories.length) await setSensitiveCategories(tx, grantId, widened);
  } else {
    grantId = await insertOutsideGrant(tx, {
      kind: 'approved_request',
      granteeUserId: request.requesterUserId,
      patientId: request.patientId,
      grantedBy: args.decidedBy,
      sensitiveCategories: chosen,
      reason: request.reason,
    });
  }
  await decideOutsideRequest(tx, request.id, {
    status: 'approved',
    decidedBy: args.decidedBy,
    decidedAt: new Date(),
    note: args.note ?? null,
    grantId,
  });
  await queueGrantedEmail(tx, deps, request.requesterUserId, request.patientId, request.id);
  return { grantId };
}

/**
 * Denies an outside provider's request (either kind), in the caller's transaction: the request records the decision
 * and the note. The provider is not emailed (they see the request's status in MyPatients). The caller authorizes and audits.
 */
export async function denyOutsideRequest(
  tx: Executor,
  _deps: AuthDeps,
  args: { requestId: string; decidedBy: string; note?: string | null },
): Promise<void> {
  const request = await pendingRequest(tx, args.requestId);
  await decideOutsideRequest(tx, request.id, {
    status: 'denied',
    decidedBy: args.decidedBy,
    decidedAt: new Date(),
    note: args.note ?? null,
    grantId: null,
  });
}

/** "You were granted access to a patient's record in MyPatients": the organization and a link, never the patient. */
async function queueGrantedEmail(tx: Executor, deps: AuthDeps, providerUserId: string, patientId: string, requestId: string) {
  const context = await findPatientMailContext(tx, patientId);
  await queueSignInNotice(tx, deps.config.publicUrl, {
    userId: providerUserId,
    organizationName: context?.organizationName ?? '',
    subject: 'notify.outsideAccessGranted.subject',
    text: 'notify.outsideAccessGranted.text',
    path: '/sign-in',
    eventKey: `outside-request-approved:${requestId}`,
  });
}
