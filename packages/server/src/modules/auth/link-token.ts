import { limits } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { generateToken, sha256Hex } from '../../security/crypto.ts';
import { consumeOneTimeToken, countRecentTokens, insertOneTimeToken } from './user.repository.ts';

/** Purposes of the single-use links the portal emails. */
export type LinkPurpose = 'verify_email' | 'reset_password' | 'change_email' | 'provider_activation';

/**
 * Stores a new single-use link token (its hash only) and returns the link. The token travels in the fragment,
 * so it never reaches a server log, a proxy or a Referer header.
 */
export async function issueLink(
  tx: Executor,
  publicUrl: string,
  link: { userId: string; purpose: LinkPurpose; path: string; validMinutes: number; newEmail?: string },
): Promise<string> {
  const token = generateToken();
  await insertOneTimeToken(tx, {
    userId: link.userId,
    purpose: link.purpose,
    tokenHash: sha256Hex(token),
    expiresAt: new Date(Date.now() + link.validMinutes * 60_000),
    ...(link.newEmail ? { newEmail: link.newEmail } : {}),
  });
  return `${publicUrl}${link.path}#token=${token}`;
}

/** Uses a link token once; its user (and the address an email-change link confirms), or nothing. */
export function redeemLink(tx: Executor, purpose: LinkPurpose, token: string) {
  return consumeOneTimeToken(tx, purpose, sha256Hex(token));
}

/** Whether a user has been sent as many codes or links of a purpose this hour as the limit allows. */
export async function isSendLimitReached(tx: Executor, userId: string, purpose: LinkPurpose | 'email_mfa'): Promise<boolean> {
  return (await countRecentTokens(tx, userId, purpose, new Date(Date.now() - 3600_000))) >= limits.emailCodeSendsPerHour;
}
