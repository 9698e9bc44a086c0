import { Fragment } from 'react';
import { Link } from 'react-router';
import type { ScheduleResponse } from '@portico/shared';
import type { ScheduleAppointment, ScheduleBlock } from '../../api/schedule.ts';
import { RecordTable } from '../record/RecordTable.tsx';
import { AppointmentStatusText, BlockedText } from './AppointmentStatusText.tsx';
import { StatusActions } from './StatusActions.tsx';
import { formatScheduleDay, formatScheduleTime } from './schedule-text.ts';

type Day = ScheduleResponse['days'][number];

/** One line of a day: an appointment or a blocked time, in start order. */
type Entry =
  { kind: 'appointment'; startAt: string; appointment: ScheduleAppointment } | { kind: 'block'; startAt: string; block: ScheduleBlock };

function entriesOf(day: Day): Entry[] {
  const entries: Entry[] = [
    ...day.appointments.map((appointment) => ({ kind: 'appointment' as const, startAt: appointment.startAt, appointment })),
    ...day.blocks.map((block) => ({ kind: 'block' as const, startAt: block.startAt, block })),
  ];
  return entries.sort((a, b) => Date.parse(a.startAt) - Date.parse(b.startAt));
}

/** Props shared by the day and week tables. */
interface ScheduleTableProps {
  timeZone: string;
  /** A clinician's name by id (blocks carry only the id). */
  clinicianName: (id: string) => string;
}

function TimeRange({ startAt, endAt, timeZone }: { startAt: string; endAt: string; timeZone: string }) {
  return (
    <span className="nowrap">
      {formatScheduleTime(startAt, timeZone)} – {formatScheduleTime(endAt, timeZone)}
    </span>
  );
}

function PatientCell({ appointment }: { appointment: ScheduleAppointment }) {
  return (
    <>
      {appointment.patient.name}
      <span className="record-meta">MRN {appointment.patient.mrn}</span>
    </>
  );
}

/** Props of one day's table. */
interface DayTableProps extends ScheduleTableProps {
  day: Day;
  /** Front desk: status buttons on each row. */
  actions?: { onDone: (message: string) => Promise<unknown>; onFail: (message: string) => void } | undefined;
}

/** One day as an ordered table: time, patient (name and MRN), visit type, clinician, status, and blocked time between. */
export function DayTable({ day, timeZone, clinicianName, actions }: DayTableProps) {
  const entries = entriesOf(day);
  if (entries.length === 0) return <p className="empty-state">No appointments and no blocked time on this day.</p>;
  return (
    <RecordTable caption={`Appointments on ${formatScheduleDay(day.date)}`}>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Patient</th>
          <th scope="col">Visit type</th>
          <th scope="col">Clinician</th>
          <th scope="col">Status</th>
          {actions && <th scope="col">Change status</th>}
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) =>
          entry.kind === 'appointment' ? (
            <tr key={entry.appointment.id} className={`schedule-row schedule-row--${entry.appointment.status.replace('_', '-')}`}>
              <td data-label="Time">
                <TimeRange startAt={entry.appointment.startAt} endAt={entry.appointment.endAt} timeZone={timeZone} />
              </td>
              <th scope="row">
                <PatientCell appointment={entry.appointment} />
              </th>
              <td data-label="Visit type">{entry.appointment.visitType}</td>
              <td data-label="Clinician">{entry.appointment.clinician?.name ?? 'Not assigned'}</td>
              <td data-label="Status">
                <AppointmentStatusText status={entry.appointment.status} />
                {entry.appointment.checkedInAt && entry.appointment.status === 'checked_in' && (
                  <span className="record-meta">at {formatScheduleTime(entry.appointment.checkedInAt, timeZone)}</span>
                )}
              </td>
              {actions && (
                <td data-label="Change status">
                  <StatusActions
                    appointment={entry.appointment}
                    context={`${entry.appointment.patient.name} at ${formatScheduleTime(entry.appointment.startAt, timeZone)}`}
                    onDone={actions.onDone}
                    onFail={actions.onFail}
                  />
                </td>
              )}
            </tr>
          ) : (
            <tr key={entry.block.id} className="schedule-row schedule-row--blocked">
              <td data-label="Time">
                <TimeRange startAt={entry.block.startAt} endAt={entry.block.endAt} timeZone={timeZone} />
              </td>
              <th scope="row">
                Blocked time
                {entry.block.reason && <span className="record-meta">{entry.block.reason}</span>}
              </th>
              <td data-label="Visit type">—</td>
              <td data-label="Clinician">{clinicianName(entry.block.clinicianId)}</td>
              <td data-label="Status">
                <BlockedText />
              </td>
              {actions && <td data-label="Change status">—</td>}
            </tr>
          ),
        )}
      </tbody>
    </RecordTable>
  );
}

/** Props of the week's table. */
interface WeekTableProps extends ScheduleTableProps {
  days: Day[];
  /** The path of one day's view, for each day's heading link. */
  dayPath: (date: string) => string;
}

/** A week as one table, a group of rows per day; on a phone every row stacks into labelled lines under its day. */
export function WeekTable({ days, timeZone, clinicianName, dayPath }: WeekTableProps) {
  const first = days[0]?.date;
  const last = days[days.length - 1]?.date;
  return (
    <RecordTable
      caption={first && last ? `Appointments from ${formatScheduleDay(first)} to ${formatScheduleDay(last)}` : 'Appointments this week'}
    >
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Patient</th>
          <th scope="col">Visit type</th>
          <th scope="col">Clinician</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      {days.map((day) => {
        const entries = entriesOf(day);
        const count = day.appointments.length;
        return (
          <tbody key={day.date} className="schedule-week__day">
            <tr className="schedule-week__day-row">
              <th scope="rowgroup" colSpan={5}>
                <Link to={dayPath(day.date)}>{formatScheduleDay(day.date)}</Link>
                <span className="schedule-week__count">
                  {count === 0 ? 'No appointments' : `${count} ${count === 1 ? 'appointment' : 'appointments'}`}
                </span>
              </th>
            </tr>
            {entries.map((entry) => (
              <Fragment key={entry.kind === 'appointment' ? entry.appointment.id : entry.block.id}>
                {entry.kind === 'appointment' ? (
                  <tr className={`schedule-row schedule-row--${entry.appointment.status.replace('_', '-')}`}>
                    <td data-label="Time">
                      <TimeRange startAt={entry.appointment.startAt} endAt={entry.appointment.endAt} timeZone={timeZone} />
                    </td>
                    <th scope="row">
                      <PatientCell appointment={entry.appointment} />
                    </th>
                    <td data-label="Visit type">{entry.appointment.visitType}</td>
                    <td data-label="Clinician">{entry.appointment.clinician?.name ?? 'Not assigned'}</td>
                    <td data-label="Status">
                      <AppointmentStatusText status={entry.appointment.status} />
                    </td>
                  </tr>
                ) : (
                  <tr className="schedule-row schedule-row--blocked">
                    <td data-label="Time">
                      <TimeRange startAt={entry.block.startAt} endAt={entry.block.endAt} timeZone={timeZone} />
                    </td>
                    <th scope="row">
                      Blocked time
                      {entry.block.reason && <span className="record-meta">{entry.block.reason}</span>}
                    </th>
                    <td data-label="Visit type">—</td>
                    <td data-label="Clinician">{clinicianName(entry.block.clinicianId)}</td>
                    <td data-label="Status">
                      <BlockedText />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        );
      })}
    </RecordTable>
  );
}
