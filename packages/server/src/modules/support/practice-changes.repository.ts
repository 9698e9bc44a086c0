/** SQL for practice changes (issue 12 §1): the provider's request and support's move of their membership. */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.ts';
import { memberships, practiceChangeRequests, practices, users } from '../../db/schema/index.ts';

const oldPractices = alias(practices, 'old_practices');
const newPractices = alias(practices, 'new_practices');

const changeColumns = {
  change: practiceChangeRequests,
  oldPracticeName: oldPractices.name,
  newPracticeName: newPractices.name,
  newPracticeAddress: newPractices.address,
  newPracticePhone: newPractices.phone,
  newPracticeFax: newPractices.fax,
  requesterName: users.displayName,
  requesterCredentials: users.credentials,
  requesterNpi: users.npi,
  requesterEmail: users.email,
};

/** A practice change with its practices' names and its requester. */
export type PracticeChangeRow = Awaited<ReturnType<typeof listPracticeChanges>>[number];

function changeQuery(db: Executor) {
  return db
    .select(changeColumns)
    .from(practiceChangeRequests)
    .innerJoin(users, eq(users.id, practiceChangeRequests.userId))
    .leftJoin(oldPractices, eq(oldPractices.id, practiceChangeRequests.oldPracticeId))
    .leftJoin(newPractices, eq(newPractices.id, practiceChangeRequests.newPracticeId));
}

const isPendingSql = sql`${practiceChangeRequests.status} = 'pending'`;

/** Stores a provider's request; undefined when one of theirs already waits (the partial unique index). */
export async function insertPracticeChange(tx: Executor, values: typeof practiceChangeRequests.$inferInsert) {
  const [row] = await tx
    .insert(practiceChangeRequests)
    .values(values)
    .onConflictDoNothing({ target: practiceChangeRequests.userId, where: isPendingSql })
    .returning({ id: practiceChangeRequests.id });
  return row;
}

/** The user's latest practice change. */
export async function findLatestPracticeChange(db: Executor, userId: string): Promise<PracticeChangeRow | undefined> {
  const [row] = await changeQuery(db)
    .where(eq(practiceChangeRequests.userId, userId))
    .orderBy(desc(practiceChangeRequests.createdAt), desc(practiceChangeRequests.id))
    .limit(1);
  return row;
}

/** One practice change of an organization. */
export async function findPracticeChange(db: Executor, organizationId: string, id: string): Promise<PracticeChangeRow | undefined> {
  const [row] = await changeQuery(db).where(
    and(eq(practiceChangeRequests.id, id), eq(practiceChangeRequests.organizationId, organizationId)),
  );
  return row;
}

/** The organization's practice changes of a status, oldest first (at most 200). */
export function listPracticeChanges(db: Executor, organizationId: string, status: string) {
  return changeQuery(db)
    .where(and(eq(practiceChangeRequests.organizationId, organizationId), eq(practiceChangeRequests.status, status)))
    .orderBy(asc(practiceChangeRequests.createdAt), asc(practiceChangeRequests.id))
    .limit(200);
}

/** A practice change of an organization, locked `for update` for the decision. */
export async function lockPracticeChange(tx: Executor, organizationId: string, id: string) {
  const [row] = await tx
    .select()
    .from(practiceChangeRequests)
    .where(and(eq(practiceChangeRequests.id, id), eq(practiceChangeRequests.organizationId, organizationId)))
    .for('update');
  return row;
}

/** Records the decision on a practice change (and the practice made for it). */
export async function decidePracticeChange(
  tx: Executor,
  id: string,
  decision: { status: 'applied' | 'declined'; decidedBy: string; decidedAt: Date; decisionNote?: string; newPracticeId?: string },
): Promise<void> {
  await tx.update(practiceChangeRequests).set(decision).where(eq(practiceChangeRequests.id, id));
}

/** The user's practice membership now in force, locked (the move ends it). */
export async function lockActivePracticeMembership(tx: Executor, userId: string) {
  const [row] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.kind, 'practice'), isNull(memberships.endedAt)))
    .for('update');
  return row;
}

/** Ends memberships now. */
export async function endMembership(tx: Executor, id: string, at: Date): Promise<void> {
  await tx.update(memberships).set({ endedAt: at }).where(eq(memberships.id, id));
}

/** Makes a practice membership with the role the user held. */
export async function insertMembership(tx: Executor, values: typeof memberships.$inferInsert): Promise<void> {
  await tx.insert(memberships).values(values);
}

/** The sponsored users a physician sponsors now, locked, with their names and emails (support tells the practice). */
export function lockSponsoredMemberships(tx: Executor, sponsorUserId: string) {
  return tx
    .select({ membershipId: memberships.id, userId: users.id, name: users.displayName, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.sponsorUserId, sponsorUserId), eq(memberships.role, 'sponsored_staff'), isNull(memberships.endedAt)))
    .orderBy(asc(users.displayName))
    .for('update', { of: memberships });
}
