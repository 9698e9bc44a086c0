import { useEffect, useRef } from 'react';
import type { Slot } from '../../api/appointments.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { formatAppointmentEnd, formatAppointmentStart } from '../../lib/format.ts';

/** Props of the confirm step. */
interface ConfirmTimeProps {
  slot: Slot;
  timeZone: string;
  /** The visit type's name, as staff configured it. */
  visitType: string;
  /** Whether the visit is by video: "where" says so once, with no street address. */
  video?: boolean;
  /** Where, as the organization names it. */
  place: string;
  /** The button's words: "Book this time" or "Move my appointment". */
  action: string;
  pending: boolean;
  onConfirm: () => void;
  onBack: () => void;
}

/** The chosen time spelled out in the location's zone, with the one button that books (or moves) it. Takes focus when shown. */
export function ConfirmTime({ slot, timeZone, visitType, video = false, place, action, pending, onConfirm, onBack }: ConfirmTimeProps) {
  const t = useT();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <section className="section" aria-labelledby="confirm-time-heading">
      <h2 id="confirm-time-heading" ref={headingRef} tabIndex={-1}>
        {t('appointments.confirm.heading')}
      </h2>
      <dl className="details appointment-facts">
        <div>
          <dt>{t('appointments.facts.when')}</dt>
          <dd>
            {formatAppointmentStart(slot.startAt, timeZone)}
            <br />
            {t('appointments.facts.until', { time: formatAppointmentEnd(slot.endAt, timeZone) })}
          </dd>
        </div>
        <div>
          <dt>{t('appointments.facts.visit')}</dt>
          <dd translate="no">{visitType}</dd>
        </div>
        <div>
          <dt>{t('appointments.facts.with')}</dt>
          <dd translate="no">{slot.clinicianName}</dd>
        </div>
        <div>
          <dt>{t('appointments.facts.where')}</dt>
          {video ? (
            <dd>
              <RichMessage id="appointments.facts.videoVisitWith" parts={{ place: <span translate="no">{place}</span> }} />
              <span className="appointment-facts__note">{t('appointments.confirm.videoLinkLater')}</span>
            </dd>
          ) : (
            <dd translate="no">{place}</dd>
          )}
        </div>
      </dl>
      <div className="button-row">
        <button type="button" className="button" aria-disabled={pending} onClick={onConfirm}>
          {action}
        </button>
        <button type="button" className="button button--secondary" onClick={onBack}>
          {t('appointments.confirm.chooseAnother')}
        </button>
      </div>
      <p className="live-text" role="status">
        {pending ? t('appointments.confirm.saving') : ''}
      </p>
    </section>
  );
}
