import { useState } from 'react';
import { errorMessage } from '../../api/client.ts';
import { downloadAttachment, type AttachmentInfo } from '../../api/messages.ts';
import { saveFile } from '../record/save-file.ts';
import { formatFileSize } from './message-text.ts';

/** Where the last download of this list stands. */
type DownloadState = { kind: 'idle' } | { kind: 'pending' | 'done'; name: string } | { kind: 'failed'; name: string; message: string };

/** A message's files as download buttons: fetched with the session, held in memory, handed to the browser's download. */
export function AttachmentDownloads({ patientId, attachments }: { patientId: string; attachments: readonly AttachmentInfo[] }) {
  const [state, setState] = useState<DownloadState>({ kind: 'idle' });

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
      <ul className="messaging-files__list" aria-label="Attached files">
        {attachments.map((attachment) => (
          <li key={attachment.id} className="messaging-files__item">
            <button
              type="button"
              className="button button--secondary button--small messaging-file-button"
              aria-disabled={state.kind === 'pending'}
              onClick={() => void download(attachment)}
            >
              <span className="break-anywhere">Download {attachment.fileName}</span>{' '}
              <span className="messaging-file-button__size">({formatFileSize(attachment.sizeBytes)})</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="live-text" role="status">
        {state.kind === 'pending' ? `Downloading ${state.name}…` : state.kind === 'done' ? `${state.name} downloaded.` : ''}
      </p>
      {state.kind === 'failed' && (
        <p className="field__error" role="alert">
          {state.name} could not be downloaded. {state.message}
        </p>
      )}
    </div>
  );
}
