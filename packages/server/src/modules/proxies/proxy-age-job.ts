import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { addDays, formatCivilDate, parseCivilDate } from '@portico/shared/zoned-time';
import { queryRows, type Database } from '../../db/client.ts';
import { ageOn, dayInZone, proxyAgeBand } from '../access/access.policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { ageNoticeEmail, type AgeNotice } from './proxy-emails.ts';
import { startPeriodicJob } from '../../lib/periodic-job.ts';

/** A proxy grant whose patient may have a birthday about now. */
interface Candidate {
  grantId: string;
  patientId: string;
  birthDate: string;
  timeZone: string;
  organizationName: string;
  /** From what age the patient may open their own account (organizations.teen_account_age: 12 or 13). */
  teenAccountAge: number;
  /** The patient has their own portal account already. */
  hasAccount: boolean;
  email: string;
  locale: 'en' | 'es';
}

/**
 * The notice a birthday between yesterday and today brings, with its outbox key's last part (one per grant and kind):
 * the 12th and 18th change what a guardian sees; the organization's teen account age, when it is later than 12, lets
 * the young person open their own account (at 12 the 12th birthday's notice says so). None for a patient with an account.
 */
function noticeOf(c: Candidate, today: string, yesterday: string): { notice: AgeNotice; key: string } | null {
  const band = proxyAgeBand(c.birthDate, today);
  const mayOpenAccount = (age: number) => !c.hasAccount && ageOn(c.birthDate, today) === age && ageOn(c.birthDate, yesterday) < age;
  if (band !== proxyAgeBand(c.birthDate, yesterday) && band !== 'child') {
    if (band === 'adult') return { notice: 'adult', key: 'adult' };
    return { notice: c.teenAccountAge === 12 && mayOpenAccount(12) ? 'teenOwnAccount' : 'teen', key: 'teen' };
  }
  if (c.teenAccountAge > 12 && mayOpenAccount(c.teenAccountAge)) return { notice: 'ownAccount', key: 'account' };
  return null;
}

/** MM-DD of the UTC days around `now`: every zone's "today" is among them, and Feb 29 births are looked at every year. */
function monthDaysAround(now: Date): string[] {
  const today = parseCivilDate(now.toISOString().slice(0, 10));
  const days = [-1, 0, 1].map((d) => formatCivilDate(addDays(today, d)).slice(5));
  return [...new Set([...days, '02-29'])];
}

/**
 * The age rules' notices (issue 11 §1), run from a job every hour: on the patient's 12th birthday in their
 * organization's zone, a proxy the patient did not grant themself (a guardian) is told that what they see narrows; on
 * the birthday from which the organization lets patients have their own account (12 or 13), that the young person may
 * now open one (with the 12th birthday's notice where it is 12); on the 18th, that their access has ended, and the
 * grant is revoked (the policy already refuses it from that day; the row now says so, with the age rules as the
 * reason). Each grant gets each notice once: the outbox's event key.
 * The birthday is decided by `proxyAgeBand`, the policy's own function, so notice and access change on the same day.
 */
export async function runProxyAgeRules(db: Database, publicUrl: string, now = new Date()): Promise<number> {
  const candidates = await queryRows<Candidate>(
    db,
    sql`select g.id as "grantId", p.id as "patientId", p.birth_date::text as "birthDate", o.time_zone as "timeZone",
          o.name as "organizationName", o.teen_account_age as "teenAccountAge",
          p.user_id is not null as "hasAccount", u.email, u.locale
        from access_grants g
        join patients p on p.id = g.patient_id
        join organizations o on o.id = p.organization_id
        join users u on u.id = g.grantee_user_id
        where g.kind = 'proxy' and g.revoked_at is null and (g.ends_at is null or g.ends_at > ${now.toISOString()}::timestamptz)
          and (p.user_id is null or g.granted_by is distinct from p.user_id) and u.disabled_at is null
          and g.relationship is distinct from 'legal_representative'
          and to_char(p.birth_date, 'MM-DD') = any(${sql.param(monthDaysAround(now))}::text[])`,
  );
  let queued = 0;
  for (const c of candidates) {
    const today = dayInZone(now, c.timeZone);
    const yesterday = formatCivilDate(addDays(parseCivilDate(today), -1));
    const due = noticeOf(c, today, yesterday);
    if (!due) continue;
    await db.transaction(async (tx) => {
      await enqueueEmail(
        tx,
        ageNoticeEmail(c.email, due.notice, c.organizationName, `${publicUrl}/`, c.locale),
        `proxy-age:${c.grantId}:${due.key}`,
      );
      if (due.notice !== 'adult') return;
      await queryRows(
        tx,
        sql`update access_grants set revoked_at = ${now.toISOString()}::timestamptz, revoke_reason = 'age_rules: the patient turned 18'
            where id = ${c.grantId}::uuid and revoked_at is null`,
      );
      await recordAudit(
        tx,
        { requestId: null, ipAddress: null, actorUserId: null },
        {
          action: 'sharing.revoke',
          outcome: 'success',
          patientId: c.patientId,
          objectType: 'AccessGrant',
          objectId: c.grantId,
          details: { grantId: c.grantId, reason: 'patient_turned_18' },
        },
      );
    });
    queued += 1;
  }
  return queued;
}

/** Runs the age rules every hour beside the HTTP server (each zone's midnight falls within an hour of a run). */
export function startProxyAgeJob(db: Database, publicUrl: string, log: FastifyBaseLogger, onQueued: () => void, intervalMs = 3_600_000) {
  return startPeriodicJob({
    run: () => runProxyAgeRules(db, publicUrl),
    onDone: (count) => {
      if (count > 0) onQueued();
    },
    log,
    failure: 'applying the proxy age rules failed; will retry',
    intervalMs,
  });
}
