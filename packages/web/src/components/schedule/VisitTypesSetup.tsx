import { useId, useState, type FormEvent } from 'react';
import type { MessageId } from '@portico/shared/i18n';
import { createVisitType, updateVisitType, type VisitType, type VisitTypeInput } from '../../api/schedule.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
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

/** The message id of a yes or a no in the visit types table. */
function yesNo(value: boolean): MessageId {
  return value ? 'schedule.yes' : 'schedule.no';
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
  const t = useT();
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
    if (name.trim().length === 0) problems.push({ id: ids.name, message: t('schedule.visitTypes.nameRequired') });
    else if (name.trim().length > 100) problems.push({ id: ids.name, message: t('schedule.visitTypes.nameTooLong') });
    if (!/^\d+$/.test(duration.trim()) || minutes < 5 || minutes > 480 || minutes % 5 !== 0) {
      problems.push({ id: ids.duration, message: t('schedule.visitTypes.durationInvalid') });
    }
    if (instructions.trim().length > 2000) problems.push({ id: ids.instructions, message: t('schedule.visitTypes.instructionsTooLong') });
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
      onSaved(t(editing ? 'schedule.visitTypes.saved' : 'schedule.visitTypes.added', { name: saved.name }));
      await refresh();
    } catch (error) {
      showSendProblem(errors, error, (field) => fieldInputs[field] ?? null);
    } finally {
      setPending(false);
    }
  }

  return (
    <form className="form form--inset" aria-labelledby={headingId} onSubmit={(event) => void submit(event)} noValidate>
      <h3 id={headingId}>
        {editing ? (
          <RichMessage id="schedule.visitTypes.editHeading" parts={{ name: <span translate="no">{editing.name}</span> }} />
        ) : (
          t('schedule.visitTypes.addHeading')
        )}
      </h3>
      <ErrorSummary errors={errors} />
      <TextField
        id={ids.name}
        label={t('schedule.visitTypes.name')}
        value={name}
        onValueChange={setName}
        error={errors.errorFor(ids.name)}
        maxLength={100}
        required
      />
      <TextField
        id={ids.duration}
        label={t('schedule.visitTypes.duration')}
        inputMode="numeric"
        value={duration}
        onValueChange={setDuration}
        hint={t('schedule.visitTypes.durationHint')}
        error={errors.errorFor(ids.duration)}
        className="input--short"
        required
      />
      <CheckboxField
        id={ids.bookable}
        label={t('schedule.visitTypes.bookable')}
        checked={patientBookable}
        onCheckedChange={setPatientBookable}
      />
      <CheckboxField
        id={ids.established}
        label={t('schedule.visitTypes.established')}
        hint={t('schedule.visitTypes.establishedHint')}
        checked={establishedOnly}
        onCheckedChange={setEstablishedOnly}
      />
      <CheckboxField id={ids.video} label={t('schedule.visitTypes.video')} checked={video} onCheckedChange={setVideo} />
      {editing && (
        <CheckboxField
          id={ids.active}
          label={t('schedule.visitTypes.active')}
          hint={t('schedule.visitTypes.activeHint')}
          checked={active}
          onCheckedChange={setActive}
        />
      )}
      <TextAreaField
        id={ids.instructions}
        label={t('schedule.visitTypes.instructions')}
        value={instructions}
        onValueChange={setInstructions}
        hint={t('schedule.visitTypes.instructionsHint')}
        error={errors.errorFor(ids.instructions)}
        rows={3}
        maxLength={2000}
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={pending}>
          {t(editing ? 'schedule.visitTypes.save' : 'schedule.visitTypes.add')}
        </button>
        {editing && (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('schedule.visitTypes.cancelEditing')}
          </button>
        )}
      </div>
    </form>
  );
}

/** Visit types: the list with each one's settings, an "Edit" per row, and the form to add or edit one. */
export function VisitTypesSetup() {
  const t = useT();
  const visitTypes = useVisitTypes();
  const [editing, setEditing] = useState<VisitType | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    // Not a named region itself: its table is one, named "Visit types" too, and two regions must not share a name.
    <section className="section">
      <h2>{t('schedule.column.visitTypes')}</h2>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      {visitTypes.data === undefined ? (
        visitTypes.isError ? (
          <QueryProblem error={visitTypes.error} what={t('schedule.visitTypes.what')} onRetry={() => void visitTypes.refetch()} />
        ) : (
          <p role="status">{t('schedule.visitTypes.loading')}</p>
        )
      ) : visitTypes.data.length === 0 ? (
        <p className="empty-state">{t('schedule.visitTypes.empty')}</p>
      ) : (
        <RecordTable caption={t('schedule.column.visitTypes')}>
          <thead>
            <tr>
              <th scope="col">{t('schedule.column.name')}</th>
              <th scope="col">{t('schedule.column.length')}</th>
              <th scope="col">{t('schedule.column.bookableOnline')}</th>
              <th scope="col">{t('schedule.column.establishedOnly')}</th>
              <th scope="col">{t('schedule.column.video')}</th>
              <th scope="col">{t('schedule.column.inUse')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('schedule.column.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {visitTypes.data.map((visitType) => (
              <tr key={visitType.id}>
                <th scope="row" translate="no">
                  {visitType.name}
                </th>
                <td data-label={t('schedule.column.length')}>{t('schedule.visitTypes.minutes', { minutes: visitType.durationMinutes })}</td>
                <td data-label={t('schedule.column.bookableOnline')}>{t(yesNo(visitType.patientBookable))}</td>
                <td data-label={t('schedule.column.establishedOnly')}>{t(yesNo(visitType.establishedOnly))}</td>
                <td data-label={t('schedule.column.video')}>{t(yesNo(visitType.video))}</td>
                <td data-label={t('schedule.column.inUse')}>{t(yesNo(visitType.active))}</td>
                <td>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => {
                      setNotice(null);
                      setEditing(visitType);
                    }}
                  >
                    {t('schedule.visitTypes.edit')}
                    <span className="visually-hidden">
                      {' '}
                      <span translate="no">{visitType.name}</span>
                    </span>
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
