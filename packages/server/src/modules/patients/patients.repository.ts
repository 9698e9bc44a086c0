import { aliasedTable, and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { queryPreparedRows, type Executor } from '../../db/client.ts';
import { patients, users } from '../../db/schema/index.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { resourceRowFilterSql, sqlColumns } from '../record/result-release.ts';

const pcp = aliasedTable(users, 'pcp');

const listColumns = {
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

/** Turns what was typed into a condition: a birth date, an MRN, or name prefixes (each word matches a name part). */
export function searchCondition(q: string): SQL | undefined {
  const text = q.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return eq(patients.birthDate, text);
  if (/^\d+$/.test(text)) return eq(patients.mrn, text);
  const words = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .slice(0, 4);
  return and(...words.map((w) => or(ilike(patients.givenName, `${escapeLike(w)}%`), ilike(patients.familyName, `${escapeLike(w)}%`))));
}

/** Patients of an organization matching a search, scope applied in SQL (STYLE.md: lists filtered by the policy in SQL). */
/** Patients matching a search, among those the scope (patientScopeSql) lets the searcher see. */
export function searchPatients(db: Executor, scope: SQL, q: string, limit: number) {
  return db
    .select(listColumns)
    .from(patients)
    .leftJoin(pcp, eq(pcp.id, patients.pcpId))
    .where(and(scope, searchCondition(q)))
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
}

/**
 * The home summary in one round trip (the hot read of issue 9's bench): the patient's list fields, their next booked
 * visit and their newest laboratory results under the reader's row filter, each only when asked for. The release rules and the
 * row filter are the results list's (resourceRowFilterSql).
 */
export async function findHomeSummary(
  db: Executor,
  patientId: string,
  want: { appointments: boolean; labs: { limit: number; filter: RowFilter } | null },
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
  const rows = await queryPreparedRows<HomeSummaryRow>(
    db,
    sql`select json_build_object('id', p.id, 'mrn', p.mrn, 'givenName', p.given_name, 'familyName', p.family_name,
          'birthDate', p.birth_date, 'sex', p.sex, 'pcpName', pcp.display_name) as patient,
        ${next} as next, ${labs} as labs
      from patients p left join users pcp on pcp.id = p.pcp_id where p.id = ${patientId}::uuid`,
  );
  return rows[0];
}
