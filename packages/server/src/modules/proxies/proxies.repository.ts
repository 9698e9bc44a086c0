import { and, desc, eq, gt, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { Locale } from '@portico/shared/i18n';
import type { Executor } from '../../db/client.ts';
import { accessGrants, organizations, patients, proxyInvitations, users } from '../../db/schema/index.ts';

/** Grants in force: not revoked, started, not ended (as the session lookup's grantsJson reads them). */
function inForce(now: Date) {
  return and(
    isNull(accessGrants.revokedAt),
    lte(accessGrants.startsAt, now),
    or(isNull(accessGrants.endsAt), gt(accessGrants.endsAt, now)),
  );
}

/** A grant on a patient as the Sharing and privacy page and the policy read it. */
export type SharingGrantRow = Awaited<ReturnType<typeof listSharingGrants>>[number];

/**
 * The grants in force on a patient, every kind but break-the-glass (staff), oldest first, with the grantee's name; with
 * `hiddenGranter`, not those that account granted (a teen's own, for a reader who may not see what the teen keeps private).
 */
export function listSharingGrants(db: Executor, patientId: string, now: Date, grantId?: string, hiddenGranter: string | null = null) {
  return db
    .select({
      id: accessGrants.id,
      kind: accessGrants.kind,
      relationship: accessGrants.relationship,
      level: accessGrants.level,
      categories: accessGrants.categories,
      sensitiveCategories: accessGrants.sensitiveCategories,
      grantedBy: accessGrants.grantedBy,
      granteeUserId: accessGrants.granteeUserId,
      granteeAppId: accessGrants.granteeAppId,
      granteeName: users.displayName,
      startsAt: accessGrants.startsAt,
      endsAt: accessGrants.endsAt,
    })
    .from(accessGrants)
    .leftJoin(users, eq(users.id, accessGrants.granteeUserId))
    .where(
      and(
        eq(accessGrants.patientId, patientId),
        ne(accessGrants.kind, 'break_glass'),
        inForce(now),
        grantId === undefined ? undefined : eq(accessGrants.id, grantId),
        hiddenGranter === null ? undefined : or(isNull(accessGrants.grantedBy), ne(accessGrants.grantedBy, hiddenGranter)),
      ),
    )
    .orderBy(accessGrants.startsAt, accessGrants.id);
}

/** Revokes a grant in force; the grantee's address and language for the notice, or nothing when it was not in force. */
export async function revokeGrant(tx: Executor, grantId: string, by: string, reason: string | null, now: Date) {
  const [row] = await tx
    .update(accessGrants)
    .set({ revokedAt: now, revokedBy: by, revokeReason: reason })
    .where(and(eq(accessGrants.id, grantId), inForce(now)))
    .returning({ granteeUserId: accessGrants.granteeUserId });
  return row;
}

/** Sets the sensitive categories a grant's holder may see. */
export async function setSensitiveCategories(tx: Executor, grantId: string, categories: readonly string[]): Promise<void> {
  await tx
    .update(accessGrants)
    .set({ sensitiveCategories: [...categories] })
    .where(eq(accessGrants.id, grantId));
}

/** A user's address and language, for a notice; null for a disabled account. */
export async function findMailbox(db: Executor, userId: string): Promise<{ email: string; locale: Locale } | null> {
  const [row] = await db
    .select({ email: users.email, locale: users.locale })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.disabledAt)));
  return row ?? null;
}

/** The organization's name and the language emails about the patient go out in (their account's, when they have one). */
export async function findPatientMailContext(db: Executor, patientId: string) {
  const [row] = await db
    .select({ organizationId: organizations.id, organizationName: organizations.name, locale: users.locale })
    .from(patients)
    .innerJoin(organizations, eq(organizations.id, patients.organizationId))
    .leftJoin(users, eq(users.id, patients.userId))
    .where(eq(patients.id, patientId));
  return row;
}

/** The columns of an invitation the patient's list shows. */
const invitationColumns = {
  id: proxyInvitations.id,
  email: proxyInvitations.email,
  name: proxyInvitations.name,
  level: proxyInvitations.level,
  areas: proxyInvitations.areas,
  status: proxyInvitations.status,
  createdAt: proxyInvitations.createdAt,
  expiresAt: proxyInvitations.expiresAt,
};

/** Leaves out the invitations one account sent (a teen's own, for a reader who may not see what the teen keeps private). */
function notInvitedBy(hiddenInviter: string | null) {
  return hiddenInviter === null ? undefined : ne(proxyInvitations.invitedBy, hiddenInviter);
}

/** A patient's invitations, newest first (the 50 most recent: older ones are history), but those `hiddenInviter` sent. */
export function listInvitations(db: Executor, patientId: string, hiddenInviter: string | null = null) {
  return db
    .select(invitationColumns)
    .from(proxyInvitations)
    .where(and(eq(proxyInvitations.patientId, patientId), notInvitedBy(hiddenInviter)))
    .orderBy(desc(proxyInvitations.createdAt), desc(proxyInvitations.id))
    .limit(50);
}

/** How many of a patient's invitations still wait for an answer. */
export async function countPendingInvitations(tx: Executor, patientId: string, now: Date): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(proxyInvitations)
    .where(and(eq(proxyInvitations.patientId, patientId), eq(proxyInvitations.status, 'pending'), gt(proxyInvitations.expiresAt, now)));
  return row?.count ?? 0;
}

/** How many invitations were sent on the patient since a moment, whatever became of them (the rolling cap). */
export async function countInvitationsSince(tx: Executor, patientId: string, since: Date): Promise<number> {
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(proxyInvitations)
    .where(and(eq(proxyInvitations.patientId, patientId), gt(proxyInvitations.createdAt, since)));
  return row?.count ?? 0;
}

/**
 * Serialises invitations per patient until the transaction ends (an advisory lock, so nothing else waits on the patient
 * row): the caps are counted and the invitation inserted with no racing request in between.
 */
export async function lockPatientInvitations(tx: Executor, patientId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`proxy_invitations:${patientId}`}))`);
}

/**
 * Cancels the invitations one account sent on the patient that still wait (their access ended, so their invitations
 * must not make a proxy); answers the ids.
 */
export async function cancelInvitationsSentBy(tx: Executor, patientId: string, inviter: string): Promise<string[]> {
  const rows = await tx
    .update(proxyInvitations)
    .set({ status: 'cancelled' })
    .where(and(eq(proxyInvitations.patientId, patientId), eq(proxyInvitations.invitedBy, inviter), eq(proxyInvitations.status, 'pending')))
    .returning({ id: proxyInvitations.id });
  return rows.map((row) => row.id);
}

/** Stores an invitation (the token's hash only). */
export async function insertInvitation(tx: Executor, values: typeof proxyInvitations.$inferInsert) {
  const [row] = await tx.insert(proxyInvitations).values(values).returning(invitationColumns);
  if (!row) throw new Error('invitation insert returned nothing');
  return row;
}

/**
 * Cancels a patient's invitation still waiting; the row when it did, else whether it exists at all (one `hiddenInviter`
 * sent counts as missing: the reader may not see it).
 */
export async function cancelInvitation(tx: Executor, patientId: string, invitationId: string, hiddenInviter: string | null = null) {
  const theirs = and(eq(proxyInvitations.id, invitationId), eq(proxyInvitations.patientId, patientId), notInvitedBy(hiddenInviter));
  const [row] = await tx
    .update(proxyInvitations)
    .set({ status: 'cancelled' })
    .where(and(theirs, eq(proxyInvitations.status, 'pending')))
    .returning({ id: proxyInvitations.id });
  if (row) return 'cancelled' as const;
  const [existing] = await tx.select({ id: proxyInvitations.id }).from(proxyInvitations).where(theirs);
  return existing ? ('not_pending' as const) : ('missing' as const);
}

/** An invitation by its token's hash, with what the invitee may see and what acceptance checks; locked for update. */
export async function findInvitationByToken(tx: Executor, tokenHash: string, lock: boolean) {
  const query = tx
    .select({
      id: proxyInvitations.id,
      patientId: proxyInvitations.patientId,
      organizationId: proxyInvitations.organizationId,
      organizationName: organizations.name,
      invitedBy: proxyInvitations.invitedBy,
      name: proxyInvitations.name,
      level: proxyInvitations.level,
      areas: proxyInvitations.areas,
      status: proxyInvitations.status,
      failedAttempts: proxyInvitations.failedAttempts,
      expiresAt: proxyInvitations.expiresAt,
      acceptedBy: proxyInvitations.acceptedBy,
      email: proxyInvitations.email,
      birthDate: sql<string>`${patients.birthDate}::text`,
      givenName: patients.givenName,
      familyName: patients.familyName,
    })
    .from(proxyInvitations)
    .innerJoin(organizations, eq(organizations.id, proxyInvitations.organizationId))
    .innerJoin(patients, eq(patients.id, proxyInvitations.patientId))
    .where(eq(proxyInvitations.tokenHash, tokenHash));
  const [row] = lock ? await query.for('update', { of: proxyInvitations }) : await query;
  return row;
}

/** Counts a wrong birth date; the fifth locks the invitation. Returns the new count. */
export async function recordFailedAttempt(tx: Executor, invitationId: string, lockAt: number): Promise<number> {
  const [row] = await tx
    .update(proxyInvitations)
    .set({
      failedAttempts: sql`${proxyInvitations.failedAttempts} + 1`,
      status: sql`case when ${proxyInvitations.failedAttempts} + 1 >= ${lockAt} then 'locked' else ${proxyInvitations.status} end`,
    })
    .where(eq(proxyInvitations.id, invitationId))
    .returning({ failedAttempts: proxyInvitations.failedAttempts });
  return row?.failedAttempts ?? lockAt;
}

/** Whether the user already holds a proxy grant in force on the patient. */
export async function hasActiveProxy(tx: Executor, userId: string, patientId: string, now: Date): Promise<boolean> {
  const [row] = await tx
    .select({ id: accessGrants.id })
    .from(accessGrants)
    .where(and(eq(accessGrants.granteeUserId, userId), eq(accessGrants.patientId, patientId), eq(accessGrants.kind, 'proxy'), inForce(now)))
    .limit(1);
  return row !== undefined;
}

/**
 * A person's proxy grants on a patient that are past their end date: they give nothing, but still hold the one-proxy
 * index (it reads only revoked_at), so a new grant for the same person (staff set-up, an accepted invitation) closes
 * them first, with the reason.
 */
export async function retireEndedProxyGrants(tx: Executor, userId: string, patientId: string, now: Date): Promise<void> {
  await tx
    .update(accessGrants)
    .set({ revokedAt: now, revokeReason: 'ended: past its end date' })
    .where(
      and(
        eq(accessGrants.granteeUserId, userId),
        eq(accessGrants.patientId, patientId),
        eq(accessGrants.kind, 'proxy'),
        isNull(accessGrants.revokedAt),
        lte(accessGrants.endsAt, now),
      ),
    );
}

/**
 * The proxy grant an accepted invitation makes, and the invitation marked accepted with it; undefined when the person
 * already holds a proxy grant on the patient that is not in force yet (the one-proxy index refuses a second).
 */
export async function acceptInvitation(
  tx: Executor,
  invitation: { id: string; patientId: string; invitedBy: string },
  userId: string,
  categories: readonly string[],
  now: Date,
): Promise<string | undefined> {
  await retireEndedProxyGrants(tx, userId, invitation.patientId, now);
  const [grant] = await tx
    .insert(accessGrants)
    .values({
      granteeUserId: userId,
      patientId: invitation.patientId,
      kind: 'proxy',
      relationship: 'invited',
      level: 'full',
      categories: [...categories],
      grantedBy: invitation.invitedBy,
      startsAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: accessGrants.id });
  if (!grant) return undefined;
  await tx
    .update(proxyInvitations)
    .set({ status: 'accepted', acceptedBy: userId, acceptedAt: now, grantId: grant.id })
    .where(eq(proxyInvitations.id, invitation.id));
  return grant.id;
}

/** A portal account opened with an invitation (no patient record of its own); answers its id. */
export async function insertInvitedUser(tx: Executor, values: typeof users.$inferInsert): Promise<string> {
  const [user] = await tx.insert(users).values(values).returning({ id: users.id });
  if (!user) throw new Error('user insert returned nothing');
  return user.id;
}
