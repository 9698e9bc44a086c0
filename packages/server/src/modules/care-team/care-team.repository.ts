import { and, asc, desc, eq, gt, gte, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.ts';
import { accessGrants, outsideAccessRequests, patients, providerTokens, users } from '../../db/schema/index.ts';
import { qualifiedUserId } from '../access/access.repository.ts';

/** The chart categories an outside provider's grant reads (practice-access.ts: demographics, the record, appointments). */
export const outsideGrantCategories = ['demographics', 'clinical', 'appointments'];

/** Grants in force: not revoked, started, not ended (as the session lookup reads them). */
export function grantInForce(now: Date) {
  return and(
    isNull(accessGrants.revokedAt),
    lte(accessGrants.startsAt, now),
    or(isNull(accessGrants.endsAt), gt(accessGrants.endsAt, now)),
  );
}

/** An outside access request, locked for a decision (two deciders at once: the second waits, then sees it decided). */
export async function lockOutsideRequest(tx: Executor, id: string) {
  const [row] = await tx.select().from(outsideAccessRequests).where(eq(outsideAccessRequests.id, id)).for('update');
  return row;
}

/** Records a decision on a request. */
export async function decideOutsideRequest(
  tx: Executor,
  id: string,
  decision: { status: 'approved' | 'denied'; decidedBy: string; decidedAt: Date; note: string | null; grantId: string | null },
): Promise<void> {
  await tx
    .update(outsideAccessRequests)
    .set({
      status: decision.status,
      decidedBy: decision.decidedBy,
      decidedAt: decision.decidedAt,
      decisionNote: decision.note,
      grantId: decision.grantId,
    })
    .where(eq(outsideAccessRequests.id, id));
}

/**
 * The provider's unrevoked grant of a kind on the patient (care team or approved request: one at most, by the unique
 * index `access_grants_active_outside_key`), locked; the lock is held to the commit even when there is none, so two
 * racing requests (two adds, an add and an approval) make one grant: the second finds the first.
 */
export async function lockOutsideGrant(tx: Executor, granteeUserId: string, patientId: string, kind: 'care_team' | 'approved_request') {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`outside_grant:${kind}:${granteeUserId}:${patientId}`}))`);
  const [row] = await tx
    .select({ id: accessGrants.id, sensitiveCategories: accessGrants.sensitiveCategories })
    .from(accessGrants)
    .where(
      and(
        eq(accessGrants.granteeUserId, granteeUserId),
        eq(accessGrants.patientId, patientId),
        eq(accessGrants.kind, kind),
        isNull(accessGrants.revokedAt),
      ),
    )
    .for('update');
  return row;
}

/** A read-only grant of the chart to an outside provider (care team, approved request or token); its id. */
export async function insertOutsideGrant(
  tx: Executor,
  grant: {
    kind: 'care_team' | 'approved_request' | 'token';
    granteeUserId: string;
    patientId: string;
    grantedBy: string;
    sensitiveCategories?: readonly string[];
    reason?: string | null;
    /** When it starts (default: the transaction's start); a caller that lists it at its own `now` passes that. */
    startsAt?: Date;
    endsAt?: Date | null;
  },
): Promise<string> {
  const [row] = await tx
    .insert(accessGrants)
    .values({
      kind: grant.kind,
      granteeUserId: grant.granteeUserId,
      patientId: grant.patientId,
      level: 'read',
      categories: outsideGrantCategories,
      sensitiveCategories: [...(grant.sensitiveCategories ?? [])],
      grantedBy: grant.grantedBy,
      reason: grant.reason ?? null,
      endsAt: grant.endsAt ?? null,
      ...(grant.startsAt ? { startsAt: grant.startsAt } : {}),
    })
    .returning({ id: accessGrants.id });
  return row!.id;
}

/**
 * The name of the outside practice a user belongs to in an organization (their active `practice` membership; one at
 * most per organization), or null for someone of no practice there (a health-system clinician).
 */
function practiceNameSql(userId: AnyPgColumn | SQL, organizationId: AnyPgColumn | SQL | string): SQL<string | null> {
  return sql<string | null>`(select p.name from memberships m join practices p on p.id = m.practice_id
    where m.user_id = ${userId} and m.kind = 'practice' and m.ended_at is null and m.organization_id = ${organizationId} limit 1)`;
}

/** The patient's primary care physician on record (`patients.pcp_id`), with their practice in the patient's organization. */
export async function findPcp(db: Executor, patientId: string) {
  const [row] = await db
    .select({
      userId: users.id,
      name: users.displayName,
      credentials: users.credentials,
      practiceName: practiceNameSql(qualifiedUserId, patients.organizationId),
    })
    .from(patients)
    .innerJoin(users, eq(users.id, patients.pcpId))
    .where(eq(patients.id, patientId));
  return row;
}

/** The columns of an outside provider as the patient's side reads them. */
function providerColumns(organizationId: AnyPgColumn | SQL | string) {
  return {
    providerUserId: users.id,
    name: users.displayName,
    credentials: users.credentials,
    practiceName: practiceNameSql(qualifiedUserId, organizationId),
  };
}

/** The care team's outside providers in force on a patient, oldest first, or the one of `grantId`. */
export function listCareTeam(
  db: Executor,
  patient: { id: string; organizationId: string },
  now: Date,
  options: { grantId?: string; hiddenOwner?: string | null } = {},
) {
  const { grantId, hiddenOwner } = options;
  return db
    .select({ grantId: accessGrants.id, since: accessGrants.startsAt, ...providerColumns(patient.organizationId) })
    .from(accessGrants)
    .innerJoin(users, eq(users.id, accessGrants.granteeUserId))
    .where(
      and(
        eq(accessGrants.patientId, patient.id),
        eq(accessGrants.kind, 'care_team'),
        grantInForce(now),
        grantId === undefined ? undefined : eq(accessGrants.id, grantId),
        notGrantedBy(hiddenOwner),
      ),
    )
    .orderBy(asc(accessGrants.startsAt), asc(accessGrants.id));
}

/** An outside provider of the organization: an enabled account with an active practice membership as an NPI holder. */
function isOutsideProviderOf(organizationId: string): SQL {
  return and(
    isNull(users.disabledAt),
    sql`exists (select 1 from memberships m where m.user_id = ${qualifiedUserId} and m.kind = 'practice'
      and m.role = 'outside_provider' and m.ended_at is null and m.organization_id = ${organizationId})`,
  )!;
}

/**
 * The organization's outside providers matching a search: a part of their name or practice's name (any case), or their
 * NPI exactly; by name, at most `limit`.
 */
export function searchOutsideProviders(db: Executor, organizationId: string, q: string, limit: number) {
  const needle = q.toLowerCase();
  const practiceName = practiceNameSql(qualifiedUserId, organizationId);
  return db
    .select(providerColumns(organizationId))
    .from(users)
    .where(
      and(
        isOutsideProviderOf(organizationId),
        or(
          sql`strpos(lower(${users.displayName}), ${needle}) > 0`,
          sql`strpos(lower(coalesce(${practiceName}, '')), ${needle}) > 0`,
          eq(users.npi, q),
        ),
      ),
    )
    .orderBy(asc(sql`lower(${users.displayName})`), asc(users.id))
    .limit(limit);
}

/** One outside provider of the organization, or undefined (unknown, disabled, not a provider there). */
export async function findOutsideProvider(db: Executor, organizationId: string, userId: string) {
  const [row] = await db
    .select(providerColumns(organizationId))
    .from(users)
    .where(and(eq(users.id, userId), isOutsideProviderOf(organizationId)));
  return row;
}

/** Revokes a grant of a kind on the patient while it is in force; whether it was. */
/**
 * Leaves out the grants a teen gave themself, for a reader who does not see what she keeps private (`hiddenOwnerOf`,
 * sharing.service.ts): her guardian neither sees nor ends the providers she put on her care team.
 */
function notGrantedBy(hiddenOwner: string | null | undefined): SQL | undefined {
  return hiddenOwner ? sql`${accessGrants.grantedBy} is distinct from ${hiddenOwner}::uuid` : undefined;
}

export async function revokeOutsideGrant(
  tx: Executor,
  where: { grantId: string; patientId: string; kind: 'care_team' | 'token'; hiddenOwner?: string | null },
  by: string,
  reason: string | null,
  now: Date,
): Promise<boolean> {
  const rows = await tx
    .update(accessGrants)
    .set({ revokedAt: now, revokedBy: by, revokeReason: reason })
    .where(
      and(
        eq(accessGrants.id, where.grantId),
        eq(accessGrants.patientId, where.patientId),
        eq(accessGrants.kind, where.kind),
        isNull(accessGrants.revokedAt),
        notGrantedBy(where.hiddenOwner),
      ),
    )
    .returning({ id: accessGrants.id });
  return rows.length > 0;
}

/** The pending non-PCP requests the patient's side answers, oldest first, with who asks. */
export function listPatientRequests(db: Executor, patient: { id: string; organizationId: string }) {
  return db
    .select({
      id: outsideAccessRequests.id,
      providerName: users.displayName,
      credentials: users.credentials,
      practiceName: practiceNameSql(qualifiedUserId, patient.organizationId),
      reason: outsideAccessRequests.reason,
      createdAt: outsideAccessRequests.createdAt,
    })
    .from(outsideAccessRequests)
    .innerJoin(users, eq(users.id, outsideAccessRequests.requesterUserId))
    .where(
      and(
        eq(outsideAccessRequests.patientId, patient.id),
        eq(outsideAccessRequests.kind, 'non_pcp'),
        eq(outsideAccessRequests.routedTo, 'patient'),
        eq(outsideAccessRequests.status, 'pending'),
      ),
    )
    .orderBy(asc(outsideAccessRequests.createdAt), asc(outsideAccessRequests.id));
}

/** Whether a request is the patient's to answer: theirs, non-PCP, routed to the patient's side (any status). */
export async function isPatientRequest(db: Executor, patientId: string, requestId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: outsideAccessRequests.id })
    .from(outsideAccessRequests)
    .where(
      and(
        eq(outsideAccessRequests.id, requestId),
        eq(outsideAccessRequests.patientId, patientId),
        eq(outsideAccessRequests.kind, 'non_pcp'),
        eq(outsideAccessRequests.routedTo, 'patient'),
      ),
    );
  return row !== undefined;
}

/** Serializes token issue for one patient to the commit, so racing requests cannot all pass the daily cap. */
export async function lockPatientTokens(tx: Executor, patientId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`provider_tokens:${patientId}`}))`);
}

/** Tokens issued for the patient since an instant. */
export async function countTokensIssuedSince(db: Executor, patientId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(providerTokens)
    .where(and(eq(providerTokens.patientId, patientId), gte(providerTokens.createdAt, since)));
  return row?.n ?? 0;
}

/** Stores a new token (its hash only). */
export async function insertToken(tx: Executor, row: typeof providerTokens.$inferInsert) {
  const [inserted] = await tx.insert(providerTokens).values(row).returning();
  return inserted!;
}

/** The patient's MRN. */
export async function findMrn(db: Executor, patientId: string): Promise<string> {
  const [row] = await db.select({ mrn: patients.mrn }).from(patients).where(eq(patients.id, patientId));
  return row?.mrn ?? '';
}

/** The patient's tokens, newest first, with who validated each; with `hiddenIssuer`, not those that account issued. */
export function listTokens(db: Executor, patient: { id: string; organizationId: string }, hiddenIssuer: string | null, tokenId?: string) {
  return db
    .select({
      id: providerTokens.id,
      label: providerTokens.label,
      issuedBy: providerTokens.issuedBy,
      createdAt: providerTokens.createdAt,
      expiresAt: providerTokens.expiresAt,
      revokedAt: providerTokens.revokedAt,
      redeemedAt: providerTokens.redeemedAt,
      grantId: providerTokens.grantId,
      redeemerName: users.displayName,
      redeemerPracticeName: practiceNameSql(qualifiedUserId, patient.organizationId),
    })
    .from(providerTokens)
    .leftJoin(users, eq(users.id, providerTokens.redeemedBy))
    .where(
      and(
        eq(providerTokens.patientId, patient.id),
        hiddenIssuer === null ? undefined : sql`${providerTokens.issuedBy} <> ${hiddenIssuer}`,
        tokenId === undefined ? undefined : eq(providerTokens.id, tokenId),
      ),
    )
    .orderBy(desc(providerTokens.createdAt), desc(providerTokens.id));
}

/** A token row as the list reads it. */
export type TokenRow = Awaited<ReturnType<typeof listTokens>>[number];

/**
 * Marks a token revoked (once): the grant it made, read after the row lock (a validation racing the revocation has
 * committed or waits), or undefined when it was revoked already.
 */
export async function revokeToken(tx: Executor, tokenId: string, now: Date): Promise<{ grantId: string | null } | undefined> {
  const [row] = await tx
    .update(providerTokens)
    .set({ revokedAt: now })
    .where(and(eq(providerTokens.id, tokenId), isNull(providerTokens.revokedAt)))
    .returning({ grantId: providerTokens.grantId });
  return row;
}
