import { useState, type FormEvent, type ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { MessageId } from '@portico/shared/i18n';
import { errorMessage } from '../../api/client.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { TextAreaField } from '../../components/TextAreaField.tsx';
import { LoadProblem } from '../../components/proxy-console/LoadProblem.tsx';
import { useFormErrors, type FormErrors } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';

/** A queue item's clock: when it is due, or that it is overdue, in words (never only in colour). */
export function DueClock({ dueAt, now = Date.now() }: { dueAt: string; now?: number }) {
  const t = useT();
  const when = formatDateTime(dueAt);
  const overdue = Date.parse(dueAt) < now;
  return (
    <p className={overdue ? 'support-clock support-clock--overdue' : 'support-clock'}>
      {overdue ? <strong>{t('support.clock.overdue', { when })}</strong> : t('support.clock.due', { when })}
    </p>
  );
}

/** A queue's body: loading, a load problem with a retry, the empty sentence, or the list. */
export function QueueBody<T>({
  query,
  items,
  empty,
  children,
}: {
  query: UseQueryResult<unknown>;
  items: readonly T[] | undefined;
  empty: MessageId;
  children: (items: readonly T[]) => ReactNode;
}) {
  const t = useT();
  if (query.isPending) return <p role="status">{t('common.loading')}</p>;
  if (query.isError || !items) return <LoadProblem error={query.error} onRetry={() => void query.refetch()} title="support.loadFailed" />;
  if (items.length === 0) return <p className="empty-state">{t(empty)}</p>;
  return <ul className="plain-list">{children(items)}</ul>;
}

/** Runs a decision, showing its failure in the form's error summary; true when it went through. */
export async function runDecision(errors: FormErrors, work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    errors.clear();
    return true;
  } catch (error) {
    errors.show([], errorMessage(error));
    return false;
  }
}

/** A note and a confirm button (deny, decline): the note is required. */
export function NoteForm({
  id,
  label,
  confirm,
  onSubmit,
  onCancel,
}: {
  id: string;
  label: string;
  confirm: string;
  onSubmit: (note: string, errors: FormErrors) => Promise<void>;
  onCancel: () => void;
}) {
  const t = useT();
  const errors = useFormErrors();
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!note.trim()) {
      errors.show([{ id, message: t('support.noteRequired') }]);
      return;
    }
    setPending(true);
    await onSubmit(note.trim(), errors);
    setPending(false);
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <ErrorSummary errors={errors} />
      <TextAreaField id={id} label={label} value={note} onValueChange={setNote} error={errors.errorFor(id)} maxLength={1000} />
      <div className="button-row">
        <button type="submit" className="button" disabled={pending}>
          {confirm}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('support.cancel')}
        </button>
      </div>
    </form>
  );
}
