import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { appointmentKeys, bookAppointment, type BookableVisitType, type Slot } from '../../api/appointments.ts';
import { isApiError } from '../../api/client.ts';
import { useSchedulingOptions } from '../../components/appointments/appointment-queries.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { noWhoChoice, targetOf, type WhoChoice } from '../../components/appointments/booking-choice.ts';
import { ConfirmTime } from '../../components/appointments/ConfirmTime.tsx';
import { SlotPicker } from '../../components/appointments/SlotPicker.tsx';
import { WhoFieldset, whoProblems } from '../../components/appointments/WhoFieldset.tsx';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { showSendProblem } from '../../components/messages/form-problems.ts';
import { useIdempotencyKey } from '../../components/messages/idempotency-key.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';

const visitTypeId = (id: string) => `book-visit-type-${id}`;

/** Where the booking stands: choosing what and whom, choosing a day and time, or confirming one. */
type Step = { kind: 'choose' } | { kind: 'time'; focus: boolean } | { kind: 'confirm'; slot: Slot; timeZone: string };

/** The visit type's one line: its length, and whether it is by video. */
function describe(visitType: BookableVisitType, t: ReturnType<typeof useT>): string {
  const minutes = visitType.durationMinutes;
  return t(visitType.video ? 'appointments.book.lengthByVideo' : 'appointments.book.lengthInPerson', { minutes });
}

/**
 * `/appointments/new`: a visit type; whom to see (my doctor, a named clinician, or first available); a day from a week
 * strip or "Next available"; a time of that day; then confirm. One Idempotency-Key per confirmation, so a double click
 * or a retry books once; a time someone took meanwhile is refused by the server, said plainly, and the times refreshed.
 */
export function NewAppointmentPage() {
  const t = useT();
  useDocumentTitle(t('appointments.book.title'));
  const { patientId } = useAppointmentScope();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const options = useSchedulingOptions(patientId);
  const [chosenTypeId, setChosenTypeId] = useState<string | null>(null);
  const [who, setWho] = useState<WhoChoice>(noWhoChoice);
  const [day, setDay] = useState<string | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const idempotency = useIdempotencyKey();

  const visitTypes = options.data?.visitTypes ?? [];
  const pcp = options.data?.pcp ?? null;
  const visitType = visitTypes.find((v) => v.id === chosenTypeId) ?? null;
  const target = visitType ? targetOf(visitType, pcp, who) : null;
  const firstVisitType = visitTypeId(visitTypes[0]?.id ?? 'none');

  function chooseVisitType(id: string) {
    setChosenTypeId(id);
    setWho(noWhoChoice);
    setDay(null);
  }

  function chooseWho(next: WhoChoice) {
    setWho(next);
    setDay(null);
  }

  function findTimes(event: FormEvent) {
    event.preventDefault();
    const problems = visitType
      ? whoProblems({ visitType, pcp, value: who }, t)
      : [{ id: firstVisitType, message: t('appointments.book.visitTypeRequired') }];
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    errors.clear();
    setStep({ kind: 'time', focus: true });
  }

  function chooseTime(slot: Slot, timeZone: string) {
    // A new confirmation: a new key, so it can never be mistaken for a retry of an earlier one.
    idempotency.renew();
    errors.clear();
    setStep({ kind: 'confirm', slot, timeZone });
  }

  async function book(slot: Slot) {
    if (pending || !visitType || !target) return;
    setPending(true);
    try {
      const appointment = await bookAppointment(
        patientId,
        { visitTypeId: visitType.id, departmentId: target.departmentId, clinicianId: slot.clinicianId, startAt: slot.startAt },
        idempotency.key,
      );
      errors.clear();
      queryClient.setQueryData(appointmentKeys.detail(patientId, appointment.id), appointment);
      await queryClient.invalidateQueries({ queryKey: appointmentKeys.all(patientId), refetchType: 'none' });
      void navigate(appointmentPaths.confirmed(appointment.id));
    } catch (error) {
      if (isApiError(error, 'slot_taken')) {
        // Refetch now, not on the picker's next mount: the list must lose the time that just went.
        await queryClient.invalidateQueries({ queryKey: appointmentKeys.allSlots(patientId), refetchType: 'all' });
        setStep({ kind: 'time', focus: false });
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

  const visitTypeError = errors.errorFor(firstVisitType);
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
              <fieldset className="fieldset appointment-choice" aria-describedby={visitTypeError ? 'book-visit-type-error' : undefined}>
                <legend>{t('appointments.book.visitTypeLegend')}</legend>
                {visitTypeError && (
                  <p className="field__error" id="book-visit-type-error">
                    <span className="visually-hidden">{t('appointments.errorPrefix')} </span>
                    {visitTypeError}
                  </p>
                )}
                {visitTypes.map((v) => (
                  <div className="radio" key={v.id}>
                    <input
                      type="radio"
                      id={visitTypeId(v.id)}
                      name="book-visit-type"
                      checked={chosenTypeId === v.id}
                      onChange={() => chooseVisitType(v.id)}
                      aria-describedby={`${visitTypeId(v.id)}-hint`}
                    />
                    <label htmlFor={visitTypeId(v.id)}>
                      <span translate="no">{v.name}</span>
                    </label>
                    <p className="field__hint" id={`${visitTypeId(v.id)}-hint`}>
                      {describe(v, t)}
                    </p>
                  </div>
                ))}
              </fieldset>
              {visitType && <WhoFieldset visitType={visitType} pcp={pcp} value={who} onChange={chooseWho} errors={errors} />}
              <button type="submit" className="button">
                {t('appointments.book.findTime')}
              </button>
            </form>
          )}
          {step.kind === 'time' && visitType && target && (
            <>
              <p>
                <RichMessage
                  id={target.clinicianName ? 'appointments.book.searchWith' : 'appointments.book.search'}
                  values={{ length: describe(visitType, t) }}
                  parts={{
                    visitType: <span translate="no">{visitType.name}</span>,
                    place: <span translate="no">{target.placeName}</span>,
                    clinician: <span translate="no">{target.clinicianName}</span>,
                  }}
                />
              </p>
              <p>
                <button type="button" className="button button--secondary" onClick={() => setStep({ kind: 'choose' })}>
                  {t('appointments.book.changeChoice')}
                </button>
              </p>
              <SlotPicker
                key={`${target.visitTypeId}:${target.departmentId}:${target.clinicianId ?? 'any'}`}
                patientId={patientId}
                target={target}
                timeZone={target.timeZone}
                day={day}
                onDayChange={setDay}
                onChoose={chooseTime}
                autoFocus={step.focus}
              />
            </>
          )}
          {step.kind === 'confirm' && visitType && target && (
            <ConfirmTime
              slot={step.slot}
              timeZone={step.timeZone}
              visitType={visitType.name}
              video={visitType.video}
              place={target.placeName}
              action={t('appointments.book.bookThisTime')}
              pending={pending}
              onConfirm={() => void book(step.slot)}
              onBack={() => setStep({ kind: 'time', focus: true })}
            />
          )}
        </>
      )}
    </div>
  );
}
