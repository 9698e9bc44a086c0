import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { messagingLimits } from '@portico/shared';
import { isApiError } from '../../api/client.ts';
import { messageKeys, replyToThread } from '../../api/messages.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { ErrorSummary } from '../ErrorSummary.tsx';
import { StatusMessage } from '../StatusMessage.tsx';
import { AttachmentPicker } from './AttachmentPicker.tsx';
import { showSendProblem } from './form-problems.ts';
import { useIdempotencyKey } from './idempotency-key.ts';
import { MessageBodyField } from './MessageBodyField.tsx';
import { useAttachmentUploads } from './use-attachment-uploads.ts';

const ids = { body: 'reply-body', files: 'reply-files' };

/** Which input a server validation error's `field` belongs to. */
function inputFor(field: string): string | null {
  if (field === 'body') return ids.body;
  if (field.startsWith('attachmentIds')) return ids.files;
  return null;
}

/** The reply box under an open thread; one Idempotency-Key per reply, reused if the same reply is sent again. */
export function ReplyForm({ patientId, threadId }: { patientId: string; threadId: string }) {
  const queryClient = useQueryClient();
  const t = useT();
  const headingId = useId();
  const [body, setBody] = useState('');
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  const errors = useFormErrors();
  const uploads = useAttachmentUploads(patientId);
  const idempotency = useIdempotencyKey();

  function validate(): FieldError[] {
    const problems: FieldError[] = [];
    if (body.trim().length === 0) problems.push({ id: ids.body, message: t('messages.reply.required') });
    else if (body.length > messagingLimits.bodyMaxLength) {
      problems.push({ id: ids.body, message: t('messages.reply.tooLong', { max: messagingLimits.bodyMaxLength }) });
    }
    if (uploads.isUploading) problems.push({ id: ids.files, message: t('messages.files.waitForUploads') });
    return problems;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    setSent(false);
    const problems = validate();
    if (problems.length > 0) {
      errors.show(problems);
      return;
    }
    setPending(true);
    try {
      await replyToThread(patientId, threadId, { body, attachmentIds: uploads.attachments.map((a) => a.id) }, idempotency.key);
      errors.clear();
      setBody('');
      uploads.reset();
      idempotency.renew();
      setSent(true);
      await queryClient.invalidateQueries({ queryKey: messageKeys.all(patientId) });
    } catch (error) {
      if (isApiError(error, 'thread_closed')) {
        errors.show([], t('messages.reply.closed'));
        await queryClient.invalidateQueries({ queryKey: messageKeys.thread(patientId, threadId) });
      } else if (isApiError(error, 'idempotency_key_reused')) {
        idempotency.renew();
        errors.show([], t('messages.reply.maybeSent'));
        await queryClient.invalidateQueries({ queryKey: messageKeys.thread(patientId, threadId) });
      } else {
        showSendProblem(errors, error, inputFor);
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="section messaging-reply" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('messages.reply.heading')}</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={headingId}>
        <ErrorSummary errors={errors} />
        {sent && <StatusMessage tone="success">{t('messages.reply.sent')}</StatusMessage>}
        <MessageBodyField
          id={ids.body}
          label={t('messages.reply.label')}
          value={body}
          onValueChange={setBody}
          hint={t('messages.reply.hint')}
          error={errors.errorFor(ids.body)}
          rows={6}
        />
        <AttachmentPicker id={ids.files} uploads={uploads} error={errors.errorFor(ids.files)} />
        <button type="submit" className="button" disabled={pending}>
          {t('messages.reply.submit')}
        </button>
        <p className="live-text" role="status">
          {pending ? t('messages.reply.sending') : ''}
        </p>
      </form>
    </section>
  );
}
