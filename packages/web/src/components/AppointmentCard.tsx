import { useId } from 'react';
import { Link } from 'react-router';
import type { AppointmentSummary } from '../api/types.ts';
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

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).replaceAll('_', ' ');
}

/** The next appointment, its time shown in the location's own time zone (DESIGN.md "Conventions"). */
export function AppointmentCard({ appointment, level, subject, detailsPath }: AppointmentCardProps) {
  const headingId = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="card" aria-labelledby={headingId}>
      <Heading id={headingId} className="card__heading">
        Next appointment
      </Heading>
      {appointment ? (
        <>
          <p className="card__title">{appointment.visitType}</p>
          <dl className="details">
            <div>
              <dt>When</dt>
              <dd>
                {formatAppointmentStart(appointment.startAt, appointment.timeZone)}
                <br />
                until {formatAppointmentEnd(appointment.endAt, appointment.timeZone)}
              </dd>
            </div>
            <div>
              <dt>With</dt>
              <dd>{appointment.clinicianName ?? 'Clinician to be confirmed'}</dd>
            </div>
            <div>
              <dt>Where</dt>
              <dd>
                {appointment.departmentName}
                {appointment.locationAddress && <span className="address">{appointment.locationAddress}</span>}
              </dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>{capitalize(appointment.status)}</dd>
            </div>
          </dl>
          {detailsPath && (
            <p>
              <Link to={detailsPath}>
                See this appointment<span className="visually-hidden">: {appointment.visitType}</span>
              </Link>
              , to check in, change or add it to your calendar
            </p>
          )}
        </>
      ) : (
        <p className="empty-state">
          {subject === 'self'
            ? 'You have no upcoming appointments. When one is booked, its date, time and place will show here.'
            : 'This patient has no upcoming appointments.'}
        </p>
      )}
    </section>
  );
}
