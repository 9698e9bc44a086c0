import type { RegistrationView } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { generateToken } from '../../security/crypto.ts';
import { hashPassword } from '../../security/password.ts';
import { organizationFor, type Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { issueLink } from '../auth/link-token.ts';
import { accountConflict } from '../signup/signup.service.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import {
  decideRegistration,
  findOrganizationName,
  findPractice,
  insertPractice,
  insertPracticeMembership,
  insertProviderUser,
  listRegistrations,
  lockRegistration,
  type RegistrationRow,
} from './provider-registrations.repository.ts';

/** How long the activation link of an approved provider works (issue 12 §1). */
export const activationLinkDays = 7;

const notPending = () => new AppError(409, 'registration_not_pending', 'This registration was already approved or rejected.');

/** The organization whose registrations the actor reviews; 403 for anyone without the ability (a clinician, a patient). */
function supportOrganization(actor: Actor): string {
  const organizationId = organizationFor(actor, 'support.registrations');
  if (!organizationId) throw forbidden('Registrations are reviewed by the support team.');
  return organizationId;
}

/** A registration as the support team reads it. */
function viewOf(row: RegistrationRow): RegistrationView {
  return {
    id: row.id,
    givenName: row.givenName,
    familyName: row.familyName,
    credentials: row.credentials,
    npi: row.npi,
    email: row.email,
    phone: row.phone,
    fax: row.fax,
    practiceName: row.practiceName,
    practiceAddress: row.practiceAddress,
    practicePhone: row.practicePhone,
    practiceFax: row.practiceFax,
    status: row.status as RegistrationView['status'],
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionReason: row.decisionReason,
    createdAt: row.createdAt.toISOString(),
  };
}

/** GET /api/support/registrations?status=: the organization's registrations of a status, oldest first; audited. */
export async function listSupportRegistrations(deps: AuthDeps, actor: Actor, audit: AuditContext, status: string) {
  const organizationId = supportOrganization(actor);
  return deps.db.transaction(async (tx) => {
    const rows = await listRegistrations(tx, organizationId, status);
    await recordAudit(tx, audit, { action: 'provider.registrations.read', outcome: 'success', details: { status, results: rows.length } });
    return rows.map(viewOf);
  });
}

/** A pending registration of the actor's organization, locked; 404 and 409 otherwise. */
async function pendingRegistration(tx: Executor, organizationId: string, id: string): Promise<RegistrationRow> {
  const row = await lockRegistration(tx, organizationId, id);
  if (!row) throw notFound('The registration');
  if (row.status !== 'pending') throw notPending();
  return row;
}

/** Runs a decision in one transaction; a refused one is audited after its rollback. */
async function decide<T>(deps: AuthDeps, audit: AuditContext, action: string, id: string, work: (tx: Executor) => Promise<T>): Promise<T> {
  const event = { action, objectType: 'ProviderRegistration', objectId: id };
  try {
    const result = await deps.db.transaction(work);
    deps.kickMail();
    return result;
  } catch (error) {
    const refused = error instanceof AppError ? error : accountConflict(error);
    if (refused) {
      await recordAudit(deps.db, audit, {
        ...event,
        outcome: refused.statusCode === 404 ? 'denied' : 'failure',
        details: { reason: refused.code },
      });
      throw refused;
    }
    throw error;
  }
}

/**
 * POST /api/support/registrations/:id/approve (issue 12 §1): the provider's account (their NPI, email not yet verified,
 * a random password nobody knows), their membership of the chosen practice or of one made from the registration, and
 * an emailed activation link (7 days) where they choose a username and password. The row is locked, so two of the
 * support team approving at once make one account; the other gets 409.
 */
export async function approveRegistration(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  id: string,
  body: { practiceId?: string | undefined },
): Promise<RegistrationView> {
  const organizationId = supportOrganization(actor);
  const passwordHash = await hashPassword(generateToken());
  return decide(deps, audit, 'provider.registration.approve', id, async (tx) => {
    const row = await pendingRegistration(tx, organizationId, id);
    let practiceId = body.practiceId;
    if (practiceId) {
      if (!(await findPractice(tx, organizationId, practiceId)))
        throw new AppError(400, 'practice_not_found', 'practiceId: No practice of this organization has that id.', 'practiceId');
    } else {
      practiceId = await insertPractice(tx, {
        organizationId,
        name: row.practiceName ?? `${row.givenName} ${row.familyName}`,
        address: row.practiceAddress,
        phone: row.practicePhone,
        fax: row.practiceFax,
      });
    }
    const userId = await insertProviderUser(tx, {
      organizationId,
      // Until activation the account has a name nobody chose and a password nobody knows: it cannot sign in.
      username: `provider-${generateToken().slice(0, 16)}`,
      email: row.email,
      passwordHash,
      displayName: `${row.givenName} ${row.familyName}`,
      credentials: row.credentials,
      npi: row.npi,
      locale: row.locale,
    });
    await insertPracticeMembership(tx, { userId, organizationId, practiceId, role: 'outside_provider' });
    const decided = await decideRegistration(tx, row.id, {
      status: 'approved',
      decidedBy: actor.userId,
      decidedAt: new Date(),
      userId,
      practiceId,
    });
    const link = await issueLink(tx, deps.config.publicUrl, {
      userId,
      purpose: 'provider_activation',
      path: '/provider/activate',
      validMinutes: activationLinkDays * 24 * 60,
    });
    await queueDecisionEmail(tx, row, 'approved', { days: activationLinkDays, link });
    await recordAudit(tx, audit, {
      action: 'provider.registration.approve',
      outcome: 'success',
      objectType: 'ProviderRegistration',
      objectId: row.id,
      details: { userId, practiceId, newPractice: !body.practiceId },
    });
    return viewOf(decided);
  });
}

/** POST /api/support/registrations/:id/reject: the registration is rejected with the reason, which the email gives. */
export async function rejectRegistration(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  id: string,
  reason: string,
): Promise<RegistrationView> {
  const organizationId = supportOrganization(actor);
  return decide(deps, audit, 'provider.registration.reject', id, async (tx) => {
    const row = await pendingRegistration(tx, organizationId, id);
    const decided = await decideRegistration(tx, row.id, {
      status: 'rejected',
      decidedBy: actor.userId,
      decidedAt: new Date(),
      decisionReason: reason,
    });
    await queueDecisionEmail(tx, row, 'rejected', { reason });
    await recordAudit(tx, audit, {
      action: 'provider.registration.reject',
      outcome: 'success',
      objectType: 'ProviderRegistration',
      objectId: row.id,
    });
    return viewOf(decided);
  });
}

/** The decision's email to the registrant, in the language they registered in. */
async function queueDecisionEmail(
  tx: Executor,
  row: RegistrationRow,
  outcome: 'approved' | 'rejected',
  values: { days?: number; link?: string; reason?: string },
): Promise<void> {
  const t = translatorFor(row.locale);
  const organization = await findOrganizationName(tx, row.organizationId);
  await enqueueEmail(
    tx,
    {
      to: row.email,
      subject: t(`notify.providerRegistration.${outcome}.subject`),
      text: t(`notify.providerRegistration.${outcome}.text`, { organization, ...values }),
    },
    `provider-registration-decided:${row.id}`,
  );
}
