import { useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { downloadAttachment, type AttachmentInfo } from '../../api/messages.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { saveFile } from '../record/save-file.ts';
import { formatFileSize } from './message-text.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';

/** Where the last download of this list stands. */
type DownloadState = { kind: 'idle' } | { kind: 'pending' | 'done'; name: string } | { kind: 'failed'; name: string; message: string };

/** A message's files as download buttons: fetched with the session, held in memory, handed to the browser's download. */
export function AttachmentDownloads({ patientId, attachments }: { patientId: string; attachments: readonly AttachmentInfo[] }) {
  const [state, setState] = useState<DownloadState>({ kind: 'idle' });
  const t = useT();

  async function download(attachment: AttachmentInfo) {
    if (state.kind === 'pending') return;
    setState({ kind: 'pending', name: attachment.fileName });
    try {
      saveFile(await downloadAttachment(patientId, attachment));
      setState({ kind: 'done', name: attachment.fileName });
    } catch (error) {
      setState({ kind: 'failed', name: attachment.fileName, message: errorMessage(error) });
    }
  }

  return (
    <div className="messaging-files">
      <ul className="messaging-files__list" aria-label={t('messages.files.listLabel')}>
        {attachments.map((attachment) => (
          <li key={attachment.id} className="messaging-files__item">
            <button
              type="button"
              className="button button--secondary button--small messaging-file-button"
              aria-disabled={state.kind === 'pending'}
              onClick={() => void download(attachment)}
            >
              <span className="break-anywhere">
                <RichMessage id="messages.files.download" parts={{ name: <span translate="no">{attachment.fileName}</span> }} />
              </span>{' '}
              <span className="messaging-file-button__size">({formatFileSize(t, attachment.sizeBytes)})</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="live-text" role="status">
        {state.kind === 'pending'
          ? t('messages.files.downloading', { name: state.name })
          : state.kind === 'done'
            ? t('messages.files.downloaded', { name: state.name })
            : ''}
      </p>
      {state.kind === 'failed' && (
        <p className="field__error" role="alert">
          {t('messages.files.downloadFailed', { name: state.name, message: state.message })}
        </p>
      )}
    </div>
  );
}
