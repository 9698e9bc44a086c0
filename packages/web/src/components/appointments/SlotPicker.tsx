import { useState } from 'react';
import { slotPageDays, type Slot } from '../../api/appointments.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { useSlots } from './appointment-queries.ts';
import { addDays, dayInZone, formatDayHeading, formatTimeInZone } from './appointment-text.ts';

/** Props of the time picker. */
interface SlotPickerProps {
  patientId: string;
  visitTypeId: string;
  departmentId: string;
  /** Null: any clinician. */
  clinicianId: string | null;
  /** Called with the chosen time and the zone it was shown in. */
  onChoose: (slot: Slot, timeZone: string) => void;
}

/** Open times of one day in the location's zone. */
interface Day {
  key: string;
  heading: string;
  slots: Slot[];
}

function groupByDay(slots: readonly Slot[], timeZone: string): Day[] {
  const days: Day[] = [];
  for (const slot of slots) {
    const key = dayInZone(slot.startAt, timeZone);
    const last = days.at(-1);
    if (last?.key === key) last.slots.push(slot);
    else days.push({ key, heading: formatDayHeading(slot.startAt, timeZone), slots: [slot] });
  }
  return days;
}

/**
 * Open times for the coming two weeks, grouped by day in the location's zone (the zone named on every time), with
 * "Later times" and "Earlier times" moving by 14 days. Each time is a button; choosing one moves on to confirm it.
 */
export function SlotPicker({ patientId, visitTypeId, departmentId, clinicianId, onChoose }: SlotPickerProps) {
  const t = useT();
  // The first day shown, in the location's zone; null until the person pages on (the server starts at today).
  const [from, setFrom] = useState<string | null>(null);
  const query = useSlots(patientId, { visitTypeId, departmentId, clinicianId, from, days: slotPageDays });
  const showAnyClinician = clinicianId === null;

  if (query.isError && !query.data) {
    return <QueryProblem error={query.error} what={t('appointments.slots.what')} onRetry={() => void query.refetch()} />;
  }
  if (!query.data) return <p role="status">{t('appointments.slots.loading')}</p>;
  const { timeZone, slots } = query.data;
  const today = dayInZone(new Date().toISOString(), timeZone);
  const start = from ?? today;
  const end = addDays(start, slotPageDays - 1);
  const days = groupByDay(slots, timeZone);
  const startLabel = formatDayHeading(`${start}T12:00:00Z`, 'UTC');
  const endLabel = formatDayHeading(`${end}T12:00:00Z`, 'UTC');

  function page(by: number) {
    const next = addDays(start, by);
    setFrom(next <= today ? null : next);
  }

  return (
    <div className="slot-picker">
      <p className="slot-picker__range" role="status">
        {query.isFetching ? t('appointments.slots.loading') : t('appointments.slots.range', { start: startLabel, end: endLabel })}{' '}
        {t('appointments.slots.zoneNote')}
      </p>
      {days.length === 0 ? (
        <p className="empty-state">{t('appointments.slots.none')}</p>
      ) : (
        days.map((day) => (
          <section key={day.key} className="slot-picker__day" aria-labelledby={`slot-day-${day.key}`}>
            <h3 id={`slot-day-${day.key}`} className="slot-picker__heading">
              {day.heading}
            </h3>
            <ul className="slot-picker__times">
              {day.slots.map((slot) => (
                <li key={`${slot.clinicianId}-${slot.startAt}`}>
                  <button type="button" className="button button--secondary slot-picker__time" onClick={() => onChoose(slot, timeZone)}>
                    {formatTimeInZone(slot.startAt, timeZone)}
                    {showAnyClinician && (
                      <span className="slot-picker__who" translate="no">
                        {slot.clinicianName}
                      </span>
                    )}
                    <span className="visually-hidden">, {day.heading}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
      <div className="button-row">
        {from !== null && (
          <button type="button" className="button button--secondary" onClick={() => page(-slotPageDays)}>
            {t('appointments.slots.earlier')}
          </button>
        )}
        <button type="button" className="button button--secondary" onClick={() => page(slotPageDays)}>
          {t('appointments.slots.later')}
        </button>
      </div>
    </div>
  );
}
