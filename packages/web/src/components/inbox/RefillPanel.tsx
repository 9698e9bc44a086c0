import { useId, useState, type FormEvent } from 'react';
import type { RefillView } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { approveRefill, denyRefill } from '../../api/inbox.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextAreaField } from '../TextAreaField.tsx';
import { refillStatusLabel } from './inbox-text.ts';

const denyId = 'inbox-refill-deny-reason';
const reasonMin = 3;
const reasonMax = 1000;

/** Props of the refill request panel. */
interface RefillPanelProps {
  threadId: string;
  refill: RefillView;
  /** Only clinicians decide refills; everyone else on the team reads the request. */
  canDecide: boolean;
  onChanged: () => Promise<unknown>;
}

/** A clinician's decision: approve at once, or deny with a reason the patient reads (refillDenyBody: 3-1000 characters). */
function RefillDecision({ threadId, onChanged }: Pick<RefillPanelProps, 'threadId' | 'onChanged'>) {
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();

  async function decide(action: () => Promise<unknown>) {
    setPending(true);
    try {
      await action();
      errors.clear();
      await onChanged();
    } catch (error) {
      const message = errorMessage(error);
      if (isApiError(error, 'validation_failed') && error.field === 'reason') errors.show([{ id: denyId, message }]);
      else errors.show([], message);
      if (isApiError(error, 'conflict')) await onChanged();
    } finally {
      setPending(false);
    }
  }

  function deny(event: FormEvent) {
    event.preventDefault();
    const text = reason.trim();
    if (text.length < reasonMin || text.length > reasonMax) {
      errors.show([
        { id: denyId, message: text.length < reasonMin ? 'Give the patient a reason.' : `Write at most ${reasonMax} characters.` },
      ]);
      return;
    }
    void decide(() => denyRefill(threadId, text));
  }

  return (
    <div className="refill-decision">
      <ErrorSummary errors={errors} />
      <div className="button-row">
        <button type="button" className="button" disabled={pending} onClick={() => void decide(() => approveRefill(threadId))}>
          Approve refill
        </button>
      </div>
      <form className="form form--inset" onSubmit={deny} noValidate>
        <TextAreaField
          id={denyId}
          label="Reason for denying"
          value={reason}
          onValueChange={setReason}
          hint="The patient reads this reason, so write it for them: what to do instead, for example book a visit first."
          error={errors.errorFor(denyId)}
          rows={3}
          maxLength={reasonMax}
          required
        />
        <button type="submit" className="button button--danger" disabled={pending}>
          Deny
        </button>
      </form>
    </div>
  );
}

/** The refill request of a refill thread: medications with directions, pharmacy, note; its decision, or the clinician's tools. */
export function RefillPanel({ threadId, refill, canDecide, onChanged }: RefillPanelProps) {
  const headingId = useId();
  const [decided] = useState(refill.status);
  const decidedNow = decided === 'requested' && refill.status !== 'requested';
  return (
    <section className="section refill" aria-labelledby={headingId}>
      <h2 id={headingId}>Refill request</h2>
      {decidedNow && (
        <StatusMessage tone="success">
          {refill.status === 'approved' ? 'Refill approved. The patient is told.' : 'Refill denied. The patient reads your reason.'}
        </StatusMessage>
      )}
      <dl className="details record-details">
        <div>
          <dt>Status</dt>
          <dd>
            <strong>{refillStatusLabel(refill.status)}</strong>
            {refill.decidedAt && <span className="record-meta">Decided {formatDateTime(refill.decidedAt)}</span>}
          </dd>
        </div>
        {refill.status === 'denied' && (
          <div>
            <dt>Reason given</dt>
            <dd className="message__body">{refill.denialReason ?? 'None recorded'}</dd>
          </div>
        )}
        <div>
          <dt>Requested</dt>
          <dd>{formatDateTime(refill.createdAt)}</dd>
        </div>
        <div>
          <dt>Pharmacy</dt>
          <dd>
            {refill.pharmacy.name}
            <span className="address">{refill.pharmacy.address}</span>
            {refill.pharmacy.phone && <span className="record-meta">Phone {refill.pharmacy.phone}</span>}
          </dd>
        </div>
        <div>
          <dt>Patient’s note</dt>
          <dd className="message__body">{refill.note ?? <span className="muted">No note</span>}</dd>
        </div>
      </dl>
      <h3>Medications</h3>
      <ul className="record-lines">
        {refill.medications.map((medication) => (
          <li key={medication.id}>
            <strong>{medication.name}</strong>
            <span className="record-meta">{medication.directions ?? 'No directions recorded'}</span>
          </li>
        ))}
      </ul>
      {refill.status === 'requested' &&
        (canDecide ? (
          <RefillDecision threadId={threadId} onChanged={onChanged} />
        ) : (
          <p className="notice">A clinician of this pool approves or denies the request.</p>
        ))}
    </section>
  );
}
