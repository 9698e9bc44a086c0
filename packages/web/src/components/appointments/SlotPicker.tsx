import { useEffect, useRef, useState } from 'react';
import { fetchNextAvailable, type Slot, type SlotTarget } from '../../api/appointments.ts';
import { errorMessage } from '../../api/client.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { useDaySlots, useOpenDays } from './appointment-queries.ts';
import {
  addDays,
  daysBetween,
  formatCivilDay,
  formatDayRange,
  formatTimeInZone,
  formatTimeOfDay,
  partOfDay,
  todayInZone,
  zoneNameAt,
} from './appointment-text.ts';

/** Props of the day and time picker. */
interface SlotPickerProps {
  patientId: string;
  /** The visit type, the place, and one clinician or anyone. */
  target: SlotTarget;
  /** The place's zone: days and times are the clinic's. */
  timeZone: string;
  /** The chosen day (YYYY-MM-DD in the clinic's zone), kept by the page so it survives the confirm step. */
  day: string | null;
  onDayChange: (day: string) => void;
  /** Called with the chosen time and the zone it was shown in. */
  onChoose: (slot: Slot, timeZone: string) => void;
  /** Move focus to the "Choose a day" heading when shown (not when an error summary has it). */
  autoFocus?: boolean;
}

/** Where the "Next available" search stands. */
type NextSearch =
  | { state: 'idle' }
  | { state: 'searching' }
  | { state: 'found'; date: string }
  | { state: 'none'; days: number }
  | { state: 'failed'; message: string };

/** The week (0: the 7 days from today) a day falls in. */
function weekOf(today: string, day: string): number {
  return Math.max(0, Math.floor(daysBetween(today, day) / 7));
}

/**
 * Choosing a time in three short steps: a week strip of days (days with no open time crossed out and not selectable;
 * previous and next week; "Next available" jumps to the first open day within 90 days), then the chosen day's times,
 * grouped by morning, afternoon and evening, each a button. Days and times are the clinic's (its zone is named).
 */
export function SlotPicker({ patientId, target, timeZone, day, onDayChange, onChoose, autoFocus = false }: SlotPickerProps) {
  const t = useT();
  const today = todayInZone(timeZone);
  const [week, setWeek] = useState(() => (day ? weekOf(today, day) : 0));
  const [next, setNext] = useState<NextSearch>({ state: 'idle' });
  const headingRef = useRef<HTMLHeadingElement>(null);
  const from = addDays(today, week * 7);
  const to = addDays(from, 6);
  const openDays = useOpenDays(patientId, target, from, to);
  // While another week loads, the last answer is kept on screen, but it says nothing about these dates.
  const current = openDays.data?.from === from ? openDays.data : null;
  const open = new Set(current?.openDays ?? []);
  const dates = Array.from({ length: 7 }, (_, i) => addDays(from, i));

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  async function findNextAvailable() {
    if (next.state === 'searching') return;
    setNext({ state: 'searching' });
    try {
      const answer = await fetchNextAvailable(patientId, target);
      if (answer.date) {
        setWeek(weekOf(today, answer.date));
        onDayChange(answer.date);
        setNext({ state: 'found', date: answer.date });
      } else {
        setNext({ state: 'none', days: daysBetween(answer.searchedFrom, answer.searchedThrough) + 1 });
      }
    } catch (error) {
      setNext({ state: 'failed', message: errorMessage(error) });
    }
  }

  function chooseDay(date: string) {
    setNext({ state: 'idle' });
    onDayChange(date);
  }

  const status =
    next.state === 'searching'
      ? t('appointments.day.searching')
      : next.state === 'found'
        ? t('appointments.day.found', { day: formatCivilDay(next.date) })
        : next.state === 'none'
          ? t('appointments.day.noneAhead', { days: next.days })
          : next.state === 'failed'
            ? next.message
            : !current
              ? openDays.isError
                ? ''
                : t('appointments.day.loading')
              : open.size === 0
                ? t('appointments.day.noneThisWeek')
                : '';

  return (
    <>
      <section className="section slot-picker" aria-labelledby="slot-picker-day-heading">
        <h2 id="slot-picker-day-heading" ref={headingRef} tabIndex={-1}>
          {t('appointments.day.heading')}
        </h2>
        <p>
          <button
            type="button"
            className="button button--secondary"
            aria-disabled={next.state === 'searching'}
            aria-describedby="slot-picker-next-hint"
            onClick={() => void findNextAvailable()}
          >
            {t('appointments.day.nextAvailable')}
          </button>
        </p>
        <p className="hint-text" id="slot-picker-next-hint">
          {t('appointments.day.nextAvailableHint')}
        </p>
        <p className="slot-picker__status" role="status">
          {status}
        </p>
        {openDays.isError && !current && (
          <QueryProblem error={openDays.error} what={t('appointments.day.what')} onRetry={() => void openDays.refetch()} />
        )}
        <div className="slot-picker__week" role="group" aria-labelledby="slot-picker-week-label">
          <p className="slot-picker__week-label" id="slot-picker-week-label">
            {formatDayRange(from, to)}
          </p>
          <ul className="slot-picker__days">
            {dates.map((date) => {
              const isOpen = open.has(date);
              return (
                <li key={date}>
                  <button
                    type="button"
                    className="slot-picker__day"
                    data-date={date}
                    aria-pressed={date === day}
                    aria-current={date === today ? 'date' : undefined}
                    disabled={!isOpen}
                    onClick={() => chooseDay(date)}
                  >
                    <span className="slot-picker__weekday" aria-hidden="true">
                      {formatCivilDay(date, { weekday: 'short' })}
                    </span>
                    <span className="slot-picker__date" aria-hidden="true">
                      {formatCivilDay(date, { day: 'numeric' })}
                    </span>
                    <span className="visually-hidden">
                      {formatCivilDay(date)}
                      {current && !isOpen && `, ${t('appointments.day.noTimes')}`}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
          <div className="button-row slot-picker__week-nav">
            <button type="button" className="button button--secondary" disabled={week === 0} onClick={() => setWeek(week - 1)}>
              {t('appointments.day.previousWeek')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setWeek(week + 1)}>
              {t('appointments.day.nextWeek')}
            </button>
          </div>
        </div>
        <p className="hint-text">{t('appointments.day.crossedOut')}</p>
      </section>
      {day && <DayTimes patientId={patientId} target={target} day={day} onChoose={onChoose} />}
    </>
  );
}

const parts = [
  { key: 'morning', label: 'appointments.time.morning' },
  { key: 'afternoon', label: 'appointments.time.afternoon' },
  { key: 'evening', label: 'appointments.time.evening' },
] as const;

/**
 * The open times of one day, by part of the day; each time a button. The clinic's zone is named once, or on every time
 * on a day when it changes (daylight saving).
 */
function DayTimes({ patientId, target, day, onChoose }: Pick<SlotPickerProps, 'patientId' | 'target' | 'onChoose'> & { day: string }) {
  const t = useT();
  const query = useDaySlots(patientId, target, day);
  const dayLabel = formatCivilDay(day);
  const anyone = target.clinicianId === null;
  const data = query.data;
  const zones = new Set(data?.slots.map((s) => zoneNameAt(s.startAt, data.timeZone)));
  const [zone = ''] = zones;
  const timeOf = (iso: string, timeZone: string) => (zones.size > 1 ? formatTimeInZone(iso, timeZone) : formatTimeOfDay(iso, timeZone));
  return (
    <section className="section slot-picker" aria-labelledby="slot-picker-time-heading">
      <h2 id="slot-picker-time-heading">{t('appointments.time.heading', { day: dayLabel })}</h2>
      {query.isError && !data ? (
        <QueryProblem error={query.error} what={t('appointments.slots.what')} onRetry={() => void query.refetch()} />
      ) : !data ? (
        <p role="status">{t('appointments.slots.loading')}</p>
      ) : data.slots.length === 0 ? (
        <p className="empty-state" role="status">
          {t('appointments.time.none')}
        </p>
      ) : (
        <>
          <p className="hint-text">{zones.size > 1 ? t('appointments.slots.zoneNote') : t('appointments.time.zoneNote', { zone })}</p>
          {parts.map((part) => {
            const { timeZone, slots } = data;
            const times = slots.filter((s) => partOfDay(s.startAt, timeZone) === part.key);
            if (times.length === 0) return null;
            return (
              <div key={part.key} className="slot-picker__part">
                <h3 className="slot-picker__heading">{t(part.label)}</h3>
                <ul className="slot-picker__times">
                  {times.map((slot) => (
                    <li key={`${slot.clinicianId}-${slot.startAt}`}>
                      <button type="button" className="button button--secondary slot-picker__time" onClick={() => onChoose(slot, timeZone)}>
                        {timeOf(slot.startAt, timeZone)}
                        {anyone && (
                          <span className="slot-picker__who" translate="no">
                            {slot.clinicianName}
                          </span>
                        )}
                        <span className="visually-hidden">, {dayLabel}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </>
      )}
    </section>
  );
}
