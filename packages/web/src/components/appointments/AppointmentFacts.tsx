import type { AppointmentView } from '../../api/appointments.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatAppointmentEnd, formatAppointmentStart } from '../../lib/format.ts';
import { directionsUrl, safeVideoUrl, statusLabels } from './appointment-text.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';

/** Props of an appointment's facts. */
interface AppointmentFactsProps {
  appointment: AppointmentView;
  /** Show the directions and video links (the detail and confirmation pages), not only the words. */
  withLinks?: boolean;
}

/**
 * When (in the location's zone, the zone named), what, with whom, where and the status of one appointment. A video
 * visit is said to be one once (under "where"), never with a street address, and shows its link (or that the link
 * will appear here before the visit).
 */
export function AppointmentFacts({ appointment, withLinks = false }: AppointmentFactsProps) {
  const t = useT();
  const { location } = appointment;
  const video = withLinks ? safeVideoUrl(appointment.videoUrl) : null;
  const place = <span translate="no">{location.name}</span>;
  return (
    <dl className="details appointment-facts">
      <div>
        <dt>{t('appointments.facts.when')}</dt>
        <dd>
          {formatAppointmentStart(appointment.startAt, appointment.timeZone)}
          <br />
          {t('appointments.facts.until', { time: formatAppointmentEnd(appointment.endAt, appointment.timeZone) })}
        </dd>
      </div>
      <div>
        <dt>{t('appointments.facts.visit')}</dt>
        <dd translate="no">{appointment.visitType}</dd>
      </div>
      <div>
        <dt>{t('appointments.facts.with')}</dt>
        <dd>
          {appointment.clinician ? <span translate="no">{appointment.clinician.name}</span> : t('appointments.clinicianToBeConfirmed')}
        </dd>
      </div>
      <div>
        <dt>{t('appointments.facts.where')}</dt>
        <dd>
          {appointment.video ? <RichMessage id="appointments.facts.videoVisitWith" parts={{ place }} /> : place}
          {location.address && !appointment.video && (
            <span className="address" translate="no">
              {location.address}
            </span>
          )}
          {withLinks && location.address && !appointment.video && (
            <a className="appointment-facts__link" href={directionsUrl(location.address)} target="_blank" rel="noopener noreferrer">
              {t('appointments.facts.directions')}
              <span className="visually-hidden">
                {' '}
                <RichMessage id="appointments.facts.directionsTo" parts={{ place }} />
              </span>{' '}
              {t('appointments.opensInNewTab')}
            </a>
          )}
        </dd>
      </div>
      {withLinks && appointment.video && appointment.status !== 'cancelled' && (
        <div>
          <dt>{t('appointments.facts.videoLink')}</dt>
          <dd>
            {video ? (
              <a href={video} target="_blank" rel="noopener noreferrer" className="break-anywhere">
                {t('appointments.facts.joinVideo')} {t('appointments.opensInNewTab')}
              </a>
            ) : (
              t('appointments.facts.videoLinkLater')
            )}
          </dd>
        </div>
      )}
      <div>
        <dt>{t('appointments.facts.status')}</dt>
        <dd>{t(statusLabels[appointment.status])}</dd>
      </div>
    </dl>
  );
}
