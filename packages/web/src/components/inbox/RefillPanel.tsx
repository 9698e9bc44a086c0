import { useId, useState, type FormEvent } from 'react';
import type { RefillView } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { approveRefill, denyRefill } from '../../api/inbox.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextAreaField } from '../TextAreaField.tsx';
import { refillStatusMessage } from './inbox-text.ts';

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
  const t = useT();
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
        { id: denyId, message: text.length < reasonMin ? t('inbox.refill.reasonRequired') : t('inbox.form.tooLong', { max: reasonMax }) },
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
          {t('inbox.refill.approve')}
        </button>
      </div>
      <form className="form form--inset" onSubmit={deny} noValidate>
        <TextAreaField
          id={denyId}
          label={t('inbox.refill.reasonLabel')}
          value={reason}
          onValueChange={setReason}
          hint={t('inbox.refill.reasonHint')}
          error={errors.errorFor(denyId)}
          rows={3}
          maxLength={reasonMax}
          required
        />
        <button type="submit" className="button button--danger" disabled={pending}>
          {t('inbox.refill.deny')}
        </button>
      </form>
    </div>
  );
}

/** The refill request of a refill thread: medications with directions, pharmacy, note; its decision, or the clinician's tools. */
export function RefillPanel({ threadId, refill, canDecide, onChanged }: RefillPanelProps) {
  const t = useT();
  const headingId = useId();
  const [decided] = useState(refill.status);
  const decidedNow = decided === 'requested' && refill.status !== 'requested';
  return (
    <section className="section refill" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('inbox.kind.refill')}</h2>
      {decidedNow && (
        <StatusMessage tone="success">{t(refill.status === 'approved' ? 'inbox.refill.approved' : 'inbox.refill.denied')}</StatusMessage>
      )}
      <dl className="details record-details">
        <div>
          <dt>{t('inbox.label.status')}</dt>
          <dd>
            <strong>{t(refillStatusMessage(refill.status))}</strong>
            {refill.decidedAt && (
              <span className="record-meta">{t('inbox.refill.decided', { date: formatDateTime(refill.decidedAt) })}</span>
            )}
          </dd>
        </div>
        {refill.status === 'denied' && (
          <div>
            <dt>{t('inbox.refill.reasonGiven')}</dt>
            {refill.denialReason !== null ? (
              <dd className="message__body" translate="no">
                {refill.denialReason}
              </dd>
            ) : (
              <dd className="message__body">{t('inbox.refill.noReason')}</dd>
            )}
          </div>
        )}
        <div>
          <dt>{t('inbox.refill.requested')}</dt>
          <dd>{formatDateTime(refill.createdAt)}</dd>
        </div>
        <div>
          <dt>{t('inbox.refill.pharmacy')}</dt>
          <dd>
            <span translate="no">{refill.pharmacy.name}</span>
            <span className="address" translate="no">
              {refill.pharmacy.address}
            </span>
            {refill.pharmacy.phone && <span className="record-meta">{t('inbox.refill.phone', { phone: refill.pharmacy.phone })}</span>}
          </dd>
        </div>
        <div>
          <dt>{t('inbox.refill.note')}</dt>
          <dd className="message__body">
            {refill.note !== null ? <span translate="no">{refill.note}</span> : <span className="muted">{t('inbox.refill.noNote')}</span>}
          </dd>
        </div>
      </dl>
      <h3>{t('inbox.refill.medications')}</h3>
      <ul className="record-lines">
        {refill.medications.map((medication) => (
          <li key={medication.id}>
            <strong translate="no">{medication.name}</strong>
            {medication.directions !== null ? (
              <span className="record-meta" translate="no">
                {medication.directions}
              </span>
            ) : (
              <span className="record-meta">{t('inbox.refill.noDirections')}</span>
            )}
          </li>
        ))}
      </ul>
      {refill.status === 'requested' &&
        (canDecide ? (
          <RefillDecision threadId={threadId} onChanged={onChanged} />
        ) : (
          <p className="notice">{t('inbox.refill.clinicianDecides')}</p>
        ))}
    </section>
  );
}
