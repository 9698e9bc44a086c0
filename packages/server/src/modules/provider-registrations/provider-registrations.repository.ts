import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { memberships, organizations, practices, providerRegistrations, users } from '../../db/schema/index.ts';

/** A registration row. */
export type RegistrationRow = typeof providerRegistrations.$inferSelect;

/** The deployment's organization, where public registrations go: the oldest, as branding picks it. */
export async function findDeploymentOrganization(db: Executor): Promise<{ id: string; name: string } | undefined> {
  const [row] = await db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .orderBy(asc(organizations.createdAt), asc(organizations.id))
    .limit(1);
  return row;
}

/** An organization's name (the emails are signed and worded with it). */
export async function findOrganizationName(db: Executor, organizationId: string): Promise<string> {
  const [row] = await db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, organizationId));
  return row?.name ?? '';
}

/** Whether an account already holds this NPI. */
export async function isNpiTaken(db: Executor, npi: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.npi, npi)).limit(1);
  return row !== undefined;
}

/** Stores a registration; undefined when one with this NPI already waits (the partial unique index). */
export async function insertRegistration(tx: Executor, values: typeof providerRegistrations.$inferInsert) {
  const [row] = await tx
    .insert(providerRegistrations)
    .values(values)
    .onConflictDoNothing({
      target: [providerRegistrations.organizationId, providerRegistrations.npi],
      where: sql`${providerRegistrations.status} = 'pending'`,
    })
    .returning({ id: providerRegistrations.id });
  return row;
}

/** An organization's registrations of a status, oldest first (at most 200). */
export function listRegistrations(db: Executor, organizationId: string, status: string) {
  return db
    .select()
    .from(providerRegistrations)
    .where(and(eq(providerRegistrations.organizationId, organizationId), eq(providerRegistrations.status, status)))
    .orderBy(asc(providerRegistrations.createdAt), asc(providerRegistrations.id))
    .limit(200);
}

/** One registration of an organization, locked `for update` for the decision. */
export async function lockRegistration(tx: Executor, organizationId: string, id: string): Promise<RegistrationRow | undefined> {
  const [row] = await tx
    .select()
    .from(providerRegistrations)
    .where(and(eq(providerRegistrations.id, id), eq(providerRegistrations.organizationId, organizationId)))
    .for('update');
  return row;
}

/** Records the decision on a registration; the updated row. */
export async function decideRegistration(
  tx: Executor,
  id: string,
  decision: {
    status: 'approved' | 'rejected';
    decidedBy: string;
    decidedAt: Date;
    decisionReason?: string;
    userId?: string;
    practiceId?: string;
  },
): Promise<RegistrationRow> {
  const [row] = await tx.update(providerRegistrations).set(decision).where(eq(providerRegistrations.id, id)).returning();
  if (!row) throw new Error('registration update returned nothing');
  return row;
}

/** A practice of an organization, by id. */
export async function findPractice(db: Executor, organizationId: string, id: string) {
  const [row] = await db
    .select({ id: practices.id })
    .from(practices)
    .where(and(eq(practices.id, id), eq(practices.organizationId, organizationId)));
  return row;
}

/** Makes a practice from what a registration described. */
export async function insertPractice(tx: Executor, values: typeof practices.$inferInsert): Promise<string> {
  const [row] = await tx.insert(practices).values(values).returning({ id: practices.id });
  if (!row) throw new Error('practice insert returned nothing');
  return row.id;
}

/** Makes the provider's account (not yet usable: the activation link sets the username and password). */
export async function insertProviderUser(tx: Executor, values: typeof users.$inferInsert): Promise<string> {
  const [row] = await tx.insert(users).values(values).returning({ id: users.id });
  if (!row) throw new Error('user insert returned nothing');
  return row.id;
}

/** Makes a practice membership. */
export async function insertPracticeMembership(
  tx: Executor,
  values: { userId: string; organizationId: string; practiceId: string; role: 'outside_provider' },
): Promise<void> {
  await tx.insert(memberships).values({ ...values, kind: 'practice' });
}
