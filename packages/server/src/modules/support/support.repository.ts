/** SQL for the support console's queues (issue 12 §3); every method takes its executor. */
import { and, asc, desc, eq, ilike, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { memberships, organizations, outsideAccessRequests, patients, practices, users } from '../../db/schema/index.ts';

/** An organization's IANA zone (the business-day clocks count its weekdays). */
export async function findOrganizationZone(db: Executor, organizationId: string): Promise<string> {
  const [row] = await db.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, organizationId));
  return row?.timeZone ?? 'UTC';
}

/** A user's membership of an outside practice now in force, with the practice's name. */
export async function findActivePracticeMembership(db: Executor, userId: string) {
  const [row] = await db
    .select({
      id: memberships.id,
      organizationId: memberships.organizationId,
      role: memberships.role,
      practiceId: memberships.practiceId,
      sponsorUserId: memberships.sponsorUserId,
      practiceName: practices.name,
    })
    .from(memberships)
    .leftJoin(practices, eq(practices.id, memberships.practiceId))
    .where(and(eq(memberships.userId, userId), eq(memberships.kind, 'practice'), isNull(memberships.endedAt)));
  return row;
}

const requestColumns = {
  id: outsideAccessRequests.id,
  organizationId: outsideAccessRequests.organizationId,
  kind: outsideAccessRequests.kind,
  status: outsideAccessRequests.status,
  routedTo: outsideAccessRequests.routedTo,
  reason: outsideAccessRequests.reason,
  createdAt: outsideAccessRequests.createdAt,
  decidedAt: outsideAccessRequests.decidedAt,
  decisionNote: outsideAccessRequests.decisionNote,
  requesterUserId: outsideAccessRequests.requesterUserId,
  requesterName: users.displayName,
  requesterCredentials: users.credentials,
  requesterNpi: users.npi,
  requesterEmail: users.email,
  requesterLocale: users.locale,
  requesterRole: memberships.role,
  practiceId: memberships.practiceId,
  practiceName: practices.name,
  patientId: patients.id,
  patientGivenName: patients.givenName,
  patientFamilyName: patients.familyName,
  patientMrn: patients.mrn,
  patientBirthDate: patients.birthDate,
};

/** A routed request with its requester, their practice now, and the patient. */
export type RoutedRequestRow = Awaited<ReturnType<typeof listRoutedRequests>>[number];

function routedRequestQuery(db: Executor) {
  return db
    .select(requestColumns)
    .from(outsideAccessRequests)
    .innerJoin(users, eq(users.id, outsideAccessRequests.requesterUserId))
    .innerJoin(patients, eq(patients.id, outsideAccessRequests.patientId))
    .leftJoin(
      memberships,
      and(eq(memberships.userId, outsideAccessRequests.requesterUserId), eq(memberships.kind, 'practice'), isNull(memberships.endedAt)),
    )
    .leftJoin(practices, eq(practices.id, memberships.practiceId));
}

/** The organization's requests of a kind and status routed to support, oldest first (at most 200). */
export function listRoutedRequests(db: Executor, organizationId: string, kind: string, status: string) {
  return routedRequestQuery(db)
    .where(
      and(
        eq(outsideAccessRequests.organizationId, organizationId),
        eq(outsideAccessRequests.routedTo, 'support'),
        eq(outsideAccessRequests.kind, kind),
        eq(outsideAccessRequests.status, status),
      ),
    )
    .orderBy(asc(outsideAccessRequests.createdAt), asc(outsideAccessRequests.id))
    .limit(200);
}

/** One request of the organization routed to support (the row lock is taken by the decision). */
export async function findRoutedRequest(db: Executor, organizationId: string, id: string): Promise<RoutedRequestRow | undefined> {
  const [row] = await routedRequestQuery(db).where(
    and(
      eq(outsideAccessRequests.id, id),
      eq(outsideAccessRequests.organizationId, organizationId),
      eq(outsideAccessRequests.routedTo, 'support'),
    ),
  );
  return row;
}

/** The physicians (NPI holders with an active membership) of some practices. */
export function listPracticePhysicians(db: Executor, practiceIds: readonly string[]) {
  if (practiceIds.length === 0) return Promise.resolve([]);
  return db
    .select({
      practiceId: memberships.practiceId,
      userId: users.id,
      name: users.displayName,
      credentials: users.credentials,
      npi: users.npi,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        inArray(memberships.practiceId, [...practiceIds]),
        eq(memberships.role, 'outside_provider'),
        isNull(memberships.endedAt),
        isNull(users.disabledAt),
      ),
    )
    .orderBy(asc(users.displayName));
}

/** Records the patient's PCP on the health system's record (what the practice relationship reads on every request). */
export async function setPatientPcp(tx: Executor, patientId: string, pcpId: string): Promise<void> {
  await tx.update(patients).set({ pcpId }).where(eq(patients.id, patientId));
}

/** An organization's practices whose name contains the text, by name (at most 20). */
export function searchPractices(db: Executor, organizationId: string, q: string) {
  const pattern = `%${q.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;
  return db
    .select({ id: practices.id, name: practices.name, address: practices.address, phone: practices.phone })
    .from(practices)
    .where(and(eq(practices.organizationId, organizationId), ilike(practices.name, pattern)))
    .orderBy(asc(sql`lower(${practices.name})`), desc(practices.createdAt))
    .limit(20);
}

/** The organization's practices (by name, at most 500) and their members now, for the audit report's filters. */
export async function listPracticesWithMembers(db: Executor, organizationId: string) {
  const rows = await db
    .select({ id: practices.id, name: practices.name })
    .from(practices)
    .where(eq(practices.organizationId, organizationId))
    .orderBy(asc(sql`lower(${practices.name})`), asc(practices.id))
    .limit(500);
  const members =
    rows.length === 0
      ? []
      : await db
          .select({ practiceId: memberships.practiceId, userId: users.id, name: users.displayName, role: memberships.role })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .where(
            and(
              inArray(
                memberships.practiceId,
                rows.map((r) => r.id),
              ),
              eq(memberships.kind, 'practice'),
              isNull(memberships.endedAt),
            ),
          )
          .orderBy(asc(users.displayName));
  return rows.map((practice) => ({
    ...practice,
    members: members
      .filter((m) => m.practiceId === practice.id)
      .map((m) => ({
        userId: m.userId,
        name: m.name,
        role: m.role === 'sponsored_staff' ? ('sponsored_staff' as const) : ('outside_provider' as const),
      })),
  }));
}
