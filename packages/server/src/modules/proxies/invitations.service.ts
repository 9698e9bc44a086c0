import { randomUUID } from 'node:crypto';
import type { ProxyArea, ProxyInvitationBody, ProxyInvitationSignUpBody, ProxyInvitationView, ProxyLevel } from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import type { z } from 'zod';
import type { proxyInvitationAcceptResponse, proxyInvitationPreviewResponse } from '@portico/shared';
import { AppError, notFound } from '../../errors.ts';
import { generateToken, isSameDigest, sha256Hex } from '../../security/crypto.ts';
import type { Actor } from '../access/access.policy.ts';
import { withAuditedPatientAccess } from '../access/access.service.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { countAuthFailures, insertAuthFailure } from '../auth/user.repository.ts';
import type { Executor } from '../../db/client.ts';
import { checkNewPassword, hashPassword } from '../../security/password.ts';
import type { AuthDeps, ClientInfo } from '../auth/auth.deps.ts';
import { weakPassword } from '../auth/password.service.ts';
import { accountConflict } from '../signup/signup.service.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { invitationDays, invitationEmail } from './proxy-emails.ts';
import { proxyCategoriesOf, storedAreas } from './proxy-access.ts';
import {
  acceptInvitation,
  cancelInvitation,
  cancelInvitationsSentBy,
  countInvitationsSince,
  countPendingInvitations,
  findInvitationByToken,
  findMailbox,
  findPatientMailContext,
  hasActiveProxy,
  insertInvitation,
  insertInvitedUser,
  lockPatientInvitations,
  recordFailedAttempt,
} from './proxies.repository.ts';
import { hiddenOwnerOf, invitationViewOf, mayStillManageSharing } from './sharing.service.ts';

/** Invitations a patient may have waiting at once (issue 11: a cap, so the page cannot be used to send mail in bulk). */
export const maxPendingInvitations = 10;
/** Wrong birth dates that lock an invitation (SECURITY.md: five wrong tries lock a link). */
export const maxBirthDateAttempts = 5;
/**
 * Invitations a patient's record may send in any 24 hours, whatever became of them: the waiting cap alone let
 * cancel-and-invite-again send any number of emails to one address.
 */
export const maxInvitationsPerDay = 20;
/** Sign-ups with an unknown or closed invitation allowed per client address per hour (like the sign-up misses). */
export const invitationSignUpMissesPerHour = 20;

/** POST /api/patients/:id/proxy-invitations: the patient (or a full proxy) invites an adult by email. */
export async function createInvitation(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  body: ProxyInvitationBody,
): Promise<ProxyInvitationView> {
  const now = new Date();
  const invitationId = randomUUID();
  const request = {
    patientId,
    action: 'write' as const,
    categories: ['preferences' as const],
    auditAction: 'proxy.invitation.create',
    auditDetails: { invitationId, level: body.level },
  };
  const view = await withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
    // Held to the commit, so racing requests count one after another and cannot all pass the caps.
    await lockPatientInvitations(tx, patient.id);
    if ((await countPendingInvitations(tx, patient.id, now)) >= maxPendingInvitations)
      throw new AppError(
        429,
        'too_many_invitations',
        `This record already has ${maxPendingInvitations} invitations waiting for an answer. Cancel one before you send another.`,
      );
    if ((await countInvitationsSince(tx, patient.id, new Date(now.getTime() - 86_400_000))) >= maxInvitationsPerDay)
      throw new AppError(
        429,
        'too_many_invitations',
        `This record has sent ${maxInvitationsPerDay} invitations in the last 24 hours. Try again tomorrow.`,
      );
    const own = patient.userId ? await findMailbox(tx, patient.userId) : null;
    if (own && own.email.toLowerCase() === body.email.toLowerCase())
      throw new AppError(400, 'validation_failed', 'email: Invite someone else; this is the patient’s own email address.', 'email');
    const token = generateToken();
    const row = await insertInvitation(tx, {
      id: invitationId,
      organizationId: patient.organizationId,
      patientId: patient.id,
      invitedBy: actor.userId,
      email: body.email,
      name: body.name,
      level: body.level,
      areas: storedAreas(body.level, body.areas),
      tokenHash: sha256Hex(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + invitationDays * 86_400_000),
    });
    const context = await findPatientMailContext(tx, patient.id);
    const locale = context?.locale ?? (await findMailbox(tx, actor.userId))?.locale ?? 'en';
    const link = `${deps.config.publicUrl}/proxy-invitation#token=${token}`;
    await enqueueEmail(tx, invitationEmail(body.email, context?.organizationName ?? '', link, locale), `proxy-invitation:${invitationId}`);
    return invitationViewOf(row, now);
  });
  deps.kickMail();
  return view;
}

/**
 * DELETE /api/patients/:id/proxy-invitations/:invitationId: cancels one still waiting for an answer. One the reader may
 * not see (a teen's own, for their guardian) answers 404 like one that does not exist.
 */
export async function cancelPatientInvitation(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  invitationId: string,
): Promise<void> {
  const request = {
    patientId,
    action: 'write' as const,
    categories: ['preferences' as const],
    auditAction: 'proxy.invitation.cancel',
    auditDetails: { invitationId },
  };
  await withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient, _allowed, grant) => {
    const outcome = await cancelInvitation(tx, patient.id, invitationId, hiddenOwnerOf(patient, grant.filter));
    if (outcome === 'missing') throw notFound('The invitation');
    if (outcome === 'not_pending')
      throw new AppError(409, 'invitation_not_pending', 'This invitation was already accepted, cancelled or locked.');
  });
}

/** An invitation that can still be accepted: pending and not past its date. */
function isOpen(row: { status: string; expiresAt: Date }, now: Date): boolean {
  return row.status === 'pending' && row.expiresAt > now;
}

/**
 * POST /api/proxy-invitations/preview (no sign-in): what the invitee may know before accepting; the same 404 for an
 * unknown, expired, cancelled, locked or used token. Nothing of the patient: the organization, the name the patient
 * gave the invitee, the level and the date.
 */
export async function previewInvitation(deps: AuthDeps, token: string): Promise<z.infer<typeof proxyInvitationPreviewResponse>> {
  const row = await findInvitationByToken(deps.db, sha256Hex(token), false);
  if (!row || !isOpen(row, new Date())) throw notFound('The invitation');
  return {
    organizationName: row.organizationName,
    invitedAs: row.name,
    level: row.level as ProxyLevel,
    areas: row.areas as ProxyArea[],
    expiresAt: row.expiresAt.toISOString(),
  };
}

type AcceptOutcome =
  { kind: 'accepted'; patientId: string; displayName: string } | { kind: 'wrong_birth_date'; locked: boolean } | { kind: 'not_found' };

/** The invitation row an acceptance reads (locked). */
type InvitationRow = NonNullable<Awaited<ReturnType<typeof findInvitationByToken>>>;

/**
 * Who accepts: a signed-in person (`actor`), or someone who opens their account with the invitation (`account`): the
 * invitation went to their address, so the link proves it and the account's email is confirmed with it.
 */
type Accepter =
  | { kind: 'actor'; actor: Actor }
  | { kind: 'account'; account: { username: string; passwordHash: string; givenName: string; familyName: string; locale: Locale } };

/** The accepter already holds a proxy grant on the patient (in force, or starting later). */
const alreadyProxy = () =>
  new AppError(409, 'already_proxy', 'You can already see this record. Open it from your list of people you help.');

/** The accepter's user id: the actor's, or the account opened now (in the same transaction as the grant). */
async function accepterUserId(tx: Executor, accepter: Accepter, row: InvitationRow, now: Date): Promise<string> {
  if (accepter.kind === 'actor') {
    if (await hasActiveProxy(tx, accepter.actor.userId, row.patientId, now)) throw alreadyProxy();
    return accepter.actor.userId;
  }
  const { account } = accepter;
  return insertInvitedUser(tx, {
    organizationId: row.organizationId,
    username: account.username,
    email: row.email,
    passwordHash: account.passwordHash,
    displayName: `${account.givenName} ${account.familyName}`,
    locale: account.locale,
    emailVerifiedAt: now,
  });
}

/**
 * Accepts an invitation: the accepter proves they know the patient with the birth date and becomes their proxy
 * (relationship `invited`, granted by whoever invited). The invitation row is locked for the check, so racing
 * acceptances make one grant; the same person accepting again gets the same answer. A wrong date is counted and
 * audited (committed, though the answer is a 400); the fifth locks the invitation.
 */
async function acceptWith(
  deps: AuthDeps,
  accepter: Accepter,
  audit: AuditContext,
  body: { token: string; birthDate: string },
): Promise<z.infer<typeof proxyInvitationAcceptResponse>> {
  const now = new Date();
  const actor = accepter.kind === 'actor' ? accepter.actor : null;
  const outcome = await deps.db.transaction(async (tx): Promise<AcceptOutcome> => {
    const row = await findInvitationByToken(tx, sha256Hex(body.token), true);
    if (!row) return { kind: 'not_found' };
    const displayName = `${row.givenName} ${row.familyName}`;
    if (actor && row.status === 'accepted' && row.acceptedBy === actor.userId)
      return { kind: 'accepted', patientId: row.patientId, displayName };
    if (!isOpen(row, now)) return { kind: 'not_found' };
    // Whoever invited must still manage the patient's sharing: a revoked proxy's invitation makes no proxy.
    if (!(await mayStillManageSharing(tx, row.patientId, row.invitedBy, now))) {
      await cancelInvitationsSentBy(tx, row.patientId, row.invitedBy);
      await recordAudit(tx, audit, {
        action: 'proxy.invitation.accept',
        outcome: 'denied',
        patientId: row.patientId,
        objectType: 'ProxyInvitation',
        objectId: row.id,
        details: { reason: 'inviter_access_ended' },
      });
      return { kind: 'not_found' };
    }
    if (actor?.ownPatientId === row.patientId)
      throw new AppError(
        400,
        'own_record_invitation',
        'This invitation is for someone who will help with your record; you cannot accept it yourself.',
      );
    const event = { action: 'proxy.invitation.accept', patientId: row.patientId, objectType: 'ProxyInvitation', objectId: row.id };
    if (!isSameDigest(sha256Hex(row.birthDate), sha256Hex(body.birthDate))) {
      const attempts = await recordFailedAttempt(tx, row.id, maxBirthDateAttempts);
      await recordAudit(tx, audit, { ...event, outcome: 'failure', details: { reason: 'birth_date_mismatch', attempts } });
      return { kind: 'wrong_birth_date', locked: attempts >= maxBirthDateAttempts };
    }
    const userId = await accepterUserId(tx, accepter, row, now);
    const categories = proxyCategoriesOf(row.level as ProxyLevel, row.areas as ProxyArea[]);
    const grantId = await acceptInvitation(tx, row, userId, categories, now);
    if (!grantId) throw alreadyProxy();
    await recordAudit(tx, actor ? audit : { ...audit, actorUserId: userId }, {
      ...event,
      outcome: 'success',
      severity: 'info',
      details: { invitationId: row.id, grantId, via: 'proxy', relationship: 'invited', categories, newAccount: actor === null },
    });
    return { kind: 'accepted', patientId: row.patientId, displayName };
  });
  if (outcome.kind === 'not_found') throw notFound('The invitation');
  if (outcome.kind === 'wrong_birth_date')
    throw new AppError(
      400,
      'birth_date_mismatch',
      outcome.locked
        ? 'That date of birth does not match the record. The invitation is now locked; ask for a new one.'
        : 'That date of birth does not match the record. Check it and try again; after 5 wrong tries the invitation is locked.',
      'birthDate',
    );
  return { patientId: outcome.patientId, displayName: outcome.displayName };
}

/** POST /api/proxy-invitations/accept (signed in): the signed-in person accepts (acceptWith). */
export function acceptProxyInvitation(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  body: { token: string; birthDate: string },
): Promise<z.infer<typeof proxyInvitationAcceptResponse>> {
  return acceptWith(deps, { kind: 'actor', actor }, audit, body);
}

/**
 * POST /api/proxy-invitations/sign-up (no session): someone who has no Portico account opens one with the invitation
 * (issue 11: "the invitee accepts with the patient's date of birth and signs up or signs in"). The account has no
 * patient record of its own; its email is the invitation's, confirmed by the link; its password follows the same
 * rules as every other. One transaction: a wrong birth date opens no account, and a taken username accepts nothing.
 */
export async function signUpWithInvitation(
  deps: AuthDeps,
  client: ClientInfo,
  body: ProxyInvitationSignUpBody,
): Promise<{ username: string }> {
  const subjectKey = `proxy_invitation:${client.audit.ipAddress ?? 'unknown'}`;
  if ((await countAuthFailures(deps.db, subjectKey, new Date(Date.now() - 3_600_000))).total >= invitationSignUpMissesPerHour)
    throw new AppError(429, 'too_many_attempts', 'Too many sign-ups with an invitation link that does not work. Try again in an hour.');
  // The invitation first: an unknown or closed token costs no password hash (argon2 is expensive on purpose).
  const invitation = await findInvitationByToken(deps.db, sha256Hex(body.token), false);
  if (!invitation || !isOpen(invitation, new Date())) {
    await deps.db.transaction(async (tx) => {
      await insertAuthFailure(tx, subjectKey, 'proxy_invitation');
      await recordAudit(
        tx,
        { ...client.audit, actorUserId: null },
        { action: 'proxy.invitation.accept', outcome: 'failure', details: { reason: 'unknown_invitation', newAccount: true } },
      );
    });
    throw notFound('The invitation');
  }
  const problem = checkNewPassword(body.password, { username: body.username, email: invitation.email });
  if (problem) throw weakPassword(problem);
  const passwordHash = await hashPassword(body.password);
  const account = { username: body.username, passwordHash, givenName: body.givenName, familyName: body.familyName, locale: client.locale };
  try {
    await acceptWith(deps, { kind: 'account', account }, client.audit, body);
  } catch (error) {
    throw accountConflict(error) ?? error;
  }
  return { username: body.username };
}
