/**
 * The email that confirms a booking or a move (issue 10 §3), queued in the outbox in the booking's own transaction, so
 * it goes out only if the booking commits. It is in the patient's language (users.locale) and says when, with whom and
 * where (or "video visit", never the video link, which is a secret, nor a street address for it); no reason for the
 * visit, no visit type, no instructions (SECURITY.md: no clinical content in email).
 */
import { intlLocales, type Locale } from '@portico/shared/i18n';
import type { Executor } from '../../db/client.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { enqueueEmail, type EmailMessage } from '../mail/mail.service.ts';
import { findAppointment, findPatientAccount } from './appointments.repository.ts';

/** A new booking, or a visit moved to a new time (a reschedule, an accepted waitlist offer). */
export type BookingChange = 'booked' | 'moved';

/** What the email says about the visit. */
export interface ConfirmedVisit {
  startAt: Date;
  timeZone: string;
  clinicianName: string | null;
  placeName: string;
  address: string | null;
  video: boolean;
}

/** The visit's start in its location's zone and the reader's language, the zone named ("Tuesday, March 9, 2027 at 9:00 AM EST"). */
export function formatVisitTime(startAt: Date, timeZone: string, locale: Locale): string {
  return new Intl.DateTimeFormat(intlLocales[locale], {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  }).format(startAt);
}

/** The confirmation email for a visit, in `locale`; `url` opens the appointment's page. */
export function bookingConfirmationEmail(
  to: string,
  visit: ConfirmedVisit,
  change: BookingChange,
  url: string,
  locale: Locale,
): EmailMessage {
  const t = translatorFor(locale);
  const place = visit.video
    ? t('notify.appointment.videoPlace')
    : [visit.placeName, visit.address?.replace(/\s*\n\s*/g, ', ')].filter(Boolean).join(', ');
  const details = t('notify.appointment.details', {
    when: formatVisitTime(visit.startAt, visit.timeZone, locale),
    clinician: visit.clinicianName ?? t('notify.appointment.clinicianToBeConfirmed'),
    place,
  });
  const intro = t(change === 'moved' ? 'notify.appointment.movedIntro' : 'notify.appointment.bookedIntro');
  return {
    to,
    subject: t(change === 'moved' ? 'notify.appointment.movedSubject' : 'notify.appointment.bookedSubject'),
    text: t('notify.appointment.email', { intro, details, url }),
  };
}

/**
 * Queues the confirmation of a booked (or moved) appointment to the patient's own account, when it has a verified,
 * enabled one; one email per appointment and change (the outbox's event key), so a replayed request queues nothing more.
 */
export async function queueBookingConfirmation(
  tx: Executor,
  publicUrl: string,
  patientId: string,
  appointmentId: string,
  change: BookingChange,
): Promise<void> {
  const account = await findPatientAccount(tx, patientId);
  const row = await findAppointment(tx, patientId, appointmentId);
  if (!account || !row) return;
  const a = row.appointment;
  const visit: ConfirmedVisit = {
    startAt: a.startAt,
    timeZone: a.timeZone,
    clinicianName: row.clinicianName,
    placeName: row.departmentName,
    address: row.departmentAddress,
    video: row.isVideo || a.videoUrl !== null,
  };
  const url = `${publicUrl}/appointments/${encodeURIComponent(a.id)}`;
  await enqueueEmail(
    tx,
    bookingConfirmationEmail(account.email, visit, change, url, account.locale),
    `appointment:${a.id}:${change}:email`,
  );
}
