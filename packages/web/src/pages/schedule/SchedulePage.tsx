import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ScheduleOwner } from '../../api/schedule.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { ScheduleChooser, clinicianLabel } from '../../components/schedule/ScheduleChooser.tsx';
import { DayTable, WeekTable } from '../../components/schedule/ScheduleTables.tsx';
import {
  useClinicians,
  useOwnSchedule,
  useRefreshSchedule,
  useSchedule,
  useScheduleDepartments,
} from '../../components/schedule/schedule-queries.ts';
import {
  addDays,
  describeTimeZone,
  formatScheduleDay,
  readIsoDate,
  schedulePaths,
  startOfWeek,
  todayIn,
  type ScheduleParams,
} from '../../components/schedule/schedule-text.ts';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readId(value: string | null): string | null {
  return value && uuidPattern.test(value) ? value : null;
}

/**
 * `/schedule?departmentId=|clinicianId=&date=&view=week`: a department's or a clinician's day (an ordered table) or
 * week (a table grouped by day), times in the schedule's own zone, named beside the heading. With neither in the
 * address it opens on the reader's own schedule (their clinician schedule, else their department's; issue 10 §5.6). The
 * query string holds only opaque ids, a date and the view: the page shows patient names, the URL never does. The front
 * desk changes an appointment's status from its row; nurses mark arrival where the organization allows it.
 */
export function SchedulePage() {
  const t = useT();
  const user = useSignedInUser();
  const readsSchedule = hasAbility(user, 'schedule.read');
  const canManage = hasAbility(user, 'schedule.manage');
  const canArrive = hasAbility(user, 'schedule.arrive');
  // Administrators keep the set-up without reading patients' appointments: the page offers them the set-up only.
  const allowed = readsSchedule || canManage;
  const [search] = useSearchParams();
  const departments = useScheduleDepartments();
  const clinicians = useClinicians();
  const refresh = useRefreshSchedule();
  const errors = useFormErrors();
  const [notice, setNotice] = useState<string | null>(null);
  const [knownZone, setKnownZone] = useState<string | undefined>(undefined);
  const headingId = useId();

  const asked: ScheduleParams = {
    departmentId: readId(search.get('departmentId')),
    clinicianId: search.get('departmentId') ? null : readId(search.get('clinicianId')),
    date: readIsoDate(search.get('date')),
    view: search.get('view') === 'week' ? 'week' : 'day',
  };
  const chosen = asked.departmentId !== null || asked.clinicianId !== null;
  const own = useOwnSchedule(readsSchedule && !chosen);
  // Nothing chosen in the address: the reader's own schedule, once the server has said which it is.
  const params: ScheduleParams =
    chosen || !own.data
      ? asked
      : {
          ...asked,
          departmentId: own.data.kind === 'department' ? own.data.id : null,
          clinicianId: own.data.kind === 'clinician' ? own.data.id : null,
        };
  const findingOwn = readsSchedule && !chosen && own.isPending;
  const owner: ScheduleOwner | null = params.departmentId
    ? { kind: 'department', id: params.departmentId }
    : params.clinicianId
      ? { kind: 'clinician', id: params.clinicianId }
      : null;
  const today = todayIn(knownZone);
  const date = params.date ?? today;
  const from = params.view === 'week' ? startOfWeek(date) : date;
  const days = params.view === 'week' ? 7 : 1;
  const schedule = useSchedule(readsSchedule ? owner : null, from, days);
  if (schedule.data && schedule.data.timeZone !== knownZone) setKnownZone(schedule.data.timeZone);

  const ownerName = params.departmentId
    ? departments.data?.find((d) => d.departmentId === params.departmentId)?.name
    : params.clinicianId
      ? (() => {
          const found = clinicians.data?.find((c) => c.id === params.clinicianId);
          return found ? clinicianLabel(found) : undefined;
        })()
      : undefined;
  useDocumentTitle(ownerName ? t('schedule.titleOf', { name: ownerName }) : t('schedule.title'));
  if (!allowed) return <NotFoundPage />;

  const names = new Map<string, string>();
  for (const clinician of clinicians.data ?? []) if (clinician.name) names.set(clinician.id, clinician.name);
  for (const day of schedule.data?.days ?? []) {
    for (const appointment of day.appointments) if (appointment.clinician) names.set(appointment.clinician.id, appointment.clinician.name);
  }
  const clinicianName = (id: string) => names.get(id) ?? t('schedule.clinicianFallback');
  const week = params.view === 'week';
  const step = week ? 7 : 1;
  const at = (next: Partial<ScheduleParams>) => schedulePaths.view({ ...params, ...next });

  return (
    <div className="page">
      <h1 id={headingId}>
        {t('schedule.title')}
        {ownerName && (
          <span className="heading-meta" translate="no">
            {ownerName}
          </span>
        )}
      </h1>
      {canManage && (
        <p>
          <Link to={schedulePaths.setup}>{t('schedule.setupLink')}</Link>
        </p>
      )}
      {departments.isError ? (
        <QueryProblem error={departments.error} what={t('schedule.departmentsWhat')} onRetry={() => void departments.refetch()} />
      ) : departments.data === undefined ? (
        <p role="status">{t('schedule.departmentsLoading')}</p>
      ) : (
        <ScheduleChooser
          key={`${params.departmentId ?? ''}-${params.clinicianId ?? ''}-${clinicians.data ? 'c' : ''}`}
          params={params}
          departments={departments.data}
          clinicians={clinicians.data ?? []}
        />
      )}

      {!readsSchedule ? (
        <p className="empty-state">{t('schedule.setupOnly')}</p>
      ) : owner === null ? (
        findingOwn ? (
          <p role="status">{t('schedule.loading')}</p>
        ) : (
          <p className="empty-state">{t('schedule.chooseOwner')}</p>
        )
      ) : (
        <>
          <nav className="filter-nav" aria-label={t('schedule.nav.view')}>
            <ul>
              <li>
                <Link to={at({ view: 'day' })} aria-current={params.view === 'day' ? 'page' : undefined}>
                  {t('schedule.nav.day')}
                </Link>
              </li>
              <li>
                <Link to={at({ view: 'week' })} aria-current={params.view === 'week' ? 'page' : undefined}>
                  {t('schedule.nav.week')}
                </Link>
              </li>
            </ul>
          </nav>
          <nav className="schedule-dates" aria-label={t(week ? 'schedule.nav.chooseWeek' : 'schedule.nav.chooseDay')}>
            <ul>
              <li>
                <Link className="button button--secondary button--small" to={at({ date: addDays(from, -step) })}>
                  {t(week ? 'schedule.nav.previousWeek' : 'schedule.nav.previousDay')}
                </Link>
              </li>
              <li>
                <Link
                  className="button button--secondary button--small"
                  to={at({ date: null })}
                  aria-current={params.view === 'day' && date === today ? 'date' : undefined}
                >
                  {t('schedule.nav.today')}
                </Link>
              </li>
              <li>
                <Link className="button button--secondary button--small" to={at({ date: addDays(from, step) })}>
                  {t(week ? 'schedule.nav.nextWeek' : 'schedule.nav.nextDay')}
                </Link>
              </li>
            </ul>
          </nav>

          <h2 className="schedule-heading">
            {week ? t('schedule.weekOf', { day: formatScheduleDay(from) }) : formatScheduleDay(from)}
            {schedule.data && (
              <span className="heading-meta">{t('schedule.timesIn', { zone: describeTimeZone(schedule.data.timeZone, from) })}</span>
            )}
          </h2>
          <ErrorSummary errors={errors} />
          {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
          {schedule.data === undefined ? (
            schedule.isError ? (
              <QueryProblem error={schedule.error} what={t('schedule.thisSchedule')} onRetry={() => void schedule.refetch()} />
            ) : (
              <p role="status">{t('schedule.loading')}</p>
            )
          ) : params.view === 'week' ? (
            <WeekTable
              days={schedule.data.days}
              timeZone={schedule.data.timeZone}
              clinicianName={clinicianName}
              dayPath={(day) => at({ view: 'day', date: day })}
            />
          ) : (
            schedule.data.days.map((day) => (
              <DayTable
                key={day.date}
                day={day}
                timeZone={schedule.data.timeZone}
                clinicianName={clinicianName}
                actions={
                  canManage || canArrive
                    ? {
                        may: { arrive: canArrive, manage: canManage },
                        onDone: async (message) => {
                          errors.clear();
                          setNotice(message);
                          await refresh();
                        },
                        onFail: (message) => {
                          setNotice(null);
                          errors.show([], message);
                        },
                      }
                    : undefined
                }
              />
            ))
          )}
        </>
      )}
    </div>
  );
}
