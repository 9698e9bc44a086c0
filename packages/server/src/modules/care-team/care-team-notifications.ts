import { sql, type SQL } from 'drizzle-orm';
import type { Locale } from '@portico/shared/i18n';
import { anyUuid, queryRows, type Executor } from '../../db/client.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { isResultSql, isVisibleToPatientSql, sqlColumns } from '../record/result-release.ts';

/** What became available: a result released to the patient, or a visit with its summary. */
export type CareTeamNews = 'result' | 'visit';

const f = sqlColumns('f');

/**
 * Which of the new rows are news of that kind: results the patient may see now (no hold); a finished visit, or an
 * after-visit note written for a visit (its summary).
 */
function newsSql(news: CareTeamNews): SQL {
  return news === 'result'
    ? sql`${isResultSql(f)} and ${isVisibleToPatientSql(f)}`
    : sql`((f.resource_type = 'Encounter' and f.status = 'finished') or (f.resource_type = 'DocumentReference' and f.encounter_id is not null))`;
}

/** Whether a new stored row may be a visit's summary (the import's list of what it created says no more than this). */
export function isVisitSummaryResource(resourceType: string): boolean {
  return resourceType === 'Encounter' || resourceType === 'DocumentReference';
}

interface Recipient {
  user_id: string;
  email: string;
  locale: Locale;
  organization_name: string;
  resource_id: string;
}

/**
 * The outside providers to tell, one row per provider and patient with the first (lowest id) row naming the event: the
 * care-team members in force and the PCP on record when they are an outside provider (an NPI holder of a practice of
 * the patient's organization), on enabled accounts, who may see the row: never one marked confidential, a sensitive
 * one only when the patient consented to show it to that member (practice-access.ts: the PCP's practice sees none).
 */
function recipientsOf(db: Executor, ids: readonly string[], news: CareTeamNews) {
  return queryRows<Recipient>(
    db,
    sql`select distinct on (f.patient_id, r.user_id) r.user_id, u.email, u.locale, o.name as organization_name, f.id as resource_id
      from fhir_resources f
      join patients p on p.id = f.patient_id
      join organizations o on o.id = p.organization_id
      join lateral (
        select g.grantee_user_id as user_id, g.sensitive_categories as consented from access_grants g
        where g.patient_id = p.id and g.kind = 'care_team' and g.grantee_user_id is not null and g.revoked_at is null
          and g.starts_at <= now() and (g.ends_at is null or g.ends_at > now())
        union all
        select p.pcp_id, '{}'::text[] where exists (
          select 1 from memberships m where m.user_id = p.pcp_id and m.kind = 'practice' and m.role = 'outside_provider'
            and m.ended_at is null and m.organization_id = p.organization_id)
      ) r on true
      join users u on u.id = r.user_id and u.disabled_at is null
      where ${anyUuid(sql.raw('f.id'), ids)} and ${newsSql(news)} and not f.confidential
        and (f.sensitive_category is null or f.sensitive_category = any(r.consented))
      order by f.patient_id, r.user_id, f.id`,
  );
}

/**
 * Tells the patient's outside providers that something new is waiting (issue 12 §2: "care-team members get an email
 * when a visit summary or a result of their patient is available"), in the caller's transaction: each care-team
 * member and the outside PCP who may see it gets one email, in their language, naming neither the patient nor the
 * content (SECURITY.md), with a link to sign in. The event key (`care-team:<resourceId>:<userId>`) makes the same
 * news announced again (a re-import, a repeated release) queue nothing more.
 */
export async function notifyCareTeam(tx: Executor, ids: readonly string[], news: CareTeamNews, publicUrl: string): Promise<void> {
  if (ids.length === 0) return;
  for (const r of await recipientsOf(tx, ids, news)) {
    const t = translatorFor(r.locale);
    await enqueueEmail(
      tx,
      {
        to: r.email,
        subject: t('notify.careTeamUpdate.subject'),
        text: t('notify.careTeamUpdate.text', { organization: r.organization_name, url: `${publicUrl}/sign-in` }),
      },
      `care-team:${r.resource_id}:${r.user_id}`,
    );
  }
}
