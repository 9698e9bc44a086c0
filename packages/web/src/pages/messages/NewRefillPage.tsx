import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client.ts';
import { messageKeys, requestRefill, type NewRefill } from '../../api/messages.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { showSendProblem } from '../../components/messages/form-problems.ts';
import { useIdempotencyKey } from '../../components/messages/idempotency-key.ts';
import { usePharmacies, useRefillableMedications } from '../../components/messages/message-queries.ts';
import { messagePaths, useMessagingScope } from '../../components/messages/messaging-scope.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';

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

const limits = { name: 200, address: 500, phone: 40, note: 1000 };

/** An inline error under a group's legend. */
function GroupError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field__error" id={id}>
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  );
}

/** `/messages/refills/new`: one or more active medications, a pharmacy from the list or a new one, an optional note. */
export function NewRefillPage() {
  useDocumentTitle('Request a refill');
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
      problems.push({ id: firstMedicationId, message: 'Choose at least one medication.' });
    }
    if (pharmacyValue === addPharmacy) {
      if (name.trim().length === 0) problems.push({ id: ids.name, message: 'Enter the pharmacy’s name.' });
      else if (name.trim().length > limits.name)
        problems.push({ id: ids.name, message: `Keep the name to ${limits.name} characters or fewer.` });
      if (address.trim().length === 0) problems.push({ id: ids.address, message: 'Enter the pharmacy’s address.' });
      else if (address.trim().length > limits.address) {
        problems.push({ id: ids.address, message: `Keep the address to ${limits.address} characters or fewer.` });
      }
      if (phone.trim().length > limits.phone)
        problems.push({ id: ids.phone, message: `Keep the phone number to ${limits.phone} characters or fewer.` });
    } else if (!pharmacyList.some((p) => p.id === pharmacyValue)) {
      problems.push({ id: firstPharmacyId, message: 'Choose a pharmacy, or add one.' });
    }
    if (note.trim().length > limits.note) problems.push({ id: ids.note, message: `Keep the note to ${limits.note} characters or fewer.` });
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
        errors.show([], 'An earlier try of this request may have been sent already. Check your refill requests before you send it again.');
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
        <Link to={messagePaths.refills}>Your refill requests</Link>
      </p>
      <h1 id="refill-heading">Request a refill</h1>
      <div className="notice notice--warning" id={ids.notice}>
        <p>
          Your care team usually decides within a few working days. If you have run out of a medicine you need today, call your pharmacy or
          clinic. In an emergency, call 911.
        </p>
      </div>
      {loadProblem ? (
        <QueryProblem error={loadProblem.error} what="your medications and pharmacies" onRetry={() => void loadProblem.refetch()} />
      ) : !medications.data || !pharmacies.data ? (
        <p role="status">Loading your medications and pharmacies…</p>
      ) : medicationList.length === 0 ? (
        <p className="empty-state">
          You have no active medications that can be refilled through Portico. To ask about a medicine,{' '}
          <Link to={messagePaths.compose}>send a message</Link> or call your clinic.
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
              <legend>Medications to refill</legend>
              <p className="field__hint">Choose one or more. Only your active medications are listed.</p>
              <GroupError id={ids.medicationsError} message={errors.errorFor(firstMedicationId)} />
              {medicationList.map((medication) => {
                const hintId = `${ids.medication(medication.id)}-hint`;
                const details = [medication.directions, medication.prescriber ? `Prescribed by ${medication.prescriber}` : null].filter(
                  Boolean,
                );
                return (
                  <div className="checkbox messaging-option" key={medication.id}>
                    <input
                      type="checkbox"
                      id={ids.medication(medication.id)}
                      checked={chosen.has(medication.id)}
                      onChange={(event) => toggle(medication.id, event.target.checked)}
                      aria-describedby={details.length > 0 ? hintId : undefined}
                    />
                    <label htmlFor={ids.medication(medication.id)}>{medication.name}</label>
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
              <legend>Pharmacy</legend>
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
                    <label htmlFor={ids.pharmacy(p.id)}>{p.name}</label>
                    <p className="field__hint address" id={hintId}>
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
                <label htmlFor={ids.pharmacy(addPharmacy)}>Add a pharmacy</label>
              </div>
              {pharmacyValue === addPharmacy && (
                <div className="messaging-conditional">
                  <TextField
                    id={ids.name}
                    label="Pharmacy name"
                    value={name}
                    onValueChange={setName}
                    error={errors.errorFor(ids.name)}
                    autoComplete="organization"
                    required
                  />
                  <TextAreaField
                    id={ids.address}
                    label="Address"
                    value={address}
                    onValueChange={setAddress}
                    error={errors.errorFor(ids.address)}
                    rows={3}
                    required
                  />
                  <TextField
                    id={ids.phone}
                    label="Phone number (optional)"
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
              label="Note for your care team (optional)"
              value={note}
              onValueChange={setNote}
              hint={`For example, how many days of medicine you have left. Up to ${limits.note} characters.`}
              error={errors.errorFor(ids.note)}
              rows={3}
            />
            <button type="submit" className="button" disabled={pending}>
              Send request
            </button>
            <p className="live-text" role="status">
              {pending ? 'Sending your request…' : ''}
            </p>
          </form>
        </>
      )}
    </div>
  );
}
