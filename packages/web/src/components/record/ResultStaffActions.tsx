import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { formatZonedDateTime, limits, startOfDayInZone, type ResultDetail } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { commentOnResult, holdResult, recordKeys, releaseResult } from '../../api/record.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime, formatLocale } from '../../lib/format.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextAreaField } from '../TextAreaField.tsx';
import { TextField } from '../TextField.tsx';
import type { Translate } from './record-text.ts';

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

/**
 * The start of a calendar day where the patient lives, as a UTC instant: the result is released when that day begins
 * for them. A zone the browser cannot read falls back to the start of the day here.
 */
function startOfPatientDay(isoDate: string, timeZone: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return startOfDayInZone(isoDate, timeZone) ?? new Date(year ?? 0, (month ?? 1) - 1, day ?? 1).toISOString();
}

/** When a hold ends, as the patient will see it happen: a date and time in their zone and the page's language. */
function availableOn(heldUntil: string, timeZone: string): string | null {
  return formatZonedDateTime(heldUntil, timeZone, formatLocale());
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

/** Who holds a result: "Held by Dr Chen". */
function heldByText(t: Translate, heldBy: string | null): string {
  return heldBy ? t('record.holds.heldBy', { name: heldBy }) : t('record.holds.heldByClinician');
}

function Holds({ patientId, resultId, detail, canRelease }: ResultStaffActionsProps & { canRelease: boolean }) {
  const t = useT();
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
      <h2 id={headingId}>{t('record.holds.heading')}</h2>
      <ErrorSummary errors={errors} />
      {done && <StatusMessage tone="success">{t('record.holds.released')}</StatusMessage>}
      {!isHeld ? (
        <p>{t('record.holds.notHeld')}</p>
      ) : (
        <>
          <p>
            <strong>{t('record.holds.isHeld')}</strong>
          </p>
          <ul className="plain-list record-lines">
            {detail.holds.map((hold) => (
              <li key={hold.id}>
                {hold.kind === 'patient_preference' ? (
                  <strong>{t('record.holds.byPatient')}</strong>
                ) : (
                  <strong>{heldByText(t, hold.heldBy)}</strong>
                )}
                {hold.heldUntil && (
                  <span className="record-meta">
                    {t('record.holds.availableOn', { when: availableOn(hold.heldUntil, detail.timeZone) ?? t('record.notRecorded') })}
                  </span>
                )}
                {hold.reason && <span className="record-meta">{t('record.holds.reason', { reason: hold.reason })}</span>}
                <span className="record-meta">{t('record.holds.since', { date: formatDateTime(hold.createdAt) })}</span>
              </li>
            ))}
          </ul>
          {canRelease && (
            <button type="button" className="button" disabled={pending} onClick={() => void release()}>
              {t('record.holds.release')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function HoldForm({ patientId, resultId, timeZone }: Pick<ResultStaffActionsProps, 'patientId' | 'resultId'> & { timeZone: string }) {
  const t = useT();
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
    if (text.length < 5) problems.push({ id: ids.reason, message: t('record.holdForm.reasonTooShort') });
    else if (text.length > 500) problems.push({ id: ids.reason, message: t('record.holdForm.reasonTooLong') });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until)) problems.push({ id: ids.until, message: t('record.holdForm.untilMissing') });
    else if (until < earliest || until > latest) {
      problems.push({ id: ids.until, message: t('record.holdForm.untilOutOfRange', { days: maxHoldDays }) });
    }
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const instant = startOfPatientDay(until, timeZone);
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
      <h2 id={headingId}>{t('record.holdForm.heading')}</h2>
      <p>{t('record.holdForm.intro')}</p>
      <form className="form form--inset" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        {heldUntil && (
          <StatusMessage tone="success">
            {t('record.holdForm.heldUntil', { date: availableOn(heldUntil, timeZone) ?? t('record.notRecorded') })}
          </StatusMessage>
        )}
        <TextAreaField
          id={ids.reason}
          label={t('record.holdForm.reasonLabel')}
          value={reason}
          onValueChange={setReason}
          hint={t('record.holdForm.reasonHint')}
          error={errors.errorFor(ids.reason)}
          rows={3}
          maxLength={500}
          required
        />
        <TextField
          id={ids.until}
          label={t('record.holdForm.untilLabel')}
          type="date"
          value={until}
          onValueChange={setUntil}
          hint={t('record.holdForm.untilHint', { days: maxHoldDays })}
          error={errors.errorFor(ids.until)}
          min={earliest}
          max={latest}
          required
        />
        <button type="submit" className="button" disabled={pending}>
          {t('record.holdForm.submit')}
        </button>
      </form>
    </section>
  );
}

function CommentForm({ patientId, resultId }: Pick<ResultStaffActionsProps, 'patientId' | 'resultId'>) {
  const t = useT();
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
      const message = comment.length === 0 ? t('record.commentForm.missing') : t('record.commentForm.tooLong');
      errors.show([{ id: ids.comment, message }]);
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
      <h2 id={headingId}>{t('record.commentForm.heading')}</h2>
      <form className="form form--inset" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        {added && <StatusMessage tone="success">{t('record.commentForm.added')}</StatusMessage>}
        <TextAreaField
          id={ids.comment}
          label={t('record.commentForm.label')}
          value={text}
          onValueChange={setText}
          hint={t('record.commentForm.hint')}
          error={errors.errorFor(ids.comment)}
          rows={4}
          maxLength={2000}
          required
        />
        <button type="submit" className="button" disabled={pending}>
          {t('record.commentForm.submit')}
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
      {canHold && <HoldForm patientId={props.patientId} resultId={props.resultId} timeZone={props.detail.timeZone} />}
      {hasAbility(user, 'results.comment') && <CommentForm patientId={props.patientId} resultId={props.resultId} />}
    </>
  );
}
