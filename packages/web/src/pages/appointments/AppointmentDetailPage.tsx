import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { appointmentKeys, cancelAppointment, setWaitlisted, type AppointmentView } from '../../api/appointments.ts';
import { errorMessage, isApiError } from '../../api/client.ts';
import { AppointmentFacts } from '../../components/appointments/AppointmentFacts.tsx';
import { useAppointment } from '../../components/appointments/appointment-queries.ts';
import { appointmentPaths, useAppointmentScope } from '../../components/appointments/appointment-scope.ts';
import { telHref } from '../../components/appointments/appointment-text.ts';
import { CalendarButton } from '../../components/appointments/CalendarButton.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { formatDateTime } from '../../lib/format.ts';

const back = { to: appointmentPaths.list, label: 'All appointments' };

/** Whether the visit is still ahead (booked or checked in), so calendar, waitlist and check-in make sense. */
function isActive(appointment: AppointmentView): boolean {
  return appointment.status === 'scheduled' || appointment.status === 'checked_in';
}

/** After the cut-off: changes by phone only. */
function ClosedForChanges({ phone }: { phone: string | null }) {
  return (
    <p className="notice">
      Online changes have closed for this visit. To change it, call {phone ? <a href={telHref(phone)}>{phone}</a> : 'your clinic'}.
    </p>
  );
}

/** `/appointments/:appointmentId`: one appointment with its place, instructions and the actions still open. */
export function AppointmentDetailPage() {
  useDocumentTitle('Appointment');
  const { patientId } = useAppointmentScope();
  const { appointmentId = '' } = useParams();
  const queryClient = useQueryClient();
  const query = useAppointment(patientId, appointmentId);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const [pending, setPending] = useState<'cancel' | 'waitlist' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (confirmingCancel) confirmRef.current?.focus();
  }, [confirmingCancel]);
  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  async function refresh(appointment: AppointmentView) {
    queryClient.setQueryData(appointmentKeys.detail(patientId, appointment.id), appointment);
    await queryClient.invalidateQueries({ queryKey: appointmentKeys.all(patientId) });
  }

  async function cancel() {
    if (pending) return;
    setPending('cancel');
    setProblem(null);
    try {
      const appointment = await cancelAppointment(patientId, appointmentId);
      setConfirmingCancel(false);
      setNotice('Your appointment is cancelled.');
      await refresh(appointment);
    } catch (error) {
      setConfirmingCancel(false);
      setProblem(
        isApiError(error, 'change_cutoff_passed')
          ? 'Online changes have closed for this visit, so it was not cancelled. Call the clinic to cancel it.'
          : errorMessage(error),
      );
      if (isApiError(error, 'change_cutoff_passed')) await queryClient.invalidateQueries({ queryKey: appointmentKeys.all(patientId) });
    } finally {
      setPending(null);
    }
  }

  async function toggleWaitlist(appointment: AppointmentView) {
    if (pending) return;
    setPending('waitlist');
    setProblem(null);
    try {
      const waitlisted = await setWaitlisted(patientId, appointment.id, !appointment.waitlisted);
      await refresh({ ...appointment, waitlisted });
      setNotice(
        waitlisted
          ? 'We will tell you if an earlier time opens. Your appointment stays booked until you take an offered time.'
          : 'We will no longer look for an earlier time.',
      );
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setPending(null);
    }
  }

  if (!query.data) {
    return (
      <div className="page">
        <h1>Appointment</h1>
        {query.isError ? (
          <QueryProblem error={query.error} what="this appointment" onRetry={() => void query.refetch()} back={back} />
        ) : (
          <p role="status">Loading the appointment…</p>
        )}
      </div>
    );
  }

  const appointment = query.data;
  const active = isActive(appointment);
  return (
    <div className="page">
      <p className="back-link">
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1>{appointment.visitType}</h1>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {problem && (
        <div className="error-summary" role="alert" tabIndex={-1} ref={problemRef}>
          <p className="error-summary__title">There is a problem</p>
          <p className="error-summary__message">{problem}</p>
        </div>
      )}
      <AppointmentFacts appointment={appointment} withLinks />
      {appointment.location.phone && (
        <p>
          Clinic phone: <a href={telHref(appointment.location.phone)}>{appointment.location.phone}</a>
        </p>
      )}
      {appointment.instructions && (
        <section className="section" aria-labelledby="appointment-instructions">
          <h2 id="appointment-instructions">Before your visit</h2>
          <p className="record-text">{appointment.instructions}</p>
        </section>
      )}
      {active && (
        <section className="section" aria-labelledby="appointment-actions">
          <h2 id="appointment-actions">What you can do</h2>
          {appointment.checkIn.completedAt ? (
            <p>You checked in online on {formatDateTime(appointment.checkIn.completedAt)}.</p>
          ) : appointment.checkIn.available ? (
            <p>
              <Link className="button" to={appointmentPaths.checkIn(appointment.id)}>
                Check in
              </Link>
            </p>
          ) : (
            <p>Online check-in opens on {formatDateTime(appointment.checkIn.opensAt)}.</p>
          )}
          <CalendarButton patientId={patientId} appointmentId={appointment.id} />
          {appointment.canChange ? (
            <>
              <p className="hint-text">You can change or cancel this visit online until {formatDateTime(appointment.changeCutoffAt)}.</p>
              <div className="button-row">
                <Link className="button button--secondary" to={appointmentPaths.reschedule(appointment.id)}>
                  Reschedule
                </Link>
                <button
                  type="button"
                  className="button button--secondary"
                  aria-disabled={pending !== null}
                  aria-pressed={appointment.waitlisted}
                  onClick={() => void toggleWaitlist(appointment)}
                >
                  Tell me if an earlier time opens
                </button>
                {!confirmingCancel && (
                  <button type="button" className="button button--danger" onClick={() => setConfirmingCancel(true)}>
                    Cancel appointment
                  </button>
                )}
              </div>
              {appointment.waitlisted && (
                <p>You are on the list for an earlier time. Offers show on your appointments page and by email.</p>
              )}
              {confirmingCancel && (
                <div className="panel appointment-cancel" role="group" aria-labelledby="appointment-cancel-heading">
                  <h3 id="appointment-cancel-heading" ref={confirmRef} tabIndex={-1}>
                    Cancel this appointment?
                  </h3>
                  <p>The time is released for someone else. To see a clinician later, you will need to book again.</p>
                  <div className="button-row">
                    <button type="button" className="button button--danger" aria-disabled={pending !== null} onClick={() => void cancel()}>
                      Yes, cancel it
                    </button>
                    <button type="button" className="button button--secondary" onClick={() => setConfirmingCancel(false)}>
                      Keep it
                    </button>
                  </div>
                </div>
              )}
            </>
          ) : (
            <ClosedForChanges phone={appointment.clinicPhone ?? appointment.location.phone} />
          )}
          <p className="live-text" role="status">
            {pending === 'cancel' ? 'Cancelling…' : pending === 'waitlist' ? 'Saving…' : ''}
          </p>
        </section>
      )}
    </div>
  );
}
