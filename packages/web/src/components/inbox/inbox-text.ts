import type { InboxThreadSummary, RefillView } from '@portico/shared';
import type { MessageId } from '@portico/shared/i18n';
import { formatFileSize as formatSize, type Translate } from '../messages/message-text.ts';

/** Words for the inbox's codes, so staff read "Waiting for the care team", never a bare `waiting`: catalogue ids, translated at render. */

const topicWords: Record<InboxThreadSummary['topic'], MessageId> = {
  medical_question: 'inbox.topic.medicalQuestion',
  prescription_question: 'inbox.topic.prescriptionQuestion',
  test_result_question: 'inbox.topic.testResultQuestion',
  appointment: 'inbox.topic.appointment',
  billing: 'inbox.topic.billing',
  other: 'inbox.topic.other',
  refill: 'inbox.topic.refill',
  privacy: 'inbox.topic.privacy',
};

/** A thread's topic: its message. */
export function topicMessage(topic: InboxThreadSummary['topic']): MessageId {
  return topicWords[topic];
}

const statusWords: Record<InboxThreadSummary['status'], MessageId> = {
  waiting: 'inbox.status.waiting',
  acknowledged: 'inbox.status.acknowledged',
  answered: 'inbox.status.answered',
  closed: 'inbox.status.closed',
};

/** A thread's status: its message. */
export function threadStatusMessage(status: InboxThreadSummary['status']): MessageId {
  return statusWords[status];
}

/** Whether the thread is a message or a refill request: its message. */
export function kindMessage(kind: InboxThreadSummary['kind']): MessageId {
  return kind === 'refill' ? 'inbox.kind.refill' : 'inbox.kind.message';
}

const refillStatusWords: Record<RefillView['status'], MessageId> = {
  requested: 'inbox.refillStatus.requested',
  approved: 'inbox.refillStatus.approved',
  denied: 'inbox.refillStatus.denied',
};

/** A refill request's status: its message. */
export function refillStatusMessage(status: RefillView['status']): MessageId {
  return refillStatusWords[status];
}

/** A file size for people: "820 bytes", "14 KB", "2.0 MB" (megabytes always with one decimal). */
export function formatFileSize(t: Translate, bytes: number): string {
  return formatSize(t, bytes, { minimumFractionDigits: 1 });
}
