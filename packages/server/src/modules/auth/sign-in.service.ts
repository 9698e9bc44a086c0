import { eq, sql } from 'drizzle-orm';
import { limits, type ChallengeMethod, type SignInResponse } from '@portico/shared';
import { organizations } from '../../db/schema/index.ts';
import type { Executor } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { sha256Hex } from '../../security/crypto.ts';
import { verifyDecoy, verifyPassword } from '../../security/password.ts';
import { loadActor } from '../access/access.repository.ts';
import { describeAccess } from '../access/me.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { startSession, toMe, type AuthDeps, type ClientInfo } from './auth.deps.ts';
import { accountLocked } from '../sponsors/sponsor-locks.ts';
import { isSponsoredUserLocked } from '../sponsors/sponsors.repository.ts';
import type { Locale } from '@portico/shared/i18n';
import {
  clearAuthFailures,
  countAuthFailures,
  findUserByIdentifier,
  hasPasskeys,
  hasRecoveryCodes,
  insertAuthFailure,
  oldestAuthFailure,
  updatePreferences,
  type UserRow,
} from './user.repository.ts';

/** The outcome of a sign-in step: the API answer and, when a session began, its token for the cookie. */
export interface SignInOutcome {
  response: SignInResponse;
  token: string;
}

const pauseMs = limits.signInPauseMinutes * 60_000;

function pausedError(until: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new AppError(
    429,
    'too_many_attempts',
    `Too many unsuccessful sign-in attempts. For your security, sign-in to this account is paused for ${minutes} minute${minutes === 1 ? '' : 's'}. You can reset your password to sign in now.`,
  );
}

/** The user with what the API shows of them. */
export async function loadMe(db: Executor, user: UserRow) {
  const [org] = user.organizationId
    ? await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, user.organizationId))
    : [];
  const actor = await loadActor(db, user.id);
  const access = await describeAccess(db, actor, actor.memberships);
  return toMe(user, { organizationName: org?.name ?? null, patientId: actor.ownPatientId }, access);
}

/** Second factors this user can answer with. */
export async function mfaMethodsOf(db: Executor, user: UserRow): Promise<ChallengeMethod[]> {
  const methods: ChallengeMethod[] = [];
  if (user.totpEnabledAt) methods.push('totp');
  if (await hasPasskeys(db, user.id)) methods.push('passkey');
  methods.push('email');
  if (user.totpEnabledAt && (await hasRecoveryCodes(db, user.id))) methods.push('recovery');
  return methods;
}

/**
 * Password step of sign-in. Failures are counted per account (or per unknown name, so both look alike);
 * five in 15 minutes pause sign-in for that account, which a password reset lifts (SECURITY.md "Sign-in").
 */
export async function signIn(
  deps: AuthDeps,
  identifier: string,
  password: string,
  client: ClientInfo,
  locale?: Locale,
): Promise<SignInOutcome> {
  const result = await deps.db.transaction(async (tx) => {
    const found = await findUserByIdentifier(tx, identifier);
    const subjectKey = found ? found.id : `name:${sha256Hex(identifier.trim().toLowerCase())}`;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${subjectKey}))`);
    const windowStart = new Date(Date.now() - pauseMs);
    const { total: hourly, recent } = await countAuthFailures(tx, subjectKey, new Date(Date.now() - 3600_000), windowStart);
    const audit = { ...client.audit, actorUserId: found?.id ?? null };
    if (recent >= limits.signInFailuresBeforePause || hourly >= limits.signInFailuresPerHour) {
      await recordAudit(tx, audit, { action: 'auth.sign_in', outcome: 'denied', details: { reason: 'paused' } });
      const oldest = await oldestAuthFailure(tx, subjectKey, windowStart);
      return { error: pausedError(new Date((oldest ?? new Date()).getTime() + pauseMs)) };
    }
    const isValid = found ? await verifyPassword(found.passwordHash, password) : (await verifyDecoy(password), false);
    if (!found || !isValid) {
      await insertAuthFailure(tx, subjectKey, 'password');
      await recordAudit(tx, audit, {
        action: 'auth.sign_in',
        outcome: 'failure',
        details: { reason: found ? 'wrong_password' : 'unknown_account', failuresInWindow: recent + 1 },
      });
      if (recent + 1 >= limits.signInFailuresBeforePause) {
        if (found) {
          const t = translatorFor(found.locale);
          await enqueueEmail(tx, {
            to: found.email,
            subject: t('notify.signInPaused.subject'),
            text: t('notify.signInPaused.text', {
              failures: limits.signInFailuresBeforePause,
              minutes: limits.signInPauseMinutes,
              url: `${deps.config.publicUrl}/forgot-password`,
            }),
          });
        }
        return { error: pausedError(new Date(Date.now() + pauseMs)), mailed: found !== undefined };
      }
      return { error: new AppError(401, 'invalid_credentials', 'The username, email or password is not right.') };
    }
    if (found.disabledAt) {
      await recordAudit(tx, audit, { action: 'auth.sign_in', outcome: 'denied', details: { reason: 'disabled' } });
      return { error: new AppError(403, 'account_disabled', 'This account is disabled. Contact the support team.') };
    }
    if (await isSponsoredUserLocked(tx, found.id)) {
      await recordAudit(tx, audit, { action: 'auth.sign_in', outcome: 'denied', details: { reason: 'sponsor_validation_past_due' } });
      return { error: accountLocked() };
    }
    if (!found.emailVerifiedAt) {
      await recordAudit(tx, audit, { action: 'auth.sign_in', outcome: 'denied', details: { reason: 'email_not_verified' } });
      return { error: new AppError(403, 'email_not_verified', 'Confirm your email address first: open the link we sent you.') };
    }
    await clearAuthFailures(tx, subjectKey);
    // The language chosen on the sign-in page becomes the person's language (issue 10).
    const user = locale && locale !== found.locale ? { ...found, ...(await updatePreferences(tx, found.id, { locale })) } : found;
    const needsMfa = user.totpEnabledAt !== null || user.hasMemberships;
    if (needsMfa) {
      const started = await startSession(tx, deps, user, 'mfa_pending', client);
      await recordAudit(tx, audit, { action: 'auth.sign_in.password', outcome: 'success', details: { next: 'mfa' } });
      const enrollmentRequired = user.totpEnabledAt === null;
      const response: SignInResponse = {
        status: 'mfa_required',
        // Staff without an authenticator first prove their email, then enrol (first-enrolment takeover defence).
        methods: enrollmentRequired ? ['email'] : await mfaMethodsOf(tx, user),
        enrollmentRequired,
      };
      return { outcome: { response, token: started.token } };
    }
    const started = await startSession(tx, deps, user, 'active', client);
    await recordAudit(tx, audit, { action: 'auth.sign_in', outcome: 'success', objectType: 'Session', objectId: started.sessionId });
    const response: SignInResponse = { status: 'signed_in', user: await loadMe(tx, user), session: started.session };
    return { outcome: { response, token: started.token } };
  });
  if ('mailed' in result && result.mailed) deps.kickMail();
  if ('error' in result && result.error) throw result.error;
  if (!('outcome' in result) || !result.outcome) throw new Error('sign-in produced no outcome');
  return result.outcome;
}
