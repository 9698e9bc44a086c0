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
import { topicChoices, type ChosenTopic } from '../../components/messages/message-text.ts';
import { messagePaths, useMessagingScope } from '../../components/messages/messaging-scope.ts';
import { useAttachmentUploads } from '../../components/messages/use-attachment-uploads.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { TextField } from '../../components/TextField.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';

const ids = {
  notice: 'new-message-emergency',
  recipient: 'new-message-recipient',
  topic: 'new-message-topic',
  subject: 'new-message-subject',
  body: 'new-message-body',
  files: 'new-message-files',
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

/** The follow-up's subject: the closed thread's, marked as a follow-up, within the limit. */
function followUpSubject(subject: string): string {
  const text = subject.startsWith('Follow-up: ') ? subject : `Follow-up: ${subject}`;
  return text.slice(0, messagingLimits.subjectMaxLength);
}

/**
 * `/messages/new`: the emergency notice first, then who to write to, the topic, subject, message and files. One
 * Idempotency-Key per form, reused on every retry, so a double click or a lost answer never makes two threads.
 */
export function NewMessagePage() {
  useDocumentTitle('New message');
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

  // A follow-up starts addressed like the closed thread, on its topic, with its subject; any of them can be changed.
  const earlier = previous.data?.thread ?? null;
  const list = recipients.data ?? [];
  const earlierRecipient = earlier ? list.find((r) => r.label === earlier.recipientLabel) : undefined;
  const recipientValue = recipient ?? (earlierRecipient ? recipientKey(earlierRecipient) : '');
  const topicValue = topic ?? (earlier && isChosenTopic(earlier.topic) ? earlier.topic : '');
  const subjectValue = subject ?? (earlier ? followUpSubject(earlier.subject) : '');
  const pcp = list.filter((r) => r.reason === 'pcp');
  const seen = list.filter((r) => r.reason !== 'pcp');

  function validate(): FieldError[] {
    const problems: FieldError[] = [];
    if (!list.some((r) => recipientKey(r) === recipientValue)) problems.push({ id: ids.recipient, message: 'Choose who to write to.' });
    if (!isChosenTopic(topicValue)) problems.push({ id: ids.topic, message: 'Choose what your message is about.' });
    if (subjectValue.trim().length === 0) problems.push({ id: ids.subject, message: 'Write a subject.' });
    else if (subjectValue.length > messagingLimits.subjectMaxLength) {
      problems.push({ id: ids.subject, message: `Keep the subject to ${messagingLimits.subjectMaxLength} characters or fewer.` });
    }
    if (body.trim().length === 0) problems.push({ id: ids.body, message: 'Write your message.' });
    else if (body.length > messagingLimits.bodyMaxLength) {
      problems.push({
        id: ids.body,
        message: `Shorten your message to ${messagingLimits.bodyMaxLength.toLocaleString()} characters or fewer.`,
      });
    }
    if (uploads.isUploading) problems.push({ id: ids.files, message: 'Wait until your files finish uploading, then send.' });
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
        errors.show([], 'An earlier try of this message may have been sent already. Check your messages before you send it again.');
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
        <Link to={messagePaths.list}>All messages</Link>
      </p>
      <h1 id="new-message-heading">New message</h1>
      <EmergencyNotice id={ids.notice} />
      {previousThreadId && (
        <p className="notice">
          This message follows up an earlier conversation
          {earlier ? (
            <>
              :{' '}
              <Link to={messagePaths.thread(previousThreadId)} className="break-anywhere">
                {earlier.subject}
              </Link>
            </>
          ) : (
            ''
          )}
          . Your care team will see them together.
        </p>
      )}
      {recipients.isError && !recipients.data ? (
        <QueryProblem error={recipients.error} what="who you can write to" onRetry={() => void recipients.refetch()} />
      ) : recipients.isPending ? (
        <p role="status">Loading who you can write to…</p>
      ) : list.length === 0 ? (
        <p className="empty-state">
          There is no care team you can message through Portico yet. Once you have a primary care provider or a visit, you can write to them
          here. Until then, call your clinic.
        </p>
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
                To
              </label>
              <p className="field__hint" id={`${ids.recipient}-hint`}>
                Your primary care provider is listed first. A message to a care team is read by its doctors, nurses and staff.
              </p>
              {errors.errorFor(ids.recipient) && (
                <p className="field__error" id={`${ids.recipient}-error`}>
                  <span className="visually-hidden">Error: </span>
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
                <option value="">Choose who to write to</option>
                {pcp.length > 0 && (
                  <optgroup label="Your primary care provider">
                    {pcp.map((r) => (
                      <option key={recipientKey(r)} value={recipientKey(r)}>
                        {r.label}
                      </option>
                    ))}
                  </optgroup>
                )}
                {seen.length > 0 && (
                  <optgroup label="Care teams and clinicians from your visits">
                    {seen.map((r) => (
                      <option key={recipientKey(r)} value={recipientKey(r)}>
                        {r.label}
                      </option>
                    ))}
                  </optgroup>
                )}
              </select>
            </div>

            <div className={errors.errorFor(ids.topic) ? 'field field--error' : 'field'}>
              <label className="field__label" htmlFor={ids.topic}>
                What is it about?
              </label>
              {errors.errorFor(ids.topic) && (
                <p className="field__error" id={`${ids.topic}-error`}>
                  <span className="visually-hidden">Error: </span>
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
                <option value="">Choose a topic</option>
                {topicChoices.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </select>
            </div>

            <TextField
              id={ids.subject}
              label="Subject"
              value={subjectValue}
              onValueChange={setSubject}
              hint={`A few words your care team will see first, up to ${messagingLimits.subjectMaxLength} characters.`}
              error={errors.errorFor(ids.subject)}
              autoComplete="off"
              required
            />
            <MessageBodyField
              id={ids.body}
              label="Message"
              value={body}
              onValueChange={setBody}
              hint="Say what is happening and what you would like your care team to do. To ask for a refill, use Request a refill instead."
              error={errors.errorFor(ids.body)}
            />
            <AttachmentPicker id={ids.files} uploads={uploads} error={errors.errorFor(ids.files)} />
            <button type="submit" className="button" disabled={pending}>
              Send
            </button>
            <p className="live-text" role="status">
              {pending ? 'Sending your message…' : ''}
            </p>
          </form>
        </>
      )}
    </div>
  );
}
