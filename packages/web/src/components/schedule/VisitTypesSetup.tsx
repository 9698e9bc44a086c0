import { useId, useState, type FormEvent } from 'react';
import { createVisitType, updateVisitType, type VisitType, type VisitTypeInput } from '../../api/schedule.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { showSendProblem } from '../messages/form-problems.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { RecordTable } from '../record/RecordTable.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextAreaField } from '../TextAreaField.tsx';
import { TextField } from '../TextField.tsx';
import { CheckboxField } from './SetupFields.tsx';
import { useRefreshSchedule, useVisitTypes } from './schedule-queries.ts';

const ids = {
  name: 'visit-type-name',
  duration: 'visit-type-duration',
  bookable: 'visit-type-bookable',
  established: 'visit-type-established',
  video: 'visit-type-video',
  active: 'visit-type-active',
  instructions: 'visit-type-instructions',
};

const fieldInputs: Record<string, string> = {
  name: ids.name,
  durationMinutes: ids.duration,
  instructions: ids.instructions,
};

function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}

/** The add-or-edit form of one visit type; `editing` null adds a new one. */
function VisitTypeForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing: VisitType | null;
  onSaved: (message: string) => void;
  onCancel: () => void;
}) {
  const headingId = useId();
  const refresh = useRefreshSchedule();
  const errors = useFormErrors();
  const [name, setName] = useState(editing?.name ?? '');
  const [duration, setDuration] = useState(editing ? String(editing.durationMinutes) : '20');
  const [patientBookable, setPatientBookable] = useState(editing?.patientBookable ?? true);
  const [establishedOnly, setEstablishedOnly] = useState(editing?.establishedOnly ?? false);
  const [video, setVideo] = useState(editing?.video ?? false);
  const [active, setActive] = useState(editing?.active ?? true);
  const [instructions, setInstructions] = useState(editing?.instructions ?? '');
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: FieldError[] = [];
    const minutes = Number(duration);
    if (name.trim().length === 0) problems.push({ id: ids.name, message: 'Enter the visit type’s name.' });
    else if (name.trim().length > 100) problems.push({ id: ids.name, message: 'Use at most 100 characters for the name.' });
    if (!/^\d+$/.test(duration.trim()) || minutes < 5 || minutes > 480 || minutes % 5 !== 0) {
      problems.push({ id: ids.duration, message: 'Enter a length from 5 to 480 minutes, in whole 5-minute steps.' });
    }
    if (instructions.trim().length > 2000)
      problems.push({ id: ids.instructions, message: 'Use at most 2,000 characters of instructions.' });
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    const input: VisitTypeInput = {
      name: name.trim(),
      durationMinutes: minutes,
      patientBookable,
      establishedOnly,
      video,
      active,
      instructions: instructions.trim() === '' ? null : instructions.trim(),
      questionnaire: editing?.questionnaire ?? [],
      consentForms: editing?.consentForms ?? [],
    };
    setPending(true);
    try {
      const saved = editing ? await updateVisitType(editing.id, input) : await createVisitType(input);
      errors.clear();
      onSaved(editing ? `Visit type “${saved.name}” saved.` : `Visit type “${saved.name}” added.`);
      await refresh();
    } catch (error) {
      showSendProblem(errors, error, (field) => fieldInputs[field] ?? null);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form form--inset" aria-labelledby={headingId} onSubmit={(event) => void submit(event)} noValidate>
      <h3 id={headingId}>{editing ? `Edit ${editing.name}` : 'Add a visit type'}</h3>
      <ErrorSummary errors={errors} />
      <TextField
        id={ids.name}
        label="Name"
        value={name}
        onValueChange={setName}
        error={errors.errorFor(ids.name)}
        maxLength={100}
        required
      />
      <TextField
        id={ids.duration}
        label="Length in minutes"
        inputMode="numeric"
        value={duration}
        onValueChange={setDuration}
        hint="5 to 480, in 5-minute steps."
        error={errors.errorFor(ids.duration)}
        className="input--short"
        required
      />
      <CheckboxField id={ids.bookable} label="Patients can book it online" checked={patientBookable} onCheckedChange={setPatientBookable} />
      <CheckboxField
        id={ids.established}
        label="Established patients only"
        hint="Only patients who have had a visit in the department can book it."
        checked={establishedOnly}
        onCheckedChange={setEstablishedOnly}
      />
      <CheckboxField id={ids.video} label="Video visit" checked={video} onCheckedChange={setVideo} />
      {editing && (
        <CheckboxField
          id={ids.active}
          label="In use"
          hint="Untick to stop new bookings; booked visits stay."
          checked={active}
          onCheckedChange={setActive}
        />
      )}
      <TextAreaField
        id={ids.instructions}
        label="Instructions for the patient (optional)"
        value={instructions}
        onValueChange={setInstructions}
        hint="Shown with the booking, for example what to bring."
        error={errors.errorFor(ids.instructions)}
        rows={3}
        maxLength={2000}
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={pending}>
          {editing ? 'Save visit type' : 'Add visit type'}
        </button>
        {editing && (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            Cancel editing
          </button>
        )}
      </div>
    </form>
  );
}

/** Visit types: the list with each one's settings, an "Edit" per row, and the form to add or edit one. */
export function VisitTypesSetup() {
  const headingId = useId();
  const visitTypes = useVisitTypes();
  const [editing, setEditing] = useState<VisitType | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Visit types</h2>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {visitTypes.data === undefined ? (
        visitTypes.isError ? (
          <QueryProblem error={visitTypes.error} what="the visit types" onRetry={() => void visitTypes.refetch()} />
        ) : (
          <p role="status">Loading the visit types…</p>
        )
      ) : visitTypes.data.length === 0 ? (
        <p className="empty-state">No visit types yet. Add the first one below.</p>
      ) : (
        <RecordTable caption="Visit types">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Length</th>
              <th scope="col">Bookable online</th>
              <th scope="col">Established only</th>
              <th scope="col">Video</th>
              <th scope="col">In use</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {visitTypes.data.map((visitType) => (
              <tr key={visitType.id}>
                <th scope="row">{visitType.name}</th>
                <td data-label="Length">{visitType.durationMinutes} minutes</td>
                <td data-label="Bookable online">{yesNo(visitType.patientBookable)}</td>
                <td data-label="Established only">{yesNo(visitType.establishedOnly)}</td>
                <td data-label="Video">{yesNo(visitType.video)}</td>
                <td data-label="In use">{yesNo(visitType.active)}</td>
                <td>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => {
                      setNotice(null);
                      setEditing(visitType);
                    }}
                  >
                    Edit<span className="visually-hidden"> {visitType.name}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </RecordTable>
      )}
      <VisitTypeForm
        key={editing?.id ?? 'new'}
        editing={editing}
        onSaved={(message) => {
          setNotice(message);
          setEditing(null);
        }}
        onCancel={() => setEditing(null)}
      />
    </section>
  );
}
