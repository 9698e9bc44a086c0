import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { limits, type ResultDetail } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { commentOnResult, holdResult, recordKeys, releaseResult } from '../../api/record.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextAreaField } from '../TextAreaField.tsx';
import { TextField } from '../TextField.tsx';

/** The longest a clinician may hold one result (days from today). */
const maxHoldDays = limits.resultHoldMaxDays;

const ids = { reason: 'result-hold-reason', until: 'result-hold-until', comment: 'result-comment-text' };

/** Props of the staff tools on a result. */
interface ResultStaffActionsProps {
  patientId: string;
  resultId: string;
  detail: ResultDetail;
}

/** A local calendar date `days` from today, `YYYY-MM-DD`, for the date input's bounds. */
function localDateFromToday(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The start of a local calendar day as a UTC instant: the result is released when that day begins. */
function startOfLocalDay(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return new Date(year ?? 0, (month ?? 1) - 1, day ?? 1).toISOString();
}

/** Refetches this result and the results list (where the "Held" badge shows) after a change. */
function useRefreshResult(patientId: string, resultId: string) {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: recordKeys.result(patientId, resultId) }),
      queryClient.invalidateQueries({ queryKey: recordKeys.results(patientId) }),
    ]);
}

function Holds({ patientId, resultId, detail, canRelease }: ResultStaffActionsProps & { canRelease: boolean }) {
  const headingId = useId();
  const refresh = useRefreshResult(patientId, resultId);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const errors = useFormErrors();
  const isHeld = detail.result.held || detail.holds.length > 0;

  async function release() {
    setPending(true);
    setDone(false);
    try {
      await releaseResult(patientId, resultId);
      errors.clear();
      setDone(true);
      await refresh();
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Holds</h2>
      <ErrorSummary errors={errors} />
      {done && <StatusMessage tone="success">Released. The patient can now see this result.</StatusMessage>}
      {!isHeld ? (
        <p>This result is not held: the patient can see it.</p>
      ) : (
        <>
          <p>
            <strong>This result is held: the patient cannot see it yet.</strong>
          </p>
          <ul className="plain-list record-lines">
            {detail.holds.map((hold) => (
              <li key={hold.id}>
                {hold.kind === 'patient_preference' ? (
                  <strong>Held at the patient’s request until a clinician reviews it</strong>
                ) : (
                  <strong>
                    Held by {hold.heldBy ?? 'a clinician'}
                    {hold.heldUntil ? ` until ${formatDateTime(hold.heldUntil)}` : ''}
                  </strong>
                )}
                {hold.reason && <span className="record-meta">Reason: {hold.reason}</span>}
                <span className="record-meta">Since {formatDateTime(hold.createdAt)}</span>
              </li>
            ))}
          </ul>
          {canRelease && (
            <button type="button" className="button" disabled={pending} onClick={() => void release()}>
              Release this result
            </button>
          )}
        </>
      )}
    </section>
  );
}

function HoldForm({ patientId, resultId }: Pick<ResultStaffActionsProps, 'patientId' | 'resultId'>) {
  const headingId = useId();
  const refresh = useRefreshResult(patientId, resultId);
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [pending, setPending] = useState(false);
  const [heldUntil, setHeldUntil] = useState<string | null>(null);
  const errors = useFormErrors();
  const earliest = localDateFromToday(1);
  const latest = localDateFromToday(maxHoldDays);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setHeldUntil(null);
    const problems: FieldError[] = [];
    const text = reason.trim();
    if (text.length < 5) problems.push({ id: ids.reason, message: 'Give the reason in at least 5 characters.' });
    else if (text.length > 500) problems.push({ id: ids.reason, message: 'Give the reason in at most 500 characters.' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until)) problems.push({ id: ids.until, message: 'Enter the date to hold the result until.' });
    else if (until < earliest || until > latest) {
      problems.push({ id: ids.until, message: `Choose a date from tomorrow to ${maxHoldDays} days from today.` });
    }
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const instant = startOfLocalDay(until);
      await holdResult(patientId, resultId, text, instant);
      errors.clear();
      setReason('');
      setUntil('');
      setHeldUntil(instant);
      await refresh();
    } catch (error) {
      const message = errorMessage(error);
      if (isApiError(error, 'validation_failed') && error.field === 'reason') errors.show([{ id: ids.reason, message }]);
      else if (isApiError(error, 'validation_failed') && error.field === 'until') errors.show([{ id: ids.until, message }]);
      else errors.show([], message);
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Hold this result</h2>
      <p>
        Keep this result from the patient for a while, for example to tell them in person. Use this only when releasing it now could harm
        the patient; the reason is recorded.
      </p>
      <form className="form form--inset" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        {heldUntil && <StatusMessage tone="success">Held until {formatDateTime(heldUntil)}.</StatusMessage>}
        <TextAreaField
          id={ids.reason}
          label="Reason for the hold"
          value={reason}
          onValueChange={setReason}
          hint="At least 5 characters. The patient does not see this reason."
          error={errors.errorFor(ids.reason)}
          rows={3}
          maxLength={500}
          required
        />
        <TextField
          id={ids.until}
          label="Hold until"
          type="date"
          value={until}
          onValueChange={setUntil}
          hint={`The patient sees the result when this day begins, unless it is released sooner. At most ${maxHoldDays} days from today.`}
          error={errors.errorFor(ids.until)}
          min={earliest}
          max={latest}
          required
        />
        <button type="submit" className="button" disabled={pending}>
          Hold this result
        </button>
      </form>
    </section>
  );
}

function CommentForm({ patientId, resultId }: Pick<ResultStaffActionsProps, 'patientId' | 'resultId'>) {
  const headingId = useId();
  const refresh = useRefreshResult(patientId, resultId);
  const [text, setText] = useState('');
  const [pending, setPending] = useState(false);
  const [added, setAdded] = useState(false);
  const errors = useFormErrors();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAdded(false);
    const comment = text.trim();
    if (comment.length === 0 || comment.length > 2000) {
      errors.show([{ id: ids.comment, message: comment.length === 0 ? 'Write the comment.' : 'Use at most 2000 characters.' }]);
      return;
    }
    setPending(true);
    try {
      await commentOnResult(patientId, resultId, comment);
      errors.clear();
      setText('');
      setAdded(true);
      await refresh();
    } catch (error) {
      const message = errorMessage(error);
      if (isApiError(error, 'validation_failed') && error.field === 'text') errors.show([{ id: ids.comment, message }]);
      else errors.show([], message);
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Add a comment for the patient</h2>
      <form className="form form--inset" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        {added && <StatusMessage tone="success">Comment added. The patient reads it with this result.</StatusMessage>}
        <TextAreaField
          id={ids.comment}
          label="Comment"
          value={text}
          onValueChange={setText}
          hint="Write it for the patient: they see it with the result, with your name and role."
          error={errors.errorFor(ids.comment)}
          rows={4}
          maxLength={2000}
          required
        />
        <button type="submit" className="button" disabled={pending}>
          Add comment
        </button>
      </form>
    </section>
  );
}

/** Staff tools on one result: its holds for all chart readers; hold and release with 'results.hold'; comments with 'results.comment'. */
export function ResultStaffActions(props: ResultStaffActionsProps) {
  const user = useSignedInUser();
  const canHold = hasAbility(user, 'results.hold');
  return (
    <>
      <Holds {...props} canRelease={canHold} />
      {canHold && <HoldForm patientId={props.patientId} resultId={props.resultId} />}
      {hasAbility(user, 'results.comment') && <CommentForm patientId={props.patientId} resultId={props.resultId} />}
    </>
  );
}
