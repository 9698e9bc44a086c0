import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { messagingLimits } from '@portico/shared';
import { isApiError } from '../../api/client.ts';
import { messageKeys, replyToThread } from '../../api/messages.ts';
import { useFormErrors, type FieldError } from '../../hooks/use-form-errors.ts';
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
  const headingId = useId();
  const [body, setBody] = useState('');
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState(false);
  const errors = useFormErrors();
  const uploads = useAttachmentUploads(patientId);
  const idempotency = useIdempotencyKey();

  function validate(): FieldError[] {
    const problems: FieldError[] = [];
    if (body.trim().length === 0) problems.push({ id: ids.body, message: 'Write your reply.' });
    else if (body.length > messagingLimits.bodyMaxLength) {
      problems.push({
        id: ids.body,
        message: `Shorten your reply to ${messagingLimits.bodyMaxLength.toLocaleString()} characters or fewer.`,
      });
    }
    if (uploads.isUploading) problems.push({ id: ids.files, message: 'Wait until your files finish uploading, then send.' });
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
        errors.show([], 'Your care team has closed this conversation, so the reply was not sent. Start a new message instead.');
        await queryClient.invalidateQueries({ queryKey: messageKeys.thread(patientId, threadId) });
      } else if (isApiError(error, 'idempotency_key_reused')) {
        idempotency.renew();
        errors.show([], 'An earlier try of this reply may have been sent already. Check the conversation above before you send it again.');
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
      <h2 id={headingId}>Reply</h2>
      <form className="form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={headingId}>
        <ErrorSummary errors={errors} />
        {sent && <StatusMessage tone="success">Your reply was sent. Your care team will see it in their inbox.</StatusMessage>}
        <MessageBodyField
          id={ids.body}
          label="Your reply"
          value={body}
          onValueChange={setBody}
          hint="Write as you would to your care team in person. Messages are not for emergencies: call 911."
          error={errors.errorFor(ids.body)}
          rows={6}
        />
        <AttachmentPicker id={ids.files} uploads={uploads} error={errors.errorFor(ids.files)} />
        <button type="submit" className="button" disabled={pending}>
          Send reply
        </button>
        <p className="live-text" role="status">
          {pending ? 'Sending your reply…' : ''}
        </p>
      </form>
    </section>
  );
}
