import { eq } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import { users } from '../../db/schema/index.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { checkNewPassword, hashPassword, verifyPassword } from '../../security/password.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { issueLink, isSendLimitReached, redeemLink } from './link-token.ts';
import type { AuthDeps, ClientInfo } from './auth.deps.ts';
import { revokeAllSessions } from './session.repository.ts';
import { clearAuthFailures, findUserByEmail, findUserById } from './user.repository.ts';

const resetLinkMinutes = 60;

/** A refused new password, as a 400 naming the field. */
export function weakPassword(message: string, field = 'password'): AppError {
  return new AppError(400, 'weak_password', message, field);
}

/** Sends a reset link when the address has an account; the answer is the same either way (SECURITY.md). */
export async function requestPasswordReset(deps: AuthDeps, email: string, client: ClientInfo): Promise<void> {
  const queued = await deps.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (!user || user.disabledAt) return false;
    if (await isSendLimitReached(tx, user.id, 'reset_password')) return false;
    const link = await issueLink(tx, deps.config.publicUrl, {
      userId: user.id,
      purpose: 'reset_password',
      path: '/reset-password',
      validMinutes: resetLinkMinutes,
    });
    const t = translatorFor(user.locale);
    await enqueueEmail(tx, {
      to: user.email,
      subject: t('notify.passwordReset.subject'),
      text: t('notify.passwordReset.text', { minutes: resetLinkMinutes, link }),
    });
    await recordAudit(tx, { ...client.audit, actorUserId: user.id }, { action: 'auth.password.reset_requested', outcome: 'success' });
    return true;
  });
  if (queued) deps.kickMail();
}

/** Sets a new password from a reset link: the link works once, every session ends, the sign-in pause lifts. */
export async function resetPassword(deps: AuthDeps, token: string, password: string, client: ClientInfo): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const used = await redeemLink(tx, 'reset_password', token);
    const user = used ? await findUserById(tx, used.userId) : undefined;
    if (!user) throw new AppError(400, 'invalid_token', 'This reset link is not valid any more. Ask for a new one.');
    const problem = checkNewPassword(password, { username: user.username, email: user.email });
    if (problem) throw weakPassword(problem);
    await tx
      .update(users)
      .set({
        passwordHash: await hashPassword(password),
        passwordChangedAt: new Date(),
        emailVerifiedAt: user.emailVerifiedAt ?? new Date(),
      })
      .where(eq(users.id, user.id));
    await revokeAllSessions(tx, user.id);
    await clearAuthFailures(tx, user.id);
    await recordAudit(
      tx,
      { ...client.audit, actorUserId: user.id },
      { action: 'auth.password.reset', outcome: 'success', severity: 'high' },
    );
    const t = translatorFor(user.locale);
    await enqueueEmail(tx, { to: user.email, subject: t('notify.passwordChanged.subject'), text: t('notify.passwordChanged.resetText') });
  });
  deps.kickMail();
}

/** Changes the password of the signed-in user with the current one; other sessions end; the address is told. */
export async function changePassword(
  deps: AuthDeps,
  userId: string,
  sessionId: string,
  current: string,
  next: string,
  client: ClientInfo,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const user = await findUserById(tx, userId);
    if (!user || !(await verifyPassword(user.passwordHash, current))) {
      throw new AppError(400, 'invalid_credentials', 'Your current password is not right.', 'currentPassword');
    }
    const problem = checkNewPassword(next, { username: user.username, email: user.email });
    if (problem) throw weakPassword(problem, 'newPassword');
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(next), passwordChangedAt: new Date() })
      .where(eq(users.id, user.id));
    await revokeAllSessions(tx, user.id, sessionId);
    await recordAudit(
      tx,
      { ...client.audit, actorUserId: user.id },
      { action: 'auth.password.change', outcome: 'success', severity: 'high' },
    );
    const t = translatorFor(user.locale);
    await enqueueEmail(tx, { to: user.email, subject: t('notify.passwordChanged.subject'), text: t('notify.passwordChanged.text') });
  });
  deps.kickMail();
}
