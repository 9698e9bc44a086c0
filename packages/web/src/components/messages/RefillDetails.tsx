import type { RefillView } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { refillStatusMessage } from './message-text.ts';

/** A refill request's facts: status in words, the denial reason, medicines with directions, pharmacy and note. */
export function RefillDetails({ refill }: { refill: RefillView }) {
  const t = useT();
  return (
    <dl className="details messaging-refill">
      <div>
        <dt>{t('messages.refill.status')}</dt>
        <dd>
          <strong className={`messaging-refill__status messaging-refill__status--${refill.status}`}>
            {t(refillStatusMessage(refill.status))}
          </strong>
          {refill.decidedAt && (
            <span className="record-meta">{t('messages.refill.decided', { date: formatDateTime(refill.decidedAt) })}</span>
          )}
        </dd>
      </div>
      {refill.status === 'denied' && (
        <div>
          <dt>{t('messages.refill.reason')}</dt>
          {refill.denialReason !== null ? (
            <dd className="messaging-text" translate="no">
              {refill.denialReason}
            </dd>
          ) : (
            <dd className="messaging-text">{t('messages.refill.noReason')}</dd>
          )}
        </div>
      )}
      <div>
        <dt>{t('messages.refill.medicines', { count: refill.medications.length })}</dt>
        <dd>
          <ul className="plain-list">
            {refill.medications.map((medication) => (
              <li key={medication.id} translate="no">
                {medication.name}
                {medication.directions && <span className="record-meta">{medication.directions}</span>}
              </li>
            ))}
          </ul>
        </dd>
      </div>
      <div>
        <dt>{t('messages.refill.pharmacy')}</dt>
        <dd translate="no">
          {refill.pharmacy.name}
          <span className="record-meta address">{refill.pharmacy.address}</span>
          {refill.pharmacy.phone && <span className="record-meta">{refill.pharmacy.phone}</span>}
        </dd>
      </div>
      {refill.note && (
        <div>
          <dt>{t('messages.refill.note')}</dt>
          <dd className="messaging-text" translate="no">
            {refill.note}
          </dd>
        </div>
      )}
      <div>
        <dt>{t('messages.refill.requested')}</dt>
        <dd>{formatDateTime(refill.createdAt)}</dd>
      </div>
    </dl>
  );
}
