import type { MessageView } from '@portico/shared';
import { formatDateTime } from '../../lib/format.ts';
import { roleLabel } from '../record/record-text.ts';
import { AttachmentDownloads } from './AttachmentDownloads.tsx';

/** Who wrote a message, as the patient reads it: "You", or "Sarah Chen, Clinician". */
export function authorLabel(message: MessageView): string {
  return message.mine ? 'You' : `${message.authorName}, ${roleLabel(message.authorRole)}`;
}

/**
 * A thread's messages, oldest first. Text is rendered as text (React escapes it; never as HTML), with its line
 * breaks kept by CSS. Internal care-team notes never reach a patient; any that did would be left out here too.
 */
export function Conversation({ patientId, messages }: { patientId: string; messages: readonly MessageView[] }) {
  const shown = messages.filter((m) => !m.internal).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  return (
    <ol className="messaging-conversation" aria-label="Messages, oldest first">
      {shown.map((message) => (
        <li key={message.id} className={message.mine ? 'messaging-message messaging-message--mine' : 'messaging-message'}>
          <article aria-label={`${authorLabel(message)}, ${formatDateTime(message.createdAt)}`}>
            <p className="messaging-message__author">
              {authorLabel(message)}
              <time className="record-meta" dateTime={message.createdAt}>
                {formatDateTime(message.createdAt)}
              </time>
            </p>
            <p className="messaging-text">{message.body}</p>
            {message.attachments.length > 0 && <AttachmentDownloads patientId={patientId} attachments={message.attachments} />}
          </article>
        </li>
      ))}
    </ol>
  );
}
