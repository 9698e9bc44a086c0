import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { appointmentKeys, rescheduleAppointment, type Slot } from '../../api/appointments.ts';
import { isApiError } from '../../api/client.ts';
import { AppointmentFacts } from '../../components/appointments/AppointmentFacts.tsx';
import { useAppointment } from '../../components/appointments/appointment-queries.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { CallToChange } from '../../components/appointments/CallToChange.tsx';
import { ConfirmTime } from '../../components/appointments/ConfirmTime.tsx';
import { SlotPicker } from '../../components/appointments/SlotPicker.tsx';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { showSendProblem } from '../../components/messages/form-problems.ts';
import { useIdempotencyKey } from '../../components/messages/idempotency-key.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';

/**
 * `/appointments/:appointmentId/reschedule`: a new time for the same visit type in the same department (any of its
 * clinicians), confirmed with one Idempotency-Key per confirmation; the old time is released when the new one is saved.
 */
export function ReschedulePage() {
  const t = useT();
  useDocumentTitle(t('appointments.reschedule.title'));
  const { patientId } = useAppointmentScope();
  const { appointmentId = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useAppointment(patientId, appointmentId);
  const [chosen, setChosen] = useState<{ slot: Slot; timeZone: string } | null>(null);
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
        await queryClient.invalidateQueries({ queryKey: appointmentKeys.allSlots(patientId) });
        setChosen(null);
        errors.show([], t('appointments.slotTaken'));
      } else if (isApiError(error, 'change_cutoff_passed')) {
        await queryClient.invalidateQueries({ queryKey: appointmentKeys.detail(patientId, appointmentId) });
        setChosen(null);
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
  return (
    <div className="page">
      <p className="back-link">
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1>{t('appointments.reschedule.title')}</h1>
      <ErrorSummary errors={errors} />
      <section className="section" aria-labelledby="reschedule-current">
        <h2 id="reschedule-current">{t('appointments.reschedule.current')}</h2>
        <AppointmentFacts appointment={appointment} />
      </section>
      {!appointment.canChange || !appointment.visitTypeId ? (
        <p className="notice">
          {t(appointment.canChange ? 'appointments.reschedule.notOnline' : 'appointments.closedOnline')} <CallToChange phone={phone} />
        </p>
      ) : chosen ? (
        <ConfirmTime
          slot={chosen.slot}
          timeZone={chosen.timeZone}
          visitType={appointment.visitType}
          place={appointment.location.name}
          action={t('appointments.reschedule.move')}
          pending={pending}
          onConfirm={() => void move(chosen.slot)}
          onBack={() => setChosen(null)}
        />
      ) : (
        <section className="section" aria-labelledby="reschedule-times">
          <h2 id="reschedule-times">{t('appointments.reschedule.chooseTime')}</h2>
          <p>{t('appointments.reschedule.staysUntilConfirmed')}</p>
          <SlotPicker
            patientId={patientId}
            visitTypeId={appointment.visitTypeId}
            departmentId={appointment.location.id}
            clinicianId={null}
            onChoose={(slot, timeZone) => {
              idempotency.renew();
              errors.clear();
              setChosen({ slot, timeZone });
            }}
          />
        </section>
      )}
    </div>
  );
}
