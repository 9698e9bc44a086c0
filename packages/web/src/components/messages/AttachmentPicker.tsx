import { useRef } from 'react';
import { messagingLimits } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatFileSize } from './message-text.ts';
import type { AttachmentUploads } from './use-attachment-uploads.ts';

/** Props of the file chooser of a message. */
interface AttachmentPickerProps {
  id: string;
  uploads: AttachmentUploads;
  /** A problem the form found (e.g. sending while files upload), linked from the error summary. */
  error?: string | undefined;
}

const accept = [...messagingLimits.attachmentTypes, '.pdf', '.jpg', '.jpeg', '.png'].join(',');

/**
 * Choose files for a message: checked in the browser with clear reasons, uploaded one by one with progress read
 * out politely, and each removable before sending.
 */
export function AttachmentPicker({ id, uploads, error }: AttachmentPickerProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const t = useT();
  const hintId = `${id}-hint`;
  const problemsId = `${id}-problems`;
  const errorId = `${id}-error`;
  const { attachments, problems, progress } = uploads;
  const invalid = Boolean(error) || problems.length > 0;
  const describedBy = [hintId, error ? errorId : null, problems.length > 0 ? problemsId : null].filter(Boolean).join(' ');

  return (
    <div className={invalid ? 'field field--error' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {t('messages.files.label')}
      </label>
      <p className="field__hint" id={hintId}>
        {t('messages.files.hint', {
          count: messagingLimits.attachmentsPerMessage,
          size: formatFileSize(t, messagingLimits.attachmentMaxBytes),
        })}
      </p>
      {error && (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">{t('common.errorPrefix')}</span>
          {error}
        </p>
      )}
      {problems.length > 0 && (
        <div className="field__error" id={problemsId} role="alert">
          <ul className="plain-list">
            {problems.map((problem, index) => (
              <li key={index}>
                <span className="visually-hidden">{t('common.errorPrefix')}</span>
                {problem}
              </li>
            ))}
          </ul>
        </div>
      )}
      <input
        ref={inputRef}
        id={id}
        type="file"
        className="input messaging-file-input"
        accept={accept}
        multiple
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy}
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          // Clear the choice, so choosing the same file again (after removing it) still counts as a change.
          event.target.value = '';
          if (files.length > 0) uploads.add(files);
        }}
      />
      <p className="live-text messaging-progress" role="status">
        {progress}
      </p>
      {attachments.length > 0 && (
        <ul className="messaging-files__list" aria-label={t('messages.files.listLabel')}>
          {attachments.map((attachment) => (
            <li key={attachment.id} className="messaging-files__item">
              <span className="break-anywhere" translate="no">
                {attachment.fileName} <span className="muted">({formatFileSize(t, attachment.sizeBytes)})</span>
              </span>
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={() => {
                  uploads.remove(attachment.id);
                  inputRef.current?.focus();
                }}
              >
                {t('messages.files.remove')}
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
  );
}
