import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { appointmentKeys, rescheduleAppointment, type Slot } from '../../api/appointments.ts';
import { isApiError } from '../../api/client.ts';
import { AppointmentFacts } from '../../components/appointments/AppointmentFacts.tsx';
import { useAppointment } from '../../components/appointments/appointment-queries.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { telHref } from '../../components/appointments/appointment-text.ts';
import { ConfirmTime } from '../../components/appointments/ConfirmTime.tsx';
import { SlotPicker } from '../../components/appointments/SlotPicker.tsx';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { showSendProblem } from '../../components/messages/form-problems.ts';
import { useIdempotencyKey } from '../../components/messages/idempotency-key.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';

/**
 * `/appointments/:appointmentId/reschedule`: a new time for the same visit type in the same department (any of its
 * clinicians), confirmed with one Idempotency-Key per confirmation; the old time is released when the new one is saved.
 */
export function ReschedulePage() {
  useDocumentTitle('Reschedule');
  const { patientId } = useAppointmentScope();
  const { appointmentId = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useAppointment(patientId, appointmentId);
  const [chosen, setChosen] = useState<{ slot: Slot; timeZone: string } | null>(null);
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const idempotency = useIdempotencyKey();
  const back = { to: appointmentPaths.detail(appointmentId), label: 'Back to the appointment' };

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
        errors.show([], 'Someone else booked that time a moment ago. The open times have been refreshed: choose another.');
      } else if (isApiError(error, 'change_cutoff_passed')) {
        await queryClient.invalidateQueries({ queryKey: appointmentKeys.detail(patientId, appointmentId) });
        setChosen(null);
        errors.show([], 'Online changes have closed for this visit, so it was not moved.');
      } else if (isApiError(error, 'idempotency_key_reused')) {
        idempotency.renew();
        errors.show([], 'An earlier try may have moved this appointment already. Check your appointments before you try again.');
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
        <h1>Reschedule</h1>
        {query.isError ? (
          <QueryProblem error={query.error} what="this appointment" onRetry={() => void query.refetch()} back={back} />
        ) : (
          <p role="status">Loading the appointment…</p>
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
      <h1>Reschedule</h1>
      <ErrorSummary errors={errors} />
      <section className="section" aria-labelledby="reschedule-current">
        <h2 id="reschedule-current">Your appointment now</h2>
        <AppointmentFacts appointment={appointment} />
      </section>
      {!appointment.canChange || !appointment.visitTypeId ? (
        <p className="notice">
          {appointment.canChange ? 'This visit cannot be moved online.' : 'Online changes have closed for this visit.'} To change it, call{' '}
          {phone ? <a href={telHref(phone)}>{phone}</a> : 'your clinic'}.
        </p>
      ) : chosen ? (
        <ConfirmTime
          slot={chosen.slot}
          timeZone={chosen.timeZone}
          visitType={appointment.visitType}
          place={appointment.location.name}
          action="Move my appointment"
          pending={pending}
          onConfirm={() => void move(chosen.slot)}
          onBack={() => setChosen(null)}
        />
      ) : (
        <section className="section" aria-labelledby="reschedule-times">
          <h2 id="reschedule-times">Choose a new time</h2>
          <p>Your appointment stays at its current time until you confirm a new one.</p>
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
