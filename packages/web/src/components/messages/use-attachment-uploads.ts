import { useCallback, useMemo, useRef, useState } from 'react';
import { messagingLimits } from '@portico/shared';
import { errorMessage } from '../../api/client.ts';
import { uploadAttachment, type AttachmentInfo } from '../../api/messages.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatFileSize, type Translate } from './message-text.ts';

const allowedTypes: readonly string[] = messagingLimits.attachmentTypes;
const maxFiles = messagingLimits.attachmentsPerMessage;
const maxBytes = messagingLimits.attachmentMaxBytes;

/** The files of one message being written: uploaded ones, what is happening now, and what went wrong. */
export interface AttachmentUploads {
  attachments: AttachmentInfo[];
  /** What the upload is doing now, for a polite live region ("Uploading file 1 of 2: scan.pdf…"). */
  progress: string;
  /** Files refused or failed in the last choice, one sentence each. */
  problems: string[];
  isUploading: boolean;
  add: (files: readonly File[]) => void;
  remove: (id: string) => void;
  reset: () => void;
}

/** Why the browser refuses a file before sending it, or null when it may be uploaded (the server checks the bytes again). */
function refusal(t: Translate, file: File): string | null {
  if (!allowedTypes.includes(file.type)) return t('messages.files.refusedType', { name: file.name });
  if (file.size === 0) return t('messages.files.refusedEmpty', { name: file.name });
  if (file.size > maxBytes) {
    return t('messages.files.refusedSize', { name: file.name, size: formatFileSize(t, file.size), max: formatFileSize(t, maxBytes) });
  }
  return null;
}

/**
 * Checks chosen files in the browser (type, size, how many), then uploads them one at a time as soon as they are
 * chosen, so the message itself only carries their ids. Files live in memory only until they are uploaded.
 */
export function useAttachmentUploads(patientId: string): AttachmentUploads {
  const t = useT();
  const [attachments, setAttachments] = useState<AttachmentInfo[]>([]);
  const [progress, setProgress] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [pending, setPending] = useState(0);
  // Attached plus waiting to upload: what the five-file limit counts, read synchronously between choices.
  const slots = useRef(0);
  const queue = useRef<Promise<void>>(Promise.resolve());

  const add = useCallback(
    (files: readonly File[]) => {
      const refused: string[] = [];
      const accepted: File[] = [];
      for (const file of files) {
        const problem = refusal(t, file);
        if (problem) refused.push(problem);
        else if (slots.current + accepted.length >= maxFiles) {
          refused.push(t('messages.files.refusedCount', { name: file.name, max: maxFiles }));
        } else accepted.push(file);
      }
      setProblems(refused);
      slots.current += accepted.length;
      setPending((n) => n + accepted.length);
      accepted.forEach((file, index) => {
        queue.current = queue.current.then(async () => {
          setProgress(t('messages.files.uploading', { index: index + 1, total: accepted.length, name: file.name }));
          try {
            const info = await uploadAttachment(patientId, file);
            setAttachments((list) => [...list, info]);
            setProgress(t('messages.files.attached', { name: file.name }));
          } catch (error) {
            slots.current -= 1;
            setProblems((list) => [...list, t('messages.files.failed', { name: file.name, message: errorMessage(error) })]);
            setProgress(t('messages.files.failedShort', { name: file.name }));
          } finally {
            setPending((n) => n - 1);
          }
        });
      });
    },
    [patientId, t],
  );

  const remove = useCallback(
    (id: string) => {
      const gone = attachments.find((a) => a.id === id);
      if (!gone) return;
      slots.current -= 1;
      setAttachments((list) => list.filter((a) => a.id !== id));
      setProgress(t('messages.files.removed', { name: gone.fileName }));
    },
    [attachments, t],
  );

  const reset = useCallback(() => {
    slots.current = 0;
    setAttachments([]);
    setProblems([]);
    setProgress('');
  }, []);

  return useMemo(
    () => ({ attachments, progress, problems, isUploading: pending > 0, add, remove, reset }),
    [attachments, progress, problems, pending, add, remove, reset],
  );
}
