import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { messagingLimits, type InboxThreadDetail } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { assignThread, closeThread, forwardThread, inboxKeys, type Assignee } from '../../api/inbox.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextAreaField } from '../TextAreaField.tsx';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { inboxPaths } from './inbox-paths.ts';
import { useAssignees, useDepartments } from './inbox-queries.ts';

type Thread = InboxThreadDetail['thread'];

/** Props of the thread's actions. */
interface ThreadActionsProps {
  thread: Thread;
  /** Refetches the thread and the inbox's counts after a change. */
  onChanged: () => Promise<unknown>;
}

const assignToId = 'inbox-assign-to';

/** A member of the pool as the picker names them: "Sarah Chen, MD". */
function assigneeLabel(assignee: Assignee): string {
  return assignee.credentials ? `${assignee.name}, ${assignee.credentials}` : assignee.name;
}

/**
 * Who has the thread now; "Assign to me", "Unassign", and handing it to a named member of the pool who may read it
 * (a nurse to the clinician who should answer, issue 10 §5.1). The person handed it is sent a notice.
 */
export function Assignment({ thread, onChanged }: ThreadActionsProps) {
  const t = useT();
  const user = useSignedInUser();
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [chosen, setChosen] = useState('');
  const errors = useFormErrors();
  const mine = thread.assignedTo?.id === user.id;
  const open = thread.status !== 'closed';
  const assignees = useAssignees(thread.id, open);
  const others = (assignees.data ?? []).filter((a) => a.id !== user.id && a.id !== thread.assignedTo?.id);

  /** `to`: 'me', 'nobody', or a member of the pool. */
  async function assign(to: 'me' | 'nobody' | Assignee) {
    setPending(true);
    setDone(null);
    try {
      await assignThread(thread.id, to === 'me' ? undefined : to === 'nobody' ? null : to.id);
      errors.clear();
      setChosen('');
      setDone(
        to === 'me'
          ? t('inbox.assign.assigned')
          : to === 'nobody'
            ? t('inbox.assign.unassigned')
            : t('inbox.assign.assignedTo', { name: assigneeLabel(to) }),
      );
      await onChanged();
    } catch (error) {
      const message = errorMessage(error);
      if (isApiError(error, 'validation_failed') && error.field === 'userId') errors.show([{ id: assignToId, message }]);
      else errors.show([], message);
    } finally {
      setPending(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const target = others.find((a) => a.id === chosen);
    if (!target) {
      errors.show([{ id: assignToId, message: t('inbox.assign.chooseRequired') }]);
      return;
    }
    void assign(target);
  }

  const pickerError = errors.errorFor(assignToId);

  return (
    <div className="thread-assignment">
      <ErrorSummary errors={errors} />
      {done && <StatusMessage tone="success">{done}</StatusMessage>}
      <p>
        <strong>{t('inbox.assign.label')} </strong>
        {mine ? (
          t('inbox.you', { name: user.displayName })
        ) : thread.assignedTo ? (
          <span translate="no">{thread.assignedTo.name}</span>
        ) : (
          t('inbox.assign.nobody')
        )}
      </p>
      <div className="button-row">
        {!mine && (
          <button type="button" className="button" disabled={pending} onClick={() => void assign('me')}>
            {t('inbox.assign.toMe')}
          </button>
        )}
        {thread.assignedTo && (
          <button type="button" className="button button--secondary" disabled={pending} onClick={() => void assign('nobody')}>
            {t('inbox.assign.unassign')}
          </button>
        )}
      </div>
      {open &&
        (assignees.isError ? (
          <p className="field__hint">{t('inbox.assign.failed')}</p>
        ) : assignees.isPending ? (
          <p className="field__hint" role="status">
            {t('inbox.assign.loading')}
          </p>
        ) : others.length === 0 ? null : (
          <form className="search-form thread-assignment__other" onSubmit={submit} noValidate>
            <div className={pickerError ? 'field field--error' : 'field'}>
              <label className="field__label" htmlFor={assignToId}>
                {t('inbox.assign.to')}
              </label>
              <p className="field__hint" id={`${assignToId}-hint`}>
                {t('inbox.assign.hint')}
              </p>
              {pickerError && (
                <p className="field__error" id={`${assignToId}-error`}>
                  <span className="visually-hidden">{t('common.errorPrefix')}</span>
                  {pickerError}
                </p>
              )}
              <select
                id={assignToId}
                className="input"
                value={chosen}
                onChange={(event) => setChosen(event.target.value)}
                aria-describedby={pickerError ? `${assignToId}-hint ${assignToId}-error` : `${assignToId}-hint`}
                aria-invalid={pickerError ? true : undefined}
              >
                <option value="">{t('inbox.assign.choose')}</option>
                {others.map((assignee) => (
                  <option key={assignee.id} value={assignee.id} translate="no">
                    {assigneeLabel(assignee)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button button--secondary" disabled={pending}>
              {t('inbox.assign.submit')}
            </button>
          </form>
        ))}
    </div>
  );
}

/** "Close thread" behind a confirmation: once closed, neither the patient nor the team can write in it. */
export function CloseThread({ thread, onChanged }: ThreadActionsProps) {
  const t = useT();
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
      <h2 id={headingId}>{t('inbox.close.heading')}</h2>
      <ErrorSummary errors={errors} />
      {closed && <StatusMessage tone="success">{t('inbox.close.done')}</StatusMessage>}
      {thread.status === 'closed' ? (
        <p>{t('inbox.close.closed')}</p>
      ) : confirming ? (
        <div className="confirm-panel">
          <h3 ref={confirmHeadingRef} tabIndex={-1}>
            {t('inbox.close.confirmHeading')}
          </h3>
          <p>{t('inbox.close.confirmText')}</p>
          <div className="button-row">
            <button type="button" className="button button--danger" disabled={pending} onClick={() => void close()}>
              {t('inbox.close.confirm')}
            </button>
            <button type="button" className="button button--secondary" onClick={cancel}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <>
          <p>{t('inbox.close.intro')}</p>
          <button type="button" className="button button--secondary" ref={openerRef} onClick={() => setConfirming(true)}>
            {t('inbox.close.heading')}
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
  const t = useT();
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
    if (!target) problems.push({ id: forwardIds.department, message: t('inbox.forward.departmentRequired') });
    if (note.trim().length === 0) problems.push({ id: forwardIds.note, message: t('inbox.forward.noteRequired') });
    else if (note.length > messagingLimits.bodyMaxLength) {
      problems.push({ id: forwardIds.note, message: t('inbox.form.tooLong', { max: messagingLimits.bodyMaxLength }) });
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
        state: { notice: t('inbox.forward.done', { pool: target.name }) },
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
      <h2 id={headingId}>{t('inbox.forward.heading')}</h2>
      {thread.status === 'closed' ? (
        <p>{t('inbox.forward.closed')}</p>
      ) : departments.isPending ? (
        <p role="status">{t('inbox.forward.loading')}</p>
      ) : targets.length === 0 ? (
        <p>{t('inbox.forward.noTargets')}</p>
      ) : (
        <form className="form form--inset" onSubmit={(event) => void submit(event)} noValidate>
          <ErrorSummary errors={errors} />
          <p>
            {from ? (
              <RichMessage id="inbox.forward.intro" parts={{ pool: <span translate="no">{from.name}</span> }} />
            ) : (
              t('inbox.forward.introThisPool')
            )}
          </p>
          <div className={departmentError ? 'field field--error' : 'field'}>
            <label className="field__label" htmlFor={forwardIds.department}>
              {t('inbox.forward.to')}
            </label>
            {departmentError && (
              <p className="field__error" id={`${forwardIds.department}-error`}>
                <span className="visually-hidden">{t('common.errorPrefix')}</span>
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
              <option value="">{t('inbox.forward.choose')}</option>
              {targets.map((pool) => (
                <option key={pool.departmentId} value={pool.departmentId} translate="no">
                  {pool.name}
                </option>
              ))}
            </select>
          </div>
          <TextAreaField
            id={forwardIds.note}
            label={t('inbox.forward.note')}
            value={note}
            onValueChange={setNote}
            hint={t('inbox.forward.noteHint')}
            error={errors.errorFor(forwardIds.note)}
            rows={3}
            maxLength={messagingLimits.bodyMaxLength}
            required
          />
          <button type="submit" className="button" disabled={pending}>
            {t('inbox.forward.heading')}
          </button>
        </form>
      )}
    </section>
  );
}
