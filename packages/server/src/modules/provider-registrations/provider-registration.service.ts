import type { ProviderRegistrationBody } from '@portico/shared';
import { AppError, notFound } from '../../errors.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { AuthDeps, ClientInfo } from '../auth/auth.deps.ts';
import { countAuthFailures, insertAuthFailure } from '../auth/user.repository.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { findDeploymentOrganization, insertRegistration, isNpiTaken } from './provider-registrations.repository.ts';

/** Registrations one client address may send an hour: enough for a practice's physicians, too few to flood the queue. */
export const registrationsPerHour = 10;

const npiPending = () =>
  new AppError(
    409,
    'registration_pending',
    'A registration with this NPI is already waiting for the support team. You will get an email when it is decided.',
    'npi',
  );
const npiTaken = () =>
  new AppError(409, 'npi_taken', 'An account already has this NPI. Sign in, or reset your password if you forgot it.', 'npi');

/**
 * POST /api/provider-registrations (issue 12 §1): a provider with an NPI asks for a community-provider account of the
 * deployment's organization; the registration waits for the support team, and the registrant is told by email. Every
 * registration counts towards the client address's hourly limit, so the public form cannot flood the queue.
 */
export async function registerProvider(deps: AuthDeps, input: ProviderRegistrationBody, client: ClientInfo): Promise<void> {
  const subjectKey = `provider_registration:${client.audit.ipAddress ?? 'unknown'}`;
  const audit = { ...client.audit, actorUserId: null };
  const event = { action: 'provider.registration.create', objectType: 'ProviderRegistration' };
  try {
    await store(deps, input, client, subjectKey);
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 409)
      await recordAudit(deps.db, audit, { ...event, outcome: 'failure', details: { reason: error.code } });
    throw error;
  }
  deps.kickMail();
}

/** Stores the registration, counts it and queues the email, in one transaction. */
async function store(deps: AuthDeps, input: ProviderRegistrationBody, client: ClientInfo, subjectKey: string): Promise<void> {
  const audit = { ...client.audit, actorUserId: null };
  await deps.db.transaction(async (tx) => {
    if ((await countAuthFailures(tx, subjectKey, new Date(Date.now() - 3600_000))).total >= registrationsPerHour)
      throw new AppError(429, 'too_many_requests', 'Too many registrations were sent from this network. Try again in an hour.');
    const organization = await findDeploymentOrganization(tx);
    if (!organization) throw notFound('The organization');
    if (await isNpiTaken(tx, input.npi)) throw npiTaken();
    const row = await insertRegistration(tx, {
      organizationId: organization.id,
      givenName: input.givenName,
      familyName: input.familyName,
      credentials: input.credentials ?? null,
      npi: input.npi,
      email: input.email,
      phone: input.phone,
      fax: input.fax ?? null,
      practiceName: input.practiceName,
      practiceAddress: input.practiceAddress,
      practicePhone: input.practicePhone,
      practiceFax: input.practiceFax ?? null,
      locale: client.locale,
    });
    if (!row) throw npiPending();
    await insertAuthFailure(tx, subjectKey, 'provider_registration');
    const t = translatorFor(client.locale);
    await enqueueEmail(tx, {
      to: input.email,
      subject: t('notify.providerRegistration.received.subject'),
      text: t('notify.providerRegistration.received.text', {
        name: `${input.givenName} ${input.familyName}`,
        organization: organization.name,
      }),
    });
    await recordAudit(tx, audit, {
      action: 'provider.registration.create',
      outcome: 'success',
      objectType: 'ProviderRegistration',
      objectId: row.id,
    });
  });
}
