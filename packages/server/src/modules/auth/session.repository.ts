import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { organizations, patients, sessions, users } from '../../db/schema/index.ts';
import { grantsJson, membershipsJson, type OwnPatientRow } from '../access/access.repository.ts';
import { openValidationJson, sponsoredLockedSql } from '../sponsors/sponsor-locks.ts';

/** What a new session row needs. */
export interface NewSession {
  tokenHash: string;
  userId: string;
  state: 'mfa_pending' | 'active';
  idleTimeoutSeconds: number;
  absoluteExpiresAt: Date;
  userAgent: string | null;
  ipAddress: string | null;
}

/** Stores a session; only the token's hash is kept. */
export async function insertSession(db: Executor, session: NewSession): Promise<string> {
  const [row] = await db.insert(sessions).values(session).returning({ id: sessions.id });
  if (!row) throw new Error('session insert returned nothing');
  return row.id;
}

/** The session lookup every authenticated request makes: session, user, memberships and grants in one prepared round trip. */
export function prepareSessionLookup(db: Database) {
  return db
    .select({
      sessionId: sessions.id,
      state: sessions.state,
      idleTimeoutSeconds: sessions.idleTimeoutSeconds,
      lastSeenAt: sessions.lastSeenAt,
      absoluteExpiresAt: sessions.absoluteExpiresAt,
      mfaFailures: sessions.mfaFailures,
      enrollmentVerifiedAt: sessions.enrollmentVerifiedAt,
      userId: users.id,
      username: users.username,
      email: users.email,
      displayName: users.displayName,
      locale: users.locale,
      textSize: users.textSize,
      organizationName: organizations.name,
      totpEnabledAt: users.totpEnabledAt,
      disabledAt: users.disabledAt,
      patientId: patients.id,
      /** The own record as the policy and GET /api/me read it, so neither needs another query. */
      ownPatient: sql<OwnPatientRow | null>`case when ${patients.id} is null then null else json_build_object('id', ${patients.id}, 'organizationId', ${patients.organizationId}, 'birthDate', ${patients.birthDate}, 'userId', ${patients.userId}, 'timeZone', (select o.time_zone from organizations o where o.id = ${patients.organizationId}), 'givenName', ${patients.givenName}, 'familyName', ${patients.familyName}, 'pcpId', ${patients.pcpId}) end`,
      memberships: membershipsJson(users.id),
      grants: grantsJson(users.id),
      /** As a sponsor: the open Sponsored User Validation; past due, the actor loses the practice (issue 12 §1). */
      sponsorValidation: openValidationJson(users.id),
      /** As a sponsored user: their sponsor's validation is past due, so the session does not work (issue 12 §1). */
      sponsoredLocked: sponsoredLockedSql(users.id),
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(organizations, eq(organizations.id, users.organizationId))
    .leftJoin(patients, eq(patients.userId, users.id))
    .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), isNull(sessions.revokedAt)))
    .limit(1)
    .prepare('session_lookup');
}

/** One row of the session lookup. */
export type SessionRow = NonNullable<Awaited<ReturnType<ReturnType<typeof prepareSessionLookup>['execute']>>[number]>;

/** Marks activity, so the idle timer restarts. */
export async function touchSession(db: Executor, sessionId: string, at: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, sessionId));
}

/** Ends one session. */
export async function revokeSession(db: Executor, sessionId: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

/** Ends one of a user's sessions; false when it is not theirs or already ended. */
export async function revokeUserSession(db: Executor, userId: string, sessionId: string): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

/** Ends every session of a user, or every one but the given session. */
export async function revokeAllSessions(db: Executor, userId: string, exceptSessionId?: string): Promise<void> {
  const conditions = [eq(sessions.userId, userId), isNull(sessions.revokedAt)];
  if (exceptSessionId) conditions.push(ne(sessions.id, exceptSessionId));
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(...conditions));
}

/** Records that the pending session's owner proved their email, so they may enrol an authenticator. */
export async function markEnrollmentVerified(db: Executor, sessionId: string): Promise<void> {
  await db.update(sessions).set({ enrollmentVerifiedAt: new Date() }).where(eq(sessions.id, sessionId));
}

/** Counts a wrong second-factor guess and returns the new total. */
export async function addMfaFailure(db: Executor, sessionId: string): Promise<number> {
  const [row] = await db
    .update(sessions)
    .set({ mfaFailures: sql`${sessions.mfaFailures} + 1` })
    .where(eq(sessions.id, sessionId))
    .returning({ mfaFailures: sessions.mfaFailures });
  return row?.mfaFailures ?? Number.MAX_SAFE_INTEGER;
}

/** A user's active sessions, newest activity first. */
export function listActiveSessions(db: Executor, userId: string, now: Date) {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      userAgent: sessions.userAgent,
      ipAddress: sessions.ipAddress,
      idleTimeoutSeconds: sessions.idleTimeoutSeconds,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.state, 'active'), isNull(sessions.revokedAt), gt(sessions.absoluteExpiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
}
