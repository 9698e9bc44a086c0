/**
 * Outside providers' requests routed to the support team (issue 12 §2, §3): PCP update requests (support records the
 * family's verbal confirmation and updates the patient's PCP, 2-3 business days) and, where the organization chose so,
 * non-PCP requests. Support reads the patient's name, MRN and birth date to find the record: each row shown is an
 * audited read of that patient.
 */
import { queueSignInNotice } from '../mail/sign-in-notice.ts';
import { supportLimits, type SupportAccessRequestView } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { decideOutsideRequest, lockOutsideRequest } from '../care-team/care-team.repository.ts';
import { approveNonPcpRequest, denyOutsideRequest, requestNotPending } from '../care-team/request-decisions.ts';
import { findOrganizationName } from '../provider-registrations/provider-registrations.repository.ts';
import { addBusinessDays } from './business-days.ts';
import { decideAudited, supportOrganization } from './support-access.ts';
import {
  findActivePracticeMembership,
  findOrganizationZone,
  findRoutedRequest,
  listPracticePhysicians,
  listRoutedRequests,
  setPatientPcp,
  type RoutedRequestRow,
} from './support.repository.ts';

type Physician = Awaited<ReturnType<typeof listPracticePhysicians>>[number];

function viewOf(row: RoutedRequestRow, timeZone: string, physicians: readonly Physician[]): SupportAccessRequestView {
  const role = row.requesterRole === 'outside_provider' || row.requesterRole === 'sponsored_staff' ? row.requesterRole : null;
  return {
    id: row.id,
    kind: row.kind === 'pcp' ? 'pcp' : 'non_pcp',
    status: row.status as SupportAccessRequestView['status'],
    reason: row.reason,
    createdAt: row.createdAt.toISOString(),
    dueAt: addBusinessDays(row.createdAt, supportLimits.pcpUpdateBusinessDays, timeZone).toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionNote: row.decisionNote,
    provider: {
      userId: row.requesterUserId,
      name: row.requesterName,
      credentials: row.requesterCredentials,
      npi: row.requesterNpi,
      email: row.requesterEmail,
      role,
      practiceId: row.practiceId,
      practiceName: row.practiceName,
    },
    patient: {
      id: row.patientId,
      givenName: row.patientGivenName,
      familyName: row.patientFamilyName,
      mrn: row.patientMrn,
      birthDate: row.patientBirthDate,
    },
    physicians: physicians
      .filter((p) => p.practiceId === row.practiceId)
      .map((p) => ({ userId: p.userId, name: p.name, credentials: p.credentials, npi: p.npi })),
  };
}

/**
 * GET /api/support/access-requests?kind=&status=: the organization's requests of a kind routed to support, oldest
 * first, with the provider, the patient and the clock (created + 3 business days). The list read and each patient
 * shown are audited in the same transaction.
 */
export async function listSupportAccessRequests(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  query: { kind: 'pcp' | 'non_pcp'; status: string },
): Promise<SupportAccessRequestView[]> {
  const organizationId = supportOrganization(actor, 'support.requests');
  return deps.db.transaction(async (tx) => {
    const rows = await listRoutedRequests(tx, organizationId, query.kind, query.status);
    const timeZone = await findOrganizationZone(tx, organizationId);
    const practiceIds = [...new Set(rows.flatMap((r) => (r.practiceId ? [r.practiceId] : [])))];
    const physicians = await listPracticePhysicians(tx, practiceIds);
    await recordAudit(tx, audit, [
      {
        action: 'support.access_requests.read',
        outcome: 'success',
        details: { kind: query.kind, status: query.status, results: rows.length },
      },
      ...rows.map((r) => ({
        action: 'support.access_request.patient.read',
        outcome: 'success' as const,
        patientId: r.patientId,
        objectType: 'Patient',
        objectId: r.patientId,
        details: { requestId: r.id },
      })),
    ]);
    return rows.map((r) => viewOf(r, timeZone, physicians));
  });
}

/** A request of the organization routed to support, locked for the decision; 404 otherwise, 409 when decided. */
async function lockedRoutedRequest(tx: Executor, organizationId: string, id: string) {
  const row = await lockOutsideRequest(tx, id);
  if (!row || row.organizationId !== organizationId || row.routedTo !== 'support') throw notFound('The request');
  if (row.status !== 'pending') throw requestNotPending();
  return row;
}

/** The decision's answer: the request as it now stands. */
async function decidedView(tx: Executor, organizationId: string, id: string) {
  const row = await findRoutedRequest(tx, organizationId, id);
  if (!row) throw notFound('The request');
  return { id: row.id, status: row.status as SupportAccessRequestView['status'], decidedAt: row.decidedAt?.toISOString() ?? null };
}

/**
 * POST /api/support/access-requests/:id/approve-pcp: the family confirmed by voice who the PCP is; support names the
 * physician (an NPI holder of the requester's practice: the requester themself, or a physician of a sponsored user's
 * practice), the patient's PCP becomes them, which the practice relationship reads on the next request, the note keeps
 * who confirmed and when, and the requester is emailed that the request was completed (no patient data).
 */
export async function approvePcpRequest(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  id: string,
  body: { confirmedBy: string; confirmedAt: string; physicianUserId: string },
) {
  const organizationId = supportOrganization(actor, 'support.requests');
  // The family confirmed it before support records it (a few minutes' grace for clocks that differ).
  if (Date.parse(body.confirmedAt) > Date.now() + 5 * 60_000)
    throw new AppError(400, 'validation_failed', 'confirmedAt: The confirmation cannot be in the future.', 'confirmedAt');
  const event = { action: 'support.access_request.approve_pcp', objectType: 'OutsideAccessRequest', objectId: id };
  return decideAudited(deps, audit, event, async (tx) => {
    const request = await lockedRoutedRequest(tx, organizationId, id);
    if (request.kind !== 'pcp') throw new AppError(409, 'conflict', 'This is a non-PCP request: approve it without a PCP update.');
    const membership = await findActivePracticeMembership(tx, request.requesterUserId);
    if (!membership?.practiceId || membership.organizationId !== organizationId)
      throw new AppError(409, 'conflict', 'The requester no longer belongs to a practice: deny the request.');
    const physicians = await listPracticePhysicians(tx, [membership.practiceId]);
    if (!physicians.some((p) => p.userId === body.physicianUserId))
      throw new AppError(
        400,
        'validation_failed',
        'physicianUserId: Choose a physician of the requester’s practice (an NPI holder with an active account).',
        'physicianUserId',
      );
    await setPatientPcp(tx, request.patientId, body.physicianUserId);
    await decideOutsideRequest(tx, request.id, {
      status: 'approved',
      decidedBy: actor.userId,
      decidedAt: new Date(),
      note: `PCP confirmed by ${body.confirmedBy} at ${new Date(body.confirmedAt).toISOString()}`,
      grantId: null,
    });
    await queuePcpCompletedEmail(tx, deps, request.organizationId, request.requesterUserId, request.id);
    await recordAudit(tx, audit, {
      ...event,
      outcome: 'success',
      patientId: request.patientId,
      details: { physicianUserId: body.physicianUserId, confirmedAt: body.confirmedAt },
    });
    return decidedView(tx, organizationId, id);
  });
}

/** POST /api/support/access-requests/:id/approve: a non-PCP request routed to support; the provider gets the grant. */
export async function approveRoutedNonPcpRequest(deps: AuthDeps, actor: Actor, audit: AuditContext, id: string, note: string | undefined) {
  const organizationId = supportOrganization(actor, 'support.requests');
  const event = { action: 'support.access_request.approve', objectType: 'OutsideAccessRequest', objectId: id };
  return decideAudited(deps, audit, event, async (tx) => {
    const request = await lockedRoutedRequest(tx, organizationId, id);
    if (request.kind !== 'non_pcp')
      throw new AppError(409, 'conflict', 'This is a PCP request: record the family’s confirmation and the PCP.');
    const { grantId } = await approveNonPcpRequest(tx, deps, { requestId: id, decidedBy: actor.userId, note: note ?? null });
    await recordAudit(tx, audit, { ...event, outcome: 'success', patientId: request.patientId, details: { grantId } });
    return decidedView(tx, organizationId, id);
  });
}

/** POST /api/support/access-requests/:id/deny: either kind, with support's note (shown to the provider). */
export async function denyRoutedRequest(deps: AuthDeps, actor: Actor, audit: AuditContext, id: string, note: string) {
  const organizationId = supportOrganization(actor, 'support.requests');
  const event = { action: 'support.access_request.deny', objectType: 'OutsideAccessRequest', objectId: id };
  return decideAudited(deps, audit, event, async (tx) => {
    const request = await lockedRoutedRequest(tx, organizationId, id);
    await denyOutsideRequest(tx, deps, { requestId: id, decidedBy: actor.userId, note });
    await recordAudit(tx, audit, { ...event, outcome: 'success', patientId: request.patientId, details: { kind: request.kind } });
    return decidedView(tx, organizationId, id);
  });
}

/** "Your PCP request was completed": the organization and a sign-in link, never the patient. */
async function queuePcpCompletedEmail(tx: Executor, deps: AuthDeps, organizationId: string, userId: string, requestId: string) {
  await queueSignInNotice(tx, deps.config.publicUrl, {
    userId,
    organizationName: await findOrganizationName(tx, organizationId),
    subject: 'support.email.pcpCompleted.subject',
    text: 'support.email.pcpCompleted.text',
    path: '/sign-in',
    eventKey: `outside-request-pcp-approved:${requestId}`,
  });
}
