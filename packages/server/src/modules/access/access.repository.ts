import { eq, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { MembershipKind, MembershipRole } from '@portico/shared';
import { queryPreparedRows, queryRows, type Executor } from '../../db/client.ts';
import { patients, users } from '../../db/schema/index.ts';
import type { Actor, ActorGrant, OrganizationSettings, PatientRef } from './access.policy.ts';

/**
 * `users.id`, always table-qualified: drizzle leaves columns unqualified in single-table queries, where inside a
 * subquery `m.user_id = "id"` would silently compare with the subquery's own id.
 */
export const qualifiedUserId = sql.raw('"users"."id"');

/** A membership as the session lookup returns it. */
export interface MembershipRow {
  kind: MembershipKind;
  role: MembershipRole;
  organizationId: string;
  organizationName: string;
  /** The organization's settings the policy reads (they widen what a role may do there). */
  settings: OrganizationSettings;
  /** A practice membership's practice and its physicians (Membership.practice); null for other kinds. */
  practice: { id: string; physicianIds: string[] } | null;
}

/** A user's active memberships as one JSON array, so the session lookup reads them in its own round trip. */
export function membershipsJson(userId: AnyColumn | SQL): SQL<MembershipRow[]> {
  return sql<MembershipRow[]>`coalesce((
    select json_agg(json_build_object('kind', m.kind, 'role', m.role, 'organizationId', m.organization_id, 'organizationName', o.name,
      'settings', json_build_object('nursesMarkArrival', o.nurses_mark_arrival),
      'practice', case when m.practice_id is null then null else json_build_object('id', m.practice_id, 'physicianIds', (
        select coalesce(json_agg(pm.user_id order by pm.user_id), '[]'::json) from memberships pm
        where pm.practice_id = m.practice_id and pm.kind = 'practice' and pm.role = 'outside_provider' and pm.ended_at is null)) end)
      order by m.created_at, m.id)
    from memberships m join organizations o on o.id = m.organization_id
    where m.user_id = ${userId} and m.ended_at is null), '[]'::json)`;
}

/**
 * A user's grants in force now, read on every request, so a revocation or an expiry takes effect on the next request in
 * every server process (SECURITY.md "Sessions").
 */
export function grantsJson(userId: AnyColumn | SQL): SQL<ActorGrant[]> {
  return sql<ActorGrant[]>`coalesce((
    select json_agg(json_build_object('id', g.id, 'patientId', g.patient_id, 'kind', g.kind, 'level', g.level, 'categories', g.categories,
      'sensitiveCategories', g.sensitive_categories, 'grantedBy', g.granted_by, 'relationship', g.relationship) order by g.created_at, g.id)
    from access_grants g
    where g.grantee_user_id = ${userId} and g.revoked_at is null and g.starts_at <= now() and (g.ends_at is null or g.ends_at > now())), '[]'::json)`;
}

/** The policy's view of a user, read fresh (for sign-in answers and `GET /api/me`), with their memberships' names. */
export async function loadActor(db: Executor, userId: string): Promise<Actor & { memberships: MembershipRow[] }> {
  const [row] = await db
    .select({ ownPatientId: patients.id, memberships: membershipsJson(users.id), grants: grantsJson(users.id) })
    .from(users)
    .leftJoin(patients, eq(patients.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  const memberships = row?.memberships ?? [];
  return { userId, ownPatientId: row?.ownPatientId ?? null, memberships, grants: row?.grants ?? [] };
}

/** Whether a user holds any active membership (they then need MFA and get the staff idle timeout). */
export function hasMembershipSql(userId: AnyColumn | SQL): SQL<boolean> {
  return sql<boolean>`exists (select 1 from memberships m where m.user_id = ${userId} and m.ended_at is null)`;
}

/** The one patient the policy decides on: what `decide` reads of them (hand-written SQL: every audited request runs it). */
export function findPatientRef(db: Executor, id: string): Promise<PatientRef[]> {
  return queryPreparedRows<PatientRef>(
    db,
    sql`select p.id, p.organization_id as "organizationId", p.birth_date::text as "birthDate", p.user_id as "userId", o.time_zone as "timeZone",
          p.pcp_id as "pcpId"
        from patients p join organizations o on o.id = p.organization_id where p.id = ${id}::uuid`,
  );
}

/** A patient as GET /api/me names them: the policy's view and the name. */
export type OwnPatientRow = PatientRef & { givenName: string; familyName: string };

/** The patients a set of ids names, as the policy sees them, with their names for the person acting for them. */
export function findPatientRefs(db: Executor, ids: readonly string[]): Promise<OwnPatientRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return queryRows<OwnPatientRow>(
    db,
    sql`select p.id, p.organization_id as "organizationId", p.birth_date::text as "birthDate", p.user_id as "userId",
          o.time_zone as "timeZone", p.given_name as "givenName", p.family_name as "familyName", p.pcp_id as "pcpId"
        from patients p join organizations o on o.id = p.organization_id where p.id = any(${sql.param([...ids])}::uuid[])`,
  );
}

/** Whether a user holds an active staff membership of the organization with one of these roles (directory look-ups). */
export function hasStaffRoleSql(userId: AnyColumn | SQL, organizationId: AnyColumn | SQL | string, roles: readonly string[]): SQL<boolean> {
  const org = typeof organizationId === 'string' ? sql`${organizationId}::uuid` : organizationId;
  return sql<boolean>`exists (select 1 from memberships m where m.user_id = ${userId} and m.organization_id = ${org}
    and m.kind = 'staff' and m.ended_at is null and m.role = any(${sql.param([...roles])}::text[]))`;
}

/** A user's staff role in an organization, or null (a comment or message author's role as shown to the patient). */
export function staffRoleInSql(userId: AnyColumn | SQL, organizationId: AnyColumn | SQL): SQL<string | null> {
  return sql<string | null>`(select m.role from memberships m where m.user_id = ${userId} and m.organization_id = ${organizationId}
    and m.kind = 'staff' order by m.ended_at nulls first, m.created_at limit 1)`;
}
