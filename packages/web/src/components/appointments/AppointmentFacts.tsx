import type { AppointmentView } from '../../api/appointments.ts';
import { formatAppointmentEnd, formatAppointmentStart } from '../../lib/format.ts';
import { directionsUrl, safeVideoUrl, statusLabels } from './appointment-text.ts';

/** Props of an appointment's facts. */
interface AppointmentFactsProps {
  appointment: AppointmentView;
  /** Show the directions and video links (the detail and confirmation pages), not only the words. */
  withLinks?: boolean;
}

/** When (in the location's zone, the zone named), what, with whom, where and the status of one appointment. */
export function AppointmentFacts({ appointment, withLinks = false }: AppointmentFactsProps) {
  const { location } = appointment;
  const video = withLinks ? safeVideoUrl(appointment.videoUrl) : null;
  return (
    <dl className="details appointment-facts">
      <div>
        <dt>When</dt>
        <dd>
          {formatAppointmentStart(appointment.startAt, appointment.timeZone)}
          <br />
          until {formatAppointmentEnd(appointment.endAt, appointment.timeZone)}
        </dd>
      </div>
      <div>
        <dt>Visit</dt>
        <dd>
          {appointment.visitType}
          {appointment.video && ' (video visit)'}
        </dd>
      </div>
      <div>
        <dt>With</dt>
        <dd>{appointment.clinician?.name ?? 'Clinician to be confirmed'}</dd>
      </div>
      <div>
        <dt>Where</dt>
        <dd>
          {appointment.video ? `Video visit with ${location.name}` : location.name}
          {location.address && <span className="address">{location.address}</span>}
          {withLinks && location.address && !appointment.video && (
            <a className="appointment-facts__link" href={directionsUrl(location.address)} target="_blank" rel="noopener noreferrer">
              Directions<span className="visually-hidden"> to {location.name}</span> (opens in a new tab)
            </a>
          )}
        </dd>
      </div>
      {withLinks && appointment.video && (
        <div>
          <dt>Video link</dt>
          <dd>
            {video ? (
              <a href={video} target="_blank" rel="noopener noreferrer" className="break-anywhere">
                Join the video visit (opens in a new tab)
              </a>
            ) : (
              'The link will show here before your visit.'
            )}
          </dd>
        </div>
      )}
      <div>
        <dt>Status</dt>
        <dd>{statusLabels[appointment.status]}</dd>
      </div>
    </dl>
  );
}
