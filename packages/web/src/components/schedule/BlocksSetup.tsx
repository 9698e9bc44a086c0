import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client.ts';
import { createBlock, deleteBlock, type ClinicianChoice } from '../../api/schedule.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { showSendProblem } from '../messages/form-problems.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { RecordTable } from '../record/RecordTable.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextField } from '../TextField.tsx';
import { clinicianLabel } from './ScheduleChooser.tsx';
import { SelectField } from './SetupFields.tsx';
import { useRefreshSchedule, useSchedule } from './schedule-queries.ts';
import { describeTimeZone, formatScheduleDay, formatScheduleTime, todayIn, zonedTimeToUtc } from './schedule-text.ts';

const ids = { clinician: 'block-clinician', from: 'block-from', to: 'block-to', reason: 'block-reason' };
const fieldInputs: Record<string, string> = { clinicianId: ids.clinician, startAt: ids.from, endAt: ids.to, reason: ids.reason };

/**
 * Blocked time: a clinician's next week of blocks with "Remove", and a form to block a stretch of time (no bookings in
 * it). Times are typed in the schedule's own zone, named beside the form, and sent as UTC instants.
 */
export function BlocksSetup({ clinicians }: { clinicians: ClinicianChoice[] }) {
  const headingId = useId();
  const refresh = useRefreshSchedule();
  const errors = useFormErrors();
  const [clinicianId, setClinicianId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const today = todayIn(undefined);
  const schedule = useSchedule(clinicianId ? { kind: 'clinician', id: clinicianId } : null, today, 7);
  const timeZone = schedule.data?.timeZone;
  const blocks = schedule.data?.days.flatMap((day) => day.blocks.map((block) => ({ block, date: day.date }))) ?? [];
  const chosen = clinicians.find((c) => c.id === clinicianId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: FieldError[] = [];
    const startAt = timeZone ? zonedTimeToUtc(from, timeZone) : null;
    const endAt = timeZone ? zonedTimeToUtc(to, timeZone) : null;
    if (!chosen) problems.push({ id: ids.clinician, message: 'Choose the clinician whose time to block.' });
    if (chosen && !startAt) problems.push({ id: ids.from, message: 'Enter when the blocked time starts, date and time.' });
    if (chosen && !endAt) problems.push({ id: ids.to, message: 'Enter when the blocked time ends, date and time.' });
    else if (startAt && endAt && endAt <= startAt) problems.push({ id: ids.to, message: 'The end must be after the start.' });
    if (reason.trim().length > 200) problems.push({ id: ids.reason, message: 'Use at most 200 characters for the reason.' });
    if (problems.length > 0 || !startAt || !endAt) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      await createBlock({ clinicianId, startAt, endAt, reason: reason.trim() === '' ? null : reason.trim() });
      errors.clear();
      setNotice(`Time blocked for ${chosen ? clinicianLabel(chosen) : 'the clinician'}.`);
      setFrom('');
      setTo('');
      setReason('');
      await refresh();
    } catch (error) {
      setNotice(null);
      showSendProblem(errors, error, (field) => fieldInputs[field] ?? null);
    } finally {
      setPending(false);
    }
  }

  async function remove(blockId: string) {
    try {
      await deleteBlock(blockId);
      errors.clear();
      setNotice('Blocked time removed.');
      await refresh();
    } catch (error) {
      setNotice(null);
      errors.show([], errorMessage(error));
    }
  }

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Blocked time</h2>
      <p>Time a clinician is away or busy: nobody can book it.</p>
      <ErrorSummary errors={errors} />
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      <form className="form form--inset" aria-label="Block time" onSubmit={(event) => void submit(event)} noValidate>
        <SelectField
          id={ids.clinician}
          label="Clinician"
          value={clinicianId}
          onValueChange={setClinicianId}
          error={errors.errorFor(ids.clinician)}
          hint={
            clinicians.length === 0 ? 'No clinicians are known yet: they appear once they have weekly hours or appointments.' : undefined
          }
        >
          <option value="">Choose a clinician</option>
          {clinicians.map((c) => (
            <option key={c.id} value={c.id}>
              {clinicianLabel(c)}
            </option>
          ))}
        </SelectField>
        {chosen &&
          (timeZone ? (
            <>
              <p className="field__hint">Times in {describeTimeZone(timeZone, today)}.</p>
              <TextField
                id={ids.from}
                label="From"
                type="datetime-local"
                step={300}
                value={from}
                onValueChange={setFrom}
                error={errors.errorFor(ids.from)}
                required
              />
              <TextField
                id={ids.to}
                label="To"
                type="datetime-local"
                step={300}
                value={to}
                onValueChange={setTo}
                error={errors.errorFor(ids.to)}
                required
              />
              <TextField
                id={ids.reason}
                label="Reason (optional)"
                value={reason}
                onValueChange={setReason}
                hint="Staff see it on the schedule; patients do not."
                error={errors.errorFor(ids.reason)}
                maxLength={200}
              />
              <button type="submit" className="button" disabled={pending}>
                Block time
              </button>
            </>
          ) : schedule.isError ? (
            <QueryProblem error={schedule.error} what="this clinician’s schedule" onRetry={() => void schedule.refetch()} />
          ) : (
            <p role="status">Loading the clinician’s schedule…</p>
          ))}
      </form>
      {chosen && timeZone && (
        <>
          <h3>Blocked in the next 7 days</h3>
          {blocks.length === 0 ? (
            <p className="empty-state">No blocked time for {clinicianLabel(chosen)} in the next 7 days.</p>
          ) : (
            <RecordTable caption={`Blocked time of ${clinicianLabel(chosen)} in the next 7 days`}>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Time</th>
                  <th scope="col">Reason</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {blocks.map(({ block, date }) => (
                  <tr key={`${date}-${block.id}`}>
                    <th scope="row">{formatScheduleDay(date, 'short')}</th>
                    <td data-label="Time" className="nowrap">
                      {formatScheduleTime(block.startAt, timeZone)} – {formatScheduleTime(block.endAt, timeZone)}
                    </td>
                    <td data-label="Reason">{block.reason ?? '—'}</td>
                    <td>
                      <button type="button" className="button button--secondary button--small" onClick={() => void remove(block.id)}>
                        Remove<span className="visually-hidden"> blocked time on {formatScheduleDay(date, 'short')}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </RecordTable>
          )}
        </>
      )}
    </section>
  );
}
