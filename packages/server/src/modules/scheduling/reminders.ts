/**
 * Appointment reminders (issue 5 §2): an email (or text, by the patient's choice) 3 days and 1 day before each
 * scheduled visit, saying only that a visit is coming up (SECURITY.md: no clinical content in emails).
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.ts';
import { notify } from '../notifications/notify.ts';
import { findRemindableAppointments } from './appointments.repository.ts';
import { startPeriodicJob } from '../../lib/periodic-job.ts';

const dayMs = 86_400_000;
/** How many reminders one run queues at most; the next run continues. */
const batchSize = 2000;

/**
 * Queues the reminders due at `now`: `:1d` for a scheduled visit starting within a day, else `:3d` within three days,
 * to patients with an account. Each reminder's event key (`reminder:<appointmentId>:3d|1d`) is unique in the outbox,
 * so running again, or from several processes, queues nothing more; a visit booked the day before gets only `:1d`.
 * Answers how many visits were considered.
 */
export async function sendDueReminders(db: Database, publicUrl: string, now = new Date()): Promise<number> {
  const rows = await findRemindableAppointments(db, now, new Date(now.getTime() + 3 * dayMs), batchSize);
  if (rows.length === 0) return 0;
  await db.transaction(async (tx) => {
    for (const row of rows) {
      if (!row.userId) continue;
      const which = row.startAt.getTime() - now.getTime() <= dayMs ? '1d' : '3d';
      await notify(tx, publicUrl, {
        userId: row.userId,
        event: 'appointment_reminder',
        eventKey: `reminder:${row.id}:${which}`,
        path: '/appointments',
      });
    }
  });
  return rows.length;
}

/** Runs sendDueReminders every 10 minutes beside the HTTP server; `onQueued` nudges the outbox; `stop` waits for a run. */
export function startReminderJob(
  db: Database,
  publicUrl: string,
  log: FastifyBaseLogger,
  onQueued: () => void = () => undefined,
  intervalMs = 600_000,
) {
  return startPeriodicJob({
    run: () => sendDueReminders(db, publicUrl),
    onDone: (count) => {
      if (count > 0) onQueued();
    },
    log,
    failure: 'queuing appointment reminders failed; will retry',
    intervalMs,
  });
}
