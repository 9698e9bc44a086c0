import { randomUUID } from 'node:crypto';
import {
  proxyConsoleLimits,
  type ApproveRequestBody,
  type ConsoleRequestView,
  type ProxyLevel,
  type ProxyRequestBody,
  type ProxyRequestStatus,
  type ProxyRequestView,
} from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { ageOn, can, dayInZone, organizationFor, proxyAgeBand, type Actor } from '../access/access.policy.ts';
import { patientScopeSql } from '../access/access.scope.ts';
import { withAuditedPatientAccess } from '../access/access.service.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { proxyCategoriesOf } from '../proxies/proxy-access.ts';
import { requestDecidedEmail } from './proxy-console-emails.ts';
import {
  cancelRequest,
  countPendingRequests,
  decideRequest,
  findCandidates,
  findRequest,
  findRequestOrganization,
  insertConsoleGrant,
  insertRequest,
  listQueue,
  listRequestsOf,
  type RequestRow,
} from './proxy-console.repository.ts';

const notPending = () => new AppError(409, 'request_not_pending', 'This request was already approved, denied or cancelled.');

/** The request as its requester sees it: the staff's reason only for a denial. */
function requesterViewOf(row: RequestRow): ProxyRequestView {
  return {
    id: row.id,
    childGivenName: row.childGivenName,
    childFamilyName: row.childFamilyName,
    childBirthDate: row.childBirthDate,
    relationship: row.relationship as ProxyRequestView['relationship'],
    status: row.status as ProxyRequestStatus,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    reason: row.status === 'denied' ? row.decisionReason : null,
  };
}

/** The request as the staff queue shows it. */
function consoleViewOf(row: RequestRow, candidates: ConsoleRequestView['candidates']): ConsoleRequestView {
  return {
    id: row.id,
    requester: { name: row.requesterName, email: row.requesterEmail },
    childGivenName: row.childGivenName,
    childFamilyName: row.childFamilyName,
    childBirthDate: row.childBirthDate,
    relationship: row.relationship as ConsoleRequestView['relationship'],
    note: row.note,
    status: row.status as ProxyRequestStatus,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionReason: row.decisionReason,
    patientId: row.patientId,
    candidates,
  };
}

/**
 * POST /api/proxy-requests: a signed-in person asks for access to a child's record. It goes to their account's
 * organization (the deployment's one, else the oldest); at most 5 may wait at once; the child must be under 18 on the
 * organization's calendar day.
 */
export async function createProxyRequest(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  body: ProxyRequestBody,
): Promise<ProxyRequestView> {
  const now = new Date();
  return deps.db.transaction(async (tx) => {
    const organization = await findRequestOrganization(tx, actor.userId);
    if (!organization) throw notFound('The organization');
    const today = dayInZone(now, organization.timeZone);
    if (body.childBirthDate > today)
      throw new AppError(400, 'validation_failed', 'childBirthDate: The date of birth is in the future.', 'childBirthDate');
    if (ageOn(body.childBirthDate, today) >= 18)
      throw new AppError(
        400,
        'patient_not_minor',
        'This child is 18 or older: they can open an account and invite you themselves.',
        'childBirthDate',
      );
    if ((await countPendingRequests(tx, actor.userId)) >= proxyConsoleLimits.maxPendingRequests)
      throw new AppError(
        429,
        'too_many_proxy_requests',
        'You already have 5 requests waiting for an answer. Wait for the care team to answer one, or cancel one.',
      );
    const id = await insertRequest(tx, {
      organizationId: organization.id,
      requesterUserId: actor.userId,
      childGivenName: body.childGivenName,
      childFamilyName: body.childFamilyName,
      childBirthDate: body.childBirthDate,
      relationship: body.relationship,
      note: body.note || null,
      createdAt: now,
    });
    await recordAudit(tx, audit, { action: 'proxy.request.create', outcome: 'success', objectType: 'ProxyRequest', objectId: id });
    const row = await findRequest(tx, id, { requesterUserId: actor.userId });
    if (!row) throw new Error('request vanished');
    return requesterViewOf(row);
  });
}

/** GET /api/proxy-requests: the signed-in person's own requests. */
export async function listOwnRequests(deps: AuthDeps, actor: Actor): Promise<ProxyRequestView[]> {
  return (await listRequestsOf(deps.db, actor.userId)).map(requesterViewOf);
}

/** DELETE /api/proxy-requests/:id: the requester cancels a request still pending; anyone else's is a 404. */
export async function cancelOwnRequest(deps: AuthDeps, actor: Actor, audit: AuditContext, id: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await findRequest(tx, id, { requesterUserId: actor.userId }, true);
    if (!row) throw notFound('The request');
    if (!(await cancelRequest(tx, id, actor.userId))) throw notPending();
    await recordAudit(tx, audit, { action: 'proxy.request.cancel', outcome: 'success', objectType: 'ProxyRequest', objectId: id });
  });
}

/** The organizations where the actor works the console; 403 for anyone else (a patient, a clinician). */
function consoleOrganizations(actor: Actor): string[] {
  const orgs = actor.memberships
    .filter((m) => m.kind === 'staff' && can(actor, 'proxies.manage', m.organizationId))
    .map((m) => m.organizationId);
  if (orgs.length === 0) throw forbidden('The proxy console is for the registration desk and administrators.');
  return orgs;
}

/**
 * GET /api/proxy-console/requests?status=: the organization's queue, oldest first, each pending request with the
 * patients it may be about (searched within the staff member's scope; each one shown is an audited read).
 */
export async function listConsoleRequests(deps: AuthDeps, actor: Actor, audit: AuditContext, status: ProxyRequestStatus) {
  consoleOrganizations(actor);
  const organizationId = organizationFor(actor, 'proxies.manage');
  if (!organizationId) throw forbidden();
  const scope = patientScopeSql(actor, 'read', 'demographics');
  return deps.db.transaction(async (tx) => {
    const rows = await listQueue(tx, organizationId, status);
    const requests: ConsoleRequestView[] = [];
    const seen: { id: string; requestId: string }[] = [];
    for (const row of rows) {
      const candidates = row.status === 'pending' ? await findCandidates(tx, scope, organizationId, row) : [];
      for (const c of candidates) seen.push({ id: c.id, requestId: row.id });
      requests.push(consoleViewOf(row, candidates));
    }
    await recordAudit(tx, audit, [
      { action: 'proxy.requests.read', outcome: 'success', details: { status, results: rows.length } },
      ...seen.map((c) => ({
        action: 'proxy.request.candidate',
        outcome: 'success' as const,
        patientId: c.id,
        objectType: 'Patient',
        objectId: c.id,
        details: { requestId: c.requestId },
      })),
    ]);
    return { requests };
  });
}

/** A pending request of one of the actor's console organizations, locked for the decision; 404 and 409 otherwise. */
async function pendingRequest(tx: Executor, actor: Actor, requestId: string) {
  const row = await findRequest(tx, requestId, { organizationIds: consoleOrganizations(actor) }, true);
  if (!row) throw notFound('The request');
  if (row.status !== 'pending') throw notPending();
  return row;
}

/**
 * POST /api/proxy-console/requests/:requestId/approve: staff matched the child's record and checked the parent's
 * identity; the parent becomes the child's guardian proxy (granted by the staff member, so it ends at 18), the set-up
 * is recorded, the request approved, and the parent told by email (nothing of the child in it). The request row is
 * locked, so two staff approving at once make one grant; the second gets 409.
 */
export async function approveRequest(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  requestId: string,
  body: ApproveRequestBody & { level: ProxyLevel },
): Promise<ConsoleRequestView> {
  consoleOrganizations(actor);
  const now = new Date();
  const grantId = randomUUID();
  const endsAt = body.endsAt ? new Date(body.endsAt) : null;
  if (endsAt && endsAt <= now) throw new AppError(400, 'validation_failed', 'endsAt: The end date must be in the future.', 'endsAt');
  const access = {
    patientId: body.patientId,
    action: 'read' as const,
    categories: ['demographics' as const],
    auditAction: 'proxy.request.approve',
    auditDetails: { requestId, grantId, relationship: 'guardian', identityMethod: body.identityMethod },
  };
  const view = await withAuditedPatientAccess(deps.db, actor, audit, access, async (tx, patient) => {
    const row = await pendingRequest(tx, actor, requestId);
    if (patient.organizationId !== row.organizationId || !can(actor, 'proxies.manage', patient.organizationId))
      throw notFound('The patient');
    if (patient.birthDate !== row.childBirthDate)
      throw new AppError(400, 'validation_failed', 'patientId: This patient’s date of birth is not the one in the request.', 'patientId');
    if (proxyAgeBand(patient.birthDate, dayInZone(now, patient.timeZone)) === 'adult')
      throw new AppError(
        400,
        'patient_not_minor',
        'This patient is 18 or older. A parent or guardian cannot be given access; set up a legal representative instead.',
      );
    // Two people for every grant staff make: a parent who works the console never approves their own request.
    if (row.requesterUserId === actor.userId)
      throw new AppError(403, 'forbidden', 'You cannot approve your own request for access. Ask a colleague to review it.');
    if (patient.userId === row.requesterUserId)
      throw new AppError(400, 'validation_failed', 'patientId: The requester is this patient; choose the child’s record.', 'patientId');
    const made = await insertConsoleGrant(
      tx,
      {
        id: grantId,
        granteeUserId: row.requesterUserId,
        patientId: patient.id,
        relationship: 'guardian',
        categories: proxyCategoriesOf(body.level, body.areas ?? []),
        grantedBy: actor.userId,
        reason: row.relationship,
        startsAt: now,
        endsAt,
      },
      { organizationId: row.organizationId, identityMethod: body.identityMethod, note: body.note || null },
    );
    if (!made) throw new AppError(409, 'proxy_exists', 'This person can already see this record. End that access first if it must change.');
    await decideRequest(tx, row.id, {
      status: 'approved',
      decidedBy: actor.userId,
      decidedAt: now,
      decisionReason: null,
      patientId: patient.id,
      grantId,
    });
    const mail = requestDecidedEmail(
      row.requesterEmail,
      'approved',
      row.organizationName,
      `${deps.config.publicUrl}/`,
      row.requesterLocale,
    );
    await enqueueEmail(tx, mail, `proxy-request-decided:${row.id}`);
    return consoleViewOf({ ...row, status: 'approved', decidedAt: now, patientId: patient.id, grantId }, []);
  });
  deps.kickMail();
  return view;
}

/**
 * POST /api/proxy-console/requests/:requestId/deny: the request is denied with the staff's reason, which the requester
 * reads in the portal; the email only says there is an answer.
 */
export async function denyRequest(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  requestId: string,
  reason: string,
): Promise<ConsoleRequestView> {
  consoleOrganizations(actor);
  const now = new Date();
  const event = { action: 'proxy.request.deny', objectType: 'ProxyRequest', objectId: requestId };
  try {
    const view = await deps.db.transaction(async (tx) => {
      const row = await pendingRequest(tx, actor, requestId);
      await decideRequest(tx, row.id, { status: 'denied', decidedBy: actor.userId, decidedAt: now, decisionReason: reason });
      const mail = requestDecidedEmail(
        row.requesterEmail,
        'denied',
        row.organizationName,
        `${deps.config.publicUrl}/`,
        row.requesterLocale,
      );
      await enqueueEmail(tx, mail, `proxy-request-decided:${row.id}`);
      await recordAudit(tx, audit, { ...event, outcome: 'success' });
      return consoleViewOf({ ...row, status: 'denied', decidedAt: now, decisionReason: reason }, []);
    });
    deps.kickMail();
    return view;
  } catch (error) {
    if (error instanceof AppError)
      await recordAudit(deps.db, audit, {
        ...event,
        outcome: error.statusCode === 404 ? 'denied' : 'failure',
        details: { reason: error.code },
      });
    throw error;
  }
}
