import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { appointmentKeys, bookAppointment, type BookableVisitType, type Slot } from '../../api/appointments.ts';
import { isApiError } from '../../api/client.ts';
import { useSchedulingOptions } from '../../components/appointments/appointment-queries.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { ConfirmTime } from '../../components/appointments/ConfirmTime.tsx';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { SlotPicker } from '../../components/appointments/SlotPicker.tsx';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { showSendProblem } from '../../components/messages/form-problems.ts';
import { useIdempotencyKey } from '../../components/messages/idempotency-key.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';

const ids = {
  visitType: (id: string) => `book-visit-type-${id}`,
  department: (id: string) => `book-department-${id}`,
  clinician: 'book-clinician',
};

/** Where the booking stands: choosing what and where, choosing a time, or confirming one. */
type Step = { kind: 'choose' } | { kind: 'time' } | { kind: 'confirm'; slot: Slot; timeZone: string };

/** The visit type's one line: its length, and whether it is by video. */
function describe(visitType: BookableVisitType, t: ReturnType<typeof useT>): string {
  const minutes = visitType.durationMinutes;
  return t(visitType.video ? 'appointments.book.lengthByVideo' : 'appointments.book.lengthInPerson', { minutes });
}

/**
 * `/appointments/new`: a visit type, then a department and a clinician (or any), then an open time from the coming
 * weeks, then confirm. One Idempotency-Key per confirmation, so a double click or a retry books once.
 */
export function NewAppointmentPage() {
  const t = useT();
  useDocumentTitle(t('appointments.book.title'));
  const { patientId } = useAppointmentScope();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const options = useSchedulingOptions(patientId);
  const [visitTypeId, setVisitTypeId] = useState<string | null>(null);
  const [departmentId, setDepartmentId] = useState<string | null>(null);
  const [clinicianId, setClinicianId] = useState('');
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const idempotency = useIdempotencyKey();
  const timesRef = useRef<HTMLHeadingElement>(null);
  // Focus moves to "Choose a time" when the person goes there; after a taken slot the error summary keeps it instead.
  const focusTimes = useRef(false);

  useEffect(() => {
    if (step.kind !== 'time' || !focusTimes.current) return;
    focusTimes.current = false;
    timesRef.current?.focus();
  }, [step.kind]);

  function showTimes() {
    focusTimes.current = true;
    setStep({ kind: 'time' });
  }

  const visitTypes = options.data ?? [];
  const visitType = visitTypes.find((v) => v.id === visitTypeId) ?? null;
  // With one department for the visit type, it is the only choice, so it starts chosen.
  const departments = visitType?.departments ?? [];
  const department = departments.find((d) => d.id === departmentId) ?? (departments.length === 1 ? departments[0] : undefined) ?? null;
  const clinicians = department?.clinicians ?? [];
  const firstVisitType = ids.visitType(visitTypes[0]?.id ?? 'none');
  const firstDepartment = ids.department(departments[0]?.id ?? 'none');
  const chosenClinician = clinicianId ? clinicians.find((c) => c.id === clinicianId)?.name : undefined;

  function chooseVisitType(id: string) {
    setVisitTypeId(id);
    setDepartmentId(null);
    setClinicianId('');
  }

  function findTimes(event: FormEvent) {
    event.preventDefault();
    const problems: FieldError[] = [];
    if (!visitType) problems.push({ id: firstVisitType, message: t('appointments.book.visitTypeRequired') });
    else if (!department) problems.push({ id: firstDepartment, message: t('appointments.book.departmentRequired') });
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    errors.clear();
    showTimes();
  }

  function chooseTime(slot: Slot, timeZone: string) {
    // A new confirmation: a new key, so it can never be mistaken for a retry of an earlier one.
    idempotency.renew();
    errors.clear();
    setStep({ kind: 'confirm', slot, timeZone });
  }

  async function book(slot: Slot) {
    if (pending || !visitType || !department) return;
    setPending(true);
    try {
      const appointment = await bookAppointment(
        patientId,
        { visitTypeId: visitType.id, departmentId: department.id, clinicianId: slot.clinicianId, startAt: slot.startAt },
        idempotency.key,
      );
      errors.clear();
      queryClient.setQueryData(appointmentKeys.detail(patientId, appointment.id), appointment);
      await queryClient.invalidateQueries({ queryKey: appointmentKeys.all(patientId), refetchType: 'none' });
      void navigate(appointmentPaths.confirmed(appointment.id));
    } catch (error) {
      if (isApiError(error, 'slot_taken')) {
        await queryClient.invalidateQueries({ queryKey: appointmentKeys.allSlots(patientId) });
        setStep({ kind: 'time' });
        errors.show([], t('appointments.slotTaken'));
      } else if (isApiError(error, 'idempotency_key_reused')) {
        idempotency.renew();
        errors.show([], t('appointments.book.maybeBooked'));
      } else {
        showSendProblem(errors, error, () => null);
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page">
      <p className="back-link">
        <Link to={appointmentPaths.list}>{t('appointments.all')}</Link>
      </p>
      <h1 id="book-heading">{t('appointments.book.title')}</h1>
      {options.isError && !options.data ? (
        <QueryProblem error={options.error} what={t('appointments.book.what')} onRetry={() => void options.refetch()} />
      ) : !options.data ? (
        <p role="status">{t('appointments.book.loading')}</p>
      ) : visitTypes.length === 0 ? (
        <p className="empty-state">{t('appointments.book.none')}</p>
      ) : (
        <>
          <ErrorSummary errors={errors} />
          {step.kind === 'choose' && (
            <form className="form" onSubmit={findTimes} noValidate aria-labelledby="book-heading">
              <fieldset className="fieldset">
                <legend>{t('appointments.book.visitTypeLegend')}</legend>
                {errors.errorFor(firstVisitType) && (
                  <p className="field__error" id="book-visit-type-error">
                    <span className="visually-hidden">{t('appointments.errorPrefix')} </span>
                    {errors.errorFor(firstVisitType)}
                  </p>
                )}
                {visitTypes.map((v) => (
                  <div className="radio" key={v.id}>
                    <input
                      type="radio"
                      id={ids.visitType(v.id)}
                      name="book-visit-type"
                      checked={visitTypeId === v.id}
                      onChange={() => chooseVisitType(v.id)}
                      aria-describedby={`${ids.visitType(v.id)}-hint`}
                    />
                    <label htmlFor={ids.visitType(v.id)}>
                      <span translate="no">{v.name}</span>
                      {v.video && <span className="badge appointment-video">{t('appointments.book.videoBadge')}</span>}
                    </label>
                    <p className="field__hint" id={`${ids.visitType(v.id)}-hint`}>
                      {describe(v, t)}
                    </p>
                  </div>
                ))}
              </fieldset>
              {visitType && departments.length > 1 && (
                <fieldset className="fieldset">
                  <legend>{t('appointments.book.whereLegend')}</legend>
                  {errors.errorFor(firstDepartment) && (
                    <p className="field__error" id="book-department-error">
                      <span className="visually-hidden">{t('appointments.errorPrefix')} </span>
                      {errors.errorFor(firstDepartment)}
                    </p>
                  )}
                  {departments.map((d) => (
                    <div className="radio" key={d.id}>
                      <input
                        type="radio"
                        id={ids.department(d.id)}
                        name="book-department"
                        checked={department?.id === d.id}
                        onChange={() => {
                          setDepartmentId(d.id);
                          setClinicianId('');
                        }}
                      />
                      <label htmlFor={ids.department(d.id)} translate="no">
                        {d.name}
                      </label>
                    </div>
                  ))}
                </fieldset>
              )}
              {visitType && departments.length === 1 && department && (
                <p>
                  <RichMessage id="appointments.book.whereOnly" parts={{ place: <span translate="no">{department.name}</span> }} />
                </p>
              )}
              {department && (
                <div className="field">
                  <label className="field__label" htmlFor={ids.clinician}>
                    {t('appointments.book.clinicianLabel')}
                  </label>
                  <select id={ids.clinician} className="input" value={clinicianId} onChange={(event) => setClinicianId(event.target.value)}>
                    <option value="">{t('appointments.book.anyClinician')}</option>
                    {clinicians.map((c) => (
                      <option key={c.id} value={c.id} translate="no">
                        {c.name}
                      </option>
                    ))}
                  </select>
                </div>
              )}
              <button type="submit" className="button">
                {t('appointments.book.findTime')}
              </button>
            </form>
          )}
          {step.kind === 'time' && visitType && department && (
            <section className="section" aria-labelledby="book-times-heading">
              <h2 id="book-times-heading" ref={timesRef} tabIndex={-1}>
                {t('appointments.book.chooseTime')}
              </h2>
              <p>
                <RichMessage
                  id={clinicianId ? 'appointments.book.searchWith' : 'appointments.book.search'}
                  values={{ length: describe(visitType, t) }}
                  parts={{
                    visitType: <span translate="no">{visitType.name}</span>,
                    place: <span translate="no">{department.name}</span>,
                    clinician: chosenClinician ? <span translate="no">{chosenClinician}</span> : t('appointments.book.chosenClinician'),
                  }}
                />
              </p>
              <SlotPicker
                key={`${visitType.id}:${department.id}:${clinicianId}`}
                patientId={patientId}
                visitTypeId={visitType.id}
                departmentId={department.id}
                clinicianId={clinicianId || null}
                onChoose={chooseTime}
              />
              <p>
                <button type="button" className="button-link" onClick={() => setStep({ kind: 'choose' })}>
                  {t('appointments.book.changeChoice')}
                </button>
              </p>
            </section>
          )}
          {step.kind === 'confirm' && visitType && department && (
            <ConfirmTime
              slot={step.slot}
              timeZone={step.timeZone}
              visitType={visitType.name}
              video={visitType.video}
              place={department.name}
              action={t('appointments.book.bookThisTime')}
              pending={pending}
              onConfirm={() => void book(step.slot)}
              onBack={showTimes}
            />
          )}
        </>
      )}
    </div>
  );
}
