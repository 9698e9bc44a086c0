import type { MessageView } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { roleLabel } from '../record/record-text.ts';
import { AttachmentDownloads } from './AttachmentDownloads.tsx';
import type { Translate } from './message-text.ts';

/**
 * Who wrote a message, as the patient reads it: "You", or "Sarah Chen, Clinician" (the name is data, the role is
 * translated; the comma joins them in every language).
 */
export function authorLabel(t: Translate, message: MessageView): string {
  return message.mine ? t('messages.conversation.you') : `${message.authorName}, ${roleLabel(message.authorRole, t)}`;
}

/** The author line: the name, which is data, kept out of the browser's translation. */
function Author({ message }: { message: MessageView }) {
  const t = useT();
  if (message.mine) return <>{t('messages.conversation.you')}</>;
  return (
    <>
      <span translate="no">{message.authorName}</span>, {roleLabel(message.authorRole, t)}
    </>
  );
}

/**
 * A thread's messages, oldest first. Text is rendered as text (React escapes it; never as HTML), with its line
 * breaks kept by CSS. Internal care-team notes never reach a patient; any that did would be left out here too.
 */
export function Conversation({ patientId, messages }: { patientId: string; messages: readonly MessageView[] }) {
  const t = useT();
  const shown = messages.filter((m) => !m.internal).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  return (
    <ol className="messaging-conversation" aria-label={t('messages.conversation.label')}>
      {shown.map((message) => (
        <li key={message.id} className={message.mine ? 'messaging-message messaging-message--mine' : 'messaging-message'}>
          <article aria-label={`${authorLabel(t, message)}, ${formatDateTime(message.createdAt)}`}>
            <p className="messaging-message__author">
              <Author message={message} />
              <time className="record-meta" dateTime={message.createdAt}>
                {formatDateTime(message.createdAt)}
              </time>
            </p>
            <p className="messaging-text" translate="no">
              {message.body}
            </p>
            {message.attachments.length > 0 && <AttachmentDownloads patientId={patientId} attachments={message.attachments} />}
          </article>
        </li>
      ))}
    </ol>
  );
}
