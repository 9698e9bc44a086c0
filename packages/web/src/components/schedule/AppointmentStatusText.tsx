import type { AppointmentStatus } from '../../api/schedule.ts';
import { appointmentStatusLabel, appointmentStatusMarker } from './schedule-text.ts';

/** A status in words with a shape beside it; colour only repeats what the words say (WCAG 1.4.1). */
export function AppointmentStatusText({ status }: { status: AppointmentStatus }) {
  return (
    <span className={`appt-status appt-status--${status.replace('_', '-')}`}>
      <span aria-hidden="true" className="appt-status__marker">
        {appointmentStatusMarker(status)}
      </span>{' '}
      {appointmentStatusLabel(status)}
    </span>
  );
}

/** Blocked time's marker, in the same style as a status. */
export function BlockedText() {
  return (
    <span className="appt-status appt-status--blocked">
      <span aria-hidden="true" className="appt-status__marker">
        ▨
      </span>{' '}
      Blocked
    </span>
  );
}
