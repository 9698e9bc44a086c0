import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { appointmentKeys, submitCheckIn, type CheckInForm } from '../../api/appointments.ts';
import { useCheckInForm } from '../../components/appointments/appointment-queries.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { showSendProblem } from '../../components/messages/form-problems.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatAppointmentStart } from '../../lib/format.ts';

const ids = {
  address: 'check-in-address',
  phone: 'check-in-phone',
  contactName: 'check-in-contact-name',
  contactRelationship: 'check-in-contact-relationship',
  contactPhone: 'check-in-contact-phone',
  payer: 'check-in-payer',
  memberId: 'check-in-member-id',
  groupNumber: 'check-in-group-number',
  medications: 'check-in-medications-reviewed',
  allergies: 'check-in-allergies-reviewed',
  question: (id: string) => `check-in-question-${id}`,
  consent: (id: string) => `check-in-consent-${id}`,
};

/** The form's values: what the server had, as the patient changes it. */
interface Values {
  address: string;
  phone: string;
  contactName: string;
  contactRelationship: string;
  contactPhone: string;
  payer: string;
  memberId: string;
  groupNumber: string;
  medicationsReviewed: boolean;
  allergiesReviewed: boolean;
  answers: Record<string, boolean | string>;
  signatures: Record<string, string>;
}

function initialValues(form: CheckInForm): Values {
  return {
    address: form.address ?? '',
    phone: form.phone ?? '',
    contactName: form.emergencyContact?.name ?? '',
    contactRelationship: form.emergencyContact?.relationship ?? '',
    contactPhone: form.emergencyContact?.phone ?? '',
    payer: form.insurance?.payer ?? '',
    memberId: form.insurance?.memberId ?? '',
    groupNumber: form.insurance?.groupNumber ?? '',
    medicationsReviewed: false,
    allergiesReviewed: false,
    answers: {},
    signatures: {},
  };
}

/** The translator (useT). */
type Translate = ReturnType<typeof useT>;

/** Client-side checks that mirror the shared schema, so most problems show before a round trip. */
function validate(form: CheckInForm, v: Values, t: Translate): FieldError[] {
  const problems: FieldError[] = [];
  if (v.address.trim().length < 5) problems.push({ id: ids.address, message: t('appointments.checkIn.addressRequired') });
  if (v.phone.trim().length < 5) problems.push({ id: ids.phone, message: t('appointments.checkIn.phoneRequired') });
  if (!v.contactName.trim()) problems.push({ id: ids.contactName, message: t('appointments.checkIn.contactNameRequired') });
  if (!v.contactRelationship.trim())
    problems.push({ id: ids.contactRelationship, message: t('appointments.checkIn.contactRelationshipRequired') });
  if (v.contactPhone.trim().length < 5) problems.push({ id: ids.contactPhone, message: t('appointments.checkIn.contactPhoneRequired') });
  if (!v.payer.trim()) problems.push({ id: ids.payer, message: t('appointments.checkIn.payerRequired') });
  if (!v.memberId.trim()) problems.push({ id: ids.memberId, message: t('appointments.checkIn.memberIdRequired') });
  if (!v.medicationsReviewed) problems.push({ id: ids.medications, message: t('appointments.checkIn.medicationsRequired') });
  if (!v.allergiesReviewed) problems.push({ id: ids.allergies, message: t('appointments.checkIn.allergiesRequired') });
  for (const question of form.questionnaire) {
    if (question.kind === 'yes_no' && typeof v.answers[question.id] !== 'boolean') {
      problems.push({
        id: `${ids.question(question.id)}-yes`,
        message: t('appointments.checkIn.answerRequired', { question: question.text }),
      });
    }
  }
  for (const consent of form.consentForms) {
    if ((v.signatures[consent.id] ?? '').trim().length < 2) {
      problems.push({ id: ids.consent(consent.id), message: t('appointments.checkIn.signatureRequired', { title: consent.title }) });
    }
  }
  return problems;
}

/** Which input a server validation error's field path belongs to. */
function inputFor(form: CheckInForm, field: string): string | null {
  const direct: Record<string, string> = {
    address: ids.address,
    phone: ids.phone,
    'emergencyContact.name': ids.contactName,
    'emergencyContact.relationship': ids.contactRelationship,
    'emergencyContact.phone': ids.contactPhone,
    'insurance.payer': ids.payer,
    'insurance.memberId': ids.memberId,
    'insurance.groupNumber': ids.groupNumber,
    medicationsReviewed: ids.medications,
    allergiesReviewed: ids.allergies,
  };
  if (direct[field]) return direct[field];
  const answer = /^answers\.(.+)$/.exec(field);
  if (answer?.[1]) {
    const question = form.questionnaire.find((q) => q.id === answer[1]);
    if (question) return question.kind === 'yes_no' ? `${ids.question(question.id)}-yes` : ids.question(question.id);
  }
  const consent = /^consents\.(\d+)/.exec(field);
  const form_ = consent ? form.consentForms[Number(consent[1])] : undefined;
  return form_ ? ids.consent(form_.id) : null;
}

/** The check-in form itself, once its data has loaded. */
function CheckInFormView({ form, patientId, appointmentId }: { form: CheckInForm; patientId: string; appointmentId: string }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(() => initialValues(form));
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const set =
    <K extends keyof Values>(key: K) =>
    (value: Values[K]) =>
      setValues((current) => ({ ...current, [key]: value }));
  const { appointment } = form;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const problems = validate(form, values, t);
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const answers: Record<string, boolean | string> = {};
      for (const question of form.questionnaire) {
        const answer = values.answers[question.id];
        if (typeof answer === 'boolean' || (typeof answer === 'string' && answer.trim())) answers[question.id] = answer;
      }
      const checkedIn = await submitCheckIn(patientId, appointmentId, {
        address: values.address.trim(),
        phone: values.phone.trim(),
        emergencyContact: {
          name: values.contactName.trim(),
          relationship: values.contactRelationship.trim(),
          phone: values.contactPhone.trim(),
        },
        insurance: { payer: values.payer.trim(), memberId: values.memberId.trim(), groupNumber: values.groupNumber.trim() || null },
        medicationsReviewed: true,
        allergiesReviewed: true,
        answers,
        consents: form.consentForms.map((c) => ({ formId: c.id, signedName: (values.signatures[c.id] ?? '').trim() })),
      });
      errors.clear();
      queryClient.setQueryData(appointmentKeys.detail(patientId, checkedIn.id), checkedIn);
      await queryClient.invalidateQueries({ queryKey: appointmentKeys.all(patientId), refetchType: 'none' });
      void navigate(appointmentPaths.checkInDone(appointmentId));
    } catch (error) {
      showSendProblem(errors, error, (field) => inputFor(form, field));
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <p className="lede">
        <RichMessage
          id="appointments.checkIn.lede"
          values={{ when: formatAppointmentStart(appointment.startAt, appointment.timeZone) }}
          parts={{ visitType: <span translate="no">{appointment.visitType}</span> }}
        />
      </p>
      <ErrorSummary errors={errors} />
      <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="check-in-heading">
        <fieldset className="fieldset">
          <legend>{t('appointments.checkIn.contactDetails')}</legend>
          <TextAreaField
            id={ids.address}
            label={t('appointments.checkIn.address')}
            value={values.address}
            onValueChange={set('address')}
            error={errors.errorFor(ids.address)}
            rows={3}
            autoComplete="street-address"
            required
          />
          <TextField
            id={ids.phone}
            label={t('appointments.checkIn.phone')}
            type="tel"
            value={values.phone}
            onValueChange={set('phone')}
            error={errors.errorFor(ids.phone)}
            autoComplete="tel"
            required
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t('appointments.checkIn.emergencyContact')}</legend>
          <TextField
            id={ids.contactName}
            label={t('appointments.checkIn.contactName')}
            value={values.contactName}
            onValueChange={set('contactName')}
            error={errors.errorFor(ids.contactName)}
            autoComplete="off"
            required
          />
          <TextField
            id={ids.contactRelationship}
            label={t('appointments.checkIn.contactRelationship')}
            value={values.contactRelationship}
            onValueChange={set('contactRelationship')}
            error={errors.errorFor(ids.contactRelationship)}
            autoComplete="off"
            required
          />
          <TextField
            id={ids.contactPhone}
            label={t('appointments.checkIn.contactPhone')}
            type="tel"
            value={values.contactPhone}
            onValueChange={set('contactPhone')}
            error={errors.errorFor(ids.contactPhone)}
            autoComplete="off"
            required
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t('appointments.checkIn.insurance')}</legend>
          <TextField
            id={ids.payer}
            label={t('appointments.checkIn.payer')}
            value={values.payer}
            onValueChange={set('payer')}
            error={errors.errorFor(ids.payer)}
            autoComplete="off"
            required
          />
          <TextField
            id={ids.memberId}
            label={t('appointments.checkIn.memberId')}
            value={values.memberId}
            onValueChange={set('memberId')}
            error={errors.errorFor(ids.memberId)}
            autoComplete="off"
            required
          />
          <TextField
            id={ids.groupNumber}
            label={t('appointments.checkIn.groupNumber')}
            value={values.groupNumber}
            onValueChange={set('groupNumber')}
            error={errors.errorFor(ids.groupNumber)}
            autoComplete="off"
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t('appointments.checkIn.medications')}</legend>
          {form.medications.length === 0 ? (
            <p>{t('appointments.checkIn.noMedications')}</p>
          ) : (
            <ul className="plain-list">
              {form.medications.map((m) => (
                <li key={m.id} translate="no">
                  {m.name}
                  {m.directions && <span className="muted">: {m.directions}</span>}
                </li>
              ))}
            </ul>
          )}
          <ReviewedBox
            id={ids.medications}
            label={t('appointments.checkIn.medicationsReviewed')}
            checked={values.medicationsReviewed}
            onChange={set('medicationsReviewed')}
            error={errors.errorFor(ids.medications)}
          />
        </fieldset>
        <fieldset className="fieldset">
          <legend>{t('appointments.checkIn.allergies')}</legend>
          {form.allergies.length === 0 ? (
            <p>{t('appointments.checkIn.noAllergies')}</p>
          ) : (
            <ul className="plain-list">
              {form.allergies.map((a) => (
                <li key={a.id} translate="no">
                  {a.substance}
                  {a.reactions && <span className="muted">: {a.reactions}</span>}
                </li>
              ))}
            </ul>
          )}
          <ReviewedBox
            id={ids.allergies}
            label={t('appointments.checkIn.allergiesReviewed')}
            checked={values.allergiesReviewed}
            onChange={set('allergiesReviewed')}
            error={errors.errorFor(ids.allergies)}
          />
          <p className="hint-text">{t('appointments.checkIn.tellStaff')}</p>
        </fieldset>
        {form.questionnaire.length > 0 && (
          <fieldset className="fieldset">
            <legend>{t('appointments.checkIn.questions')}</legend>
            {form.questionnaire.map((q) =>
              q.kind === 'yes_no' ? (
                <fieldset className="fieldset check-in-question" key={q.id}>
                  <legend translate="no">{q.text}</legend>
                  {errors.errorFor(`${ids.question(q.id)}-yes`) && (
                    <p className="field__error">
                      <span className="visually-hidden">{t('appointments.errorPrefix')} </span>
                      {errors.errorFor(`${ids.question(q.id)}-yes`)}
                    </p>
                  )}
                  {(['yes', 'no'] as const).map((choice) => (
                    <div className="radio" key={choice}>
                      <input
                        type="radio"
                        id={`${ids.question(q.id)}-${choice}`}
                        name={ids.question(q.id)}
                        checked={values.answers[q.id] === (choice === 'yes')}
                        onChange={() => set('answers')({ ...values.answers, [q.id]: choice === 'yes' })}
                      />
                      <label htmlFor={`${ids.question(q.id)}-${choice}`}>
                        {t(choice === 'yes' ? 'appointments.checkIn.yes' : 'appointments.checkIn.no')}
                      </label>
                    </div>
                  ))}
                </fieldset>
              ) : (
                // The question (staff wrote it) and the answer (the patient's words) are data, never machine-translated.
                <div key={q.id} translate="no">
                  <TextAreaField
                    id={ids.question(q.id)}
                    label={q.text}
                    value={typeof values.answers[q.id] === 'string' ? String(values.answers[q.id]) : ''}
                    onValueChange={(text) => set('answers')({ ...values.answers, [q.id]: text })}
                    error={errors.errorFor(ids.question(q.id))}
                    rows={3}
                  />
                </div>
              ),
            )}
          </fieldset>
        )}
        {form.consentForms.map((c) => (
          <section className="section check-in-consent" key={c.id} aria-labelledby={`${ids.consent(c.id)}-title`}>
            <h2 id={`${ids.consent(c.id)}-title`} translate="no">
              {c.title}
            </h2>
            <p className="record-text check-in-consent__text" translate="no">
              {c.text}
            </p>
            <TextField
              id={ids.consent(c.id)}
              label={t('appointments.checkIn.signLabel', { title: c.title })}
              value={values.signatures[c.id] ?? ''}
              onValueChange={(name) => set('signatures')({ ...values.signatures, [c.id]: name })}
              error={errors.errorFor(ids.consent(c.id))}
              autoComplete="name"
              required
            />
          </section>
        ))}
        <button type="submit" className="button" disabled={pending}>
          {t('appointments.checkIn.submit')}
        </button>
        <p className="live-text" role="status">
          {pending ? t('appointments.checkIn.sending') : ''}
        </p>
      </form>
    </>
  );
}

/** An "I have reviewed…" checkbox with its inline error. */
function ReviewedBox(props: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error: string | undefined;
}) {
  const { id, label, checked, onChange, error } = props;
  const t = useT();
  return (
    <div className={error ? 'checkbox field--error' : 'checkbox'}>
      {error && (
        <p className="field__error" id={`${id}-error`}>
          <span className="visually-hidden">{t('appointments.errorPrefix')} </span>
          {error}
        </p>
      )}
      <input
        type="checkbox"
        id={id}
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** `/appointments/:appointmentId/check-in`: confirm details, review medications and allergies, answer, sign, submit. */
export function CheckInPage() {
  const t = useT();
  useDocumentTitle(t('appointments.checkIn.title'));
  const { patientId } = useAppointmentScope();
  const { appointmentId = '' } = useParams();
  const query = useCheckInForm(patientId, appointmentId);
  const back = { to: appointmentPaths.detail(appointmentId), label: t('appointments.backToAppointment') };

  return (
    <div className="page page--narrow">
      <p className="back-link">
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1 id="check-in-heading">{t('appointments.checkIn.title')}</h1>
      {query.isError && !query.data ? (
        <QueryProblem error={query.error} what={t('appointments.checkIn.what')} onRetry={() => void query.refetch()} back={back} />
      ) : !query.data ? (
        <p role="status">{t('appointments.checkIn.loading')}</p>
      ) : query.data.completedAt ? (
        <p className="notice notice--success">{t('appointments.checkIn.alreadyDone')}</p>
      ) : !query.data.appointment.checkIn.available ? (
        <p className="notice">{t('appointments.checkIn.notOpen')}</p>
      ) : (
        <CheckInFormView form={query.data} patientId={patientId} appointmentId={appointmentId} />
      )}
    </div>
  );
}
