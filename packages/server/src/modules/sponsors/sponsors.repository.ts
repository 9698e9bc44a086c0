import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { limits } from '@portico/shared';
import { queryRows, type Executor } from '../../db/client.ts';
import { memberships, sponsorValidations, users } from '../../db/schema/index.ts';
import { openValidationJson, sponsoredLockedSql, type OpenValidationRow } from './sponsor-locks.ts';

/** One active sponsored user of a sponsor, as the sponsor's list reads it. */
export interface SponsoredUserRow {
  userId: string;
  displayName: string;
  email: string;
  credentials: string | null;
  /** The account has a password the person chose (the activation link was used). */
  activated: boolean;
  since: Date;
}

/** A sponsor's active sponsored users (active membership, account not disabled), oldest first. */
export function listSponsoredUsers(db: Executor, sponsorUserId: string): Promise<SponsoredUserRow[]> {
  return queryRows<SponsoredUserRow>(
    db,
    sql`select u.id as "userId", u.display_name as "displayName", u.email, u.credentials,
          not exists (select 1 from one_time_tokens t where t.user_id = u.id and t.purpose = 'provider_activation')
            or exists (select 1 from one_time_tokens t where t.user_id = u.id and t.purpose = 'provider_activation' and t.used_at is not null)
            as activated,
          m.created_at as since
        from memberships m join users u on u.id = m.user_id
        where m.sponsor_user_id = ${sponsorUserId}::uuid and m.role = 'sponsored_staff' and m.ended_at is null and u.disabled_at is null
        order by m.created_at, u.id`,
  );
}

/** A sponsor's practice membership (an NPI holder's, active, account enabled), or undefined. */
export async function findSponsorPractice(db: Executor, userId: string, organizationId: string) {
  const [row] = await db
    .select({ practiceId: memberships.practiceId, npi: users.npi, locale: users.locale })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.userId, userId),
        eq(memberships.organizationId, organizationId),
        eq(memberships.kind, 'practice'),
        eq(memberships.role, 'outside_provider'),
        isNull(memberships.endedAt),
        isNull(users.disabledAt),
      ),
    );
  return row;
}

/** How many sponsored staff a sponsor has invited since a moment (ended ones too: the cap counts invitations). */
export async function countSponsoredSince(tx: Executor, sponsorUserId: string, since: Date): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.sponsorUserId, sponsorUserId), eq(memberships.role, 'sponsored_staff'), gte(memberships.createdAt, since)));
  return row?.n ?? 0;
}

/** Makes a sponsored staff member's practice membership. */
export async function insertSponsoredMembership(
  tx: Executor,
  values: { userId: string; organizationId: string; practiceId: string; sponsorUserId: string },
): Promise<Date> {
  const [row] = await tx
    .insert(memberships)
    .values({ ...values, kind: 'practice', role: 'sponsored_staff' })
    .returning({ createdAt: memberships.createdAt });
  if (!row) throw new Error('membership insert returned nothing');
  return row.createdAt;
}

/**
 * Ends the sponsorship of these users by this sponsor: the memberships end and the accounts are disabled (their sessions
 * are ended by the caller). The user ids whose sponsorship ended (others were not this sponsor's).
 */
export async function endSponsorships(tx: Executor, sponsorUserId: string, userIds: readonly string[], at: Date): Promise<string[]> {
  if (userIds.length === 0) return [];
  const ended = await tx
    .update(memberships)
    .set({ endedAt: at })
    .where(
      and(
        eq(memberships.sponsorUserId, sponsorUserId),
        eq(memberships.role, 'sponsored_staff'),
        isNull(memberships.endedAt),
        inArray(memberships.userId, [...userIds]),
      ),
    )
    .returning({ userId: memberships.userId });
  const ids = ended.map((r) => r.userId);
  if (ids.length > 0)
    await tx
      .update(users)
      .set({ disabledAt: at })
      .where(and(inArray(users.id, ids), isNull(users.disabledAt)));
  return ids;
}

/** Whether a user holds an active sponsored-staff membership (their email changes only by a new account). */
export async function isSponsoredUser(db: Executor, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.role, 'sponsored_staff'), isNull(memberships.endedAt)))
    .limit(1);
  return row !== undefined;
}

/** A user's open validation as a sponsor, earliest due first, or null. */
export async function findOpenValidation(db: Executor, userId: string): Promise<OpenValidationRow | null> {
  const [row] = await queryRows<{ v: OpenValidationRow | null }>(db, sql`select ${openValidationJson(sql`${userId}::uuid`)} as v`);
  return row?.v ?? null;
}

/** A sponsor's open validations, locked for the completion. */
export function lockOpenValidations(tx: Executor, sponsorUserId: string) {
  return tx
    .select({ id: sponsorValidations.id, periodStart: sponsorValidations.periodStart, dueAt: sponsorValidations.dueAt })
    .from(sponsorValidations)
    .where(and(eq(sponsorValidations.sponsorUserId, sponsorUserId), isNull(sponsorValidations.completedAt)))
    .for('update');
}

/** Marks validations completed. */
export async function completeValidations(tx: Executor, ids: readonly string[], by: string, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx
    .update(sponsorValidations)
    .set({ completedAt: at, completedBy: by })
    .where(and(inArray(sponsorValidations.id, [...ids]), isNull(sponsorValidations.completedAt)));
}

/** A sponsor due a validation for a period, as the job opens it. */
export interface OpenedValidation {
  id: string;
  sponsorUserId: string;
  email: string;
  locale: 'en' | 'es';
  organizationName: string;
}

/**
 * Opens a period's validation for every sponsor of the organization who had active sponsored users whose sponsorship
 * began before the period's first day; one per sponsor and period (the unique index makes a second run a no-op).
 * Answers only the rows this call made.
 */
export function openValidations(
  tx: Executor,
  input: { organizationId: string; periodStart: string; periodBegins: Date; dueAt: Date },
): Promise<OpenedValidation[]> {
  return queryRows<OpenedValidation>(
    tx,
    sql`with due as (
          select distinct m.sponsor_user_id from memberships m
            join users staff on staff.id = m.user_id and staff.disabled_at is null
            join users s on s.id = m.sponsor_user_id and s.disabled_at is null
            join memberships sm on sm.user_id = m.sponsor_user_id and sm.organization_id = m.organization_id
              and sm.kind = 'practice' and sm.role = 'outside_provider' and sm.ended_at is null
          where m.organization_id = ${input.organizationId}::uuid and m.role = 'sponsored_staff' and m.ended_at is null
            and m.created_at < ${input.periodBegins.toISOString()}::timestamptz),
        opened as (
          insert into sponsor_validations (organization_id, sponsor_user_id, period_start, due_at, notified_at)
          select ${input.organizationId}::uuid, due.sponsor_user_id, ${input.periodStart}::date, ${input.dueAt.toISOString()}::timestamptz, now()
          from due
          on conflict (sponsor_user_id, period_start) do nothing
          returning id, sponsor_user_id)
        select opened.id, opened.sponsor_user_id as "sponsorUserId", u.email, u.locale, o.name as "organizationName"
        from opened join users u on u.id = opened.sponsor_user_id join organizations o on o.id = ${input.organizationId}::uuid`,
  );
}

/** Every organization with its zone (the job looks at each one's calendar). */
export function listOrganizationZones(db: Executor) {
  return queryRows<{ id: string; timeZone: string }>(db, sql`select id, time_zone as "timeZone" from organizations order by id`);
}

/** An organization's sponsors locked by a validation past due, with their sponsored users (support's account help). */
export interface LockedValidationRow {
  id: string;
  sponsorUserId: string;
  sponsorName: string;
  sponsorEmail: string;
  periodStart: string;
  dueAt: Date;
  sponsoredUsers: { userId: string; displayName: string; email: string }[];
}

/** The organization's validations past due and not completed, earliest first. */
export function listLockedValidations(db: Executor, organizationId: string): Promise<LockedValidationRow[]> {
  return queryRows<LockedValidationRow>(
    db,
    sql`select v.id, v.sponsor_user_id as "sponsorUserId", s.display_name as "sponsorName", s.email as "sponsorEmail",
          v.period_start::text as "periodStart", v.due_at as "dueAt",
          coalesce((select json_agg(json_build_object('userId', u.id, 'displayName', u.display_name, 'email', u.email) order by u.display_name, u.id)
            from memberships m join users u on u.id = m.user_id
            where m.sponsor_user_id = v.sponsor_user_id and m.role = 'sponsored_staff' and m.ended_at is null and u.disabled_at is null), '[]'::json)
            as "sponsoredUsers"
        from sponsor_validations v join users s on s.id = v.sponsor_user_id
        where v.organization_id = ${organizationId}::uuid and v.completed_at is null and v.due_at <= now()
        order by v.due_at, v.id
        limit 500`,
  );
}

/** An outside account whose sign-in is paused now (as sign-in counts it: SECURITY.md "Sign-in"). */
export interface PausedAccountRow {
  userId: string;
  displayName: string;
  email: string;
  failures: number;
  lastFailureAt: Date;
}

/** The organization's outside accounts (practice members) whose sign-in is paused by repeated failures. */
export function listPausedAccounts(db: Executor, organizationId: string, now: Date): Promise<PausedAccountRow[]> {
  const recentSince = new Date(now.getTime() - limits.signInPauseMinutes * 60_000).toISOString();
  const hourSince = new Date(now.getTime() - 3600_000).toISOString();
  return queryRows<PausedAccountRow>(
    db,
    // Driven from the organization's practice members, each looked up by the failures' (subject_key, occurred_at) index.
    sql`select u.id as "userId", u.display_name as "displayName", u.email, f.failures, f."lastFailureAt"
        from users u
        cross join lateral (
          select count(*)::int as failures, max(a.occurred_at) as "lastFailureAt",
            count(*) filter (where a.occurred_at > ${recentSince}::timestamptz)::int as recent
          from auth_failures a where a.subject_key = u.id::text and a.occurred_at > ${hourSince}::timestamptz) f
        where exists (select 1 from memberships m where m.user_id = u.id and m.kind = 'practice' and m.ended_at is null
            and m.organization_id = ${organizationId}::uuid)
          and (f.recent >= ${limits.signInFailuresBeforePause} or f.failures >= ${limits.signInFailuresPerHour})
        order by f."lastFailureAt" desc
        limit 500`,
  );
}

/** A validation of an organization, locked for support's extension. */
export async function lockValidation(tx: Executor, organizationId: string, id: string) {
  const [row] = await tx
    .select()
    .from(sponsorValidations)
    .where(and(eq(sponsorValidations.id, id), eq(sponsorValidations.organizationId, organizationId)))
    .for('update');
  return row;
}

/** Moves a validation's due date. */
export async function setValidationDue(tx: Executor, id: string, dueAt: Date): Promise<void> {
  await tx.update(sponsorValidations).set({ dueAt }).where(eq(sponsorValidations.id, id));
}

/** An outside account of the organization (an active or ended practice membership there), as support acts on it. */
export async function findOutsideAccount(db: Executor, organizationId: string, userId: string) {
  const [row] = await queryRows<{ id: string; email: string; disabledAt: Date | null }>(
    db,
    sql`select u.id, u.email, u.disabled_at as "disabledAt" from users u
        where u.id = ${userId}::uuid and exists (select 1 from memberships m where m.user_id = u.id and m.kind = 'practice'
          and m.ended_at is null and m.organization_id = ${organizationId}::uuid)
          and not exists (select 1 from memberships m where m.user_id = u.id and m.kind <> 'practice' and m.ended_at is null)`,
  );
  return row;
}

/** Whether a sponsored user is locked by their sponsor's validation past due (sign-in refuses them). */
export async function isSponsoredUserLocked(db: Executor, userId: string): Promise<boolean> {
  const [row] = await queryRows<{ locked: boolean }>(db, sql`select ${sponsoredLockedSql(sql`${userId}::uuid`)} as locked`);
  return row?.locked === true;
}
