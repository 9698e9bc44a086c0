import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { ClinicianChoice } from '../../api/schedule.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { schedulePaths, type ScheduleParams } from './schedule-text.ts';

const chooserId = 'schedule-owner';

/** Props of the department-or-clinician picker. */
interface ScheduleChooserProps {
  params: ScheduleParams;
  departments: { departmentId: string; name: string }[];
  clinicians: ClinicianChoice[];
}

/** A clinician's name as the picker shows it. */
export function clinicianLabel(clinician: ClinicianChoice): string {
  return clinician.name;
}

/**
 * Chooses whose schedule to show. The choice only takes effect on "Show" (changing a select never moves the page,
 * WCAG 3.2.2); it goes into the query string as an opaque id, with the date and view kept.
 */
export function ScheduleChooser({ params, departments, clinicians }: ScheduleChooserProps) {
  const t = useT();
  const navigate = useNavigate();
  const current = params.departmentId ? `department:${params.departmentId}` : params.clinicianId ? `clinician:${params.clinicianId}` : '';
  const [choice, setChoice] = useState(current);

  function submit(event: FormEvent) {
    event.preventDefault();
    const [kind, id] = choice.split(':');
    if (!id) return;
    void navigate(
      schedulePaths.view({
        ...params,
        departmentId: kind === 'department' ? id : null,
        clinicianId: kind === 'clinician' ? id : null,
      }),
    );
  }

  return (
    <form className="search-form schedule-chooser" onSubmit={submit}>
      <div className="field">
        <label className="field__label" htmlFor={chooserId}>
          {t('schedule.chooser.label')}
        </label>
        <select id={chooserId} className="input" value={choice} onChange={(event) => setChoice(event.target.value)}>
          <option value="">{t('schedule.chooser.choose')}</option>
          <optgroup label={t('schedule.chooser.departments')}>
            {departments.map((department) => (
              <option key={department.departmentId} value={`department:${department.departmentId}`} translate="no">
                {department.name}
              </option>
            ))}
          </optgroup>
          {clinicians.length > 0 && (
            <optgroup label={t('schedule.chooser.clinicians')}>
              {clinicians.map((clinician) => (
                <option key={clinician.id} value={`clinician:${clinician.id}`} translate="no">
                  {clinicianLabel(clinician)}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </div>
      <button type="submit" className="button" disabled={choice === ''}>
        {t('schedule.chooser.show')}
      </button>
    </form>
  );
}
