import {
  sponsoredTitles,
  type SponsoredTitle,
  type SponsoredUserBody,
  type SponsoredUserView,
  type SponsorValidationBody,
  type SponsorValidationView,
} from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import { advisoryXactLock, type Executor } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { generateToken } from '../../security/crypto.ts';
import { hashPassword } from '../../security/password.ts';
import { organizationFor, type Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { issueLink } from '../auth/link-token.ts';
import { revokeAllSessions } from '../auth/session.repository.ts';
import { findUserByEmail } from '../auth/user.repository.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { activationLinkDays } from '../provider-registrations/registration-review.service.ts';
import { findOrganizationName, insertProviderUser } from '../provider-registrations/provider-registrations.repository.ts';
import { accountConflict } from '../signup/signup.service.ts';
import { meValidationOf } from './sponsor-locks.ts';
import {
  completeValidations,
  countSponsoredSince,
  endSponsorships,
  findOpenValidation,
  findSponsorPractice,
  insertSponsoredMembership,
  listSponsoredUsers,
  lockOpenValidations,
  type SponsoredUserRow,
} from './sponsors.repository.ts';

/**
 * Sponsorship (issue 12 §1): a physician of an outside practice with an NPI and an active account sponsors their
 * practice's staff (nurses, referral coordinators, social workers, office managers): each gets an account of their own
 * in the practice, reaching the practice's patients, until the sponsor removes them or does not keep them at a
 * Sponsored User Validation.
 */

/** The sponsor's organization and practice; 403 for anyone without the ability (staff, patients, sponsored staff). */
async function sponsorOf(db: Executor, actor: Actor): Promise<{ organizationId: string; practiceId: string; locale: Locale }> {
  const organizationId = organizationFor(actor, 'practice.sponsor');
  const practice = organizationId ? await findSponsorPractice(db, actor.userId, organizationId) : undefined;
  if (!organizationId || !practice?.practiceId || !practice.npi)
    throw forbidden('Only a physician of an outside practice with an NPI sponsors users.');
  return { organizationId, practiceId: practice.practiceId, locale: practice.locale };
}

/** Sponsored staff a sponsor may invite in 24 hours: a practice's staff, not a mailing list. */
export const invitationsPerDay = 20;

const tooManyInvitations = () =>
  new AppError(
    429,
    'too_many_requests',
    `You invited ${invitationsPerDay} people in the last 24 hours, the most a day. Try again tomorrow.`,
  );

const emailTaken = () => new AppError(409, 'email_taken', 'That email address already has an account.', 'email');

const titleOf = (credentials: string | null): SponsoredTitle | null =>
  (sponsoredTitles as readonly string[]).includes(credentials ?? '') ? (credentials as SponsoredTitle) : null;

/** A sponsored user as the sponsor reads them. */
function viewOf(row: SponsoredUserRow): SponsoredUserView {
  return {
    userId: row.userId,
    displayName: row.displayName,
    email: row.email,
    title: titleOf(row.credentials),
    activated: row.activated,
    since: new Date(row.since).toISOString(),
  };
}

/** GET /api/sponsor/users: the sponsor's active sponsored users, oldest first; audited. */
export async function listSponsorUsers(deps: AuthDeps, actor: Actor, audit: AuditContext): Promise<SponsoredUserView[]> {
  return deps.db.transaction(async (tx) => {
    await sponsorOf(tx, actor);
    const rows = await listSponsoredUsers(tx, actor.userId);
    await recordAudit(tx, audit, { action: 'sponsor.users.read', outcome: 'success', details: { results: rows.length } });
    return rows.map(viewOf);
  });
}

/**
 * POST /api/sponsor/users: a new account for a member of the sponsor's practice staff (a password nobody knows, the
 * email not yet verified), a `sponsored_staff` membership of the sponsor's practice, and the activation email (the
 * registration's link: they choose a username and password, then enrol MFA at first sign-in). 409 if the email is taken.
 * The title is kept as the account's credentials (no column of its own).
 */
export async function createSponsoredUser(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  body: SponsoredUserBody,
  sponsorName: string,
): Promise<SponsoredUserView> {
  const passwordHash = await hashPassword(generateToken());
  try {
    const view = await deps.db.transaction(async (tx) => {
      const sponsor = await sponsorOf(tx, actor);
      // Each invitation makes an account and sends an email: a sponsor invites at most this many a day.
      await advisoryXactLock(tx, `sponsor_invitations:${actor.userId}`);
      if ((await countSponsoredSince(tx, actor.userId, new Date(Date.now() - 86_400_000))) >= invitationsPerDay) throw tooManyInvitations();
      if (await findUserByEmail(tx, body.email)) throw emailTaken();
      const displayName = `${body.givenName} ${body.familyName}`;
      const userId = await insertProviderUser(tx, {
        organizationId: sponsor.organizationId,
        // Until activation the account has a name nobody chose and a password nobody knows: it cannot sign in.
        username: `provider-${generateToken().slice(0, 16)}`,
        email: body.email,
        passwordHash,
        displayName,
        credentials: body.title,
        locale: sponsor.locale,
      });
      const since = await insertSponsoredMembership(tx, {
        userId,
        organizationId: sponsor.organizationId,
        practiceId: sponsor.practiceId,
        sponsorUserId: actor.userId,
      });
      const link = await issueLink(tx, deps.config.publicUrl, {
        userId,
        purpose: 'provider_activation',
        path: '/provider/activate',
        validMinutes: activationLinkDays * 24 * 60,
      });
      const t = translatorFor(sponsor.locale);
      const organization = await findOrganizationName(tx, sponsor.organizationId);
      await enqueueEmail(
        tx,
        {
          to: body.email,
          subject: t('sponsors.email.invite.subject'),
          text: t('sponsors.email.invite.text', { sponsor: sponsorName, organization, days: activationLinkDays, link }),
        },
        `sponsored-user-invited:${userId}`,
      );
      await recordAudit(tx, audit, {
        action: 'sponsor.user.create',
        outcome: 'success',
        objectType: 'User',
        objectId: userId,
        details: { practiceId: sponsor.practiceId, title: body.title },
      });
      return viewOf({ userId, displayName, email: body.email, credentials: body.title, activated: false, since });
    });
    deps.kickMail();
    return view;
  } catch (error) {
    // Two invitations of one address at once: the unique index keeps one, the other is the same 409.
    throw accountConflict(error) ? emailTaken() : error;
  }
}

/** Ends sponsorships: memberships end, accounts are disabled, every session of theirs ends. The ids removed. */
async function removeSponsored(tx: Executor, sponsorUserId: string, userIds: readonly string[], at: Date): Promise<string[]> {
  const removed = await endSponsorships(tx, sponsorUserId, userIds, at);
  for (const id of removed) await revokeAllSessions(tx, id);
  return removed;
}

/** DELETE /api/sponsor/users/:userId: the sponsor removes one of their sponsored users; 404 for anyone else's. */
export async function removeSponsoredUser(deps: AuthDeps, actor: Actor, audit: AuditContext, userId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await sponsorOf(tx, actor);
    const removed = await removeSponsored(tx, actor.userId, [userId], new Date());
    if (removed.length === 0) throw notFound('The sponsored user');
    await recordAudit(tx, audit, { action: 'sponsor.user.remove', outcome: 'success', objectType: 'User', objectId: userId });
  });
}

/**
 * The sponsor of the validation: the ability is read from the memberships as stored (`sessionMemberships`), since a
 * locked sponsor's actor has lost the practice; the validation is the one thing they reach then.
 */
async function validatingSponsor(db: Executor, actor: Actor, sessionMemberships: Actor['memberships']) {
  return sponsorOf(db, { ...actor, memberships: sessionMemberships });
}

/** GET /api/sponsor/validation: the sponsor's open validation with the users to keep or remove, or null. */
export async function getSponsorValidation(
  deps: AuthDeps,
  actor: Actor,
  sessionMemberships: Actor['memberships'],
  audit: AuditContext,
): Promise<SponsorValidationView | null> {
  return deps.db.transaction(async (tx) => {
    await validatingSponsor(tx, actor, sessionMemberships);
    const open = await findOpenValidation(tx, actor.userId);
    if (!open) return null;
    const users = await listSponsoredUsers(tx, actor.userId);
    await recordAudit(tx, audit, {
      action: 'sponsor.validation.read',
      outcome: 'success',
      objectType: 'SponsorValidation',
      objectId: open.id,
      details: { users: users.length },
    });
    const me = meValidationOf(open)!;
    return { ...me, periodStart: open.periodStart, users: users.map(viewOf) };
  });
}

const decisionsProblem = (message: string) => new AppError(400, 'validation_failed', `decisions: ${message}`, 'decisions');

/**
 * POST /api/sponsor/validation: a decision for every active sponsored user, exactly (400 naming a missing or unknown
 * one); those not kept are removed (as DELETE does), and every open validation of the sponsor is completed, which
 * unlocks the sponsor and their sponsored users on their next request. 404 when none is open.
 */
export async function completeSponsorValidation(
  deps: AuthDeps,
  actor: Actor,
  sessionMemberships: Actor['memberships'],
  audit: AuditContext,
  body: SponsorValidationBody,
): Promise<{ kept: number; removed: number }> {
  return deps.db.transaction(async (tx) => {
    await validatingSponsor(tx, actor, sessionMemberships);
    const open = await lockOpenValidations(tx, actor.userId);
    if (open.length === 0) throw notFound('An open validation');
    const users = await listSponsoredUsers(tx, actor.userId);
    const active = new Set(users.map((u) => u.userId));
    const unknown = body.decisions.find((d) => !active.has(d.userId));
    if (unknown) throw decisionsProblem(`${unknown.userId} is not one of your active sponsored users.`);
    const decided = new Set(body.decisions.map((d) => d.userId));
    const missing = users.find((u) => !decided.has(u.userId));
    if (missing) throw decisionsProblem(`Choose keep or remove for ${missing.displayName} (${missing.userId}).`);
    const now = new Date();
    const removed = await removeSponsored(
      tx,
      actor.userId,
      body.decisions.filter((d) => !d.keep).map((d) => d.userId),
      now,
    );
    await completeValidations(
      tx,
      open.map((v) => v.id),
      actor.userId,
      now,
    );
    for (const v of open)
      await recordAudit(tx, audit, {
        action: 'sponsor.validation.complete',
        outcome: 'success',
        objectType: 'SponsorValidation',
        objectId: v.id,
        details: { kept: users.length - removed.length, removed },
      });
    return { kept: users.length - removed.length, removed: removed.length };
  });
}
