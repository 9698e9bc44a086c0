import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { checkInBodyFor } from '@portico/shared';
import { appointmentKeys, submitCheckIn, type CheckInBody, type CheckInForm } from '../../api/appointments.ts';
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

/** What the form would send, before the reviews are known to be ticked. */
type Draft = Omit<CheckInBody, 'medicationsReviewed' | 'allergiesReviewed'> & { medicationsReviewed: boolean; allergiesReviewed: boolean };

/** What the form sends: trimmed text, the answers given (blank ones left out), a signature per form in the forms' order. */
function toDraft(form: CheckInForm, v: Values): Draft {
  const answers: Record<string, boolean | string> = {};
  for (const question of form.questionnaire) {
    const answer = v.answers[question.id];
    if (typeof answer === 'boolean' || (typeof answer === 'string' && answer.trim())) answers[question.id] = answer;
  }
  return {
    address: v.address.trim(),
    phone: v.phone.trim(),
    emergencyContact: { name: v.contactName.trim(), relationship: v.contactRelationship.trim(), phone: v.contactPhone.trim() },
    insurance: { payer: v.payer.trim(), memberId: v.memberId.trim(), groupNumber: v.groupNumber.trim() || null },
    medicationsReviewed: v.medicationsReviewed,
    allergiesReviewed: v.allergiesReviewed,
    answers,
    consents: form.consentForms.map((c) => ({ formId: c.id, signedName: (v.signatures[c.id] ?? '').trim() })),
  };
}

/** The page's words for a problem at a field path of the shared rule (`answers.<id>`, `consents.<index>`…). */
function problemText(form: CheckInForm, v: Values, path: string, tooLongMax: number | null, t: Translate): string {
  if (tooLongMax !== null) return t('appointments.checkIn.tooLong', { max: tooLongMax });
  const fixed: Record<string, () => string> = {
    address: () => t('appointments.checkIn.addressRequired'),
    phone: () => t(v.phone.trim() ? 'appointments.checkIn.phoneInvalid' : 'appointments.checkIn.phoneRequired'),
    'emergencyContact.name': () => t('appointments.checkIn.contactNameRequired'),
    'emergencyContact.relationship': () => t('appointments.checkIn.contactRelationshipRequired'),
    'emergencyContact.phone': () =>
      t(v.contactPhone.trim() ? 'appointments.checkIn.contactPhoneInvalid' : 'appointments.checkIn.contactPhoneRequired'),
    'insurance.payer': () => t('appointments.checkIn.payerRequired'),
    'insurance.memberId': () => t('appointments.checkIn.memberIdRequired'),
    medicationsReviewed: () => t('appointments.checkIn.medicationsRequired'),
    allergiesReviewed: () => t('appointments.checkIn.allergiesRequired'),
  };
  const known = fixed[path];
  if (known) return known();
  const question = form.questionnaire.find((q) => path === `answers.${q.id}`);
  if (question) return t('appointments.checkIn.answerRequired', { question: question.text });
  const consent = /^consents\.(\d+)/.exec(path);
  const signed = consent ? form.consentForms[Number(consent[1])] : undefined;
  if (signed) return t('appointments.checkIn.signatureRequired', { title: signed.title });
  return t('errors.validation_failed');
}

/**
 * The visit type's rule (checkInBodyFor, the same one the server enforces), checked before sending: every problem,
 * each linked to its input, in the form's order.
 */
function validate(form: CheckInForm, v: Values, t: Translate): FieldError[] {
  const result = checkInBodyFor(form).safeParse(toDraft(form, v));
  if (result.success) return [];
  const problems: FieldError[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    const id = inputFor(form, path);
    if (!id || problems.some((p) => p.id === id)) continue;
    const tooLongMax = issue.code === 'too_big' ? Number(issue.maximum) : null;
    problems.push({ id, message: problemText(form, v, path, tooLongMax, t) });
  }
  // A problem no input shows (none the page can make) is left to the server's answer, shown in the summary.
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
