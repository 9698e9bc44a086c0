import type { RefillView, ThreadSummary } from '@portico/shared';
import type { MessageId, MessageValues } from '@portico/shared/i18n';
import { formatLocale } from '../../lib/format.ts';

/** Words for messaging's codes, so a patient reads "Answered", never a bare `answered`: catalogue ids, translated at render. */

/** The translator as useT() gives it, for helpers called while rendering. */
export type Translate = (id: MessageId, values?: MessageValues) => string;

/** Topics a patient may choose, in the order the form lists them. */
export const topicChoices = [
  { value: 'medical_question', label: 'messages.topic.medicalQuestion' },
  { value: 'prescription_question', label: 'messages.topic.prescriptionQuestion' },
  { value: 'test_result_question', label: 'messages.topic.testResultQuestion' },
  { value: 'appointment', label: 'messages.topic.appointment' },
  { value: 'billing', label: 'messages.topic.billing' },
  { value: 'other', label: 'messages.topic.other' },
] as const satisfies readonly { value: string; label: MessageId }[];

/** What a topic the patient chose can be. */
export type ChosenTopic = (typeof topicChoices)[number]['value'];

const topicWords: Record<ThreadSummary['topic'], MessageId> = {
  ...(Object.fromEntries(topicChoices.map((c) => [c.value, c.label])) as Record<ChosenTopic, MessageId>),
  refill: 'messages.topic.refill',
  privacy: 'messages.topic.privacy',
};

/** A thread's topic: its message. */
export function topicMessage(topic: ThreadSummary['topic']): MessageId {
  return topicWords[topic];
}

const statusWords: Record<ThreadSummary['status'], MessageId> = {
  waiting: 'messages.status.waiting',
  acknowledged: 'messages.status.acknowledged',
  answered: 'messages.status.answered',
  closed: 'messages.status.closed',
};

/** A thread's status as the patient reads it: its message. */
export function threadStatusMessage(status: ThreadSummary['status']): MessageId {
  return statusWords[status];
}

const refillStatusWords: Record<RefillView['status'], MessageId> = {
  requested: 'messages.refillStatus.requested',
  approved: 'messages.refillStatus.approved',
  denied: 'messages.refillStatus.denied',
};

/** A refill request's status as the patient reads it: its message. */
export function refillStatusMessage(status: RefillView['status']): MessageId {
  return refillStatusWords[status];
}

/**
 * A file size for people: "820 bytes", "14 KB", "2.4 MB" (`minimumFractionDigits` 1 keeps "2.0 MB"). Numbers are
 * written without grouping, in the page's language.
 */
export function formatFileSize(t: Translate, bytes: number, { minimumFractionDigits = 0 } = {}): string {
  if (bytes < 1024) return t('messages.fileSize.bytes', { count: bytes, size: String(bytes) });
  if (bytes < 1024 * 1024) return t('messages.fileSize.kilobytes', { size: String(Math.round(bytes / 1024)) });
  const megabytes = new Intl.NumberFormat(formatLocale(), { minimumFractionDigits, maximumFractionDigits: 1, useGrouping: false });
  return t('messages.fileSize.megabytes', { size: megabytes.format(bytes / (1024 * 1024)) });
}
