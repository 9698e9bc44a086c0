import { and, asc, eq, gt, sql } from 'drizzle-orm';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { limits, type PasskeyView } from '@portico/shared';
import type { Config } from '../../config.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { sessions, webauthnCredentials } from '../../db/schema/index.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import type { AuthDeps, ClientInfo } from './auth.deps.ts';
import { answerChallenge, requirePassword, requireUser } from './mfa.service.ts';
import type { SessionRow } from './session.repository.ts';

type ChallengePurpose = 'register' | 'authenticate';

const transportNames: readonly AuthenticatorTransportFuture[] = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];

/** The relying party: the site's host name (RP ID) and origin, from the public URL the portal is served at. */
export function relyingPartyOf(config: Pick<Config, 'publicUrl'>) {
  const url = new URL(config.publicUrl);
  return { rpID: url.hostname, origin: url.origin, rpName: 'Portico' };
}

const notVerified = () =>
  new AppError(400, 'passkey_not_verified', 'That passkey could not be verified. Try again, or use another way to sign in.');
const noChallenge = () => new AppError(400, 'challenge_expired', 'The passkey request expired or was already used. Start again.');

/** Stores this session's one pending WebAuthn challenge (a new one replaces the old), valid 5 minutes. */
async function storeChallenge(db: Executor, sessionId: string, purpose: ChallengePurpose, challenge: string): Promise<void> {
  await db
    .update(sessions)
    .set({
      webauthnChallenge: challenge,
      webauthnChallengePurpose: purpose,
      webauthnChallengeExpiresAt: new Date(Date.now() + limits.passkeyChallengeMinutes * 60_000),
    })
    .where(eq(sessions.id, sessionId));
}

/** Takes the session's challenge for a purpose, once: it is cleared whatever the answer; null when absent or expired. */
async function takeChallenge(tx: Transaction, sessionId: string, purpose: ChallengePurpose): Promise<string | null> {
  const [row] = await tx
    .select({
      challenge: sessions.webauthnChallenge,
      purpose: sessions.webauthnChallengePurpose,
      expiresAt: sessions.webauthnChallengeExpiresAt,
    })
    .from(sessions)
    .where(eq(sessions.id, sessionId))
    .for('update');
  if (!row?.challenge) return null;
  await tx
    .update(sessions)
    .set({ webauthnChallenge: null, webauthnChallengePurpose: null, webauthnChallengeExpiresAt: null })
    .where(eq(sessions.id, sessionId));
  if (row.purpose !== purpose || !row.expiresAt || row.expiresAt <= new Date()) return null;
  return row.challenge;
}

function credentialsOf(db: Executor, userId: string) {
  return db.select().from(webauthnCredentials).where(eq(webauthnCredentials.userId, userId)).orderBy(asc(webauthnCredentials.createdAt));
}

function asTransports(values: readonly string[]): AuthenticatorTransportFuture[] {
  return values.filter((v): v is AuthenticatorTransportFuture => (transportNames as readonly string[]).includes(v));
}

/** The user's passkeys as the Security page lists them. */
export async function listPasskeys(db: Executor, userId: string) {
  const rows = await credentialsOf(db, userId);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
  }));
}

/**
 * Starts adding a passkey on a fully signed-in session, with the password again. Passkeys join an existing two-step
 * verification (an authenticator app comes first); the options exclude the passkeys already registered.
 */
export async function passkeyRegistrationOptions(deps: AuthDeps, session: SessionRow, password: string) {
  return deps.db.transaction(async (tx) => {
    const user = await requireUser(tx, session.userId);
    await requirePassword(user, password);
    if (!user.totpEnabledAt) throw conflict('Turn on two-step verification with an authenticator app first; then add a passkey.');
    const existing = await credentialsOf(tx, user.id);
    if (existing.length >= limits.passkeysPerUser) throw conflict(`You can have at most ${limits.passkeysPerUser} passkeys.`);
    const rp = relyingPartyOf(deps.config);
    const options = await generateRegistrationOptions({
      rpName: rp.rpName,
      rpID: rp.rpID,
      userName: user.username,
      userDisplayName: user.displayName,
      userID: new TextEncoder().encode(user.id),
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: asTransports(c.transports) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      timeout: limits.passkeyChallengeMinutes * 60_000,
    });
    await storeChallenge(tx, session.sessionId, 'register', options.challenge);
    return options;
  });
}

/** Finishes adding a passkey: the browser's answer is verified against this session's challenge, then stored. */
export async function registerPasskey(
  deps: AuthDeps,
  session: SessionRow,
  name: string,
  response: RegistrationResponseJSON,
  client: ClientInfo,
): Promise<PasskeyView> {
  const result = await deps.db.transaction(async (tx): Promise<{ error: AppError } | { passkey: PasskeyView }> => {
    const user = await requireUser(tx, session.userId);
    const challenge = await takeChallenge(tx, session.sessionId, 'register');
    if (!challenge) return { error: noChallenge() };
    const rp = relyingPartyOf(deps.config);
    let verification;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpID,
        requireUserVerification: false,
      });
    } catch {
      verification = null;
    }
    const info = verification?.verified ? verification.registrationInfo : undefined;
    if (!info) {
      await recordAudit(
        tx,
        { ...client.audit, actorUserId: user.id },
        { action: 'auth.mfa.enroll', outcome: 'failure', details: { method: 'passkey' } },
      );
      return { error: notVerified() };
    }
    const [stored] = await tx
      .insert(webauthnCredentials)
      .values({
        userId: user.id,
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey),
        counter: info.credential.counter,
        transports: asTransports(response.response.transports ?? []),
        name,
      })
      .onConflictDoNothing()
      .returning();
    if (!stored) return { error: conflict('This passkey is already registered.') };
    await recordAudit(
      tx,
      { ...client.audit, actorUserId: user.id },
      {
        action: 'auth.mfa.enroll',
        outcome: 'success',
        severity: 'high',
        objectType: 'Passkey',
        objectId: stored.id,
        details: { method: 'passkey' },
      },
    );
    const t = translatorFor(user.locale);
    await enqueueEmail(tx, { to: user.email, subject: t('notify.passkeyAdded.subject'), text: t('notify.passkeyAdded.text', { name }) });
    return {
      passkey: { id: stored.id, name: stored.name, createdAt: stored.createdAt.toISOString(), lastUsedAt: null },
    };
  });
  if ('error' in result) throw result.error;
  deps.kickMail();
  return result.passkey;
}

/** Removes one of the user's passkeys, with the password; tells the account's address. */
export async function removePasskey(deps: AuthDeps, userId: string, passkeyId: string, password: string, client: ClientInfo) {
  await deps.db.transaction(async (tx) => {
    const user = await requireUser(tx, userId);
    await requirePassword(user, password);
    const [removed] = await tx
      .delete(webauthnCredentials)
      .where(and(eq(webauthnCredentials.id, passkeyId), eq(webauthnCredentials.userId, user.id)))
      .returning({ id: webauthnCredentials.id, name: webauthnCredentials.name });
    if (!removed) throw notFound('The passkey');
    await recordAudit(
      tx,
      { ...client.audit, actorUserId: user.id },
      { action: 'auth.mfa.passkey_remove', outcome: 'success', severity: 'high', objectType: 'Passkey', objectId: removed.id },
    );
    const t = translatorFor(user.locale);
    await enqueueEmail(tx, {
      to: user.email,
      subject: t('notify.passkeyRemoved.subject'),
      text: t('notify.passkeyRemoved.text', { name: removed.name }),
    });
  });
  deps.kickMail();
}

/** Sign-in with a passkey, step one: options naming only this user's passkeys, and a fresh challenge on the pending session. */
export async function passkeySignInOptions(deps: AuthDeps, pending: SessionRow) {
  return deps.db.transaction(async (tx) => {
    const creds = await credentialsOf(tx, pending.userId);
    if (!creds.length) throw new AppError(400, 'no_passkey', 'This account has no passkey. Use another way to sign in.');
    const options = await generateAuthenticationOptions({
      rpID: relyingPartyOf(deps.config).rpID,
      allowCredentials: creds.map((c) => ({ id: c.credentialId, transports: asTransports(c.transports) })),
      userVerification: 'preferred',
      timeout: limits.passkeyChallengeMinutes * 60_000,
    });
    await storeChallenge(tx, pending.sessionId, 'authenticate', options.challenge);
    return options;
  });
}

/**
 * Sign-in with a passkey, step two: the assertion must answer this session's challenge (once) with one of this user's
 * passkeys, and its signature counter must grow (unless the authenticator keeps none). Then the session is activated
 * exactly as for a code, with the same failure counting.
 */
export async function verifyPasskeySignIn(deps: AuthDeps, pending: SessionRow, response: AuthenticationResponseJSON, client: ClientInfo) {
  const check = async (tx: Transaction, user: { id: string }): Promise<boolean> => {
    const challenge = await takeChallenge(tx, pending.sessionId, 'authenticate');
    if (!challenge) return false;
    const [cred] = await tx
      .select()
      .from(webauthnCredentials)
      .where(and(eq(webauthnCredentials.credentialId, response.id), eq(webauthnCredentials.userId, user.id)));
    if (!cred) return false;
    const rp = relyingPartyOf(deps.config);
    let newCounter: number;
    try {
      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.rpID,
        credential: { id: cred.credentialId, publicKey: new Uint8Array(cred.publicKey), counter: cred.counter },
        requireUserVerification: false,
      });
      if (!verification.verified) return false;
      newCounter = verification.authenticationInfo.newCounter;
    } catch {
      return false;
    }
    // The counter moves forward atomically: of two racing assertions with one counter, only one is accepted.
    const updated = await tx
      .update(webauthnCredentials)
      .set({ counter: newCounter, lastUsedAt: new Date() })
      .where(
        and(
          eq(webauthnCredentials.id, cred.id),
          newCounter === 0 ? sql`${webauthnCredentials.counter} = 0` : gt(sql`${newCounter}::bigint`, webauthnCredentials.counter),
        ),
      )
      .returning({ id: webauthnCredentials.id });
    return updated.length > 0;
  };
  return answerChallenge(deps, pending, 'passkey', check, notVerified, client);
}
