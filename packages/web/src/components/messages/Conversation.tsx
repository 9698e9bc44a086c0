import type { MessageView } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { useActingFor } from '../../session/acting-for.ts';
import { formatDateTime } from '../../lib/format.ts';
import { roleLabel } from '../record/record-text.ts';
import { AttachmentDownloads } from './AttachmentDownloads.tsx';
import type { Translate } from './message-text.ts';

/**
 * Whose record the thread is on, for the author line: the patient's name when someone acts for them (a proxy wrote,
 * or the reader is a proxy), else null.
 */
interface OnBehalf {
  patientName: string;
  /** The reader acts for the patient (the thread is not on their own record). */
  readerIsProxy: boolean;
}

/**
 * Who wrote a message, as the patient (or their proxy) reads it: "You", "You, for Leo Alvarez", "Sarah Chen,
 * Clinician", or "Ana Alvarez for Leo Alvarez" (names are data, the words are translated).
 */
export function authorLabel(t: Translate, message: MessageView, onBehalf: OnBehalf | null = null): string {
  if (message.mine)
    return onBehalf?.readerIsProxy ? t('messages.conversation.youFor', { patient: onBehalf.patientName }) : t('messages.conversation.you');
  if (message.authorRole === 'proxy' && onBehalf) {
    return t('messages.conversation.proxyAuthor', { name: message.authorName, patient: onBehalf.patientName });
  }
  if (message.authorRole === 'patient' || message.authorRole === 'proxy') return message.authorName;
  return `${message.authorName}, ${roleLabel(message.authorRole, t)}`;
}

/**
 * A thread's messages, oldest first. Text is rendered as text (React escapes it; never as HTML), with its line
 * breaks kept by CSS. Internal care-team notes never reach a patient; any that did would be left out here too.
 */
export function Conversation({ patientId, messages }: { patientId: string; messages: readonly MessageView[] }) {
  const t = useT();
  const { current, isOther } = useActingFor();
  const onBehalf = current && current.patientId === patientId ? { patientName: current.displayName, readerIsProxy: isOther } : null;
  const shown = messages.filter((m) => !m.internal).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  return (
    <ol className="messaging-conversation" aria-label={t('messages.conversation.label')}>
      {shown.map((message) => (
        <li key={message.id} className={message.mine ? 'messaging-message messaging-message--mine' : 'messaging-message'}>
          <article aria-label={`${authorLabel(t, message, onBehalf)}, ${formatDateTime(message.createdAt)}`}>
            <p className="messaging-message__author" translate="no">
              {authorLabel(t, message, onBehalf)}
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
