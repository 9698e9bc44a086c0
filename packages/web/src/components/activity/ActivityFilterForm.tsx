import { useState, type FormEvent } from 'react';
import type { ActivityPeople } from '@portico/shared';
import type { ActivityFilters } from '../../api/activity.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { FieldFrame } from '../FieldFrame.tsx';
import { TextField } from '../TextField.tsx';
import type { FieldError, FormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatLocale } from '../../lib/format.ts';
import { roleText } from './activity-text.ts';

/** The ids of the filter inputs, so the error summary and the server's `field` can point at them. */
export const activityFilterIds = { from: 'activity-from', to: 'activity-to', person: 'activity-person' } as const;

/** A zone's name as people say it ("Eastern Time", "hora del este"), or its IANA name when Intl has none. */
function zoneName(timeZone: string, locale: string): string {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'longGeneric' }).formatToParts(new Date());
    return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  } catch {
    return timeZone;
  }
}

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

/** Props of the filter form. */
interface ActivityFilterFormProps {
  applied: ActivityFilters;
  onApply: (filters: ActivityFilters) => void;
  /** The people of the log, for the person choice; undefined while they load. */
  people: ActivityPeople['people'] | undefined;
  /** The record's time zone, named in the hint once known. */
  timeZone: string | null;
  errors: FormErrors;
}

/**
 * The log's filters: first and last day (days of the record's time zone, as the server reads them) and one person
 * from the people the log lists. Checked here first; the server checks again and names the field it refuses.
 */
export function ActivityFilterForm({ applied, onApply, people, timeZone, errors }: ActivityFilterFormProps) {
  const t = useT();
  const [draft, setDraft] = useState<ActivityFilters>(applied);
  const set = (key: keyof ActivityFilters) => (value: string) => setDraft((current) => ({ ...current, [key]: value }));

  function validate(): FieldError[] {
    const problems: FieldError[] = [];
    if (draft.from && !isDay(draft.from)) problems.push({ id: activityFilterIds.from, message: t('activity.filters.dateInvalid') });
    if (draft.to && !isDay(draft.to)) problems.push({ id: activityFilterIds.to, message: t('activity.filters.dateInvalid') });
    if (problems.length === 0 && draft.from && draft.to && draft.from > draft.to)
      problems.push({ id: activityFilterIds.from, message: t('activity.filters.fromAfterTo') });
    return problems;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems = validate();
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    errors.clear();
    onApply(draft);
  }

  function clear() {
    errors.clear();
    setDraft({ from: '', to: '', person: '' });
    onApply({ from: '', to: '', person: '' });
    document.getElementById(activityFilterIds.from)?.focus();
  }

  const isFiltered = applied.from !== '' || applied.to !== '' || applied.person !== '';
  return (
    <>
      <ErrorSummary errors={errors} />
      <form className="form" onSubmit={submit} noValidate aria-labelledby="activity-filters-legend">
        <fieldset className="fieldset">
          <legend id="activity-filters-legend">{t('activity.filters.legend')}</legend>
          {timeZone && <p className="field__hint">{t('activity.filters.zoneHint', { zone: zoneName(timeZone, formatLocale()) })}</p>}
          <div className="date-range">
            <TextField
              id={activityFilterIds.from}
              label={t('activity.filters.from')}
              type="date"
              value={draft.from}
              onValueChange={set('from')}
              error={errors.errorFor(activityFilterIds.from)}
            />
            <TextField
              id={activityFilterIds.to}
              label={t('activity.filters.to')}
              type="date"
              value={draft.to}
              onValueChange={set('to')}
              error={errors.errorFor(activityFilterIds.to)}
            />
          </div>
          <FieldFrame id={activityFilterIds.person} label={t('activity.filters.person')} error={errors.errorFor(activityFilterIds.person)}>
            {(aria) => (
              <select
                id={activityFilterIds.person}
                className="input"
                value={draft.person}
                onChange={(event) => set('person')(event.target.value)}
                {...aria}
              >
                <option value="">{t('activity.filters.everyone')}</option>
                {(people ?? []).map((person) => (
                  <option key={person.userId} value={person.userId}>
                    {t('activity.filters.personOption', {
                      name: person.isYou ? t('activity.who.you', { name: person.name }) : person.name,
                      role: roleText(t, person.role),
                      count: person.count,
                    })}
                  </option>
                ))}
              </select>
            )}
          </FieldFrame>
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button">
            {t('activity.filters.apply')}
          </button>
          {isFiltered && (
            <button type="button" className="button button--secondary" onClick={clear}>
              {t('activity.filters.clear')}
            </button>
          )}
        </div>
      </form>
    </>
  );
}
