import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { memberships, organizations, sponsorValidations, users } from '../../db/schema/index.ts';
import { buildPractice, buildUser } from '../../test/factories.ts';

/** A fresh NPI-shaped number (the database checks the shape; the check digit is the registration's concern). */
export function freshNpi(): string {
  return `1${String(randomBytes(4).readUInt32BE() % 1_000_000_000).padStart(9, '0')}`;
}

/** Sets an organization's time zone (the validation calendar is the organization's). */
export async function setOrganizationZone(db: Database, organizationId: string, timeZone: string): Promise<void> {
  await db.update(organizations).set({ timeZone }).where(eq(organizations.id, organizationId));
}

/** A physician of a new outside practice with an NPI (a sponsor), MFA enrolled. */
export async function buildSponsor(db: Database, organizationId: string, practiceId?: string) {
  const practice = practiceId ?? (await buildPractice(db, organizationId)).id;
  const user = await buildUser(db, { role: 'outside_provider', organizationId, practiceId: practice, mfa: true });
  const npi = freshNpi();
  await db.update(users).set({ npi }).where(eq(users.id, user.id));
  return { ...user, npi, practiceId: practice };
}

/** A sponsored staff member of the sponsor's practice; `since` backdates the sponsorship. */
export async function buildSponsored(
  db: Database,
  organizationId: string,
  sponsor: { id: string; practiceId: string },
  options: { since?: Date; mfa?: boolean } = {},
) {
  const user = await buildUser(db, {
    role: 'sponsored_staff',
    organizationId,
    practiceId: sponsor.practiceId,
    sponsorUserId: sponsor.id,
    mfa: options.mfa ?? true,
  });
  if (options.since)
    await db
      .update(memberships)
      .set({ createdAt: options.since })
      .where(and(eq(memberships.userId, user.id), eq(memberships.role, 'sponsored_staff')));
  return user;
}

/** An open validation stored directly, due at `dueAt` (past: the sponsor and their sponsored users are locked). */
export async function buildValidation(
  db: Database,
  organizationId: string,
  sponsorUserId: string,
  dueAt: Date,
  periodStart = '2026-10-01',
) {
  const [row] = await db.insert(sponsorValidations).values({ organizationId, sponsorUserId, periodStart, dueAt }).returning();
  return row!;
}
