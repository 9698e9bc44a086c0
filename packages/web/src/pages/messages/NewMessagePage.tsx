import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { messagingLimits } from '@portico/shared';
import { isApiError } from '../../api/client.ts';
import { createThread, messageKeys, type MessageRecipient } from '../../api/messages.ts';
import { ErrorSummary } from '../../components/ErrorSummary.tsx';
import { AttachmentPicker } from '../../components/messages/AttachmentPicker.tsx';
import { EmergencyNotice } from '../../components/messages/EmergencyNotice.tsx';
import { showSendProblem } from '../../components/messages/form-problems.ts';
import { useIdempotencyKey } from '../../components/messages/idempotency-key.ts';
import { MessageBodyField } from '../../components/messages/MessageBodyField.tsx';
import { useRecipients, useThread } from '../../components/messages/message-queries.ts';
import { topicChoices, type ChosenTopic, type Translate } from '../../components/messages/message-text.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { messagePaths, useMessagingScope } from '../../components/messages/messaging-scope.ts';
import { useAttachmentUploads } from '../../components/messages/use-attachment-uploads.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useActingFor } from '../../session/acting-for.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';

const ids = {
  notice: 'new-message-emergency',
  recipient: 'new-message-recipient',
  topic: 'new-message-topic',
  subject: 'new-message-subject',
  body: 'new-message-body',
  files: 'new-message-files',
  confidential: 'new-message-confidential',
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The closed thread this message follows, from router state (kept out of the URL); null when there is none. */
function previousThreadIdOf(state: unknown): string | null {
  if (typeof state !== 'object' || state === null || !('previousThreadId' in state)) return null;
  const id = state.previousThreadId;
  return typeof id === 'string' && uuidPattern.test(id) ? id : null;
}

/** A recipient's value in the select: department and clinician, as one string. */
function recipientKey(recipient: Pick<MessageRecipient, 'departmentId' | 'clinicianId'>): string {
  return `${recipient.departmentId}:${recipient.clinicianId ?? ''}`;
}

/** Which input a server validation error's `field` belongs to. */
function inputFor(field: string): string | null {
  if (field === 'departmentId' || field === 'clinicianId') return ids.recipient;
  if (field === 'topic') return ids.topic;
  if (field === 'subject') return ids.subject;
  if (field === 'body') return ids.body;
  if (field.startsWith('attachmentIds')) return ids.files;
  return null;
}

function isChosenTopic(value: string): value is ChosenTopic {
  return topicChoices.some((c) => c.value === value);
}

/** The follow-up's subject: the closed thread's, marked as a follow-up (in the page's language), within the limit. */
function followUpSubject(t: Translate, subject: string): string {
  const marked = t('messages.compose.followUpSubject', { subject });
  const mark = t('messages.compose.followUpSubject', { subject: '' });
  const text = mark !== '' && subject.startsWith(mark) ? subject : marked;
  return text.slice(0, messagingLimits.subjectMaxLength);
}

/**
 * `/messages/new`: the emergency notice first, then who to write to, the topic, subject, message and files. One
 * Idempotency-Key per form, reused on every retry, so a double click or a lost answer never makes two threads.
 */
export function NewMessagePage() {
  const t = useT();
  useDocumentTitle(t('messages.newMessage'));
  const { patientId } = useMessagingScope();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [previousThreadId] = useState(() => previousThreadIdOf(location.state));
  const recipients = useRecipients(patientId);
  const previous = useThread(patientId, previousThreadId ?? 'none', previousThreadId !== null);
  const [recipient, setRecipient] = useState<string | null>(null);
  const [topic, setTopic] = useState<string | null>(null);
  const [subject, setSubject] = useState<string | null>(null);
  const [body, setBody] = useState('');
  const [pending, setPending] = useState(false);
  const errors = useFormErrors();
  const uploads = useAttachmentUploads(patientId);
  const idempotency = useIdempotencyKey();
  // Only a patient aged 12-17 writing on their own record may keep a thread private from their parents (GET /api/me).
  const { choices } = useActingFor();
  const mayKeepPrivate = choices.some((p) => p.patientId === patientId && p.mayKeepThreadsPrivate);
  const [keepPrivate, setKeepPrivate] = useState(false);

  // A follow-up starts addressed like the closed thread, on its topic, with its subject; any of them can be changed.
  const earlier = previous.data?.thread ?? null;
  const list = recipients.data ?? [];
  const earlierRecipient = earlier ? list.find((r) => r.label === earlier.recipientLabel) : undefined;
  const recipientValue = recipient ?? (earlierRecipient ? recipientKey(earlierRecipient) : '');
  const topicValue = topic ?? (earlier && isChosenTopic(earlier.topic) ? earlier.topic : '');
  const subjectValue = subject ?? (earlier ? followUpSubject(t, earlier.subject) : '');
  const pcp = list.filter((r) => r.reason === 'pcp');
  const seen = list.filter((r) => r.reason !== 'pcp');

  function validate(): FieldError[] {
    const problems: FieldError[] = [];
    if (!list.some((r) => recipientKey(r) === recipientValue))
      problems.push({ id: ids.recipient, message: t('messages.compose.recipientRequired') });
    if (!isChosenTopic(topicValue)) problems.push({ id: ids.topic, message: t('messages.compose.topicRequired') });
    if (subjectValue.trim().length === 0) problems.push({ id: ids.subject, message: t('messages.compose.subjectRequired') });
    else if (subjectValue.length > messagingLimits.subjectMaxLength) {
      problems.push({ id: ids.subject, message: t('messages.compose.subjectTooLong', { max: messagingLimits.subjectMaxLength }) });
    }
    if (body.trim().length === 0) problems.push({ id: ids.body, message: t('messages.compose.bodyRequired') });
    else if (body.length > messagingLimits.bodyMaxLength) {
      problems.push({ id: ids.body, message: t('messages.compose.bodyTooLong', { max: messagingLimits.bodyMaxLength }) });
    }
    if (uploads.isUploading) problems.push({ id: ids.files, message: t('messages.files.waitForUploads') });
    return problems;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const problems = validate();
    const to = list.find((r) => recipientKey(r) === recipientValue);
    if (problems.length > 0 || !to || !isChosenTopic(topicValue)) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      const detail = await createThread(
        patientId,
        {
          departmentId: to.departmentId,
          clinicianId: to.clinicianId,
          topic: topicValue,
          subject: subjectValue,
          body,
          attachmentIds: uploads.attachments.map((a) => a.id),
          previousThreadId,
          confidential: mayKeepPrivate && keepPrivate,
        },
        idempotency.key,
      );
      errors.clear();
      queryClient.setQueryData(messageKeys.thread(patientId, detail.thread.id), detail);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: messageKeys.threads(patientId) }),
        queryClient.invalidateQueries({ queryKey: messageKeys.unread(patientId) }),
      ]);
      void navigate(messagePaths.thread(detail.thread.id), { state: { sent: true } });
    } catch (error) {
      if (isApiError(error, 'idempotency_key_reused')) {
        idempotency.renew();
        errors.show([], t('messages.compose.maybeSent'));
      } else {
        showSendProblem(errors, error, inputFor);
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="page">
      <p className="back-link">
        <Link to={messagePaths.list}>{t('messages.allMessages')}</Link>
      </p>
      <h1 id="new-message-heading">{t('messages.newMessage')}</h1>
      <EmergencyNotice id={ids.notice} />
      {previousThreadId && (
        <p className="notice">
          {earlier ? (
            <RichMessage
              id="messages.compose.followsUpSubject"
              parts={{
                subject: (
                  <Link to={messagePaths.thread(previousThreadId)} className="break-anywhere" translate="no">
                    {earlier.subject}
                  </Link>
                ),
              }}
            />
          ) : (
            t('messages.compose.followsUp')
          )}
        </p>
      )}
      {recipients.isError && !recipients.data ? (
        <QueryProblem error={recipients.error} what={t('messages.compose.recipientsWhat')} onRetry={() => void recipients.refetch()} />
      ) : recipients.isPending ? (
        <p role="status">{t('messages.compose.recipientsLoading')}</p>
      ) : list.length === 0 ? (
        <p className="empty-state">{t('messages.compose.noRecipients')}</p>
      ) : (
        <>
          <ErrorSummary errors={errors} />
          <form
            className="form"
            onSubmit={(event) => void submit(event)}
            noValidate
            aria-labelledby="new-message-heading"
            aria-describedby={ids.notice}
          >
            <div className={errors.errorFor(ids.recipient) ? 'field field--error' : 'field'}>
              <label className="field__label" htmlFor={ids.recipient}>
                {t('messages.compose.to')}
              </label>
              <p className="field__hint" id={`${ids.recipient}-hint`}>
                {t('messages.compose.toHint')}
              </p>
              {errors.errorFor(ids.recipient) && (
                <p className="field__error" id={`${ids.recipient}-error`}>
                  <span className="visually-hidden">{t('common.errorPrefix')}</span>
                  {errors.errorFor(ids.recipient)}
                </p>
              )}
              <select
                id={ids.recipient}
                className="input messaging-select"
                value={recipientValue}
                onChange={(event) => setRecipient(event.target.value)}
                required
                aria-invalid={errors.errorFor(ids.recipient) ? true : undefined}
                aria-describedby={[`${ids.recipient}-hint`, errors.errorFor(ids.recipient) ? `${ids.recipient}-error` : null]
                  .filter(Boolean)
                  .join(' ')}
              >
                <option value="">{t('messages.compose.toChoose')}</option>
                {pcp.length > 0 && (
                  <optgroup label={t('messages.compose.pcpGroup')}>
                    {pcp.map((r) => (
                      <option key={recipientKey(r)} value={recipientKey(r)} translate="no">
                        {r.label}
                      </option>
                    ))}
                  </optgroup>
                )}
                {seen.length > 0 && (
                  <optgroup label={t('messages.compose.seenGroup')}>
                    {seen.map((r) => (
                      <option key={recipientKey(r)} value={recipientKey(r)} translate="no">
                        {r.label}
                      </option>
                    ))}
                  </optgroup>
                )}
              </select>
            </div>

            <div className={errors.errorFor(ids.topic) ? 'field field--error' : 'field'}>
              <label className="field__label" htmlFor={ids.topic}>
                {t('messages.compose.topic')}
              </label>
              {errors.errorFor(ids.topic) && (
                <p className="field__error" id={`${ids.topic}-error`}>
                  <span className="visually-hidden">{t('common.errorPrefix')}</span>
                  {errors.errorFor(ids.topic)}
                </p>
              )}
              <select
                id={ids.topic}
                className="input messaging-select"
                value={topicValue}
                onChange={(event) => setTopic(event.target.value)}
                required
                aria-invalid={errors.errorFor(ids.topic) ? true : undefined}
                aria-describedby={errors.errorFor(ids.topic) ? `${ids.topic}-error` : undefined}
              >
                <option value="">{t('messages.compose.topicChoose')}</option>
                {topicChoices.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {t(choice.label)}
                  </option>
                ))}
              </select>
            </div>

            <TextField
              id={ids.subject}
              label={t('messages.compose.subject')}
              value={subjectValue}
              onValueChange={setSubject}
              hint={t('messages.compose.subjectHint', { max: messagingLimits.subjectMaxLength })}
              error={errors.errorFor(ids.subject)}
              autoComplete="off"
              required
            />
            <MessageBodyField
              id={ids.body}
              label={t('messages.compose.body')}
              value={body}
              onValueChange={setBody}
              hint={t('messages.compose.bodyHint')}
              error={errors.errorFor(ids.body)}
            />
            <AttachmentPicker id={ids.files} uploads={uploads} error={errors.errorFor(ids.files)} />
            {mayKeepPrivate && (
              <div className="checkbox">
                <input
                  type="checkbox"
                  id={ids.confidential}
                  checked={keepPrivate}
                  onChange={(event) => setKeepPrivate(event.target.checked)}
                  aria-describedby={`${ids.confidential}-hint`}
                />
                <label htmlFor={ids.confidential}>{t('messages.compose.keepPrivate')}</label>
                <p className="field__hint" id={`${ids.confidential}-hint`}>
                  {t('messages.compose.keepPrivateHint')}
                </p>
              </div>
            )}
            <button type="submit" className="button" disabled={pending}>
              {t('messages.compose.submit')}
            </button>
            <p className="live-text" role="status">
              {pending ? t('messages.compose.sending') : ''}
            </p>
          </form>
        </>
      )}
    </div>
  );
}
