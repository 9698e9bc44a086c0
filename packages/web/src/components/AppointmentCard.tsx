import { useId } from 'react';
import { Link } from 'react-router';
import type { MessageId } from '@portico/shared/i18n';
import type { AppointmentSummary } from '../api/types.ts';
import { useT } from '../i18n/i18n-context.ts';
import { formatAppointmentEnd, formatAppointmentStart } from '../lib/format.ts';

/** Props of the next-appointment card. */
interface AppointmentCardProps {
  appointment: AppointmentSummary | null;
  /** Heading level, so the card fits under a page h1 (patient) or a patient h2 (staff). */
  level: 2 | 3;
  /** Words for the empty state: "You have" for the patient, "This patient has" for staff. */
  subject: 'self' | 'patient';
  /** Where the appointment's own page is (the patient's `/appointments/:id`); staff have none yet. */
  detailsPath?: string;
}

/** An appointment's status in words: "Checked in". */
const statusWords: Readonly<Partial<Record<string, MessageId>>> = {
  scheduled: 'home.appointment.status.scheduled',
  checked_in: 'home.appointment.status.checkedIn',
  arrived: 'home.appointment.status.arrived',
  completed: 'home.appointment.status.completed',
  no_show: 'home.appointment.status.noShow',
  cancelled: 'home.appointment.status.cancelled',
};

/** A status the catalogue does not know, as a sentence-case word. */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).replaceAll('_', ' ');
}

/** The status in the page's language; an unknown one as the server wrote it, marked as not for translation. */
function Status({ status }: { status: string }) {
  const t = useT();
  const id = Object.hasOwn(statusWords, status) ? statusWords[status] : undefined;
  return id ? <>{t(id)}</> : <span translate="no">{capitalize(status)}</span>;
}

/** The next appointment, its time shown in the location's own time zone (DESIGN.md "Conventions"). */
export function AppointmentCard({ appointment, level, subject, detailsPath }: AppointmentCardProps) {
  const t = useT();
  const headingId = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="card" aria-labelledby={headingId}>
      <Heading id={headingId} className="card__heading">
        {t('home.appointment.heading')}
      </Heading>
      {appointment ? (
        <>
          <p className="card__title" translate="no">
            {appointment.visitType}
          </p>
          <dl className="details">
            <div>
              <dt>{t('home.appointment.when')}</dt>
              <dd>
                {formatAppointmentStart(appointment.startAt, appointment.timeZone)}
                <br />
                {t('home.appointment.until', { end: formatAppointmentEnd(appointment.endAt, appointment.timeZone) })}
              </dd>
            </div>
            <div>
              <dt>{t('home.appointment.with')}</dt>
              <dd>
                {appointment.clinicianName ? <span translate="no">{appointment.clinicianName}</span> : t('home.appointment.clinicianTbc')}
              </dd>
            </div>
            <div>
              <dt>{t('home.appointment.where')}</dt>
              <dd translate="no">
                {appointment.departmentName}
                {appointment.locationAddress && <span className="address">{appointment.locationAddress}</span>}
              </dd>
            </div>
            <div>
              <dt>{t('home.appointment.statusLabel')}</dt>
              <dd>
                <Status status={appointment.status} />
              </dd>
            </div>
          </dl>
          {detailsPath && (
            <p>
              <Link to={detailsPath}>
                {t('home.appointment.see')}
                <span className="visually-hidden" translate="no">
                  : {appointment.visitType}
                </span>
              </Link>
              {t('home.appointment.seeEnd')}
            </p>
          )}
        </>
      ) : (
        <p className="empty-state">{subject === 'self' ? t('home.appointment.emptySelf') : t('home.appointment.empty')}</p>
      )}
    </section>
  );
}
