import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { limits, type ChallengeMethod, type MfaMethod } from '@portico/shared';
import type { Executor, Transaction } from '../../db/client.ts';
import { oneTimeTokens, users, webauthnCredentials } from '../../db/schema/index.ts';
import { AppError, conflict, forbidden } from '../../errors.ts';
import { generateHumanCode, generateNumericCode, hashHumanCode, isSameDigest, sha256Hex } from '../../security/crypto.ts';
import { verifyPassword } from '../../security/password.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { isSendLimitReached } from './link-token.ts';
import { startSession, type AuthDeps, type ClientInfo } from './auth.deps.ts';
import { addMfaFailure, markEnrollmentVerified, revokeSession, type SessionRow } from './session.repository.ts';
import { loadMe } from './sign-in.service.ts';
import { consumeRecoveryCode, findUserById, insertOneTimeToken, replaceRecoveryCodes, type UserRow } from './user.repository.ts';
import { generateTotpSecret, matchTotpStep, totpUrl } from './totp.ts';

/** A staff member whose role needs MFA and who has no authenticator yet. */
function isMustEnrol(user: UserRow): boolean {
  return user.hasMemberships && !user.totpEnabledAt;
}

/** During sign-in, an unenrolled staff member may enrol only after proving their email on this session. */
function assertMayEnrolWhilePending(user: UserRow, session: SessionRow): void {
  if (isMustEnrol(user) && !session.enrollmentVerifiedAt) {
    throw forbidden('Confirm the code we emailed you before setting up an authenticator app.');
  }
}

const invalidCode = () => new AppError(400, 'invalid_code', 'That code is not right, or it has expired. Try again.');

export async function requireUser(db: Executor, id: string): Promise<UserRow> {
  const user = await findUserById(db, id);
  if (!user) throw new AppError(401, 'unauthenticated', 'Sign in to continue.');
  return user;
}

export async function requirePassword(user: UserRow, password: string | undefined): Promise<void> {
  if (!password || !(await verifyPassword(user.passwordHash, password))) {
    throw new AppError(400, 'invalid_credentials', 'Your current password is needed for this change, and it was not right.', 'password');
  }
}

/** Checks a TOTP code once: a code accepted for a time step cannot be replayed (RFC 6238 5.2). */
async function acceptTotp(tx: Executor, user: UserRow, secret: string, code: string): Promise<boolean> {
  const step = matchTotpStep(secret, code);
  if (step === null || (user.totpLastStep !== null && step <= user.totpLastStep)) return false;
  await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id));
  return true;
}

async function acceptEmailCode(tx: Executor, session: SessionRow, code: string): Promise<boolean> {
  const [token] = await tx
    .select()
    .from(oneTimeTokens)
    .where(
      and(
        eq(oneTimeTokens.sessionId, session.sessionId),
        eq(oneTimeTokens.purpose, 'email_mfa'),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(oneTimeTokens.createdAt))
    .limit(1);
  if (!token || !isSameDigest(token.tokenHash, sha256Hex(code))) return false;
  await tx.update(oneTimeTokens).set({ usedAt: new Date() }).where(eq(oneTimeTokens.id, token.id));
  return true;
}

/** Completes sign-in: the pending session ends and a new one (new id) begins, fully signed in. */
async function completeSignIn(tx: Transaction, deps: AuthDeps, pending: SessionRow, user: UserRow, client: ClientInfo) {
  await revokeSession(tx, pending.sessionId);
  const started = await startSession(tx, deps, user, 'active', client);
  await recordAudit(
    tx,
    { ...client.audit, actorUserId: user.id },
    {
      action: 'auth.sign_in',
      outcome: 'success',
      objectType: 'Session',
      objectId: started.sessionId,
      details: { mfa: true },
    },
  );
  return { token: started.token, user: await loadMe(tx, user), session: started.session };
}

/**
 * Answers a pending sign-in's challenge with one second factor: `check` says whether the answer is right (and uses it up).
 * Right: the session is activated (or, for a staff member who must enrol, marked email-verified). Wrong: the failure is
 * counted and audited in the same transaction, and the fifth ends the challenge (SECURITY.md "Sign-in and MFA").
 */
export async function answerChallenge(
  deps: AuthDeps,
  pending: SessionRow,
  method: ChallengeMethod,
  check: (tx: Transaction, user: UserRow) => Promise<boolean>,
  wrongAnswer: () => AppError,
  client: ClientInfo,
) {
  const result = await deps.db.transaction(async (tx) => {
    const user = await requireUser(tx, pending.userId);
    const audit = { ...client.audit, actorUserId: user.id };
    const isValid = await check(tx, user);
    if (isValid && isMustEnrol(user)) {
      await markEnrollmentVerified(tx, pending.sessionId);
      await recordAudit(tx, audit, { action: 'auth.mfa', outcome: 'success', details: { method, next: 'enrolment' } });
      return { ok: null };
    }
    if (isValid) {
      await recordAudit(tx, audit, { action: 'auth.mfa', outcome: 'success', details: { method } });
      return { ok: await completeSignIn(tx, deps, pending, user, client) };
    }
    const failures = await addMfaFailure(tx, pending.sessionId);
    await recordAudit(tx, audit, { action: 'auth.mfa', outcome: 'failure', details: { method, failures } });
    if (failures >= limits.oneTimeCodeMaxGuesses) {
      await revokeSession(tx, pending.sessionId);
      return { error: new AppError(429, 'challenge_exhausted', 'Too many wrong codes. Sign in again to get a new challenge.') };
    }
    return { error: wrongAnswer() };
  });
  if (result.error) throw result.error;
  return result.ok;
}

/** Second step of sign-in: a TOTP, emailed or recovery code. Five wrong guesses end the challenge. */
export async function verifyMfa(deps: AuthDeps, pending: SessionRow, method: MfaMethod, code: string, client: ClientInfo) {
  const check = async (tx: Transaction, user: UserRow): Promise<boolean> => {
    if (method === 'totp') return user.totpEnabledAt && user.totpSecret ? acceptTotp(tx, user, user.totpSecret, code) : false;
    if (method === 'email') return acceptEmailCode(tx, pending, code);
    return user.totpEnabledAt ? consumeRecoveryCode(tx, user.id, hashHumanCode(code)) : false;
  };
  return answerChallenge(deps, pending, method, check, invalidCode, client);
}

/** Emails a 6-digit code for this pending sign-in; valid 10 minutes, once; sends are rate limited. */
export async function sendEmailCode(deps: AuthDeps, pending: SessionRow, client: ClientInfo): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const user = await requireUser(tx, pending.userId);
    if (await isSendLimitReached(tx, user.id, 'email_mfa')) {
      throw new AppError(429, 'too_many_requests', 'We have sent several codes already. Use the latest one, or wait an hour.');
    }
    const code = generateNumericCode(6);
    await insertOneTimeToken(tx, {
      userId: user.id,
      purpose: 'email_mfa',
      tokenHash: sha256Hex(code),
      sessionId: pending.sessionId,
      expiresAt: new Date(Date.now() + limits.oneTimeCodeMinutes * 60_000),
    });
    const t = translatorFor(user.locale);
    await enqueueEmail(tx, {
      to: user.email,
      subject: t('notify.mfaCode.subject'),
      text: t('notify.mfaCode.text', { code, minutes: limits.oneTimeCodeMinutes }),
    });
    await recordAudit(tx, { ...client.audit, actorUserId: user.id }, { action: 'auth.mfa.email_code_sent', outcome: 'success' });
  });
  deps.kickMail();
}

/** Starts TOTP enrolment: stores a new secret, not yet enabled, and shows it once. */
export async function setupTotp(deps: AuthDeps, session: SessionRow, isPending: boolean, password: string | undefined) {
  return deps.db.transaction(async (tx) => {
    const user = await requireUser(tx, session.userId);
    if (user.totpEnabledAt) throw conflict('An authenticator app is already set up. Turn it off first to replace it.');
    if (isPending) assertMayEnrolWhilePending(user, session);
    else await requirePassword(user, password);
    const secret = generateTotpSecret();
    await tx.update(users).set({ totpSecret: secret, totpLastStep: null }).where(eq(users.id, user.id));
    return { secret, otpauthUrl: totpUrl(secret, user.username) };
  });
}

/** Finishes TOTP enrolment with a code from the app; issues recovery codes; completes a pending sign-in. */
export async function enableTotp(
  deps: AuthDeps,
  session: SessionRow,
  isPending: boolean,
  code: string,
  password: string | undefined,
  client: ClientInfo,
) {
  const result = await deps.db.transaction(async (tx) => {
    const user = await requireUser(tx, session.userId);
    if (user.totpEnabledAt) throw conflict('An authenticator app is already set up.');
    if (isPending) assertMayEnrolWhilePending(user, session);
    else await requirePassword(user, password);
    if (!user.totpSecret || !(await acceptTotp(tx, user, user.totpSecret, code))) throw invalidCode();
    await tx.update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, user.id));
    const recoveryCodes = Array.from({ length: limits.recoveryCodeCount }, () => generateHumanCode(12));
    await replaceRecoveryCodes(tx, user.id, recoveryCodes.map(hashHumanCode));
    await recordAudit(
      tx,
      { ...client.audit, actorUserId: user.id },
      { action: 'auth.mfa.enroll', outcome: 'success', severity: 'high', details: { method: 'totp' } },
    );
    const t = translatorFor(user.locale);
    await enqueueEmail(tx, { to: user.email, subject: t('notify.totpOn.subject'), text: t('notify.totpOn.text') });
    const updated = { ...user, totpEnabledAt: new Date() };
    if (isPending) return { recoveryCodes, ...(await completeSignIn(tx, deps, session, updated, client)) };
    return { recoveryCodes, token: null, user: await loadMe(tx, updated), session: null };
  });
  deps.kickMail();
  return result;
}

/** Turns TOTP off (patients only: staff must keep MFA), with the password, and tells the account's address. */
export async function disableTotp(deps: AuthDeps, userId: string, password: string, client: ClientInfo): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const user = await requireUser(tx, userId);
    if (user.hasMemberships) throw forbidden('Your role requires two-step verification; it cannot be turned off.');
    await requirePassword(user, password);
    await tx.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null }).where(eq(users.id, user.id));
    await replaceRecoveryCodes(tx, user.id, []);
    // Passkeys are a second factor beside the app: with two-step verification off, they go too.
    await tx.delete(webauthnCredentials).where(eq(webauthnCredentials.userId, user.id));
    await recordAudit(tx, { ...client.audit, actorUserId: user.id }, { action: 'auth.mfa.disable', outcome: 'success', severity: 'high' });
    const t = translatorFor(user.locale);
    await enqueueEmail(tx, { to: user.email, subject: t('notify.totpOff.subject'), text: t('notify.totpOff.text') });
  });
  deps.kickMail();
}

/** New recovery codes (old ones stop working), with the password. */
export async function regenerateRecoveryCodes(deps: AuthDeps, userId: string, password: string, client: ClientInfo) {
  return deps.db.transaction(async (tx) => {
    const user = await requireUser(tx, userId);
    if (!user.totpEnabledAt) throw conflict('Set up an authenticator app first.');
    await requirePassword(user, password);
    const recoveryCodes = Array.from({ length: limits.recoveryCodeCount }, () => generateHumanCode(12));
    await replaceRecoveryCodes(tx, user.id, recoveryCodes.map(hashHumanCode));
    await recordAudit(
      tx,
      { ...client.audit, actorUserId: user.id },
      { action: 'auth.mfa.recovery_codes', outcome: 'success', severity: 'high' },
    );
    return { recoveryCodes };
  });
}
