import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { startPeriodicJob } from '../../lib/periodic-job.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { startOfDayInZone } from '@portico/shared/zoned-time';
import { validationPeriodAt } from './sponsor-calendar.ts';
import { listOrganizationZones, openValidations } from './sponsors.repository.ts';

/**
 * The Sponsored User Validation's calendar (issue 12 §1), run every hour: on and after April 1 and October 1 in each
 * organization's zone, every sponsor who had active sponsored users whose sponsorship began before that day gets the
 * period's validation (one per sponsor and period: a second run opens nothing), due 30 days later at the zone's
 * midnight, and an email asking them to sign in and complete it (no patient data). Returns the validations opened.
 */
export async function runSponsorValidations(db: Database, publicUrl: string, now = new Date()): Promise<number> {
  let opened = 0;
  for (const org of await listOrganizationZones(db)) {
    const period = validationPeriodAt(now, org.timeZone);
    const periodBegins = startOfDayInZone(period.periodStart, org.timeZone);
    opened += await db.transaction(async (tx) => {
      const rows = await openValidations(tx, {
        organizationId: org.id,
        periodStart: period.periodStart,
        periodBegins,
        dueAt: period.dueAt,
      });
      for (const row of rows) {
        const t = translatorFor(row.locale);
        const date = new Intl.DateTimeFormat(row.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
          new Date(`${period.lastDay}T12:00:00Z`),
        );
        await enqueueEmail(
          tx,
          {
            to: row.email,
            subject: t('sponsors.email.due.subject'),
            text: t('sponsors.email.due.text', { date, organization: row.organizationName, url: `${publicUrl}/sponsor/validation` }),
          },
          `sponsor-validation:${row.id}`,
        );
        await recordAudit(
          tx,
          { requestId: null, ipAddress: null, actorUserId: null },
          {
            action: 'sponsor.validation.open',
            outcome: 'success',
            objectType: 'SponsorValidation',
            objectId: row.id,
            details: { sponsorUserId: row.sponsorUserId, periodStart: period.periodStart, dueAt: period.dueAt.toISOString() },
          },
        );
      }
      return rows.length;
    });
  }
  return opened;
}

/** Runs the validation calendar every hour beside the HTTP server (each zone's midnight falls within an hour of a run). */
export function startSponsorValidationJob(
  db: Database,
  publicUrl: string,
  log: FastifyBaseLogger,
  onQueued: () => void,
  intervalMs = 3_600_000,
) {
  return startPeriodicJob({
    run: () => runSponsorValidations(db, publicUrl),
    onDone: (count) => {
      if (count > 0) onQueued();
    },
    log,
    failure: 'opening sponsored user validations failed; will retry',
    intervalMs,
  });
}
