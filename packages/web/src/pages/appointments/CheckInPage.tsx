import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { appointmentKeys, submitCheckIn, type CheckInBody, type CheckInForm } from '../../api/appointments.ts';
import { useCheckInForm } from '../../components/appointments/appointment-queries.ts';
import { ids, initialValues, inputFor, toDraft, validate, type Values } from '../../components/appointments/check-in-form.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { showSendProblem } from '../../components/messages/form-problems.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { CareTeamPanel } from '../care-team/CareTeamPanel.tsx';
import { useT } from '../../i18n/i18n-context.ts';
import { formatAppointmentStart } from '../../lib/format.ts';

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
  /** A question as labelled: the questionnaire says which are optional, and those say so. */
  const questionLabel = (q: CheckInForm['questionnaire'][number]) =>
    q.required ? q.text : t('appointments.checkIn.optionalLabel', { label: q.text });

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
      // validate() passed, so both reviews are ticked.
      const body: CheckInBody = { ...toDraft(form, values), medicationsReviewed: true, allergiesReviewed: true };
      const checkedIn = await submitCheckIn(patientId, appointmentId, body);
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
      {/* Reviewed before the form, which it is not part of: each change is saved at once (issue 12 §2, "at e-check-in"). */}
      <CareTeamPanel patientId={patientId} place="checkIn" />
      <ErrorSummary errors={errors} />
      <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="check-in-heading">
        <p>{t('appointments.checkIn.requiredNote')}</p>
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
                  <legend translate="no">{questionLabel(q)}</legend>
                  {errors.errorFor(`${ids.question(q.id)}-yes`) && (
                    <p className="field__error" id={`${ids.question(q.id)}-error`}>
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
                        required={q.required}
                        aria-invalid={errors.errorFor(`${ids.question(q.id)}-yes`) ? true : undefined}
                        aria-describedby={errors.errorFor(`${ids.question(q.id)}-yes`) ? `${ids.question(q.id)}-error` : undefined}
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
                    label={questionLabel(q)}
                    value={typeof values.answers[q.id] === 'string' ? String(values.answers[q.id]) : ''}
                    onValueChange={(text) => set('answers')({ ...values.answers, [q.id]: text })}
                    error={errors.errorFor(ids.question(q.id))}
                    rows={3}
                    required={q.required}
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
