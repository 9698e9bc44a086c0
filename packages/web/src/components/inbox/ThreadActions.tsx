import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { messagingLimits, type InboxThreadDetail } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { assignThread, closeThread, forwardThread, inboxKeys } from '../../api/inbox.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextAreaField } from '../TextAreaField.tsx';
import { inboxPaths } from './inbox-text.ts';
import { useDepartments } from './inbox-queries.ts';

type Thread = InboxThreadDetail['thread'];

/** Props of the thread's actions. */
interface ThreadActionsProps {
  thread: Thread;
  /** Refetches the thread and the inbox's counts after a change. */
  onChanged: () => Promise<unknown>;
}

/** "Assign to me" and "Unassign", with who has the thread now. */
export function Assignment({ thread, onChanged }: ThreadActionsProps) {
  const user = useSignedInUser();
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const errors = useFormErrors();
  const mine = thread.assignedTo?.id === user.id;

  async function assign(toMe: boolean) {
    setPending(true);
    setDone(null);
    try {
      await assignThread(thread.id, toMe ? undefined : null);
      errors.clear();
      setDone(toMe ? 'Assigned to you.' : 'Unassigned. The thread is back with the whole pool.');
      await onChanged();
    } catch (error) {
      errors.show([], errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="thread-assignment">
      <ErrorSummary errors={errors} />
      {done && <StatusMessage tone="success">{done}</StatusMessage>}
      <p>
        <strong>Assigned to: </strong>
        {mine ? `You (${user.displayName})` : (thread.assignedTo?.name ?? 'Nobody yet')}
      </p>
      <div className="button-row">
        {!mine && (
          <button type="button" className="button" disabled={pending} onClick={() => void assign(true)}>
            Assign to me
          </button>
        )}
        {thread.assignedTo && (
          <button type="button" className="button button--secondary" disabled={pending} onClick={() => void assign(false)}>
            Unassign
          </button>
        )}
      </div>
    </div>
  );
}

/** "Close thread" behind a confirmation: once closed, neither the patient nor the team can write in it. */
export function CloseThread({ thread, onChanged }: ThreadActionsProps) {
  const headingId = useId();
  const confirmHeadingRef = useRef<HTMLHeadingElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [closed, setClosed] = useState(false);
  const errors = useFormErrors();

  useEffect(() => {
    if (confirming) confirmHeadingRef.current?.focus();
  }, [confirming]);

  async function close() {
    setPending(true);
    try {
      await closeThread(thread.id);
      errors.clear();
      setConfirming(false);
      setClosed(true);
      await onChanged();
    } catch (error) {
      errors.show([], errorMessage(error));
      if (isApiError(error, 'thread_closed')) await onChanged();
    } finally {
      setPending(false);
    }
  }

  function cancel() {
    setConfirming(false);
    errors.clear();
    // Back to the button that opened the question, so the keyboard user is where they were.
    requestAnimationFrame(() => openerRef.current?.focus());
  }

  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Close thread</h2>
      <ErrorSummary errors={errors} />
      {closed && <StatusMessage tone="success">Thread closed. The patient can start a new thread if they need to.</StatusMessage>}
      {thread.status === 'closed' ? (
        <p>This thread is closed: nobody can write in it. The patient can start a new thread that follows it up.</p>
      ) : confirming ? (
        <div className="confirm-panel">
          <h3 ref={confirmHeadingRef} tabIndex={-1}>
            Close this thread?
          </h3>
          <p>Nobody can write in it afterwards, you included. The patient sees it as closed and can start a new thread.</p>
          <div className="button-row">
            <button type="button" className="button button--danger" disabled={pending} onClick={() => void close()}>
              Yes, close thread
            </button>
            <button type="button" className="button button--secondary" onClick={cancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <>
          <p>Close the thread when nothing more needs saying. Closing cannot be undone.</p>
          <button type="button" className="button button--secondary" ref={openerRef} onClick={() => setConfirming(true)}>
            Close thread
          </button>
        </>
      )}
    </section>
  );
}

const forwardIds = { department: 'inbox-forward-department', note: 'inbox-forward-note' };

/**
 * "Forward": moves the thread to another department's pool of the organization, with a required internal note for the
 * team that receives it.
 */
export function ForwardThread({ thread }: Pick<ThreadActionsProps, 'thread'>) {
  const headingId = useId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const departments = useDepartments();
  const [departmentId, setDepartmentId] = useState('');
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const targets = (departments.data ?? []).filter((d) => d.departmentId !== thread.departmentId);
  const from = departments.data?.find((d) => d.departmentId === thread.departmentId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems: FieldError[] = [];
    const target = targets.find((pool) => pool.departmentId === departmentId);
    if (!target) problems.push({ id: forwardIds.department, message: 'Choose the pool to forward the thread to.' });
    if (note.trim().length === 0) problems.push({ id: forwardIds.note, message: 'Write a note for the team that receives it.' });
    else if (note.length > messagingLimits.bodyMaxLength) {
      problems.push({ id: forwardIds.note, message: `Write at most ${messagingLimits.bodyMaxLength} characters.` });
    }
    if (problems.length > 0 || !target) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      await forwardThread(thread.id, target.departmentId, note);
      errors.clear();
      // Counts and lists change; the thread itself is only marked stale, since refetching it here could find it gone.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: inboxKeys.pools() }),
        queryClient.invalidateQueries({ queryKey: inboxKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: inboxKeys.thread(thread.id), refetchType: 'none' }),
      ]);
      // The thread has left this pool: go back to the pool it came from, where it no longer shows.
      void navigate(inboxPaths.pool(thread.departmentId), {
        state: { notice: `The thread was forwarded to ${target.name}.` },
      });
    } catch (error) {
      const message = errorMessage(error);
      if (isApiError(error, 'validation_failed') && error.field === 'note') errors.show([{ id: forwardIds.note, message }]);
      else if (isApiError(error, 'validation_failed') && error.field === 'departmentId') {
        errors.show([{ id: forwardIds.department, message }]);
      } else errors.show([], message);
    } finally {
      setPending(false);
    }
  }

  const departmentError = errors.errorFor(forwardIds.department);
  return (
    <section className="section" aria-labelledby={headingId}>
      <h2 id={headingId}>Forward</h2>
      {thread.status === 'closed' ? (
        <p>A closed thread cannot be forwarded.</p>
      ) : departments.isPending ? (
        <p role="status">Loading the pools you can forward to…</p>
      ) : targets.length === 0 ? (
        <p>You belong to no other pool to forward this thread to. Ask a colleague in the right department to take it.</p>
      ) : (
        <form className="form form--inset" onSubmit={(event) => void submit(event)} noValidate>
          <ErrorSummary errors={errors} />
          <p>
            Move this thread from {from?.name ?? 'this pool'} to another pool. Your note goes with it as an internal note; the patient does
            not see it.
          </p>
          <div className={departmentError ? 'field field--error' : 'field'}>
            <label className="field__label" htmlFor={forwardIds.department}>
              Forward to
            </label>
            {departmentError && (
              <p className="field__error" id={`${forwardIds.department}-error`}>
                <span className="visually-hidden">Error: </span>
                {departmentError}
              </p>
            )}
            <select
              id={forwardIds.department}
              className="input"
              value={departmentId}
              onChange={(event) => setDepartmentId(event.target.value)}
              aria-describedby={departmentError ? `${forwardIds.department}-error` : undefined}
              aria-invalid={departmentError ? true : undefined}
              required
            >
              <option value="">Choose a pool</option>
              {targets.map((pool) => (
                <option key={pool.departmentId} value={pool.departmentId}>
                  {pool.name}
                </option>
              ))}
            </select>
          </div>
          <TextAreaField
            id={forwardIds.note}
            label="Note for the receiving team"
            value={note}
            onValueChange={setNote}
            hint="Why it goes to them and what you have done so far. Internal: the patient does not see it."
            error={errors.errorFor(forwardIds.note)}
            rows={3}
            maxLength={messagingLimits.bodyMaxLength}
            required
          />
          <button type="submit" className="button" disabled={pending}>
            Forward
          </button>
        </form>
      )}
    </section>
  );
}
