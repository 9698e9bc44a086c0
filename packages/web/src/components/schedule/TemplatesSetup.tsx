import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client.ts';
import { createTemplate, deleteTemplate, type ClinicianChoice, type VisitType } from '../../api/schedule.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
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
    return found ? clinicianLabel(found) : 'Clinician';
  };
  const visitTypeName = (id: string) => visitTypes.find((v) => v.id === id)?.name ?? 'A removed visit type';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: FieldError[] = [];
    const startMinute = timeToMinute(start);
    const endMinute = timeToMinute(end);
    if (!clinicians.some((c) => c.id === clinicianId)) problems.push({ id: ids.clinician, message: 'Choose the clinician.' });
    if (startMinute === null || startMinute % 5 !== 0)
      problems.push({ id: ids.start, message: 'Enter a start time in 5-minute steps, for example 08:30.' });
    if (endMinute === null || endMinute % 5 !== 0)
      problems.push({ id: ids.end, message: 'Enter an end time in 5-minute steps, for example 12:00.' });
    else if (startMinute !== null && endMinute <= startMinute) problems.push({ id: ids.end, message: 'The end must be after the start.' });
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
      setNotice(
        `Hours added: ${nameOf(clinicianId)}, ${weekdayNames[Number(weekday)]} ${formatMinute(startMinute)} to ${formatMinute(endMinute)}.`,
      );
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
      setNotice(`Hours removed: ${description}.`);
      await refresh();
    } catch (error) {
      setNotice(null);
      errors.show([], errorMessage(error));
    }
  }

  const rows = [...(templates.data ?? [])].sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Weekly hours</h2>
      <p>Each clinician’s regular hours in a department, in the department’s local time. Open times for booking come from these.</p>
      <SelectField id={ids.department} label="Department" value={departmentId} onValueChange={setDepartmentId}>
        {departments.map((d) => (
          <option key={d.departmentId} value={d.departmentId}>
            {d.name}
          </option>
        ))}
      </SelectField>
      <ErrorSummary errors={errors} />
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {templates.data === undefined ? (
        templates.isError ? (
          <QueryProblem error={templates.error} what="the weekly hours" onRetry={() => void templates.refetch()} />
        ) : (
          <p role="status">Loading the weekly hours…</p>
        )
      ) : rows.length === 0 ? (
        <p className="empty-state">No weekly hours in this department yet.</p>
      ) : (
        <RecordTable caption="Weekly hours in this department">
          <thead>
            <tr>
              <th scope="col">Clinician</th>
              <th scope="col">Day</th>
              <th scope="col">Hours</th>
              <th scope="col">Visit types</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((template) => {
              const description = `${nameOf(template.clinicianId)}, ${weekdayNames[template.weekday] ?? ''} ${formatMinute(template.startMinute)} to ${formatMinute(template.endMinute)}`;
              return (
                <tr key={template.id}>
                  <th scope="row">{nameOf(template.clinicianId)}</th>
                  <td data-label="Day">{weekdayNames[template.weekday]}</td>
                  <td data-label="Hours" className="nowrap">
                    {formatMinute(template.startMinute)} – {formatMinute(template.endMinute)}
                  </td>
                  <td data-label="Visit types">
                    {template.visitTypeIds.length === 0 ? 'All' : template.visitTypeIds.map(visitTypeName).join(', ')}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => void remove(template.id, description)}
                    >
                      Remove<span className="visually-hidden"> hours: {description}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </RecordTable>
      )}

      <form className="form form--inset" aria-label="Add weekly hours" onSubmit={(event) => void submit(event)} noValidate>
        <h3>Add weekly hours</h3>
        <SelectField
          id={ids.clinician}
          label="Clinician"
          value={clinicianId}
          onValueChange={setClinicianId}
          error={errors.errorFor(ids.clinician)}
        >
          <option value="">Choose a clinician</option>
          {clinicians.map((c) => (
            <option key={c.id} value={c.id}>
              {clinicianLabel(c)}
            </option>
          ))}
        </SelectField>
        <SelectField id={ids.weekday} label="Day of the week" value={weekday} onValueChange={setWeekday}>
          {weekdayNames.map((day, index) => (
            <option key={day} value={String(index)}>
              {day}
            </option>
          ))}
        </SelectField>
        <div className="schedule-time-pair">
          <TextField
            id={ids.start}
            label="Start"
            type="time"
            step={300}
            value={start}
            onValueChange={setStart}
            error={errors.errorFor(ids.start)}
            required
          />
          <TextField
            id={ids.end}
            label="End"
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
            <legend>Visit types offered</legend>
            <p className="field__hint">Leave all unticked to offer every visit type.</p>
            {visitTypes
              .filter((v) => v.active)
              .map((visitType) => (
                <CheckboxField
                  key={visitType.id}
                  id={`template-visit-type-${visitType.id}`}
                  label={visitType.name}
                  checked={offered.includes(visitType.id)}
                  onCheckedChange={(checked) =>
                    setOffered((current) => (checked ? [...current, visitType.id] : current.filter((id) => id !== visitType.id)))
                  }
                />
              ))}
          </fieldset>
        )}
        <button type="submit" className="button" disabled={pending || departmentId === ''}>
          Add hours
        </button>
      </form>
    </section>
  );
}
