import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { messagingLimits } from '@portico/shared';
import { errorMessage, isApiError } from '../../api/client.ts';
import { sendStaffReply, uploadInboxAttachment, type AttachmentInfo } from '../../api/inbox.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { MessageBodyField } from '../messages/MessageBodyField.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { useDraftKey } from './draft-key.ts';
import { formatFileSize } from './inbox-text.ts';
import { useTemplates } from './inbox-queries.ts';

const ids = {
  template: 'inbox-reply-template',
  body: 'inbox-reply-body',
  internal: 'inbox-reply-internal',
  holding: 'inbox-reply-holding',
  files: 'inbox-reply-files',
};

/** How long typing must pause before the character count is read out (as GOV.UK's character count does). */
const countAnnounceDelayMs = 1000;

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
type Sent = 'reply' | 'holding' | 'note' | null;

/**
 * The message's length against the limit, read out politely once typing pauses: the visible count under the field
 * (MessageBodyField) changes on every key, which a screen reader would otherwise either miss or read on every key.
 */
function CountAnnouncer({ length }: { length: number }) {
  const t = useT();
  const [spoken, setSpoken] = useState('');
  const max = messagingLimits.bodyMaxLength;
  useEffect(() => {
    if (length === 0) return;
    const timer = setTimeout(() => {
      const over = length - max;
      setSpoken(over > 0 ? t('messages.body.over', { over, max }) : t('messages.body.count', { used: length, max }));
    }, countAnnounceDelayMs);
    return () => clearTimeout(timer);
  }, [length, max, t]);
  return (
    <p className="visually-hidden" aria-live="polite">
      {length === 0 ? '' : spoken}
    </p>
  );
}

/** The quick-reply picker: choose a pool's template and insert its text into the message for editing. */
function TemplatePicker({
  departmentId,
  onInsert,
  error,
}: {
  departmentId: string;
  onInsert: (template: { body: string; holding: boolean } | null) => void;
  error?: string;
}) {
  const t = useT();
  const templates = useTemplates(departmentId);
  const [chosen, setChosen] = useState('');
  const hintId = `${ids.template}-hint`;
  const errorId = `${ids.template}-error`;
  const list = templates.data ?? [];

  if (templates.isError) return <p className="field__hint">{t('inbox.reply.templatesFailed')}</p>;
  if (templates.isPending) return <p className="field__hint">{t('inbox.reply.templatesLoading')}</p>;
  if (list.length === 0) return <p className="field__hint">{t('inbox.reply.noTemplates')}</p>;
  return (
    <div className={error ? 'field field--error template-picker' : 'field template-picker'}>
      <label className="field__label" htmlFor={ids.template}>
        {t('inbox.reply.template')}
      </label>
      <p className="field__hint" id={hintId}>
        {t('inbox.reply.templateHint')}
      </p>
      {error && (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">{t('common.errorPrefix')}</span>
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
          <option value="">{t('inbox.reply.templateChoose')}</option>
          {list.map((template) => (
            <option key={template.id} value={template.id} translate="no">
              {template.title}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            onInsert(list.find((item) => item.id === chosen) ?? null);
          }}
        >
          {t('inbox.reply.templateInsert')}
        </button>
      </div>
    </div>
  );
}

/**
 * The reply box: a message the patient reads (a full reply, or a holding reply that keeps the thread in the pool's
 * to-do), or an internal note only staff see; quick replies (a holding one marks the reply as holding); up to five PDF,
 * JPEG or PNG files of at most 10 MB. The text is counted against the 10,000-character limit as it is typed and is
 * never cut short: a longer one is refused here before it is sent. A draft keeps one Idempotency-Key until it is sent,
 * so a retry cannot post twice.
 */
export function ReplyForm({ threadId, departmentId, onChanged }: ReplyFormProps) {
  const t = useT();
  const headingId = useId();
  const errors = useFormErrors();
  const draftKey = useDraftKey();
  const [body, setBody] = useState('');
  const [internal, setInternal] = useState(false);
  const [holding, setHolding] = useState(false);
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

  function insert(template: { body: string; holding: boolean } | null) {
    setSent(null);
    if (template === null) {
      errors.show([{ id: ids.template, message: t('inbox.reply.templateRequired') }]);
      return;
    }
    const text = template.body;
    if (template.holding) {
      // A holding quick reply ("we received your message") goes to the patient, marked as holding.
      setHolding(true);
      setInternal(false);
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
    if (files.length > room) problems.push(t('inbox.reply.tooManyFiles', { max: maxFiles }));
    const accepted = files.slice(0, Math.max(room, 0)).filter((file) => {
      if (!allowedTypes.includes(file.type)) problems.push(t('inbox.reply.fileType', { name: file.name }));
      else if (file.size > maxBytes) problems.push(t('inbox.reply.fileTooLarge', { name: file.name, size: formatFileSize(t, maxBytes) }));
      else if (file.size === 0) problems.push(t('inbox.reply.fileEmpty', { name: file.name }));
      else return true;
      return false;
    });
    setUploading((n) => n + accepted.length);
    for (const file of accepted) {
      try {
        const info = await uploadInboxAttachment(threadId, file);
        setAttachments((list) => [...list, info]);
      } catch (error) {
        problems.push(t('inbox.reply.fileFailed', { name: file.name, message: errorMessage(error) }));
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
    if (body.trim().length === 0)
      problems.push({ id: ids.body, message: t(internal ? 'inbox.reply.noteRequired' : 'inbox.reply.bodyRequired') });
    else if (body.length > messagingLimits.bodyMaxLength) {
      problems.push({ id: ids.body, message: t('inbox.form.tooLong', { max: messagingLimits.bodyMaxLength }) });
    }
    if (uploading > 0) problems.push({ id: ids.files, message: t('inbox.reply.waitForFiles') });
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    const reply = { body, attachmentIds: attachments.map((a) => a.id), internal, holding: holding && !internal };
    setPending(true);
    try {
      await sendStaffReply(threadId, reply, draftKey.keyFor(reply));
      draftKey.sent();
      errors.clear();
      setBody('');
      setAttachments([]);
      setInternal(false);
      setHolding(false);
      setSent(reply.internal ? 'note' : reply.holding ? 'holding' : 'reply');
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
      <h2 id={headingId}>{t('inbox.reply.heading')}</h2>
      <form className="form form--inset reply__form" onSubmit={(event) => void submit(event)} noValidate>
        <ErrorSummary errors={errors} />
        {sent === 'reply' && <StatusMessage tone="success">{t('inbox.reply.sent')}</StatusMessage>}
        {sent === 'holding' && <StatusMessage tone="success">{t('inbox.reply.holdingSent')}</StatusMessage>}
        {sent === 'note' && <StatusMessage tone="success">{t('inbox.reply.noteAdded')}</StatusMessage>}
        <p className="visually-hidden" role="status">
          {inserted > 0 && sent === null ? t('inbox.reply.inserted') : ''}
        </p>
        <TemplatePicker departmentId={departmentId} onInsert={insert} error={errors.errorFor(ids.template)} />
        <MessageBodyField
          id={ids.body}
          label={t('inbox.reply.body')}
          value={body}
          onValueChange={setBody}
          hint={t('inbox.reply.bodyHint')}
          error={errors.errorFor(ids.body)}
          rows={6}
        />
        <CountAnnouncer length={body.length} />
        <div className={internal ? 'checkbox checkbox--internal' : 'checkbox'}>
          <input
            type="checkbox"
            id={ids.internal}
            checked={internal}
            onChange={(event) => {
              setInternal(event.target.checked);
              if (event.target.checked) setHolding(false);
            }}
          />
          <label htmlFor={ids.internal}>{t('inbox.reply.internal')}</label>
        </div>
        <div className="checkbox">
          <input
            type="checkbox"
            id={ids.holding}
            checked={holding && !internal}
            disabled={internal}
            onChange={(event) => setHolding(event.target.checked)}
            aria-describedby={`${ids.holding}-hint`}
          />
          <label htmlFor={ids.holding}>{t('inbox.reply.holding')}</label>
          <p className="field__hint checkbox__hint" id={`${ids.holding}-hint`}>
            {t('inbox.reply.holdingHint')}
          </p>
        </div>
        <div className={fileError ? 'field field--error' : 'field'}>
          <label className="field__label" htmlFor={ids.files}>
            {t('inbox.reply.files')}
          </label>
          <p className="field__hint" id={`${ids.files}-hint`}>
            {t('inbox.reply.filesHint', { size: formatFileSize(t, maxBytes), max: maxFiles })}
          </p>
          {fileError && (
            <p className="field__error" id={`${ids.files}-error`}>
              <span className="visually-hidden">{t('common.errorPrefix')}</span>
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
            {uploading > 0 ? t('inbox.reply.attaching', { count: uploading }) : ''}
          </p>
          {attachments.length > 0 && (
            <ul className="attachment-list" aria-label={t('inbox.reply.attached')}>
              {attachments.map((attachment) => (
                <li key={attachment.id}>
                  {attachment.fileName} <span className="muted">({formatFileSize(t, attachment.sizeBytes)})</span>{' '}
                  <button
                    type="button"
                    className="button-link"
                    onClick={() => setAttachments((list) => list.filter((a) => a.id !== attachment.id))}
                  >
                    {t('inbox.reply.remove')}
                    <span className="visually-hidden" translate="no">
                      {' '}
                      {attachment.fileName}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <button type="submit" className="button" disabled={pending}>
          {t('inbox.reply.submit')}
        </button>
      </form>
    </section>
  );
}
