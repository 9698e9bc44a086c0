/** SQL for the support team's audit report (issue 12 §3): who of the outside practices opened which patient, when. */
import { outsideGrantKinds } from '../access/practice-access.ts';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import { auditEvents, memberships, patients, practices, users } from '../../db/schema/index.ts';

/** What the report is about: the organization, a practice or a person, a period [from, before). */
export interface AuditReportScope {
  organizationId: string;
  practiceId?: string | undefined;
  userId?: string | undefined;
  from: Date;
  before: Date;
}

/** The position after the last entry of a page: the event's instant (microseconds, as text) and id. */
export interface AuditReportCursor {
  at: string;
  id: number;
}

/** One row of the report. */
export interface AuditReportRow {
  id: number;
  occurredAt: Date;
  cursorAt: string;
  action: string;
  actorUserId: string;
  actorName: string;
  role: string;
  practiceName: string | null;
  patientId: string;
  patientGivenName: string;
  patientFamilyName: string;
  patientMrn: string;
}

/**
 * The events of patients of the organization that went through, by someone who was then a member of one of its outside
 * practices (the membership in force at the event, so a member who moved since shows under the practice they were in).
 * Bounds on occurred_at are plain comparisons so the actor index narrows a per-user report.
 */
/** The relationships the report covers: an outside practice's, and an outside provider's own grants. */
const outsideVias: readonly string[] = ['pcp_practice', ...outsideGrantKinds];

function reportWhere(scope: AuditReportScope, cursor: AuditReportCursor | null): SQL {
  const parts: SQL[] = [
    sql`e.outcome = 'success'`,
    sql`e.patient_id is not null`,
    // Only what the person did as an outside provider (the PCP's practice, a care-team place, a request, a token): a
    // physician reading their own child's record as a parent is not the practice's business, nor support's.
    sql`e.details->>'via' = any(${sql.param([...outsideVias])}::text[])`,
    sql`e.occurred_at >= ${scope.from.toISOString()}::timestamptz`,
    sql`e.occurred_at < ${scope.before.toISOString()}::timestamptz`,
  ];
  if (scope.userId) parts.push(sql`e.actor_user_id = ${scope.userId}::uuid`);
  if (scope.practiceId) parts.push(sql`m.practice_id = ${scope.practiceId}::uuid`);
  if (cursor) {
    const at = sql`${cursor.at}::timestamptz`;
    parts.push(sql`e.occurred_at <= ${at}`, sql`(e.occurred_at < ${at} or e.id < ${cursor.id})`);
  }
  return sql.join(parts, sql` and `);
}

/** One page of the report (limit + 1 rows, so the pager knows whether another page exists), newest first. */
export async function listAuditReportRows(
  db: Executor,
  scope: AuditReportScope,
  cursor: AuditReportCursor | null,
  limit: number,
): Promise<AuditReportRow[]> {
  const rows = await queryRows<{
    id: string;
    occurred_at: string | Date;
    cursor_at: string;
    action: string;
    actor_user_id: string;
    actor_name: string;
    role: string;
    practice_name: string | null;
    patient_id: string;
    given_name: string;
    family_name: string;
    mrn: string;
  }>(
    db,
    sql`
      select e.id, e.occurred_at,
        to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at,
        e.action, e.actor_user_id, u.display_name as actor_name, m.role, pr.name as practice_name,
        p.id as patient_id, p.given_name, p.family_name, p.mrn
      from ${auditEvents} e
      join ${patients} p on p.id = e.patient_id and p.organization_id = ${scope.organizationId}::uuid
      join ${users} u on u.id = e.actor_user_id
      join lateral (
        select m.role, m.practice_id from ${memberships} m
        where m.user_id = e.actor_user_id and m.kind = 'practice' and m.organization_id = ${scope.organizationId}::uuid
          and m.created_at <= e.occurred_at and (m.ended_at is null or m.ended_at > e.occurred_at)
        order by m.created_at desc limit 1
      ) m on true
      left join ${practices} pr on pr.id = m.practice_id
      where ${reportWhere(scope, cursor)}
      order by e.occurred_at desc, e.id desc
      limit ${limit + 1}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    occurredAt: new Date(r.occurred_at),
    cursorAt: r.cursor_at,
    action: r.action,
    actorUserId: r.actor_user_id,
    actorName: r.actor_name,
    role: r.role,
    practiceName: r.practice_name,
    patientId: r.patient_id,
    patientGivenName: r.given_name,
    patientFamilyName: r.family_name,
    patientMrn: r.mrn,
  }));
}
