import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { shareLinks, users } from '../../db/schema/index.ts';

/** A stored link as the service reads it. */
export type ShareLinkRow = typeof shareLinks.$inferSelect;

/** A link that can still be opened: not revoked, not locked, not past its expiry. */
function activeAt(now: Date) {
  return and(isNull(shareLinks.revokedAt), isNull(shareLinks.lockedAt), gt(shareLinks.expiresAt, now));
}

/** How many links of the patient can still be opened (the cap on active links). */
export async function countActiveLinks(db: Executor, patientId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(shareLinks)
    .where(and(eq(shareLinks.patientId, patientId), activeAt(now)));
  return row?.count ?? 0;
}

/**
 * Serialises link creation per patient until the transaction ends (an advisory lock, so nothing else waits on the
 * patient row): the caps are counted and the link inserted with no racing request in between.
 */
export async function lockPatientLinks(db: Executor, patientId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`share_links:${patientId}`}))`);
}

/** How many links were made on the patient since a moment, whatever became of them (the rolling cap). */
export async function countLinksCreatedSince(db: Executor, patientId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(shareLinks)
    .where(and(eq(shareLinks.patientId, patientId), gt(shareLinks.createdAt, since)));
  return row?.count ?? 0;
}

/** Leaves out the links made by one account (a teen's own, for a reader who may not see what the teen keeps private). */
function notCreatedBy(hiddenCreator: string | null) {
  return hiddenCreator === null ? undefined : ne(shareLinks.createdBy, hiddenCreator);
}

export async function insertLink(db: Executor, values: typeof shareLinks.$inferInsert): Promise<ShareLinkRow> {
  const [row] = await db.insert(shareLinks).values(values).returning();
  if (!row) throw new Error('share link insert returned no row');
  return row;
}

/** The patient's links, newest first (the 100 most recent: older ones are history), but those `hiddenCreator` made. */
export function listLinks(db: Executor, patientId: string, hiddenCreator: string | null = null): Promise<ShareLinkRow[]> {
  return db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.patientId, patientId), notCreatedBy(hiddenCreator)))
    .orderBy(desc(shareLinks.createdAt))
    .limit(100);
}

/** The patient's links that can still be opened, newest first (the Sharing and privacy page), but those `hiddenCreator` made. */
export function listActiveLinks(db: Executor, patientId: string, now: Date, hiddenCreator: string | null = null): Promise<ShareLinkRow[]> {
  return db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.patientId, patientId), activeAt(now), notCreatedBy(hiddenCreator)))
    .orderBy(desc(shareLinks.createdAt));
}

/**
 * Revokes one link of the patient: `missing` when the patient has no such link (or `hiddenCreator` made it: the reader
 * may not see it), `revoked` when this call revoked it, `already` when it was revoked before (the first revocation's
 * who and when are kept).
 */
export async function revokeLink(
  db: Executor,
  patientId: string,
  linkId: string,
  by: string,
  now: Date,
  hiddenCreator: string | null = null,
): Promise<'missing' | 'revoked' | 'already'> {
  const mine = and(eq(shareLinks.id, linkId), eq(shareLinks.patientId, patientId), notCreatedBy(hiddenCreator));
  const updated = await db
    .update(shareLinks)
    .set({ revokedAt: now, revokedBy: by })
    .where(and(mine, isNull(shareLinks.revokedAt)))
    .returning({ id: shareLinks.id });
  if (updated.length > 0) return 'revoked';
  const [exists] = await db.select({ id: shareLinks.id }).from(shareLinks).where(mine);
  return exists ? 'already' : 'missing';
}

/**
 * Revokes every link one account made on the patient that is not revoked yet (their access to the patient ended, so
 * what they shared ends with it); `by` is who ended it, null when no one did (found at an open). Answers the ids.
 */
export async function revokeLinksCreatedBy(
  db: Executor,
  patientId: string,
  creator: string,
  by: string | null,
  now: Date,
): Promise<string[]> {
  const rows = await db
    .update(shareLinks)
    .set({ revokedAt: now, revokedBy: by })
    .where(and(eq(shareLinks.patientId, patientId), eq(shareLinks.createdBy, creator), isNull(shareLinks.revokedAt)))
    .returning({ id: shareLinks.id });
  return rows.map((row) => row.id);
}

/** Whether an account exists and is not disabled (a disabled creator's links open no more: SECURITY.md "Sessions"). */
export async function isAccountEnabled(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.disabledAt)));
  return row !== undefined;
}

/** The link a token opens, locked for the passcode check so concurrent wrong tries are all counted. */
export async function findLinkByTokenForUpdate(db: Executor, tokenHash: string): Promise<ShareLinkRow | undefined> {
  const [row] = await db.select().from(shareLinks).where(eq(shareLinks.tokenHash, tokenHash)).for('update');
  return row;
}

/** Counts a wrong passcode; the `max`th locks the link. Returns the attempts so far. */
export async function recordWrongPasscode(db: Executor, linkId: string, max: number, now: Date): Promise<number> {
  const [row] = await db
    .update(shareLinks)
    .set({
      failedAttempts: sql`${shareLinks.failedAttempts} + 1`,
      lockedAt: sql`case when ${shareLinks.failedAttempts} + 1 >= ${max} then coalesce(${shareLinks.lockedAt}, ${now.toISOString()}::timestamptz) else ${shareLinks.lockedAt} end`,
    })
    .where(eq(shareLinks.id, linkId))
    .returning({ attempts: shareLinks.failedAttempts });
  return row?.attempts ?? max;
}

/**
 * Counts an open, only while the link can still be opened: false when it was revoked (or locked, or expired) since the
 * passcode was checked, so a revocation takes effect from its commit.
 */
export async function claimOpen(db: Executor, linkId: string, now: Date): Promise<boolean> {
  const updated = await db
    .update(shareLinks)
    .set({ openCount: sql`${shareLinks.openCount} + 1`, lastOpenedAt: now })
    .where(and(eq(shareLinks.id, linkId), activeAt(now)))
    .returning({ id: shareLinks.id });
  return updated.length > 0;
}
