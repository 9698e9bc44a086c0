import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { appointmentKeys, rescheduleAppointment, type Slot } from '../../api/appointments.ts';
import { isApiError } from '../../api/client.ts';
import { AppointmentFacts } from '../../components/appointments/AppointmentFacts.tsx';
import { useAppointment, useSchedulingOptions } from '../../components/appointments/appointment-queries.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { departmentsOf, noWhoChoice, targetOf, type WhoChoice } from '../../components/appointments/booking-choice.ts';
import { CallToChange } from '../../components/appointments/CallToChange.tsx';
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

/** Where the move stands: choosing whom, choosing a day and time, or confirming one. */
type Step = { kind: 'choose' } | { kind: 'time'; focus: boolean } | { kind: 'confirm'; slot: Slot; timeZone: string };

/**
 * `/appointments/:appointmentId/reschedule`: a new time for the same visit type in the same department, with the booking
 * picker (my doctor, a named clinician or first available; a day; a time), confirmed with one Idempotency-Key per
 * confirmation; the old time is released when the new one is saved.
 */
export function ReschedulePage() {
  const t = useT();
  useDocumentTitle(t('appointments.reschedule.title'));
  const { patientId } = useAppointmentScope();
  const { appointmentId = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useAppointment(patientId, appointmentId);
  const options = useSchedulingOptions(patientId);
  const [who, setWho] = useState<WhoChoice>(noWhoChoice);
  const [day, setDay] = useState<string | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const idempotency = useIdempotencyKey();
  const back = { to: appointmentPaths.detail(appointmentId), label: t('appointments.backToAppointment') };

  async function move(slot: Slot) {
    if (pending) return;
    setPending(true);
    try {
      const appointment = await rescheduleAppointment(
        patientId,
        appointmentId,
        { clinicianId: slot.clinicianId, startAt: slot.startAt },
        idempotency.key,
      );
      errors.clear();
      queryClient.setQueryData(appointmentKeys.detail(patientId, appointment.id), appointment);
      await queryClient.invalidateQueries({ queryKey: appointmentKeys.all(patientId), refetchType: 'none' });
      void navigate(appointmentPaths.confirmed(appointment.id), { state: { change: 'moved' } });
    } catch (error) {
      if (isApiError(error, 'slot_taken')) {
        // Refetch now, not on the picker's next mount: the list must lose the time that just went.
        await queryClient.invalidateQueries({ queryKey: appointmentKeys.allSlots(patientId), refetchType: 'all' });
        setStep({ kind: 'time', focus: false });
        errors.show([], t('appointments.slotTaken'));
      } else if (isApiError(error, 'change_cutoff_passed')) {
        await queryClient.invalidateQueries({ queryKey: appointmentKeys.detail(patientId, appointmentId) });
        setStep({ kind: 'choose' });
        errors.show([], t('appointments.reschedule.closed'));
      } else if (isApiError(error, 'idempotency_key_reused')) {
        idempotency.renew();
        errors.show([], t('appointments.reschedule.maybeMoved'));
      } else {
        showSendProblem(errors, error, () => null);
      }
    } finally {
      setPending(false);
    }
  }

  if (!query.data) {
    return (
      <div className="page">
        <h1>{t('appointments.reschedule.title')}</h1>
        {query.isError ? (
          <QueryProblem error={query.error} what={t('appointments.thisAppointment')} onRetry={() => void query.refetch()} back={back} />
        ) : (
          <p role="status">{t('appointments.loadingAppointment')}</p>
        )}
      </div>
    );
  }

  const appointment = query.data;
  const phone = appointment.clinicPhone ?? appointment.location.phone;
  const departmentId = appointment.location.id;
  const pcp = options.data?.pcp ?? null;
  const visitType = options.data?.visitTypes.find((v) => v.id === appointment.visitTypeId) ?? null;
  // The visit type must still be bookable online by this patient at this place.
  const movable = visitType !== null && departmentsOf(visitType, departmentId).length > 0;
  const target = visitType ? targetOf(visitType, pcp, who, departmentId) : null;

  function findTimes(event: FormEvent) {
    event.preventDefault();
    if (!visitType) return;
    const problems = whoProblems({ visitType, pcp, departmentId, value: who }, t);
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    errors.clear();
    setStep({ kind: 'time', focus: true });
  }

  function chooseWho(next: WhoChoice) {
    setWho(next);
    setDay(null);
  }

  return (
    <div className="page">
      <p className="back-link">
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1 id="reschedule-heading">{t('appointments.reschedule.title')}</h1>
      <ErrorSummary errors={errors} />
      <section className="section" aria-labelledby="reschedule-current">
        <h2 id="reschedule-current">{t('appointments.reschedule.current')}</h2>
        <AppointmentFacts appointment={appointment} />
      </section>
      {!appointment.canChange || !appointment.visitTypeId || (options.data && !movable) ? (
        <p className="notice">
          {t(appointment.canChange ? 'appointments.reschedule.notOnline' : 'appointments.closedOnline')} <CallToChange phone={phone} />
        </p>
      ) : options.isError && !options.data ? (
        <QueryProblem error={options.error} what={t('appointments.book.what')} onRetry={() => void options.refetch()} />
      ) : !visitType ? (
        <p role="status">{t('appointments.book.loading')}</p>
      ) : step.kind === 'confirm' && target ? (
        <ConfirmTime
          slot={step.slot}
          timeZone={step.timeZone}
          visitType={appointment.visitType}
          video={appointment.video}
          place={appointment.location.name}
          action={t('appointments.reschedule.move')}
          pending={pending}
          onConfirm={() => void move(step.slot)}
          onBack={() => setStep({ kind: 'time', focus: true })}
        />
      ) : step.kind === 'time' && target ? (
        <>
          <p>{t('appointments.reschedule.staysUntilConfirmed')}</p>
          <p>
            <button type="button" className="button button--secondary" onClick={() => setStep({ kind: 'choose' })}>
              {t('appointments.reschedule.changeWho')}
            </button>
          </p>
          <SlotPicker
            key={`${target.departmentId}:${target.clinicianId ?? 'any'}`}
            patientId={patientId}
            target={target}
            timeZone={target.timeZone}
            day={day}
            onDayChange={setDay}
            onChoose={(slot, timeZone) => {
              idempotency.renew();
              errors.clear();
              setStep({ kind: 'confirm', slot, timeZone });
            }}
            autoFocus={step.focus}
          />
        </>
      ) : (
        <form className="form" onSubmit={findTimes} noValidate aria-labelledby="reschedule-heading">
          <p>{t('appointments.reschedule.staysUntilConfirmed')}</p>
          <WhoFieldset visitType={visitType} pcp={pcp} departmentId={departmentId} value={who} onChange={chooseWho} errors={errors} />
          <button type="submit" className="button">
            {t('appointments.book.findTime')}
          </button>
        </form>
      )}
    </div>
  );
}
