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
import { CallToChange } from '../../components/appointments/CallToChange.tsx';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';

/** Whether the visit is still ahead (booked or checked in), so calendar, waitlist and check-in make sense. */
function isActive(appointment: AppointmentView): boolean {
  return appointment.status === 'scheduled' || appointment.status === 'checked_in';
}

/** After the cut-off: changes by phone only. */
function ClosedForChanges({ phone }: { phone: string | null }) {
  const t = useT();
  return (
    <p className="notice">
      {t('appointments.closedOnline')} <CallToChange phone={phone} />
    </p>
  );
}

/** `/appointments/:appointmentId`: one appointment with its place, instructions and the actions still open. */
export function AppointmentDetailPage() {
  const t = useT();
  useDocumentTitle(t('appointments.detail.title'));
  const back = { to: appointmentPaths.list, label: t('appointments.all') };
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
      setNotice(t('appointments.detail.cancelled'));
      await refresh(appointment);
    } catch (error) {
      setConfirmingCancel(false);
      setProblem(isApiError(error, 'change_cutoff_passed') ? t('appointments.detail.cancelClosed') : errorMessage(error));
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
      setNotice(t(waitlisted ? 'appointments.detail.waitlistOn' : 'appointments.detail.waitlistOff'));
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setPending(null);
    }
  }

  if (!query.data) {
    return (
      <div className="page">
        <h1>{t('appointments.detail.title')}</h1>
        {query.isError ? (
          <QueryProblem error={query.error} what={t('appointments.thisAppointment')} onRetry={() => void query.refetch()} back={back} />
        ) : (
          <p role="status">{t('appointments.loadingAppointment')}</p>
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
      <h1 translate="no">{appointment.visitType}</h1>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {problem && (
        <div className="error-summary" role="alert" tabIndex={-1} ref={problemRef}>
          <p className="error-summary__title">{t('appointments.problemTitle')}</p>
          <p className="error-summary__message">{problem}</p>
        </div>
      )}
      <AppointmentFacts appointment={appointment} withLinks />
      {appointment.location.phone && (
        <p>
          <RichMessage
            id="appointments.detail.clinicPhone"
            parts={{ phone: <a href={telHref(appointment.location.phone)}>{appointment.location.phone}</a> }}
          />
        </p>
      )}
      {appointment.instructions && (
        <section className="section" aria-labelledby="appointment-instructions">
          <h2 id="appointment-instructions">{t('appointments.detail.beforeVisit')}</h2>
          <p className="record-text" translate="no">
            {appointment.instructions}
          </p>
        </section>
      )}
      {active && (
        <section className="section" aria-labelledby="appointment-actions">
          <h2 id="appointment-actions">{t('appointments.detail.actions')}</h2>
          {appointment.checkIn.completedAt ? (
            <p>{t('appointments.detail.checkedInOn', { when: formatDateTime(appointment.checkIn.completedAt) })}</p>
          ) : appointment.checkIn.available ? (
            <p>
              <Link className="button" to={appointmentPaths.checkIn(appointment.id)}>
                {t('appointments.detail.checkIn')}
              </Link>
            </p>
          ) : (
            <p>{t('appointments.detail.checkInOpens', { when: formatDateTime(appointment.checkIn.opensAt) })}</p>
          )}
          <CalendarButton patientId={patientId} appointmentId={appointment.id} />
          {appointment.canChange ? (
            <>
              <p className="hint-text">{t('appointments.detail.changeUntil', { when: formatDateTime(appointment.changeCutoffAt) })}</p>
              <div className="button-row">
                <Link className="button button--secondary" to={appointmentPaths.reschedule(appointment.id)}>
                  {t('appointments.reschedule.title')}
                </Link>
                <button
                  type="button"
                  className="button button--secondary"
                  aria-disabled={pending !== null}
                  aria-pressed={appointment.waitlisted}
                  onClick={() => void toggleWaitlist(appointment)}
                >
                  {t('appointments.detail.waitlistButton')}
                </button>
                {!confirmingCancel && (
                  <button type="button" className="button button--danger" onClick={() => setConfirmingCancel(true)}>
                    {t('appointments.detail.cancelButton')}
                  </button>
                )}
              </div>
              {appointment.waitlisted && <p>{t('appointments.detail.onWaitlist')}</p>}
              {confirmingCancel && (
                <div className="panel appointment-cancel" role="group" aria-labelledby="appointment-cancel-heading">
                  <h3 id="appointment-cancel-heading" ref={confirmRef} tabIndex={-1}>
                    {t('appointments.detail.cancelQuestion')}
                  </h3>
                  <p>{t('appointments.detail.cancelExplained')}</p>
                  <div className="button-row">
                    <button type="button" className="button button--danger" aria-disabled={pending !== null} onClick={() => void cancel()}>
                      {t('appointments.detail.cancelYes')}
                    </button>
                    <button type="button" className="button button--secondary" onClick={() => setConfirmingCancel(false)}>
                      {t('appointments.detail.cancelNo')}
                    </button>
                  </div>
                </div>
              )}
            </>
          ) : (
            <ClosedForChanges phone={appointment.clinicPhone ?? appointment.location.phone} />
          )}
          <p className="live-text" role="status">
            {pending === 'cancel' ? t('appointments.detail.cancelling') : pending === 'waitlist' ? t('appointments.detail.saving') : ''}
          </p>
        </section>
      )}
    </div>
  );
}
