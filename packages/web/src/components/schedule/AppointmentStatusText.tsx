import type { AppointmentStatus } from '../../api/schedule.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { appointmentStatusLabel, appointmentStatusMarker } from './schedule-text.ts';

/** A status in words with a shape beside it; colour only repeats what the words say (WCAG 1.4.1). */
export function AppointmentStatusText({ status }: { status: AppointmentStatus }) {
  const t = useT();
  return (
    <span className={`appt-status appt-status--${status.replace('_', '-')}`}>
      <span aria-hidden="true" className="appt-status__marker">
        {appointmentStatusMarker(status)}
      </span>{' '}
      {t(appointmentStatusLabel(status))}
    </span>
  );
}

/** Blocked time's marker, in the same style as a status. */
export function BlockedText() {
  const t = useT();
  return (
    <span className="appt-status appt-status--blocked">
      <span aria-hidden="true" className="appt-status__marker">
        ▨
      </span>{' '}
      {t('schedule.blocked')}
    </span>
  );
}
