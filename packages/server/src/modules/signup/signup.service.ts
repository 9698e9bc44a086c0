import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { SignUpBody } from '@portico/shared';
import { activationCodes, patients, users } from '../../db/schema/index.ts';
import type { Executor } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { hashHumanCode } from '../../security/crypto.ts';
import { checkNewPassword, hashPassword } from '../../security/password.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { issueLink, isSendLimitReached, redeemLink } from '../auth/link-token.ts';
import type { AuthDeps, ClientInfo } from '../auth/auth.deps.ts';
import { weakPassword } from '../auth/password.service.ts';
import { countAuthFailures, findUserByEmail, insertAuthFailure, type UserRow } from '../auth/user.repository.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { findPortalRules } from '../organization-settings/portal-rules.repository.ts';
import { isOldEnoughForOwnAccount, tooYoungForAccount } from './account-age.ts';

const verifyLinkHours = 24;
const notMatched = () =>
  new AppError(
    400,
    'patient_not_matched',
    'We could not match those details to a patient record. Check them against your visit papers, or call your clinic.',
  );
const alreadyActivated = () =>
  new AppError(409, 'already_activated', 'This patient record already has a portal account. Sign in, or reset your password.');

/** Finds the patient a sign-up claims, by activation code or by legal name + birth date + MRN. */
async function matchPatient(tx: Executor, input: SignUpBody) {
  if (input.method === 'activation_code') {
    const [row] = await tx
      .select({ patient: patients, codeId: activationCodes.id, redeemedAt: activationCodes.redeemedAt })
      .from(activationCodes)
      .innerJoin(patients, eq(patients.id, activationCodes.patientId))
      .where(
        and(
          eq(activationCodes.codeHash, hashHumanCode(input.activationCode)),
          eq(patients.birthDate, input.birthDate),
          gt(activationCodes.expiresAt, new Date()),
        ),
      )
      .limit(1);
    return row;
  }
  const [row] = await tx
    .select({ patient: patients })
    .from(patients)
    .where(
      and(
        eq(patients.mrn, input.mrn),
        eq(patients.birthDate, input.birthDate),
        sql`lower(${patients.givenName}) = ${input.givenName.toLowerCase()}`,
        sql`lower(${patients.familyName}) = ${input.familyName.toLowerCase()}`,
      ),
    )
    .limit(1);
  return row ? { ...row, codeId: null, redeemedAt: null } : undefined;
}

async function queueVerificationEmail(tx: Executor, deps: AuthDeps, user: Pick<UserRow, 'id' | 'email' | 'locale'>): Promise<void> {
  const link = await issueLink(tx, deps.config.publicUrl, {
    userId: user.id,
    purpose: 'verify_email',
    path: '/verify-email',
    validMinutes: verifyLinkHours * 60,
  });
  const t = translatorFor(user.locale);
  await enqueueEmail(tx, {
    to: user.email,
    subject: t('notify.verifyEmail.subject'),
    text: t('notify.verifyEmail.text', { hours: verifyLinkHours, link }),
  });
}

function isUniqueViolation(error: unknown): error is { code: string; constraint?: string } {
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  return typeof cause === 'object' && cause !== null && (cause as { code?: unknown }).code === '23505';
}

function constraintOf(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause ?? error;
  return (cause as { constraint?: string }).constraint ?? '';
}

/** A new account's username or email that is already taken, as the 409 that names the field; else null. */
export function accountConflict(error: unknown): AppError | null {
  if (!isUniqueViolation(error)) return null;
  const which = constraintOf(error);
  if (which === 'users_username_lower_key')
    return new AppError(409, 'username_taken', 'That username is taken; choose another.', 'username');
  if (which === 'users_email_lower_key')
    return new AppError(409, 'email_taken', 'That email address already has an account. Sign in, or reset your password.', 'email');
  return null;
}

/** Identity-matching misses allowed per client address per hour: slows guessing of MRN + birth date + name. */
const signUpMissesPerHour = 20;

/** A sign-up that matched no patient: counted for the limit and audited (its transaction rolled back). */
async function recordSignUpMiss(deps: AuthDeps, subjectKey: string, method: SignUpBody['method'], client: ClientInfo): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await insertAuthFailure(tx, subjectKey, 'signup_match');
    await recordAudit(
      tx,
      { ...client.audit, actorUserId: null },
      { action: 'account.sign_up', outcome: 'failure', details: { reason: 'not_matched', method } },
    );
  });
}

/**
 * A matched patient younger than their organization's teen account age: audited (the transaction that matched them was
 * rolled back). It is not counted towards the misses: the details matched, so it is no guess.
 */
async function recordTooYoung(deps: AuthDeps, patientId: string, method: SignUpBody['method'], client: ClientInfo): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await recordAudit(
      tx,
      { ...client.audit, actorUserId: null },
      {
        action: 'account.sign_up',
        outcome: 'failure',
        patientId,
        objectType: 'Patient',
        objectId: patientId,
        details: { reason: 'too_young', method },
      },
    );
  });
}

/** Opens a portal account for a matched patient; the email must be confirmed before the first sign-in. */
export async function signUp(deps: AuthDeps, input: SignUpBody, client: ClientInfo): Promise<{ email: string }> {
  const problem = checkNewPassword(input.password, { username: input.username, email: input.email });
  if (problem) throw weakPassword(problem);
  const subjectKey = `signup:${client.audit.ipAddress ?? 'unknown'}`;
  if ((await countAuthFailures(deps.db, subjectKey, new Date(Date.now() - 3600_000))).total >= signUpMissesPerHour) {
    throw new AppError(
      429,
      'too_many_attempts',
      'Too many sign-up attempts did not match a patient record. Try again in an hour, or call your clinic.',
    );
  }
  const passwordHash = await hashPassword(input.password);
  let tooYoungPatientId: string | null = null;
  try {
    await deps.db.transaction(async (tx) => {
      const match = await matchPatient(tx, input);
      if (!match) throw notMatched();
      if (match.patient.userId || match.redeemedAt) throw alreadyActivated();
      // Only after the match: the age refusal tells the person nothing they did not type (issue 11 §1).
      const rules = await findPortalRules(tx, match.patient.organizationId);
      if (rules && !isOldEnoughForOwnAccount(match.patient.birthDate, rules, new Date())) {
        tooYoungPatientId = match.patient.id;
        throw tooYoungForAccount(rules.teenAccountAge, rules.organizationName);
      }
      const [user] = await tx
        .insert(users)
        .values({
          organizationId: match.patient.organizationId,
          username: input.username,
          email: input.email,
          passwordHash,
          displayName: `${match.patient.givenName} ${match.patient.familyName}`,
          // The language the person signed up in (the page's): their emails, from the first one, are in it.
          locale: client.locale,
        })
        .returning({ id: users.id, email: users.email, locale: users.locale });
      if (!user) throw new Error('user insert returned nothing');
      const claimed = await tx
        .update(patients)
        .set({ userId: user.id })
        .where(and(eq(patients.id, match.patient.id), isNull(patients.userId)))
        .returning({ id: patients.id });
      if (claimed.length === 0) throw alreadyActivated();
      if (match.codeId) {
        const redeemed = await tx
          .update(activationCodes)
          .set({ redeemedAt: new Date() })
          .where(and(eq(activationCodes.id, match.codeId), isNull(activationCodes.redeemedAt)))
          .returning({ id: activationCodes.id });
        if (redeemed.length === 0) throw alreadyActivated();
      }
      await queueVerificationEmail(tx, deps, user);
      await recordAudit(
        tx,
        { ...client.audit, actorUserId: user.id },
        {
          action: 'account.sign_up',
          outcome: 'success',
          patientId: match.patient.id,
          objectType: 'User',
          objectId: user.id,
          details: { method: input.method },
        },
      );
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'patient_not_matched') await recordSignUpMiss(deps, subjectKey, input.method, client);
    if (tooYoungPatientId !== null) await recordTooYoung(deps, tooYoungPatientId, input.method, client);
    if (!isUniqueViolation(error)) throw error;
    throw accountConflict(error) ?? alreadyActivated();
  }
  deps.kickMail();
  return { email: input.email };
}

/** Confirms an email address from the link's token (used once). */
export async function verifyEmail(deps: AuthDeps, token: string, client: ClientInfo): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const used = await redeemLink(tx, 'verify_email', token);
    if (!used) throw new AppError(400, 'invalid_token', 'This confirmation link is not valid any more. Ask for a new one.');
    await tx
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(and(eq(users.id, used.userId), isNull(users.emailVerifiedAt)));
    await recordAudit(tx, { ...client.audit, actorUserId: used.userId }, { action: 'account.email_verified', outcome: 'success' });
  });
}

/** Sends a new confirmation link to an unconfirmed address; the same answer whatever the address. */
export async function resendVerification(deps: AuthDeps, email: string): Promise<void> {
  const queued = await deps.db.transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (!user || user.emailVerifiedAt) return false;
    if (await isSendLimitReached(tx, user.id, 'verify_email')) return false;
    await queueVerificationEmail(tx, deps, user);
    return true;
  });
  if (queued) deps.kickMail();
}
