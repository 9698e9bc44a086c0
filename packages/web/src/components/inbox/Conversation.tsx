import { useState } from 'react';
import type { MessageView } from '@portico/shared';
import { downloadInboxAttachment } from '../../api/inbox.ts';
import { errorMessage } from '../../api/client.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { roleLabel } from '../record/record-text.ts';
import { saveFile } from '../record/save-file.ts';
import type { Translate } from '../messages/message-text.ts';
import { formatFileSize } from './inbox-text.ts';

type Attachment = MessageView['attachments'][number];

/** One attachment as a button that downloads it (through the API client, so a lapsed session is noticed). */
function AttachmentDownload({ attachment }: { attachment: Attachment }) {
  const t = useT();
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
        <span className="visually-hidden">{t('inbox.files.download')} </span>
        <span translate="no">{attachment.fileName}</span>
      </button>{' '}
      <span className="muted">({formatFileSize(t, attachment.sizeBytes)})</span>
      {problem && (
        <span className="field__error" role="alert">
          {t('inbox.files.downloadFailed', { name: attachment.fileName, problem })}
        </span>
      )}
    </li>
  );
}

/**
 * A message's author in words: "Maria Alvarez (patient)", "James Whitaker, Nurse" (the name is data, the role is
 * translated; the comma joins them in every language), or "You (James Whitaker)".
 */
function authorOf(t: Translate, message: MessageView, patientName: string): string {
  if (message.mine) return t('inbox.you', { name: message.authorName });
  if (message.authorRole === 'patient') return t('inbox.conversation.patientAuthor', { name: message.authorName });
  if (message.authorRole === 'proxy') return t('inbox.conversation.proxyAuthor', { name: message.authorName, patient: patientName });
  return `${message.authorName}, ${roleLabel(message.authorRole, t)}`;
}

/**
 * The thread's messages, oldest first. Text is rendered as text (React escapes it; `white-space: pre-wrap` keeps the
 * writer's line breaks), never as HTML. Internal notes carry a visible label, not only a colour, so nobody mistakes
 * one for something the patient read.
 */
export function Conversation({ messages, patientName }: { messages: MessageView[]; patientName: string }) {
  const t = useT();
  if (messages.length === 0) return <p className="empty-state">{t('inbox.conversation.empty')}</p>;
  return (
    <ol className="conversation">
      {messages.map((message) => (
        <li key={message.id} className={message.internal ? 'message message--internal' : 'message'}>
          <article
            aria-label={t('inbox.conversation.label', {
              kind: message.internal ? 'note' : 'message',
              author: authorOf(t, message, patientName),
              date: formatDateTime(message.createdAt),
            })}
          >
            {message.internal && <p className="message__internal-label">{t('inbox.conversation.internalLabel')}</p>}
            <p className="message__meta">
              <strong>{authorOf(t, message, patientName)}</strong>
              <span className="record-meta">{formatDateTime(message.createdAt)}</span>
            </p>
            <p className="message__body" translate="no">
              {message.body}
            </p>
            {message.attachments.length > 0 && (
              <>
                <p className="message__attachments-title">{t('inbox.conversation.attachments')}</p>
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
