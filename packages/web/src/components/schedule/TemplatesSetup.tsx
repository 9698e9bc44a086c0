import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client.ts';
import { createTemplate, deleteTemplate, type ClinicianChoice, type VisitType } from '../../api/schedule.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { showSendProblem } from '../messages/form-problems.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { RecordTable } from '../record/RecordTable.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextField } from '../TextField.tsx';
import { clinicianLabel } from './ScheduleChooser.tsx';
import { CheckboxField, SelectField } from './SetupFields.tsx';
import { useRefreshSchedule, useTemplates } from './schedule-queries.ts';
import { formatMinute, timeToMinute, todayIn, weekdayNames } from './schedule-text.ts';

const ids = {
  department: 'template-department',
  clinician: 'template-clinician',
  weekday: 'template-weekday',
  start: 'template-start',
  end: 'template-end',
};

const fieldInputs: Record<string, string> = {
  clinicianId: ids.clinician,
  departmentId: ids.department,
  weekday: ids.weekday,
  startMinute: ids.start,
  endMinute: ids.end,
};

/** Props of the weekly hours section. */
interface TemplatesSetupProps {
  departments: { departmentId: string; name: string }[];
  clinicians: ClinicianChoice[];
  visitTypes: VisitType[];
}

/** Weekly hours: per department, each clinician's hours on a weekday (local time), with "Remove" and a form to add. */
export function TemplatesSetup({ departments, clinicians, visitTypes }: TemplatesSetupProps) {
  const t = useT();
  const headingId = useId();
  const refresh = useRefreshSchedule();
  const [departmentId, setDepartmentId] = useState(departments[0]?.departmentId ?? '');
  const templates = useTemplates(departmentId);
  const errors = useFormErrors();
  const [notice, setNotice] = useState<string | null>(null);
  const [clinicianId, setClinicianId] = useState('');
  const [weekday, setWeekday] = useState('1');
  const [start, setStart] = useState('08:00');
  const [end, setEnd] = useState('12:00');
  const [offered, setOffered] = useState<string[]>([]);
  const [pending, setPending] = useState(false);
  const nameOf = (id: string) => {
    const found = clinicians.find((c) => c.id === id);
    return found ? clinicianLabel(found) : t('schedule.clinicianFallback');
  };
  const visitTypeName = (id: string) => visitTypes.find((v) => v.id === id)?.name ?? t('schedule.templates.removedVisitType');
  const weekdayName = (day: number) => {
    const id = weekdayNames[day];
    return id ? t(id) : '';
  };
  /** One row of hours in words, e.g. "Dr Lee, Monday 8:00 AM to 12:00 PM". */
  const describeHours = (clinicianId: string, day: number, startMinute: number, endMinute: number) =>
    t('schedule.templates.description', {
      clinician: nameOf(clinicianId),
      weekday: weekdayName(day),
      start: formatMinute(startMinute),
      end: formatMinute(endMinute),
    });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: FieldError[] = [];
    const startMinute = timeToMinute(start);
    const endMinute = timeToMinute(end);
    if (!clinicians.some((c) => c.id === clinicianId))
      problems.push({ id: ids.clinician, message: t('schedule.templates.clinicianRequired') });
    if (startMinute === null || startMinute % 5 !== 0) problems.push({ id: ids.start, message: t('schedule.templates.startInvalid') });
    if (endMinute === null || endMinute % 5 !== 0) problems.push({ id: ids.end, message: t('schedule.templates.endInvalid') });
    else if (startMinute !== null && endMinute <= startMinute) problems.push({ id: ids.end, message: t('schedule.endAfterStart') });
    if (problems.length > 0 || startMinute === null || endMinute === null) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      await createTemplate({
        clinicianId,
        departmentId,
        weekday: Number(weekday),
        startMinute,
        endMinute,
        visitTypeIds: offered,
        validFrom: todayIn(undefined),
        validTo: null,
      });
      errors.clear();
      setNotice(t('schedule.templates.added', { description: describeHours(clinicianId, Number(weekday), startMinute, endMinute) }));
      await refresh();
    } catch (error) {
      setNotice(null);
      showSendProblem(errors, error, (field) => fieldInputs[field] ?? null);
    } finally {
      setPending(false);
    }
  }

  async function remove(templateId: string, description: string) {
    try {
      await deleteTemplate(templateId);
      errors.clear();
      setNotice(t('schedule.templates.removed', { description }));
      await refresh();
    } catch (error) {
      setNotice(null);
      errors.show([], errorMessage(error));
    }
  }

  const rows = [...(templates.data ?? [])].sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('schedule.templates.heading')}</h2>
      <p>{t('schedule.templates.intro')}</p>
      <SelectField id={ids.department} label={t('schedule.field.department')} value={departmentId} onValueChange={setDepartmentId}>
        {departments.map((d) => (
          <option key={d.departmentId} value={d.departmentId} translate="no">
            {d.name}
          </option>
        ))}
      </SelectField>
      <ErrorSummary errors={errors} />
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {templates.data === undefined ? (
        templates.isError ? (
          <QueryProblem error={templates.error} what={t('schedule.templates.what')} onRetry={() => void templates.refetch()} />
        ) : (
          <p role="status">{t('schedule.templates.loading')}</p>
        )
      ) : rows.length === 0 ? (
        <p className="empty-state">{t('schedule.templates.empty')}</p>
      ) : (
        <RecordTable caption={t('schedule.templates.caption')}>
          <thead>
            <tr>
              <th scope="col">{t('schedule.column.clinician')}</th>
              <th scope="col">{t('schedule.column.day')}</th>
              <th scope="col">{t('schedule.column.hours')}</th>
              <th scope="col">{t('schedule.column.visitTypes')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('schedule.column.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((template) => {
              const description = describeHours(template.clinicianId, template.weekday, template.startMinute, template.endMinute);
              return (
                <tr key={template.id}>
                  <th scope="row" translate="no">
                    {nameOf(template.clinicianId)}
                  </th>
                  <td data-label={t('schedule.column.day')}>{weekdayName(template.weekday)}</td>
                  <td data-label={t('schedule.column.hours')} className="nowrap">
                    {formatMinute(template.startMinute)} – {formatMinute(template.endMinute)}
                  </td>
                  {template.visitTypeIds.length === 0 ? (
                    <td data-label={t('schedule.column.visitTypes')}>{t('schedule.templates.allVisitTypes')}</td>
                  ) : (
                    <td data-label={t('schedule.column.visitTypes')} translate="no">
                      {template.visitTypeIds.map(visitTypeName).join(', ')}
                    </td>
                  )}
                  <td>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => void remove(template.id, description)}
                    >
                      {t('schedule.remove')}
                      <span className="visually-hidden"> {t('schedule.templates.removeWhich', { description })}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </RecordTable>
      )}

      <form
        className="form form--inset"
        aria-label={t('schedule.templates.addHeading')}
        onSubmit={(event) => void submit(event)}
        noValidate
      >
        <h3>{t('schedule.templates.addHeading')}</h3>
        <SelectField
          id={ids.clinician}
          label={t('schedule.field.clinician')}
          value={clinicianId}
          onValueChange={setClinicianId}
          error={errors.errorFor(ids.clinician)}
        >
          <option value="">{t('schedule.chooseClinician')}</option>
          {clinicians.map((c) => (
            <option key={c.id} value={c.id} translate="no">
              {clinicianLabel(c)}
            </option>
          ))}
        </SelectField>
        <SelectField id={ids.weekday} label={t('schedule.templates.weekday')} value={weekday} onValueChange={setWeekday}>
          {weekdayNames.map((day, index) => (
            <option key={day} value={String(index)}>
              {t(day)}
            </option>
          ))}
        </SelectField>
        <div className="schedule-time-pair">
          <TextField
            id={ids.start}
            label={t('schedule.templates.start')}
            type="time"
            step={300}
            value={start}
            onValueChange={setStart}
            error={errors.errorFor(ids.start)}
            required
          />
          <TextField
            id={ids.end}
            label={t('schedule.templates.end')}
            type="time"
            step={300}
            value={end}
            onValueChange={setEnd}
            error={errors.errorFor(ids.end)}
            required
          />
        </div>
        {visitTypes.length > 0 && (
          <fieldset className="fieldset">
            <legend>{t('schedule.templates.offered')}</legend>
            <p className="field__hint">{t('schedule.templates.offeredHint')}</p>
            {visitTypes
              .filter((v) => v.active)
              .map((visitType) => (
                <CheckboxField
                  key={visitType.id}
                  id={`template-visit-type-${visitType.id}`}
                  label={<span translate="no">{visitType.name}</span>}
                  checked={offered.includes(visitType.id)}
                  onCheckedChange={(checked) =>
                    setOffered((current) => (checked ? [...current, visitType.id] : current.filter((id) => id !== visitType.id)))
                  }
                />
              ))}
          </fieldset>
        )}
        <button type="submit" className="button" disabled={pending || departmentId === ''}>
          {t('schedule.templates.submit')}
        </button>
      </form>
    </section>
  );
}
