import { useState } from 'react';
import type { MessageView } from '@portico/shared';
import { downloadInboxAttachment } from '../../api/inbox.ts';
import { errorMessage } from '../../api/client.ts';
import { formatDateTime } from '../../lib/format.ts';
import { roleLabel } from '../record/record-text.ts';
import { saveFile } from '../record/save-file.ts';
import { formatFileSize } from './inbox-text.ts';

type Attachment = MessageView['attachments'][number];

/** One attachment as a button that downloads it (through the API client, so a lapsed session is noticed). */
function AttachmentDownload({ attachment }: { attachment: Attachment }) {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function download() {
    setPending(true);
    setProblem(null);
    try {
      saveFile(await downloadInboxAttachment(attachment.id, attachment.fileName, attachment.contentType));
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return (
    <li>
      <button type="button" className="button-link" aria-disabled={pending} onClick={() => void (pending ? undefined : download())}>
        <span className="visually-hidden">Download </span>
        {attachment.fileName}
      </button>{' '}
      <span className="muted">({formatFileSize(attachment.sizeBytes)})</span>
      {problem && (
        <span className="field__error" role="alert">
          Could not download {attachment.fileName}: {problem}
        </span>
      )}
    </li>
  );
}

/** A message's author in words: "Maria Alvarez (patient)", "James Whitaker, Nurse", or "You". */
function authorOf(message: MessageView): string {
  if (message.mine) return `You (${message.authorName})`;
  if (message.authorRole === 'patient') return `${message.authorName} (patient)`;
  return `${message.authorName}, ${roleLabel(message.authorRole)}`;
}

/**
 * The thread's messages, oldest first. Text is rendered as text (React escapes it; `white-space: pre-wrap` keeps the
 * writer's line breaks), never as HTML. Internal notes carry a visible label, not only a colour, so nobody mistakes
 * one for something the patient read.
 */
export function Conversation({ messages }: { messages: MessageView[] }) {
  if (messages.length === 0) return <p className="empty-state">No messages in this thread.</p>;
  return (
    <ol className="conversation">
      {messages.map((message) => (
        <li key={message.id} className={message.internal ? 'message message--internal' : 'message'}>
          <article
            aria-label={`${message.internal ? 'Internal note' : 'Message'} from ${authorOf(message)}, ${formatDateTime(message.createdAt)}`}
          >
            {message.internal && <p className="message__internal-label">Internal note — not shown to the patient</p>}
            <p className="message__meta">
              <strong>{authorOf(message)}</strong>
              <span className="record-meta">{formatDateTime(message.createdAt)}</span>
            </p>
            <p className="message__body">{message.body}</p>
            {message.attachments.length > 0 && (
              <>
                <p className="message__attachments-title">Attachments</p>
                <ul className="message__attachments">
                  {message.attachments.map((attachment) => (
                    <AttachmentDownload key={attachment.id} attachment={attachment} />
                  ))}
                </ul>
              </>
            )}
          </article>
        </li>
      ))}
    </ol>
  );
}
