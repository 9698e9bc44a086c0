import { useEffect, useRef } from 'react';
import type { Slot } from '../../api/appointments.ts';
import { formatAppointmentEnd, formatAppointmentStart } from '../../lib/format.ts';

/** Props of the confirm step. */
interface ConfirmTimeProps {
  slot: Slot;
  timeZone: string;
  visitType: string;
  place: string;
  /** The button's words: "Book this time" or "Move my appointment". */
  action: string;
  pending: boolean;
  onConfirm: () => void;
  onBack: () => void;
}

/** The chosen time spelled out in the location's zone, with the one button that books (or moves) it. Takes focus when shown. */
export function ConfirmTime({ slot, timeZone, visitType, place, action, pending, onConfirm, onBack }: ConfirmTimeProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section className="section" aria-labelledby="confirm-time-heading">
      <h2 id="confirm-time-heading" ref={headingRef} tabIndex={-1}>
        Check and confirm
      </h2>
      <dl className="details appointment-facts">
        <div>
          <dt>When</dt>
          <dd>
            {formatAppointmentStart(slot.startAt, timeZone)}
            <br />
            until {formatAppointmentEnd(slot.endAt, timeZone)}
          </dd>
        </div>
        <div>
          <dt>Visit</dt>
          <dd>{visitType}</dd>
        </div>
        <div>
          <dt>With</dt>
          <dd>{slot.clinicianName}</dd>
        </div>
        <div>
          <dt>Where</dt>
          <dd>{place}</dd>
        </div>
      </dl>
      <div className="button-row">
        <button type="button" className="button" aria-disabled={pending} onClick={onConfirm}>
          {action}
        </button>
        <button type="button" className="button button--secondary" onClick={onBack}>
          Choose another time
        </button>
      </div>
      <p className="live-text" role="status">
        {pending ? 'Saving your appointment…' : ''}
      </p>
    </section>
  );
}
