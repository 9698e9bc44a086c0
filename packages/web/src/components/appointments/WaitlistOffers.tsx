import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { acceptWaitlistOffer, appointmentKeys, type WaitlistOffer } from '../../api/appointments.ts';
import { errorMessage, isApiError } from '../../api/client.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatAppointmentStart, formatDateTime } from '../../lib/format.ts';
import { randomKey } from '../messages/idempotency-key.ts';
import { useWaitlistOffers } from './appointment-queries.ts';
import { appointmentPaths } from './appointment-scope.ts';

/** Earlier times offered to the patient from the waitlist, each with "Take this time"; nothing shows when there are none. */
export function WaitlistOffers({ patientId }: { patientId: string }) {
  const t = useT();
  const query = useWaitlistOffers(patientId);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [pending, setPending] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // One Idempotency-Key per offer, reused if the person tries the same offer again after a lost answer.
  const keys = useRef(new Map<string, string>());

  async function take(offer: WaitlistOffer) {
    if (pending) return;
    const key = keys.current.get(offer.id) ?? randomKey();
    keys.current.set(offer.id, key);
    setPending(offer.id);
    setProblem(null);
    try {
      const appointment = await acceptWaitlistOffer(patientId, offer.id, key);
      queryClient.setQueryData(appointmentKeys.detail(patientId, appointment.id), appointment);
      await queryClient.invalidateQueries({ queryKey: appointmentKeys.all(patientId) });
      void navigate(appointmentPaths.confirmed(appointment.id), { state: { change: 'moved' } });
    } catch (error) {
      if (isApiError(error, 'offer_taken', 'not_found')) {
        setProblem(t('appointments.offers.taken'));
        await queryClient.invalidateQueries({ queryKey: appointmentKeys.offers(patientId) });
      } else {
        setProblem(errorMessage(error));
      }
    } finally {
      setPending(null);
    }
  }

  const offers = query.data ?? [];
  if (offers.length === 0 && !problem) return null;
  return (
    <section className="section appointment-offers" aria-labelledby="appointment-offers-heading">
      <h2 id="appointment-offers-heading">{t('appointments.offers.heading')}</h2>
      {problem && (
        <div className="error-summary" role="alert">
          <p className="error-summary__title">{t('appointments.offers.goneTitle')}</p>
          <p className="error-summary__message">{problem}</p>
        </div>
      )}
      <ul className="appointment-list">
        {offers.map((offer) => (
          <li key={offer.id} className="appointment-list__item">
            <p className="appointment-list__when">{formatAppointmentStart(offer.startAt, offer.timeZone)}</p>
            <p className="appointment-list__meta">
              <span translate="no">{offer.clinicianName}</span>
              <span translate="no">{offer.locationName}</span>
              <span>{t('appointments.offers.ends', { when: formatDateTime(offer.expiresAt) })}</span>
            </p>
            <button type="button" className="button" aria-disabled={pending !== null} onClick={() => void take(offer)}>
              {t('appointments.offers.take')}
              <span className="visually-hidden">: {formatAppointmentStart(offer.startAt, offer.timeZone)}</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="live-text" role="status">
        {pending ? t('appointments.offers.moving') : ''}
      </p>
    </section>
  );
}
