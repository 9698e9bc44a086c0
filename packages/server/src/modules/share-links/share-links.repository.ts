import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { shareLinks } from '../../db/schema/index.ts';

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

export async function insertLink(db: Executor, values: typeof shareLinks.$inferInsert): Promise<ShareLinkRow> {
  const [row] = await db.insert(shareLinks).values(values).returning();
  if (!row) throw new Error('share link insert returned no row');
  return row;
}

/** The patient's links, newest first (the 100 most recent: older ones are history). */
export function listLinks(db: Executor, patientId: string): Promise<ShareLinkRow[]> {
  return db.select().from(shareLinks).where(eq(shareLinks.patientId, patientId)).orderBy(desc(shareLinks.createdAt)).limit(100);
}

/** The patient's links that can still be opened, newest first (the Sharing and privacy page). */
export function listActiveLinks(db: Executor, patientId: string, now: Date): Promise<ShareLinkRow[]> {
  return db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.patientId, patientId), activeAt(now)))
    .orderBy(desc(shareLinks.createdAt));
}

/**
 * Revokes one link of the patient: `missing` when the patient has no such link, `revoked` when this call revoked it,
 * `already` when it was revoked before (the first revocation's who and when are kept).
 */
export async function revokeLink(
  db: Executor,
  patientId: string,
  linkId: string,
  by: string,
  now: Date,
): Promise<'missing' | 'revoked' | 'already'> {
  const updated = await db
    .update(shareLinks)
    .set({ revokedAt: now, revokedBy: by })
    .where(and(eq(shareLinks.id, linkId), eq(shareLinks.patientId, patientId), isNull(shareLinks.revokedAt)))
    .returning({ id: shareLinks.id });
  if (updated.length > 0) return 'revoked';
  const [exists] = await db
    .select({ id: shareLinks.id })
    .from(shareLinks)
    .where(and(eq(shareLinks.id, linkId), eq(shareLinks.patientId, patientId)));
  return exists ? 'already' : 'missing';
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
