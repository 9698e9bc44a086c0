import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { messagingLimits } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { sendStaffReply, uploadInboxAttachment, type AttachmentInfo } from '../../api/inbox.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { TextAreaField } from '../TextAreaField.tsx';
import { useDraftKey } from './draft-key.ts';
import { formatFileSize } from './inbox-text.ts';
import { useTemplates } from './inbox-queries.ts';

const ids = {
  template: 'inbox-reply-template',
  body: 'inbox-reply-body',
  internal: 'inbox-reply-internal',
  files: 'inbox-reply-files',
};

const allowedTypes: readonly string[] = messagingLimits.attachmentTypes;
const maxFiles = messagingLimits.attachmentsPerMessage;
const maxBytes = messagingLimits.attachmentMaxBytes;

/** Props of the reply box. */
interface ReplyFormProps {
  threadId: string;
  /** The thread's pool, whose quick replies the picker offers. */
  departmentId: string;
  /** Refetches the thread (and the inbox's counts) after a send or a closed-thread answer. */
  onChanged: () => Promise<unknown>;
}

/** What the last send did, for the status line. */
type Sent = 'reply' | 'note' | null;

/** The quick-reply picker: choose a pool's template and insert its text into the message for editing. */
function TemplatePicker({ departmentId, onInsert, error }: { departmentId: string; onInsert: (text: string) => void; error?: string }) {
  const templates = useTemplates(departmentId);
  const [chosen, setChosen] = useState('');
  const hintId = `${ids.template}-hint`;
  const errorId = `${ids.template}-error`;
  const list = templates.data ?? [];

  if (templates.isError) return <p className="field__hint">Quick replies could not be loaded; write the message yourself.</p>;
  if (templates.isPending) return <p className="field__hint">Loading quick replies…</p>;
  if (list.length === 0) return <p className="field__hint">This pool has no quick replies yet.</p>;
  return (
    <div className={error ? 'field field--error template-picker' : 'field template-picker'}>
      <label className="field__label" htmlFor={ids.template}>
        Quick reply
      </label>
      <p className="field__hint" id={hintId}>
        Inserts the text where the cursor is in the message, for you to edit before sending.
      </p>
      {error && (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      )}
      <div className="template-picker__row">
        <select
          id={ids.template}
          className="input"
          value={chosen}
          onChange={(event) => setChosen(event.target.value)}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          aria-invalid={error ? true : undefined}
        >
          <option value="">Choose a quick reply</option>
          {list.map((template) => (
            <option key={template.id} value={template.id}>
              {template.title}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            const template = list.find((t) => t.id === chosen);
            onInsert(template ? template.body : '');
          }}
        >
          Insert quick reply
        </button>
      </div>
    </div>
  );
}

/**
 * The reply box: a message the patient reads, or an internal note only staff see; quick replies; up to five PDF,
 * JPEG or PNG files of at most 10 MB. A draft keeps one Idempotency-Key until it is sent, so a retry cannot post twice.
 */
export function ReplyForm({ threadId, departmentId, onChanged }: ReplyFormProps) {
  const headingId = useId();
  const errors = useFormErrors();
  const draftKey = useDraftKey();
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [attachments, setAttachments] = useState<AttachmentInfo[]>([]);
  const [uploading, setUploading] = useState(0);
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState<Sent>(null);
  const [inserted, setInserted] = useState(0);
  const caret = useRef<number | null>(null);

  // After a quick reply goes in, put the cursor at its end, so editing starts where the inserted text stops.
  useEffect(() => {
    if (caret.current === null) return;
    const box = document.getElementById(ids.body);
    if (box instanceof HTMLTextAreaElement) {
      box.focus();
      box.setSelectionRange(caret.current, caret.current);
    }
    caret.current = null;
  }, [body, inserted]);

  function insert(text: string) {
    setSent(null);
    if (text === '') {
      errors.show([{ id: ids.template, message: 'Choose a quick reply to insert.' }]);
      return;
    }
    const box = document.getElementById(ids.body);
    const start = box instanceof HTMLTextAreaElement ? box.selectionStart : body.length;
    const end = box instanceof HTMLTextAreaElement ? box.selectionEnd : body.length;
    errors.clear();
    setBody(body.slice(0, start) + text + body.slice(end));
    caret.current = start + text.length;
    setInserted((n) => n + 1);
  }

  async function addFiles(event: ChangeEvent<HTMLInputElement>) {
    const input = event.target;
    const files = Array.from(input.files ?? []);
    input.value = '';
    setSent(null);
    const problems: string[] = [];
    const room = maxFiles - attachments.length - uploading;
    if (files.length > room) problems.push(`Attach at most ${maxFiles} files to one message.`);
    const accepted = files.slice(0, Math.max(room, 0)).filter((file) => {
      if (!allowedTypes.includes(file.type)) problems.push(`${file.name} is not a PDF, JPEG or PNG file.`);
      else if (file.size > maxBytes) problems.push(`${file.name} is larger than ${formatFileSize(maxBytes)}.`);
      else if (file.size === 0) problems.push(`${file.name} is empty.`);
      else return true;
      return false;
    });
    setUploading((n) => n + accepted.length);
    for (const file of accepted) {
      try {
        const info = await uploadInboxAttachment(threadId, file);
        setAttachments((list) => [...list, info]);
      } catch (error) {
        problems.push(`${file.name} could not be attached: ${errorMessage(error)}`);
      } finally {
        setUploading((n) => n - 1);
      }
    }
    if (problems.length > 0) errors.show([{ id: ids.files, message: problems.join(' ') }]);
    else errors.clear();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSent(null);
    const problems: FieldError[] = [];
    if (body.trim().length === 0) problems.push({ id: ids.body, message: internal ? 'Write the note.' : 'Write a message.' });
    else if (body.length > messagingLimits.bodyMaxLength) {
      problems.push({ id: ids.body, message: `Write at most ${messagingLimits.bodyMaxLength} characters.` });
    }
    if (uploading > 0) problems.push({ id: ids.files, message: 'Wait for the files to finish attaching.' });
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    const reply = { body, attachmentIds: attachments.map((a) => a.id), internal };
    setPending(true);
    try {
      await sendStaffReply(threadId, reply, draftKey.keyFor(reply));
      draftKey.sent();
      errors.clear();
      setBody('');
      setAttachments([]);
      setInternal(false);
      setSent(internal ? 'note' : 'reply');
      await onChanged();
    } catch (error) {
      const message = errorMessage(error);
      if (isApiError(error, 'validation_failed') && error.field === 'body') errors.show([{ id: ids.body, message }]);
      else if (isApiError(error, 'validation_failed') && error.field === 'attachmentIds') errors.show([{ id: ids.files, message }]);
      else errors.show([], message);
      if (isApiError(error, 'thread_closed')) await onChanged();
    } finally {
      setPending(false);
    }
  }

  const fileError = errors.errorFor(ids.files);
  return (
    <section className="section reply" aria-labelledby={headingId}>
      <h2 id={headingId}>Reply</h2>
      <form className="form form--inset reply__form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        {sent === 'reply' && <StatusMessage tone="success">Reply sent. The patient can read it now.</StatusMessage>}
        {sent === 'note' && <StatusMessage tone="success">Internal note added. The patient does not see it.</StatusMessage>}
        <p className="visually-hidden" role="status">
          {inserted > 0 && sent === null ? 'Quick reply inserted. Edit it before sending.' : ''}
        </p>
        <TemplatePicker departmentId={departmentId} onInsert={insert} error={errors.errorFor(ids.template)} />
        <TextAreaField
          id={ids.body}
          label="Message"
          value={body}
          onValueChange={setBody}
          hint="The patient reads this with your name and role, unless you mark it as an internal note."
          error={errors.errorFor(ids.body)}
          rows={6}
          maxLength={messagingLimits.bodyMaxLength}
          required
        />
        <div className={internal ? 'checkbox checkbox--internal' : 'checkbox'}>
          <input type="checkbox" id={ids.internal} checked={internal} onChange={(event) => setInternal(event.target.checked)} />
          <label htmlFor={ids.internal}>Internal note (not shown to the patient)</label>
        </div>
        <div className={fileError ? 'field field--error' : 'field'}>
          <label className="field__label" htmlFor={ids.files}>
            Attach files
          </label>
          <p className="field__hint" id={`${ids.files}-hint`}>
            PDF, JPEG or PNG, up to {formatFileSize(maxBytes)} each, at most {maxFiles} files.
          </p>
          {fileError && (
            <p className="field__error" id={`${ids.files}-error`}>
              <span className="visually-hidden">Error: </span>
              {fileError}
            </p>
          )}
          <input
            type="file"
            id={ids.files}
            className="input inbox-file"
            accept={[...allowedTypes, '.pdf', '.jpg', '.jpeg', '.png'].join(',')}
            multiple
            onChange={(event) => void addFiles(event)}
            disabled={attachments.length + uploading >= maxFiles}
            aria-describedby={fileError ? `${ids.files}-hint ${ids.files}-error` : `${ids.files}-hint`}
            aria-invalid={fileError ? true : undefined}
          />
          <p className="field__hint" role="status">
            {uploading > 0 ? `Attaching ${uploading} ${uploading === 1 ? 'file' : 'files'}…` : ''}
          </p>
          {attachments.length > 0 && (
            <ul className="attachment-list" aria-label="Attached files">
              {attachments.map((attachment) => (
                <li key={attachment.id}>
                  {attachment.fileName} <span className="muted">({formatFileSize(attachment.sizeBytes)})</span>{' '}
                  <button
                    type="button"
                    className="button-link"
                    onClick={() => setAttachments((list) => list.filter((a) => a.id !== attachment.id))}
                  >
                    Remove<span className="visually-hidden"> {attachment.fileName}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <button type="submit" className="button" disabled={pending}>
          Send
        </button>
      </form>
    </section>
  );
}
