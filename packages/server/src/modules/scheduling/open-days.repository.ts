/**
 * Open times in SQL, one statement however many days are asked for: which local days have one (the week strip's seven,
 * "next available"'s ninety) and the open starts of a day (the times list). It applies availability.ts's rules:
 * weekly templates in the department's zone (wall-clock minutes turned into instants exactly as @portico/shared/zoned-time
 * does, so a time the clock skips is never offered and a repeated one is its first occurrence), the visit's length
 * stepping from each template's start, the booking lead time, blocked time and booked 5-minute units. The booking
 * check still uses availability.ts; open-days.test.ts keeps the two in step, instant by instant.
 */
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';

/** What an open-time search covers. */
export interface OpenTimeSearch {
  departmentId: string;
  timeZone: string;
  visitTypeId: string;
  durationMinutes: number;
  /** The clinicians to look at (already narrowed to those the patient may book with); none finds nothing. */
  clinicianIds: readonly string[];
  /** First and last local day, `YYYY-MM-DD`, inclusive. */
  from: string;
  to: string;
  /** Nothing starts before this instant (now plus the booking lead time). */
  notBefore: Date;
}

/**
 * The instant of a wall-clock `timestamp` in the zone `p.tz` (a `p` in scope), as zonedTimeToUtc computes it: read the
 * zone's offset at the wall time taken as UTC, step back by it, and take the offset found there when the two differ (a
 * DST change). PostgreSQL's own `at time zone` resolves a repeated hour the other way, so the rule is spelled out.
 */
export function instantOf(wall: SQL): SQL {
  return sql`(
    select case when (w.i1 at time zone p.tz) - (w.i1 at time zone 'UTC') = w.o1 then w.i1
                else w.u - ((w.i1 at time zone p.tz) - (w.i1 at time zone 'UTC')) end
    from (select v.u, v.u - ((v.u at time zone p.tz) - ${wall}) as i1, (v.u at time zone p.tz) - ${wall} as o1
          from (select (${wall}) at time zone 'UTC' as u) v) w
  )`;
}

/** The search's parameters (`p`), the blocked time overlapping it, and the templates that can offer the visit. */
function searchCtes(search: OpenTimeSearch): SQL {
  return sql`
    with p as (
      select ${search.timeZone}::text as tz,
             make_interval(mins => ${search.durationMinutes}::int) as length,
             ${search.durationMinutes}::int as minutes,
             ${search.visitTypeId}::uuid as visit_type_id,
             ${sql.param([...search.clinicianIds])}::uuid[] as clinician_ids,
             ${search.notBefore.toISOString()}::timestamptz as not_before
    ),
    -- Blocked time overlapping the days asked for, read once: every candidate time is checked against it.
    blocks as materialized (
      select b.clinician_id, b.start_at, b.end_at
      from schedule_blocks b, p
      where b.clinician_id = any(p.clinician_ids)
        and b.start_at < (${search.to}::date + 2)::timestamp at time zone p.tz
        and b.end_at > (${search.from}::date - 1)::timestamp at time zone p.tz
    ),
    templates as materialized (
      select t.*
      from schedule_templates t, p
      where t.department_id = ${search.departmentId}::uuid
        and t.clinician_id = any(p.clinician_ids)
        and (cardinality(t.visit_type_ids) = 0 or p.visit_type_id = any(t.visit_type_ids))
        and t.valid_from <= ${search.to}::date
        and (t.valid_to is null or t.valid_to >= ${search.from}::date)
        and t.end_minute - t.start_minute >= p.minutes
    )`;
}

/**
 * The local days of the search (`d`): the day, the instant of its local midnight, and whether it is `steady` (24 hours
 * long from an existing midnight: no clock change in it, which is every day but the daylight-saving ones).
 */
function searchDays(search: OpenTimeSearch): SQL {
  return sql`p, generate_series(${search.from}::date, ${search.to}::date, interval '1 day') as g(at)
    cross join lateral (select g.at::date as day) d0
    cross join lateral (
      select ${instantOf(sql`d0.day::timestamp`)} as starts, ${instantOf(sql`(d0.day + 1)::timestamp`)} as ends
    ) midnights
    cross join lateral (
      select d0.day,
             midnights.starts as midnight,
             midnights.ends - midnights.starts = interval '24 hours'
               and (midnights.starts at time zone p.tz) = d0.day::timestamp as steady
    ) d`;
}

/** The open starts (`t.clinician_id`, `z.start_at`) of the day `d`: candidates of each template, minus the taken ones. */
function openStartsOfDay(): SQL {
  const wallStart = sql`(d.day + make_interval(mins => m.minute))`;
  const wallEnd = sql`(d.day + make_interval(mins => t.end_minute))`;
  // On a steady day a wall time is that many minutes after local midnight; only a day with a clock change takes
  // instantOf's longer way.
  const onDay = (minute: SQL, wall: SQL) =>
    sql`case when d.steady then d.midnight + ${minute} * interval '1 minute' else ${instantOf(wall)} end`;
  return sql`
      from templates t
      -- offset 0 keeps each computed instant a value (the planner would otherwise copy its expression into every use).
      cross join lateral (select ${onDay(sql`t.end_minute`, wallEnd)} as template_end offset 0) te
      cross join lateral generate_series(t.start_minute::int, t.end_minute::int - p.minutes, p.minutes) as m(minute)
      cross join lateral (select ${onDay(sql`m.minute`, wallStart)} as start_at offset 0) z
      where t.weekday = extract(dow from d.day)
        and t.valid_from <= d.day
        and (t.valid_to is null or d.day <= t.valid_to)
        and (d.steady or date_trunc('minute', z.start_at at time zone p.tz) = ${wallStart})
        and z.start_at >= p.not_before
        and z.start_at + p.length <= te.template_end
        and not exists (
          select 1 from blocks b
          where b.clinician_id = t.clinician_id and b.start_at < z.start_at + p.length and b.end_at > z.start_at
        )
        and not exists (
          select 1 from appointment_slots s
          where s.clinician_id = t.clinician_id and s.unit_start >= z.start_at and s.unit_start < z.start_at + p.length
        )`;
}

/** The local days in [from, to] with at least one open time, earliest first, at most `limit` (1 for "next available"). */
export async function findOpenDays(db: Executor, search: OpenTimeSearch & { limit: number }): Promise<string[]> {
  if (search.clinicianIds.length === 0 || search.limit < 1) return [];
  const rows = await queryRows<{ day: string }>(
    db,
    sql`${searchCtes(search)}
    select to_char(d.day, 'YYYY-MM-DD') as day
    from ${searchDays(search)}
    where exists (select 1 ${openStartsOfDay()})
    order by d.day
    limit ${search.limit}`,
  );
  return rows.map((row) => row.day);
}

/** Every open start in [from, to] (local days) with its clinician, by time then clinician. */
export async function findOpenStarts(db: Executor, search: OpenTimeSearch): Promise<{ clinicianId: string; startAt: Date }[]> {
  if (search.clinicianIds.length === 0) return [];
  const rows = await queryRows<{ clinician_id: string; start_at: string }>(
    db,
    sql`${searchCtes(search)}
    select distinct c.clinician_id, to_char(c.start_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start_at
    from ${searchDays(search)}
    cross join lateral (select t.clinician_id, z.start_at ${openStartsOfDay()}) c
    order by start_at, c.clinician_id`,
  );
  return rows.map((row) => ({ clinicianId: row.clinician_id, startAt: new Date(row.start_at) }));
}
