import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { verifyPassword } from '../../security/password.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import type { AuthDeps, ClientInfo } from './auth.deps.ts';
import { issueLink, isSendLimitReached, redeemLink } from './link-token.ts';
import { findUserByEmail, findUserById } from './user.repository.ts';
import { isSponsoredUser } from '../sponsors/sponsors.repository.ts';

const linkHours = 24;
const emailTaken = () => new AppError(409, 'email_taken', 'That email address already belongs to another account.', 'newEmail');

/**
 * Starts an email change (SECURITY.md: needs the password again and notifies the old address). The address
 * changes only when the link sent to the new one is opened, which proves the new address is theirs.
 */
export async function requestEmailChange(deps: AuthDeps, userId: string, password: string, newEmail: string, client: ClientInfo) {
  await deps.db.transaction(async (tx) => {
    const user = await findUserById(tx, userId);
    if (!user || !(await verifyPassword(user.passwordHash, password))) {
      throw new AppError(400, 'invalid_credentials', 'Your password is not right.', 'password');
    }
    // A sponsored user's new address is a new account their sponsor makes (issue 12 §1); a provider with an NPI changes their own.
    if (await isSponsoredUser(tx, user.id))
      throw new AppError(
        403,
        'sponsored_email_change',
        "A sponsored user's email address cannot be changed. Ask your sponsor to create a new account with your new email address.",
        'newEmail',
      );
    const owner = await findUserByEmail(tx, newEmail);
    if (owner && owner.id !== user.id) throw emailTaken();
    if (owner) throw new AppError(400, 'validation_failed', 'That is already your email address.', 'newEmail');
    if (await isSendLimitReached(tx, user.id, 'change_email')) {
      throw new AppError(429, 'too_many_requests', 'We have sent several links already. Use the latest one, or wait an hour.');
    }
    const link = await issueLink(tx, deps.config.publicUrl, {
      userId: user.id,
      purpose: 'change_email',
      path: '/confirm-email-change',
      validMinutes: linkHours * 60,
      newEmail,
    });
    // Both addresses are the same person's: both emails are in their language.
    const t = translatorFor(user.locale);
    await enqueueEmail(tx, {
      to: newEmail,
      subject: t('notify.emailChange.confirmSubject'),
      text: t('notify.emailChange.confirmText', { hours: linkHours, link }),
    });
    await enqueueEmail(tx, {
      to: user.email,
      subject: t('notify.emailChange.requestedSubject'),
      text: t('notify.emailChange.requestedText'),
    });
    await recordAudit(
      tx,
      { ...client.audit, actorUserId: user.id },
      { action: 'account.email_change_requested', outcome: 'success', severity: 'high' },
    );
  });
  deps.kickMail();
}

/** Completes an email change from the link's token (used once); the old address is told. */
export async function confirmEmailChange(deps: AuthDeps, token: string, client: ClientInfo): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const used = await redeemLink(tx, 'change_email', token);
    const user = used ? await findUserById(tx, used.userId) : undefined;
    if (!used?.newEmail || !user)
      throw new AppError(400, 'invalid_token', 'This link is not valid any more. Ask for a new one from the Security page.');
    const owner = await findUserByEmail(tx, used.newEmail);
    if (owner && owner.id !== user.id) throw emailTaken();
    await tx.update(users).set({ email: used.newEmail, emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
    const t = translatorFor(user.locale);
    await enqueueEmail(tx, { to: user.email, subject: t('notify.emailChange.doneSubject'), text: t('notify.emailChange.doneText') });
    await recordAudit(
      tx,
      { ...client.audit, actorUserId: user.id },
      { action: 'account.email_changed', outcome: 'success', severity: 'high' },
    );
  });
  deps.kickMail();
}
