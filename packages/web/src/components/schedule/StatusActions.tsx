import { useEffect, useRef, useState } from 'react';
import type { MessageId } from '@portico/shared/i18n';
import { errorMessage } from '../../api/client.ts';
import { setAppointmentStatus, type AppointmentStatus, type ScheduleAppointment } from '../../api/schedule.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { appointmentStatusLabel } from './schedule-text.ts';

/** Props of one row's status buttons. */
interface StatusActionsProps {
  appointment: ScheduleAppointment;
  /** How the row is named to a screen reader: patient and time, so "Arrived" says whose. */
  context: string;
  onDone: (message: string) => Promise<unknown>;
  onFail: (message: string) => void;
  /** What the reader may change: arrival ('schedule.arrive'), and the rest ('schedule.manage'). */
  may: StatusAbilities;
}

/** Which status changes the reader may make, from GET /api/me's abilities (never from role names). */
export interface StatusAbilities {
  /** 'schedule.arrive': the front desk, and nurses where the organization allows it. */
  arrive: boolean;
  /** 'schedule.manage': completion, no-show and cancellation. */
  manage: boolean;
}

/** Which changes the reader can make from each status. */
function nextStatuses(status: AppointmentStatus, may: StatusAbilities): AppointmentStatus[] {
  const all: AppointmentStatus[] =
    status === 'scheduled' || status === 'checked_in' ? ['arrived', 'no_show'] : status === 'arrived' ? ['completed'] : [];
  return all.filter((next) => (next === 'arrived' ? may.arrive : may.manage));
}

const buttonWords: Partial<Record<AppointmentStatus, MessageId>> = {
  arrived: 'schedule.actions.arrived',
  completed: 'schedule.actions.completed',
  no_show: 'schedule.actions.noShow',
};

/**
 * The buttons on a schedule row: Arrived (front desk, and nurses where allowed), Completed, No-show, and Cancel behind a
 * confirmation (a cancelled time is given back to other patients), each only for who may make it. Each button's name
 * adds whose appointment it is, after the visible word (WCAG 2.5.3 label in name).
 */
export function StatusActions({ appointment, context, onDone, onFail, may }: StatusActionsProps) {
  const t = useT();
  const [pending, setPending] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const questionRef = useRef<HTMLParagraphElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const choices = nextStatuses(appointment.status, may);
  const canCancel =
    may.manage && (appointment.status === 'scheduled' || appointment.status === 'checked_in' || appointment.status === 'arrived');

  useEffect(() => {
    if (confirming) questionRef.current?.focus();
  }, [confirming]);

  async function change(status: AppointmentStatus) {
    setPending(true);
    try {
      await setAppointmentStatus(appointment.id, status);
      setConfirming(false);
      await onDone(t('schedule.actions.done', { name: appointment.patient.name, status: t(appointmentStatusLabel(status)) }));
    } catch (error) {
      onFail(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  if (choices.length === 0 && !canCancel) return <span className="muted">{t('schedule.actions.none')}</span>;
  if (confirming) {
    return (
      <div className="schedule-confirm">
        <p ref={questionRef} tabIndex={-1} className="schedule-confirm__question">
          {t('schedule.actions.cancelQuestion')}
          <span className="visually-hidden"> {context}</span>
        </p>
        <div className="button-row">
          <button type="button" className="button button--danger button--small" disabled={pending} onClick={() => void change('cancelled')}>
            {t('schedule.actions.cancelYes')}
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => {
              setConfirming(false);
              requestAnimationFrame(() => openerRef.current?.focus());
            }}
          >
            {t('schedule.actions.cancelNo')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="button-row schedule-actions">
      {choices.map((status) => (
        <button key={status} type="button" className="button button--small" disabled={pending} onClick={() => void change(status)}>
          {buttonWords[status] && t(buttonWords[status])}
          <span className="visually-hidden">: {context}</span>
        </button>
      ))}
      {canCancel && (
        <button
          type="button"
          className="button button--secondary button--small"
          ref={openerRef}
          disabled={pending}
          onClick={() => setConfirming(true)}
        >
          {t('schedule.actions.cancel')}
          <span className="visually-hidden"> {t('schedule.actions.cancelWhose', { context })}</span>
        </button>
      )}
    </div>
  );
}
