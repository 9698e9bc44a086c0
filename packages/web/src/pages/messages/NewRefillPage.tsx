import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { isPhoneNumber } from '@portico/shared';
import { isApiError } from '../../api/client.ts';
import { messageKeys, requestRefill, type NewRefill } from '../../api/messages.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { showSendProblem } from '../../components/messages/form-problems.ts';
import { useIdempotencyKey } from '../../components/messages/idempotency-key.ts';
import { usePharmacies, useRefillableMedications } from '../../components/messages/message-queries.ts';
import { messagePaths, useMessagingScope } from '../../components/messages/messaging-scope.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';

/** The new-pharmacy radio's value (pharmacy ids are UUIDs, so this cannot clash). */
const addPharmacy = 'new';

const ids = {
  notice: 'refill-notice',
  medication: (id: string) => `refill-medication-${id}`,
  medicationsError: 'refill-medications-error',
  pharmacy: (id: string) => `refill-pharmacy-${id}`,
  pharmacyError: 'refill-pharmacy-error',
  name: 'refill-pharmacy-name',
  address: 'refill-pharmacy-address',
  phone: 'refill-pharmacy-phone',
  note: 'refill-note',
};

const limits = { name: 200, address: 500, note: 1000 };

/** An inline error under a group's legend. */
function GroupError({ id, message }: { id: string; message: string | undefined }) {
  const t = useT();
  if (!message) return null;
  return (
    <p className="field__error" id={id}>
      <span className="visually-hidden">{t('common.errorPrefix')}</span>
      {message}
    </p>
  );
}

/** `/messages/refills/new`: one or more active medications, a pharmacy from the list or a new one, an optional note. */
export function NewRefillPage() {
  const t = useT();
  useDocumentTitle(t('messages.requestRefill'));
  const { patientId } = useMessagingScope();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const medications = useRefillableMedications(patientId);
  const pharmacies = usePharmacies(patientId);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set());
  const [pharmacy, setPharmacy] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const idempotency = useIdempotencyKey();

  const medicationList = medications.data ?? [];
  const pharmacyList = pharmacies.data ?? [];
  // With no pharmacy on the list yet, adding one is the only choice, so it starts chosen.
  const pharmacyValue = pharmacy ?? (pharmacies.data && pharmacyList.length === 0 ? addPharmacy : '');
  const firstMedicationId = ids.medication(medicationList[0]?.id ?? 'none');
  const firstPharmacyId = ids.pharmacy(pharmacyList[0]?.id ?? addPharmacy);

  function toggle(id: string, on: boolean) {
    setChosen((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  function inputFor(field: string): string | null {
    if (field.startsWith('medicationIds')) return firstMedicationId;
    if (field === 'pharmacyId') return firstPharmacyId;
    if (field === 'newPharmacy.address') return ids.address;
    if (field === 'newPharmacy.phone') return ids.phone;
    if (field.startsWith('newPharmacy')) return ids.name;
    if (field === 'note') return ids.note;
    return null;
  }

  function validate(): FieldError[] {
    const problems: FieldError[] = [];
    if (![...chosen].some((id) => medicationList.some((m) => m.id === id))) {
      problems.push({ id: firstMedicationId, message: t('messages.newRefill.medicationRequired') });
    }
    if (pharmacyValue === addPharmacy) {
      if (name.trim().length === 0) problems.push({ id: ids.name, message: t('messages.newRefill.nameRequired') });
      else if (name.trim().length > limits.name)
        problems.push({ id: ids.name, message: t('messages.newRefill.nameTooLong', { max: limits.name }) });
      if (address.trim().length === 0) problems.push({ id: ids.address, message: t('messages.newRefill.addressRequired') });
      else if (address.trim().length > limits.address) {
        problems.push({ id: ids.address, message: t('messages.newRefill.addressTooLong', { max: limits.address }) });
      }
      // The same rule the server enforces (isPhoneNumber): the field is optional, but what is typed must be a number.
      if (phone.trim() !== '' && !isPhoneNumber(phone)) problems.push({ id: ids.phone, message: t('messages.newRefill.phoneInvalid') });
    } else if (!pharmacyList.some((p) => p.id === pharmacyValue)) {
      problems.push({ id: firstPharmacyId, message: t('messages.newRefill.pharmacyRequired') });
    }
    if (note.trim().length > limits.note)
      problems.push({ id: ids.note, message: t('messages.newRefill.noteTooLong', { max: limits.note }) });
    return problems;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const problems = validate();
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    const refill: NewRefill = {
      medicationIds: medicationList.filter((m) => chosen.has(m.id)).map((m) => m.id),
      pharmacy:
        pharmacyValue === addPharmacy
          ? { kind: 'new', details: { name: name.trim(), address: address.trim(), phone: phone.trim() || null } }
          : { kind: 'existing', id: pharmacyValue },
      note: note.trim() || null,
    };
    setPending(true);
    try {
      await requestRefill(patientId, refill, idempotency.key);
      errors.clear();
      await queryClient.invalidateQueries({ queryKey: messageKeys.all(patientId) });
      void navigate(messagePaths.refills, { state: { refillSent: true } });
    } catch (error) {
      if (isApiError(error, 'idempotency_key_reused')) {
        idempotency.renew();
        errors.show([], t('messages.newRefill.maybeSent'));
      } else {
        showSendProblem(errors, error, inputFor);
      }
    } finally {
      setPending(false);
    }
  }

  const loadProblem = medications.isError && !medications.data ? medications : pharmacies.isError && !pharmacies.data ? pharmacies : null;

  return (
    <div className="page">
      <p className="back-link">
        <Link to={messagePaths.refills}>{t('messages.refills.linkText')}</Link>
      </p>
      <h1 id="refill-heading">{t('messages.requestRefill')}</h1>
      <div className="notice notice--warning" id={ids.notice}>
        <p>{t('messages.newRefill.notice')}</p>
      </div>
      {loadProblem ? (
        <QueryProblem error={loadProblem.error} what={t('messages.newRefill.what')} onRetry={() => void loadProblem.refetch()} />
      ) : !medications.data || !pharmacies.data ? (
        <p role="status">{t('messages.newRefill.loading')}</p>
      ) : medicationList.length === 0 ? (
        <p className="empty-state">
          <RichMessage
            id="messages.newRefill.noMedications"
            parts={{ link: <Link to={messagePaths.compose}>{t('messages.newRefill.noMedicationsLink')}</Link> }}
          />
        </p>
      ) : (
        <>
          <ErrorSummary errors={errors} />
          <form
            className="form"
            onSubmit={(event) => void submit(event)}
            noValidate
            aria-labelledby="refill-heading"
            aria-describedby={ids.notice}
          >
            <fieldset className="fieldset">
              <legend>{t('messages.newRefill.medications')}</legend>
              <p className="field__hint">{t('messages.newRefill.medicationsHint')}</p>
              <GroupError id={ids.medicationsError} message={errors.errorFor(firstMedicationId)} />
              {medicationList.map((medication) => {
                const hintId = `${ids.medication(medication.id)}-hint`;
                const details = [
                  medication.directions,
                  medication.prescriber ? t('messages.newRefill.prescribedBy', { name: medication.prescriber }) : null,
                ].filter(Boolean);
                return (
                  <div className="checkbox messaging-option" key={medication.id}>
                    <input
                      type="checkbox"
                      id={ids.medication(medication.id)}
                      checked={chosen.has(medication.id)}
                      onChange={(event) => toggle(medication.id, event.target.checked)}
                      aria-describedby={details.length > 0 ? hintId : undefined}
                    />
                    <label htmlFor={ids.medication(medication.id)} translate="no">
                      {medication.name}
                    </label>
                    {details.length > 0 && (
                      <p className="field__hint" id={hintId}>
                        {details.join('. ')}
                      </p>
                    )}
                  </div>
                );
              })}
            </fieldset>

            <fieldset className="fieldset">
              <legend>{t('messages.newRefill.pharmacy')}</legend>
              <GroupError id={ids.pharmacyError} message={errors.errorFor(firstPharmacyId)} />
              {pharmacyList.map((p) => {
                const hintId = `${ids.pharmacy(p.id)}-hint`;
                return (
                  <div className="radio" key={p.id}>
                    <input
                      type="radio"
                      id={ids.pharmacy(p.id)}
                      name="refill-pharmacy"
                      checked={pharmacyValue === p.id}
                      onChange={() => setPharmacy(p.id)}
                      aria-describedby={hintId}
                    />
                    <label htmlFor={ids.pharmacy(p.id)} translate="no">
                      {p.name}
                    </label>
                    <p className="field__hint address" id={hintId} translate="no">
                      {p.address}
                      {p.phone ? `\n${p.phone}` : ''}
                    </p>
                  </div>
                );
              })}
              <div className="radio">
                <input
                  type="radio"
                  id={ids.pharmacy(addPharmacy)}
                  name="refill-pharmacy"
                  checked={pharmacyValue === addPharmacy}
                  onChange={() => setPharmacy(addPharmacy)}
                />
                <label htmlFor={ids.pharmacy(addPharmacy)}>{t('messages.newRefill.addPharmacy')}</label>
              </div>
              {pharmacyValue === addPharmacy && (
                <div className="messaging-conditional">
                  <TextField
                    id={ids.name}
                    label={t('messages.newRefill.pharmacyName')}
                    value={name}
                    onValueChange={setName}
                    error={errors.errorFor(ids.name)}
                    autoComplete="organization"
                    required
                  />
                  <TextAreaField
                    id={ids.address}
                    label={t('messages.newRefill.address')}
                    value={address}
                    onValueChange={setAddress}
                    error={errors.errorFor(ids.address)}
                    rows={3}
                    required
                  />
                  <TextField
                    id={ids.phone}
                    label={t('messages.newRefill.phone')}
                    type="tel"
                    value={phone}
                    onValueChange={setPhone}
                    error={errors.errorFor(ids.phone)}
                    autoComplete="off"
                  />
                </div>
              )}
            </fieldset>

            <TextAreaField
              id={ids.note}
              label={t('messages.newRefill.note')}
              value={note}
              onValueChange={setNote}
              hint={t('messages.newRefill.noteHint', { max: limits.note })}
              error={errors.errorFor(ids.note)}
              rows={3}
            />
            <button type="submit" className="button" disabled={pending}>
              {t('messages.newRefill.submit')}
            </button>
            <p className="live-text" role="status">
              {pending ? t('messages.newRefill.sending') : ''}
            </p>
          </form>
        </>
      )}
    </div>
  );
}
