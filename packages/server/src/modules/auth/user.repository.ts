import { and, count, eq, getTableColumns, gt, isNull, or, sql } from 'drizzle-orm';
import type { Locale, TextSize } from '@portico/shared/i18n';
import type { Executor } from '../../db/client.ts';
import { authFailures, oneTimeTokens, recoveryCodes, users, webauthnCredentials } from '../../db/schema/index.ts';
import { hasMembershipSql, qualifiedUserId } from '../access/access.repository.ts';

/** A user's columns and whether they hold a membership (which decides MFA and the idle timeout). */
const userColumns = { ...getTableColumns(users), hasMemberships: hasMembershipSql(qualifiedUserId) };

/** A user by username or email, case-insensitively (issue 2: sign in with either). */
export async function findUserByIdentifier(db: Executor, identifier: string) {
  const lower = identifier.trim().toLowerCase();
  const [row] = await db
    .select(userColumns)
    .from(users)
    .where(or(sql`lower(${users.username}) = ${lower}`, sql`lower(${users.email}) = ${lower}`))
    .limit(1);
  return row;
}

/** A user by id. */
export async function findUserById(db: Executor, id: string) {
  const [row] = await db.select(userColumns).from(users).where(eq(users.id, id)).limit(1);
  return row;
}

/** A user by email, case-insensitively. */
export async function findUserByEmail(db: Executor, email: string) {
  const [row] = await db
    .select(userColumns)
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
    .limit(1);
  return row;
}

/** A users row. */
export type UserRow = NonNullable<Awaited<ReturnType<typeof findUserById>>>;

/** Stores the person's language and/or text size; returns both as they now stand. */
export async function updatePreferences(db: Executor, userId: string, changes: { locale?: Locale; textSize?: TextSize }) {
  const [row] = await db
    .update(users)
    .set({ ...(changes.locale ? { locale: changes.locale } : {}), ...(changes.textSize ? { textSize: changes.textSize } : {}) })
    .where(eq(users.id, userId))
    .returning({ locale: users.locale, textSize: users.textSize });
  return row;
}

/** Failures recorded for a subject since a moment, and how many of them since a later one, in one query. */
export async function countAuthFailures(
  db: Executor,
  subjectKey: string,
  since: Date,
  recentSince: Date = since,
): Promise<{ total: number; recent: number }> {
  const [row] = await db
    .select({
      total: count(),
      recent: sql<number>`(count(*) filter (where ${authFailures.occurredAt} > ${recentSince.toISOString()}))::int`,
    })
    .from(authFailures)
    .where(and(eq(authFailures.subjectKey, subjectKey), gt(authFailures.occurredAt, since)));
  return { total: row?.total ?? 0, recent: row?.recent ?? 0 };
}

/** The oldest failure of a subject since a moment (when the pause ends). */
export async function oldestAuthFailure(db: Executor, subjectKey: string, since: Date): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<string>`min(${authFailures.occurredAt})` })
    .from(authFailures)
    .where(and(eq(authFailures.subjectKey, subjectKey), gt(authFailures.occurredAt, since)));
  return row?.at ? new Date(row.at) : null;
}

/** Records one failed attempt. */
export async function insertAuthFailure(db: Executor, subjectKey: string, kind: string): Promise<void> {
  await db.insert(authFailures).values({ subjectKey, kind });
}

/** Forgets a subject's failures: after a success or a password reset. */
export async function clearAuthFailures(db: Executor, subjectKey: string): Promise<void> {
  await db.delete(authFailures).where(eq(authFailures.subjectKey, subjectKey));
}

/** Stores a single-use token or code (hash only). */
export async function insertOneTimeToken(
  db: Executor,
  token: {
    userId: string;
    purpose: 'verify_email' | 'reset_password' | 'email_mfa' | 'change_email' | 'provider_activation';
    tokenHash: string;
    expiresAt: Date;
    sessionId?: string;
    newEmail?: string;
  },
): Promise<void> {
  await db.insert(oneTimeTokens).values(token);
}

/** Uses a token once: marks it used and returns its user, or nothing when unknown, used or expired. */
export async function consumeOneTimeToken(
  db: Executor,
  purpose: 'verify_email' | 'reset_password' | 'change_email' | 'provider_activation',
  tokenHash: string,
) {
  const [row] = await db
    .update(oneTimeTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(oneTimeTokens.purpose, purpose),
        eq(oneTimeTokens.tokenHash, tokenHash),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, new Date()),
      ),
    )
    .returning({ userId: oneTimeTokens.userId, newEmail: oneTimeTokens.newEmail });
  return row;
}

/** How many tokens of a purpose a user was sent since a moment (send rate limits). */
export async function countRecentTokens(db: Executor, userId: string, purpose: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.userId, userId), eq(oneTimeTokens.purpose, purpose), gt(oneTimeTokens.createdAt, since)));
  return row?.n ?? 0;
}

/** Replaces a user's recovery codes with new hashes. */
export async function replaceRecoveryCodes(db: Executor, userId: string, codeHashes: string[]): Promise<void> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  if (codeHashes.length) await db.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ userId, codeHash })));
}

/** Uses a recovery code once; true when it matched an unused one. */
export async function consumeRecoveryCode(db: Executor, userId: string, codeHash: string): Promise<boolean> {
  const rows = await db
    .update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return rows.length > 0;
}

/** Whether the user has any unused recovery code. */
export async function hasRecoveryCodes(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return (row?.n ?? 0) > 0;
}

/** Whether the user has a passkey (the sign-in challenge then offers it). */
export async function hasPasskeys(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(webauthnCredentials).where(eq(webauthnCredentials.userId, userId));
  return (row?.n ?? 0) > 0;
}
