import type { RefillView } from '@portico/shared';
import { formatDateTime } from '../../lib/format.ts';
import { refillStatusLabel } from './message-text.ts';

/** A refill request's facts: status in words, the denial reason, medicines with directions, pharmacy and note. */
export function RefillDetails({ refill }: { refill: RefillView }) {
  return (
    <dl className="details messaging-refill">
      <div>
        <dt>Status</dt>
        <dd>
          <strong className={`messaging-refill__status messaging-refill__status--${refill.status}`}>
            {refillStatusLabel(refill.status)}
          </strong>
          {refill.decidedAt && <span className="record-meta">Decided {formatDateTime(refill.decidedAt)}</span>}
        </dd>
      </div>
      {refill.status === 'denied' && (
        <div>
          <dt>Reason</dt>
          <dd className="messaging-text">{refill.denialReason ?? 'Your care team did not give a reason. Send them a message to ask.'}</dd>
        </div>
      )}
      <div>
        <dt>{refill.medications.length === 1 ? 'Medicine' : 'Medicines'}</dt>
        <dd>
          <ul className="plain-list">
            {refill.medications.map((medication) => (
              <li key={medication.id}>
                {medication.name}
                {medication.directions && <span className="record-meta">{medication.directions}</span>}
              </li>
            ))}
          </ul>
        </dd>
      </div>
      <div>
        <dt>Pharmacy</dt>
        <dd>
          {refill.pharmacy.name}
          <span className="record-meta address">{refill.pharmacy.address}</span>
          {refill.pharmacy.phone && <span className="record-meta">{refill.pharmacy.phone}</span>}
        </dd>
      </div>
      {refill.note && (
        <div>
          <dt>Your note</dt>
          <dd className="messaging-text">{refill.note}</dd>
        </div>
      )}
      <div>
        <dt>Requested</dt>
        <dd>{formatDateTime(refill.createdAt)}</dd>
      </div>
    </dl>
  );
}
