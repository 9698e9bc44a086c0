import { aliasedTable, and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { queryPreparedRows, type Executor } from '../../db/client.ts';
import { messageThreads, patients, users } from '../../db/schema/index.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { confidentialThreadFilterSql } from '../access/access.scope.ts';
import { isUnreadSql, type ThreadReader } from '../messaging/threads.repository.ts';
import { refillVisibleSql } from '../refills/refills.repository.ts';
import { isResultSql, reportMemberIdsSql, resourceRowFilterSql, sqlColumns } from '../record/result-release.ts';

/** The patient's PCP, joined for the list fields. */
export const pcp = aliasedTable(users, 'pcp');

/** What a list of patients shows of each (patientListItem): search results, the chart header. */
export const listColumns = {
  id: patients.id,
  mrn: patients.mrn,
  givenName: patients.givenName,
  familyName: patients.familyName,
  birthDate: patients.birthDate,
  sex: patients.sex,
  pcpName: pcp.displayName,
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Turns what was typed into a condition: the birth date the service read from it (readTypedDate), an MRN, or name
 * prefixes (each word matches a name part).
 */
export function searchCondition(q: string, birthDate: string | null = null): SQL | undefined {
  const text = q.trim();
  if (birthDate !== null) return eq(patients.birthDate, birthDate);
  if (/^\d+$/.test(text)) return eq(patients.mrn, text);
  const words = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .slice(0, 4);
  return and(...words.map((w) => or(ilike(patients.givenName, `${escapeLike(w)}%`), ilike(patients.familyName, `${escapeLike(w)}%`))));
}

/** Patients of an organization matching a search, scope applied in SQL (STYLE.md: lists filtered by the policy in SQL). */
/** Patients matching a search, among those the scope (patientScopeSql) lets the searcher see. */
export function searchPatients(db: Executor, scope: SQL, q: string, limit: number, birthDate: string | null = null) {
  return db
    .select(listColumns)
    .from(patients)
    .leftJoin(pcp, eq(pcp.id, patients.pcpId))
    .where(and(scope, searchCondition(q, birthDate)))
    .orderBy(asc(patients.familyName), asc(patients.givenName), asc(patients.birthDate))
    .limit(limit);
}

/** The home summary's rows, read in one statement. */
export interface HomeSummaryRow {
  patient: {
    id: string;
    mrn: string;
    givenName: string;
    familyName: string;
    birthDate: string;
    sex: string | null;
    pcpName: string | null;
  };
  next: {
    id: string;
    startAt: string;
    endAt: string;
    timeZone: string;
    visitType: string;
    status: string;
    clinicianName: string | null;
    departmentName: string;
    locationAddress: string | null;
  } | null;
  labs: { id: string; resourceType: string; resource: unknown; effectiveAt: string }[] | null;
  attention: {
    unreadMessages: number;
    newResults: number;
    openRefills: number;
    checkInsDue: { appointmentId: string; startAt: string; timeZone: string; visitType: string }[];
  } | null;
}

/** What the patient's own dashboard counts: whose unread marks and "new" results, and the windows in time. */
export interface AttentionWanted {
  reader: ThreadReader;
  /** When the reader never opened the results list, results that reached them after this are new. */
  resultsSinceIfNeverRead: Date;
  /** A visit starting by this instant has its check-in open (check-in opens a fixed time before the start). */
  checkInOpenBy: Date;
  /** How many due check-ins to list. */
  checkInLimit: number;
}

/**
 * Results new to the reader, counted the way the results list shows them (reports, and results that are no report's
 * member) under the reader's row filter: those that reached the reader (stored or changed, or for a patient the end of
 * the last hold on it or on a member) after the reader last read the list (`results_seen.last_read_at`), or after
 * `resultsSinceIfNeverRead` when they never did. Once the list is read, the home page has nothing new to announce.
 */
function newResultsSql(patientId: string, want: AttentionWanted): SQL {
  const f = sqlColumns('f');
  const ended = sql`coalesce(h.released_at, h.held_until)`;
  const releasedSince = want.reader.filter.seesHeldResults
    ? sql`false`
    : sql`exists (select 1 from result_holds h where h.patient_id = p.id and ${ended} > seen.mark and ${ended} <= now()
        and (h.resource_id = f.id or (f.resource_type = 'DiagnosticReport'
          and h.resource_id::text in (${reportMemberIdsSql(sql.raw('f.resource'))}))))`;
  return sql`(select count(*)::int
    from (select coalesce((select s.last_read_at from results_seen s where s.user_id = ${want.reader.userId}::uuid and s.patient_id = p.id),
      ${want.resultsSinceIfNeverRead.toISOString()}::timestamptz) as mark) seen
    cross join fhir_resources f
    where f.patient_id = p.id and ${isResultSql(f)}
      and (f.resource_type = 'DiagnosticReport' or f.id::text not in (
        select member_id from fhir_resources reports
        cross join lateral (${reportMemberIdsSql(sql.raw('reports.resource'))}) as members(member_id)
        where reports.patient_id = p.id and reports.resource_type = 'DiagnosticReport'))
      and ${and(sql`true`, resourceRowFilterSql(want.reader.filter, patientId, f))}
      and (f.last_updated > seen.mark or ${releasedSince}))`;
}

/**
 * The dashboard's counts as one JSON value, for the summary statement: unread threads (the thread list's rule), new
 * results (newResultsSql), refill requests still `requested`, and the scheduled visits whose check-in is open and not
 * done (the appointment view's rule).
 */
function attentionSql(patientId: string, want: AttentionWanted, now: Date): SQL {
  return sql`json_build_object(
      'unreadMessages', (select count(*)::int from ${messageThreads}
        where ${messageThreads.patientId} = p.id and ${isUnreadSql(want.reader)}
          and ${confidentialThreadFilterSql(want.reader.filter, messageThreads.confidential) ?? sql`true`}),
      'newResults', ${newResultsSql(patientId, want)},
      'openRefills', (select count(*)::int from refill_requests r where r.patient_id = p.id and r.status = 'requested'
        and ${refillVisibleSql(want.reader.filter, { patientId: sql.raw('r.patient_id'), threadId: sql.raw('r.thread_id'), medicationIds: sql.raw('r.medication_ids') }) ?? sql`true`}),
      'checkInsDue', (select coalesce(json_agg(json_build_object('appointmentId', d.id, 'startAt', d.start_at,
          'timeZone', d.time_zone, 'visitType', d.visit_type) order by d.start_at, d.id), '[]'::json)
        from (select a.id, a.start_at, a.time_zone, a.visit_type from appointments a
          where a.patient_id = p.id and a.status = 'scheduled' and a.start_at <= ${want.checkInOpenBy.toISOString()}::timestamptz
            and a.end_at > ${now.toISOString()}::timestamptz
            and not exists (select 1 from check_ins c where c.appointment_id = a.id)
          order by a.start_at, a.id limit ${want.checkInLimit}) d))`;
}

/**
 * The home summary in one round trip (the hot read of issue 9's bench): the patient's list fields, their next booked
 * visit, their newest laboratory results under the reader's row filter and, for the patient's own dashboard, what waits
 * for them (attentionSql), each only when asked for. The release rules and the row filter are the results list's
 * (resourceRowFilterSql).
 */
export async function findHomeSummary(
  db: Executor,
  patientId: string,
  want: { appointments: boolean; labs: { limit: number; filter: RowFilter } | null; attention: AttentionWanted | null },
  now: Date,
): Promise<HomeSummaryRow | undefined> {
  const f = sqlColumns('f');
  const next = want.appointments
    ? sql`(select json_build_object('id', a.id, 'startAt', a.start_at, 'endAt', a.end_at, 'timeZone', a.time_zone,
          'visitType', a.visit_type, 'status', a.status, 'clinicianName', c.display_name, 'departmentName', d.name,
          'locationAddress', d.address)
        from appointments a join departments d on d.id = a.department_id left join users c on c.id = a.clinician_id
        where a.patient_id = p.id and a.start_at > ${now.toISOString()}::timestamptz and a.status in ('scheduled', 'checked_in')
        order by a.start_at limit 1)`
    : sql`null`;
  const labs = want.labs
    ? sql`(select coalesce(json_agg(json_build_object('id', l.id, 'resourceType', l.resource_type, 'resource', l.resource,
          'effectiveAt', l.effective_at) order by l.effective_at desc, l.id desc), '[]'::json)
        from (select f.id, f.resource_type, f.resource, f.effective_at from fhir_resources f
          where f.patient_id = p.id and f.resource_type = 'Observation' and f.category = 'laboratory' and f.effective_at is not null
            and ${and(sql`true`, resourceRowFilterSql(want.labs.filter, patientId, f))}
          order by f.effective_at desc, f.id desc limit ${want.labs.limit}) l)`
    : sql`null`;
  const attention = want.attention ? attentionSql(patientId, want.attention, now) : sql`null`;
  const rows = await queryPreparedRows<HomeSummaryRow>(
    db,
    sql`select json_build_object('id', p.id, 'mrn', p.mrn, 'givenName', p.given_name, 'familyName', p.family_name,
          'birthDate', p.birth_date, 'sex', p.sex, 'pcpName', pcp.display_name) as patient,
        ${next} as next, ${labs} as labs, ${attention} as attention
      from patients p left join users pcp on pcp.id = p.pcp_id where p.id = ${patientId}::uuid`,
  );
  return rows[0];
}
