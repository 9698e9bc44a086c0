import { Fragment } from 'react';
import { Link } from 'react-router';
import type { ScheduleResponse } from '@portico/shared';
import type { ScheduleAppointment, ScheduleBlock } from '../../api/schedule.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { RecordTable } from '../record/RecordTable.tsx';
import { AppointmentStatusText, BlockedText } from './AppointmentStatusText.tsx';
import { StatusActions, type StatusAbilities } from './StatusActions.tsx';
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
  const t = useT();
  return (
    <>
      <span translate="no">{appointment.patient.name}</span>
      <span className="record-meta">
        {t('schedule.mrn')} <span translate="no">{appointment.patient.mrn}</span>
      </span>
    </>
  );
}

/** The clinician of an appointment (staff data), or that none is assigned yet. */
function ClinicianCell({ appointment }: { appointment: ScheduleAppointment }) {
  const t = useT();
  return appointment.clinician ? (
    <td data-label={t('schedule.column.clinician')} translate="no">
      {appointment.clinician.name}
    </td>
  ) : (
    <td data-label={t('schedule.column.clinician')}>{t('schedule.notAssigned')}</td>
  );
}

/** A blocked time's row header: the words, and the reason staff gave (data). */
function BlockHeader({ block }: { block: ScheduleBlock }) {
  const t = useT();
  return (
    <th scope="row">
      {t('schedule.blockedTime')}
      {block.reason && (
        <span className="record-meta" translate="no">
          {block.reason}
        </span>
      )}
    </th>
  );
}

/** The column headers of both tables; the day's adds "Change status" for the front desk. */
function HeaderRow({ withActions }: { withActions: boolean }) {
  const t = useT();
  return (
    <tr>
      <th scope="col">{t('schedule.column.time')}</th>
      <th scope="col">{t('schedule.column.patient')}</th>
      <th scope="col">{t('schedule.column.visitType')}</th>
      <th scope="col">{t('schedule.column.clinician')}</th>
      <th scope="col">{t('schedule.column.status')}</th>
      {withActions && <th scope="col">{t('schedule.column.changeStatus')}</th>}
    </tr>
  );
}

/** Props of one day's table. */
interface DayTableProps extends ScheduleTableProps {
  day: Day;
  /** Status buttons on each row, for whoever may change a status (the front desk; nurses marking arrival where allowed). */
  actions?: { onDone: (message: string) => Promise<unknown>; onFail: (message: string) => void; may: StatusAbilities } | undefined;
}

/** One day as an ordered table: time, patient (name and MRN), visit type, clinician, status, and blocked time between. */
export function DayTable({ day, timeZone, clinicianName, actions }: DayTableProps) {
  const t = useT();
  const entries = entriesOf(day);
  if (entries.length === 0) return <p className="empty-state">{t('schedule.day.empty')}</p>;
  return (
    <RecordTable caption={t('schedule.day.caption', { day: formatScheduleDay(day.date) })}>
      <thead>
        <HeaderRow withActions={actions !== undefined} />
      </thead>
      <tbody>
        {entries.map((entry) =>
          entry.kind === 'appointment' ? (
            <tr key={entry.appointment.id} className={`schedule-row schedule-row--${entry.appointment.status.replace('_', '-')}`}>
              <td data-label={t('schedule.column.time')}>
                <TimeRange startAt={entry.appointment.startAt} endAt={entry.appointment.endAt} timeZone={timeZone} />
              </td>
              <th scope="row">
                <PatientCell appointment={entry.appointment} />
              </th>
              <td data-label={t('schedule.column.visitType')} translate="no">
                {entry.appointment.visitType}
              </td>
              <ClinicianCell appointment={entry.appointment} />
              <td data-label={t('schedule.column.status')}>
                <AppointmentStatusText status={entry.appointment.status} />
                {entry.appointment.checkedInAt && entry.appointment.status === 'checked_in' && (
                  <span className="record-meta">
                    {t('schedule.checkedInAt', { time: formatScheduleTime(entry.appointment.checkedInAt, timeZone) })}
                  </span>
                )}
              </td>
              {actions && (
                <td data-label={t('schedule.column.changeStatus')}>
                  <StatusActions
                    appointment={entry.appointment}
                    context={t('schedule.rowContext', {
                      name: entry.appointment.patient.name,
                      time: formatScheduleTime(entry.appointment.startAt, timeZone),
                    })}
                    onDone={actions.onDone}
                    onFail={actions.onFail}
                    may={actions.may}
                  />
                </td>
              )}
            </tr>
          ) : (
            <tr key={entry.block.id} className="schedule-row schedule-row--blocked">
              <td data-label={t('schedule.column.time')}>
                <TimeRange startAt={entry.block.startAt} endAt={entry.block.endAt} timeZone={timeZone} />
              </td>
              <BlockHeader block={entry.block} />
              <td data-label={t('schedule.column.visitType')}>—</td>
              <td data-label={t('schedule.column.clinician')} translate="no">
                {clinicianName(entry.block.clinicianId)}
              </td>
              <td data-label={t('schedule.column.status')}>
                <BlockedText />
              </td>
              {actions && <td data-label={t('schedule.column.changeStatus')}>—</td>}
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
  const t = useT();
  const first = days[0]?.date;
  const last = days[days.length - 1]?.date;
  return (
    <RecordTable
      caption={
        first && last
          ? t('schedule.week.caption', { first: formatScheduleDay(first), last: formatScheduleDay(last) })
          : t('schedule.week.captionThisWeek')
      }
    >
      <thead>
        <HeaderRow withActions={false} />
      </thead>
      {days.map((day) => {
        const entries = entriesOf(day);
        const count = day.appointments.length;
        return (
          <tbody key={day.date} className="schedule-week__day">
            <tr className="schedule-week__day-row">
              <th scope="rowgroup" colSpan={5}>
                <Link to={dayPath(day.date)}>{formatScheduleDay(day.date)}</Link>
                <span className="schedule-week__count">{t('schedule.week.count', { count })}</span>
              </th>
            </tr>
            {entries.map((entry) => (
              <Fragment key={entry.kind === 'appointment' ? entry.appointment.id : entry.block.id}>
                {entry.kind === 'appointment' ? (
                  <tr className={`schedule-row schedule-row--${entry.appointment.status.replace('_', '-')}`}>
                    <td data-label={t('schedule.column.time')}>
                      <TimeRange startAt={entry.appointment.startAt} endAt={entry.appointment.endAt} timeZone={timeZone} />
                    </td>
                    <th scope="row">
                      <PatientCell appointment={entry.appointment} />
                    </th>
                    <td data-label={t('schedule.column.visitType')} translate="no">
                      {entry.appointment.visitType}
                    </td>
                    <ClinicianCell appointment={entry.appointment} />
                    <td data-label={t('schedule.column.status')}>
                      <AppointmentStatusText status={entry.appointment.status} />
                    </td>
                  </tr>
                ) : (
                  <tr className="schedule-row schedule-row--blocked">
                    <td data-label={t('schedule.column.time')}>
                      <TimeRange startAt={entry.block.startAt} endAt={entry.block.endAt} timeZone={timeZone} />
                    </td>
                    <BlockHeader block={entry.block} />
                    <td data-label={t('schedule.column.visitType')}>—</td>
                    <td data-label={t('schedule.column.clinician')} translate="no">
                      {clinicianName(entry.block.clinicianId)}
                    </td>
                    <td data-label={t('schedule.column.status')}>
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
