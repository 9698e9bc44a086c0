import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { retireEndedProxyGrants } from '../proxies/proxies.repository.ts';
import { accessGrants, organizations, patients, proxyRequests, proxySetups, users } from '../../db/schema/index.ts';

/** The columns of a request the queue and the requester's list read. */
const requestColumns = {
  id: proxyRequests.id,
  organizationId: proxyRequests.organizationId,
  organizationName: organizations.name,
  requesterUserId: proxyRequests.requesterUserId,
  requesterName: users.displayName,
  requesterEmail: users.email,
  requesterLocale: users.locale,
  childGivenName: proxyRequests.childGivenName,
  childFamilyName: proxyRequests.childFamilyName,
  childBirthDate: proxyRequests.childBirthDate,
  relationship: proxyRequests.relationship,
  note: proxyRequests.note,
  status: proxyRequests.status,
  patientId: proxyRequests.patientId,
  decidedAt: proxyRequests.decidedAt,
  decisionReason: proxyRequests.decisionReason,
  grantId: proxyRequests.grantId,
  createdAt: proxyRequests.createdAt,
};

/** A request with its requester. */
export type RequestRow = Awaited<ReturnType<typeof listRequestsOf>>[number];

/** The organization a requester's requests go to: their own account's, else the deployment's (the oldest, as branding picks it). */
export async function findRequestOrganization(db: Executor, userId: string) {
  const [own] = await db
    .select({ id: organizations.id, timeZone: organizations.timeZone })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(users.id, userId));
  if (own) return own;
  const [first] = await db
    .select({ id: organizations.id, timeZone: organizations.timeZone })
    .from(organizations)
    .orderBy(asc(organizations.createdAt), asc(organizations.id))
    .limit(1);
  return first;
}

/** How many of a person's requests wait for an answer. */
export async function countPendingRequests(db: Executor, userId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(proxyRequests)
    .where(and(eq(proxyRequests.requesterUserId, userId), eq(proxyRequests.status, 'pending')));
  return row?.count ?? 0;
}

/** Stores a request. */
export async function insertRequest(tx: Executor, values: typeof proxyRequests.$inferInsert): Promise<string> {
  const [row] = await tx.insert(proxyRequests).values(values).returning({ id: proxyRequests.id });
  if (!row) throw new Error('request insert returned nothing');
  return row.id;
}

/** A person's own requests, newest first (the 50 most recent). */
export function listRequestsOf(db: Executor, userId: string) {
  return db
    .select(requestColumns)
    .from(proxyRequests)
    .innerJoin(users, eq(users.id, proxyRequests.requesterUserId))
    .innerJoin(organizations, eq(organizations.id, proxyRequests.organizationId))
    .where(eq(proxyRequests.requesterUserId, userId))
    .orderBy(desc(proxyRequests.createdAt), desc(proxyRequests.id))
    .limit(50);
}

/** One request by id within some organizations (or of one requester), locked for the decision when asked. */
export async function findRequest(db: Executor, id: string, where: { organizationIds?: string[]; requesterUserId?: string }, lock = false) {
  const conditions: (SQL | undefined)[] = [eq(proxyRequests.id, id)];
  if (where.organizationIds) conditions.push(inArray(proxyRequests.organizationId, where.organizationIds));
  if (where.requesterUserId) conditions.push(eq(proxyRequests.requesterUserId, where.requesterUserId));
  const query = db
    .select(requestColumns)
    .from(proxyRequests)
    .innerJoin(users, eq(users.id, proxyRequests.requesterUserId))
    .innerJoin(organizations, eq(organizations.id, proxyRequests.organizationId))
    .where(and(...conditions));
  const [row] = lock ? await query.for('update', { of: proxyRequests }) : await query;
  return row;
}

/** The organization's queue of one status, oldest first (at most 100 at a time). */
export function listQueue(db: Executor, organizationId: string, status: string) {
  return db
    .select(requestColumns)
    .from(proxyRequests)
    .innerJoin(users, eq(users.id, proxyRequests.requesterUserId))
    .innerJoin(organizations, eq(organizations.id, proxyRequests.organizationId))
    .where(and(eq(proxyRequests.organizationId, organizationId), eq(proxyRequests.status, status)))
    .orderBy(asc(proxyRequests.createdAt), asc(proxyRequests.id))
    .limit(100);
}

/**
 * Patients in the searcher's scope (patientScopeSql) of the organization with this birth date and the given or the
 * family name as typed (letter case aside): the records a request may be about.
 */
export function findCandidates(db: Executor, scope: SQL, organizationId: string, request: RequestRow) {
  return db
    .select({
      id: patients.id,
      mrn: patients.mrn,
      givenName: patients.givenName,
      familyName: patients.familyName,
      birthDate: patients.birthDate,
    })
    .from(patients)
    .where(
      and(
        scope,
        eq(patients.organizationId, organizationId),
        eq(patients.birthDate, request.childBirthDate),
        or(
          sql`lower(${patients.familyName}) = lower(${request.childFamilyName})`,
          sql`lower(${patients.givenName}) = lower(${request.childGivenName})`,
        ),
      ),
    )
    .orderBy(asc(patients.familyName), asc(patients.givenName))
    .limit(10);
}

/** Marks a pending request decided. */
export async function decideRequest(
  tx: Executor,
  id: string,
  values: {
    status: 'approved' | 'denied';
    decidedBy: string;
    decidedAt: Date;
    decisionReason: string | null;
    patientId?: string;
    grantId?: string;
  },
): Promise<void> {
  await tx
    .update(proxyRequests)
    .set(values)
    .where(and(eq(proxyRequests.id, id), eq(proxyRequests.status, 'pending')));
}

/** Cancels a requester's own pending request; whether it did. */
export async function cancelRequest(tx: Executor, id: string, userId: string): Promise<boolean> {
  const rows = await tx
    .update(proxyRequests)
    .set({ status: 'cancelled' })
    .where(and(eq(proxyRequests.id, id), eq(proxyRequests.requesterUserId, userId), eq(proxyRequests.status, 'pending')))
    .returning({ id: proxyRequests.id });
  return rows.length > 0;
}

/** An active account by its email address (letter case aside). */
export async function findAccountByEmail(db: Executor, address: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, locale: users.locale, name: users.displayName })
    .from(users)
    .where(and(sql`lower(${users.email}) = lower(${address})`, isNull(users.disabledAt)));
  return row;
}

/**
 * A staff-made proxy grant and its set-up row. The partial unique index allows one proxy in force per person and
 * patient; a conflict inserts nothing, and the caller answers 409.
 */
export async function insertConsoleGrant(
  tx: Executor,
  grant: {
    id: string;
    granteeUserId: string;
    patientId: string;
    relationship: 'guardian' | 'legal_representative';
    categories: readonly string[];
    grantedBy: string;
    reason: string;
    startsAt: Date;
    endsAt: Date | null;
  },
  setup: { organizationId: string; identityMethod: string; note: string | null },
): Promise<boolean> {
  await retireEndedProxyGrants(tx, grant.granteeUserId, grant.patientId, grant.startsAt);
  const inserted = await tx
    .insert(accessGrants)
    .values({ ...grant, kind: 'proxy', level: 'full', categories: [...grant.categories] })
    .onConflictDoNothing()
    .returning({ id: accessGrants.id });
  if (inserted.length === 0) return false;
  await tx.insert(proxySetups).values({ grantId: grant.id, setUpBy: grant.grantedBy, ...setup });
  return true;
}

/** A patient's proxy grants in force, with the grantee and how the console set them up (without the document's bytes). */
export async function listPatientProxies(db: Executor, patientId: string, now: Date, grantId?: string) {
  const rows = await db
    .select({
      grantId: accessGrants.id,
      relationship: accessGrants.relationship,
      categories: accessGrants.categories,
      name: users.displayName,
      email: users.email,
      locale: users.locale,
      startsAt: accessGrants.startsAt,
      endsAt: accessGrants.endsAt,
      setupId: proxySetups.id,
      setUpByName: sql<string | null>`(select su.display_name from users su where su.id = ${proxySetups.setUpBy})`,
      identityMethod: proxySetups.identityMethod,
      note: proxySetups.note,
      documentName: proxySetups.documentName,
      documentType: proxySetups.documentType,
      documentSize: sql<number | null>`octet_length(${proxySetups.document})`,
      setupAt: proxySetups.createdAt,
    })
    .from(accessGrants)
    .innerJoin(users, eq(users.id, accessGrants.granteeUserId))
    .leftJoin(proxySetups, eq(proxySetups.grantId, accessGrants.id))
    .where(
      and(
        eq(accessGrants.patientId, patientId),
        eq(accessGrants.kind, 'proxy'),
        isNull(accessGrants.revokedAt),
        lte(accessGrants.startsAt, now),
        or(isNull(accessGrants.endsAt), gt(accessGrants.endsAt, now)),
        grantId === undefined ? undefined : eq(accessGrants.id, grantId),
      ),
    )
    .orderBy(asc(accessGrants.startsAt), asc(accessGrants.id));
  return rows;
}

/** A staff proxy row. */
export type PatientProxyRow = Awaited<ReturnType<typeof listPatientProxies>>[number];

/** Stores the document of a console set-up; whether the grant had one. */
export async function saveSetupDocument(
  tx: Executor,
  grantId: string,
  doc: { name: string; type: string; bytes: Buffer },
): Promise<boolean> {
  const rows = await tx
    .update(proxySetups)
    .set({ documentName: doc.name, documentType: doc.type, document: doc.bytes })
    .where(eq(proxySetups.grantId, grantId))
    .returning({ id: proxySetups.id });
  return rows.length > 0;
}

/** The document of a patient's console set-up. */
export async function findSetupDocument(db: Executor, patientId: string, grantId: string) {
  const [row] = await db
    .select({ name: proxySetups.documentName, type: proxySetups.documentType, bytes: proxySetups.document })
    .from(proxySetups)
    .innerJoin(accessGrants, eq(accessGrants.id, proxySetups.grantId))
    .where(and(eq(proxySetups.grantId, grantId), eq(accessGrants.patientId, patientId)));
  return row?.bytes && row.name && row.type ? { name: row.name, type: row.type, bytes: row.bytes } : undefined;
}
