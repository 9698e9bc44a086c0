import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { verifyPassword } from '../../security/password.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import type { AuthDeps, ClientInfo } from './auth.deps.ts';
import { issueLink, isSendLimitReached, redeemLink } from './link-token.ts';
import { findUserByEmail, findUserById } from './user.repository.ts';

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
    await enqueueEmail(tx, {
      to: newEmail,
      subject: 'Confirm your new email address for Portico',
      text: `To use this address for your Portico account, open this link within ${linkHours} hours (it works once):\n\n${link}\n\nIf you did not ask for this, ignore this email.`,
    });
    await enqueueEmail(tx, {
      to: user.email,
      subject: 'A change of your Portico email address was requested',
      text: 'Someone signed in to your Portico account asked to change its email address. It changes only when the link sent to the new address is opened. If this was not you, change your password now and contact support.',
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
    await enqueueEmail(tx, {
      to: user.email,
      subject: 'Your Portico email address was changed',
      text: 'The email address of your Portico account was just changed, and this address no longer receives its messages. If this was not you, contact support now.',
    });
    await recordAudit(
      tx,
      { ...client.audit, actorUserId: user.id },
      { action: 'account.email_changed', outcome: 'success', severity: 'high' },
    );
  });
  deps.kickMail();
}
