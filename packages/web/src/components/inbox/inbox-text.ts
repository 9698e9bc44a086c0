import type { InboxThreadSummary, RefillView } from '@portico/shared';

/** Words for the inbox's codes, so staff read "Waiting for the care team", never a bare `waiting`. */

const topicWords: Record<InboxThreadSummary['topic'], string> = {
  medical_question: 'Medical question',
  prescription_question: 'Prescription question',
  test_result_question: 'Test result question',
  appointment: 'Appointment',
  billing: 'Billing',
  other: 'Other',
  refill: 'Prescription refill',
};

/** A thread's topic in words. */
export function topicLabel(topic: InboxThreadSummary['topic']): string {
  return topicWords[topic];
}

const statusWords: Record<InboxThreadSummary['status'], string> = {
  waiting: 'Waiting for the care team',
  answered: 'Answered',
  closed: 'Closed',
};

/** A thread's status in words. */
export function threadStatusLabel(status: InboxThreadSummary['status']): string {
  return statusWords[status];
}

/** Whether the thread is a message or a refill request, in words. */
export function kindLabel(kind: InboxThreadSummary['kind']): string {
  return kind === 'refill' ? 'Refill request' : 'Message';
}

const refillStatusWords: Record<RefillView['status'], string> = {
  requested: 'Waiting for a clinician’s decision',
  approved: 'Approved',
  denied: 'Denied',
};

/** A refill request's status in words. */
export function refillStatusLabel(status: RefillView['status']): string {
  return refillStatusWords[status];
}

/** A file size for people: "820 bytes", "14 KB", "2.4 MB". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Paths of the inbox's pages; ids are opaque UUIDs, the only data a URL may hold. */
export const inboxPaths = {
  home: '/inbox',
  pool: (departmentId: string) => `/inbox/pools/${encodeURIComponent(departmentId)}`,
  thread: (threadId: string) => `/inbox/threads/${encodeURIComponent(threadId)}`,
};
