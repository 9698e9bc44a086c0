import { and, asc, desc, eq, gt, isNull, sql, type SQL } from 'drizzle-orm';
import type { MyPatientsSearchBody } from '@portico/shared';
import { queryRows, type Executor } from '../../db/client.ts';
import { accessGrants, organizations, outsideAccessRequests, patients, providerTokens } from '../../db/schema/index.ts';

/** A search match with what the policy reads of the patient, whether the scope lets the searcher read the chart, and their waiting requests. */
export interface MatchRow {
  id: string;
  organizationId: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  mrn: string;
  userId: string | null;
  pcpId: string | null;
  timeZone: string;
  authorized: boolean;
  pending: string[];
}

/**
 * The exact match a search asks for: the MRN, or the family name (any case) and birth date with the given name's
 * beginning. A patient the searcher may not see matches a name search only with the whole given name too (`scope`
 * false): typing a name letter by letter must not spell out who else has that family name and birth date.
 */
function matchCondition(criteria: MyPatientsSearchBody, scope: SQL): SQL {
  if (criteria.mrn !== undefined) return sql`${patients.mrn} = ${criteria.mrn}`;
  const base = sql`lower(${patients.familyName}) = lower(${criteria.familyName ?? ''}) and ${patients.birthDate} = ${criteria.birthDate ?? ''}::date`;
  if (criteria.givenName === undefined) return sql`${base} and coalesce(${scope}, false)`;
  const given = criteria.givenName;
  return sql`${base} and starts_with(lower(${patients.givenName}), lower(${given}))
    and (coalesce(${scope}, false) or lower(${patients.givenName}) = lower(${given}))`;
}

/**
 * The organization's patients matching a search, at most `limit`, each with `authorized` computed by the scope SQL in
 * the same statement and the kinds of request the requester has waiting for them.
 */
export function searchMatches(
  db: Executor,
  organizationId: string,
  criteria: MyPatientsSearchBody,
  scope: SQL,
  requesterUserId: string,
  limit: number,
): Promise<MatchRow[]> {
  return db
    .select({
      id: patients.id,
      organizationId: patients.organizationId,
      givenName: patients.givenName,
      familyName: patients.familyName,
      birthDate: patients.birthDate,
      mrn: patients.mrn,
      userId: patients.userId,
      pcpId: patients.pcpId,
      timeZone: organizations.timeZone,
      authorized: sql<boolean>`coalesce(${scope}, false)`,
      pending: sql<string[]>`array(select r.kind from outside_access_requests r where r.requester_user_id = ${requesterUserId}::uuid
        and r.patient_id = ${patients.id} and r.status = 'pending' order by r.kind)`,
    })
    .from(patients)
    .innerJoin(organizations, eq(organizations.id, patients.organizationId))
    .where(and(eq(patients.organizationId, organizationId), matchCondition(criteria, scope)))
    .orderBy(asc(patients.familyName), asc(patients.givenName), asc(patients.birthDate), asc(patients.id))
    .limit(limit);
}

/** How many access requests a provider made since a moment. */
export async function countRequestsSince(db: Executor, requesterUserId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outsideAccessRequests)
    .where(and(eq(outsideAccessRequests.requesterUserId, requesterUserId), gt(outsideAccessRequests.createdAt, since)));
  return row?.n ?? 0;
}

/** A request row as the API shows it. */
const requestColumns = {
  id: outsideAccessRequests.id,
  patientId: outsideAccessRequests.patientId,
  kind: outsideAccessRequests.kind,
  status: outsideAccessRequests.status,
  routedTo: outsideAccessRequests.routedTo,
  decidedAt: outsideAccessRequests.decidedAt,
  createdAt: outsideAccessRequests.createdAt,
};
export type RequestRow = {
  id: string;
  patientId: string;
  kind: string;
  status: string;
  routedTo: string;
  decidedAt: Date | null;
  createdAt: Date;
};

/** Stores a request; undefined when one of this kind already waits for this provider and patient (the partial unique index). */
export async function insertRequest(tx: Executor, values: typeof outsideAccessRequests.$inferInsert): Promise<RequestRow | undefined> {
  const [row] = await tx
    .insert(outsideAccessRequests)
    .values(values)
    .onConflictDoNothing({
      target: [outsideAccessRequests.requesterUserId, outsideAccessRequests.patientId, outsideAccessRequests.kind],
      where: sql`${outsideAccessRequests.status} = 'pending'`,
    })
    .returning(requestColumns);
  return row;
}

/** The request of this kind waiting for this provider and patient. */
export async function findPendingRequest(db: Executor, requesterUserId: string, patientId: string, kind: string) {
  const [row] = await db
    .select(requestColumns)
    .from(outsideAccessRequests)
    .where(
      and(
        eq(outsideAccessRequests.requesterUserId, requesterUserId),
        eq(outsideAccessRequests.patientId, patientId),
        eq(outsideAccessRequests.kind, kind),
        eq(outsideAccessRequests.status, 'pending'),
      ),
    );
  return row;
}

/**
 * A provider's own requests, newest first (the 100 most recent), with whether the scope SQL lets them read the patient's
 * chart now and the patient's name, which the caller shows only then.
 */
export function listRequestsOf(db: Executor, requesterUserId: string, scope: SQL) {
  return db
    .select({
      ...requestColumns,
      authorized: sql<boolean>`coalesce(${scope}, false)`,
      givenName: patients.givenName,
      familyName: patients.familyName,
    })
    .from(outsideAccessRequests)
    .innerJoin(patients, eq(patients.id, outsideAccessRequests.patientId))
    .where(eq(outsideAccessRequests.requesterUserId, requesterUserId))
    .orderBy(desc(outsideAccessRequests.createdAt), desc(outsideAccessRequests.id))
    .limit(100);
}

/** Where an organization sends non-PCP requests ('patient' or 'support'), and its name. */
export async function findRequestRouting(db: Executor, organizationId: string) {
  const [row] = await db
    .select({ nonPcpRequestsTo: organizations.nonPcpRequestsTo, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return row;
}

/**
 * Who answers a request on the patient's side: the patient's own account and the holders of full proxy grants in force
 * (the guardians), with verified, enabled accounts; each still checked by the policy by the caller.
 */
export function listPatientDeciders(db: Executor, patientId: string) {
  return queryRows<{ userId: string; email: string; locale: 'en' | 'es' }>(
    db,
    sql`select u.id as "userId", u.email, u.locale from users u
        where u.disabled_at is null and u.email_verified_at is not null and (
          u.id = (select p.user_id from patients p where p.id = ${patientId}::uuid)
          or u.id in (select g.grantee_user_id from access_grants g where g.patient_id = ${patientId}::uuid and g.kind = 'proxy'
            and g.level = 'full' and g.revoked_at is null and g.starts_at <= now() and (g.ends_at is null or g.ends_at > now())))
        order by u.id`,
  );
}

/** A token by its hash, locked for the redemption. */
export async function lockTokenByHash(tx: Executor, tokenHash: string) {
  const [row] = await tx
    .select({
      id: providerTokens.id,
      patientId: providerTokens.patientId,
      organizationId: providerTokens.organizationId,
      issuedBy: providerTokens.issuedBy,
      expiresAt: providerTokens.expiresAt,
      revokedAt: providerTokens.revokedAt,
      redeemedAt: providerTokens.redeemedAt,
      mrn: patients.mrn,
    })
    .from(providerTokens)
    .innerJoin(patients, eq(patients.id, providerTokens.patientId))
    .where(eq(providerTokens.tokenHash, tokenHash))
    .for('update', { of: providerTokens });
  return row;
}

/** The token's grant: read-only chart until the token's expiry, granted by whoever issued it. */
export async function insertTokenGrant(
  tx: Executor,
  values: { granteeUserId: string; patientId: string; grantedBy: string; endsAt: Date },
): Promise<string> {
  const [row] = await tx
    .insert(accessGrants)
    .values({
      ...values,
      kind: 'token',
      level: 'read',
      categories: ['demographics', 'clinical', 'appointments'],
      reason: 'provider_token',
    })
    .returning({ id: accessGrants.id });
  if (!row) throw new Error('grant insert returned nothing');
  return row.id;
}

/** Marks a token redeemed by a provider with the grant it made. */
export async function markTokenRedeemed(tx: Executor, tokenId: string, userId: string, grantId: string, at: Date): Promise<void> {
  await tx.update(providerTokens).set({ redeemedBy: userId, redeemedAt: at, grantId }).where(eq(providerTokens.id, tokenId));
}

/** Ends a token that may no longer be validated (too many wrong MRNs, or its issuer lost their say). */
export async function revokeToken(tx: Executor, tokenId: string, at: Date): Promise<void> {
  await tx
    .update(providerTokens)
    .set({ revokedAt: at })
    .where(and(eq(providerTokens.id, tokenId), isNull(providerTokens.revokedAt)));
}

/** The organization of a patient (404s for another organization's patient are the caller's). */
export async function findPatientOrganization(db: Executor, patientId: string): Promise<string | undefined> {
  const [row] = await db.select({ organizationId: patients.organizationId }).from(patients).where(eq(patients.id, patientId));
  return row?.organizationId;
}
