import type { RefillView, ThreadSummary } from '@portico/shared';

/** Words for messaging's codes, so a patient reads "Answered", never a bare `answered`. */

/** Topics a patient may choose, in the order the form lists them. */
export const topicChoices = [
  { value: 'medical_question', label: 'A medical question' },
  { value: 'prescription_question', label: 'A question about a prescription' },
  { value: 'test_result_question', label: 'A question about a test result' },
  { value: 'appointment', label: 'An appointment' },
  { value: 'billing', label: 'A bill or payment' },
  { value: 'other', label: 'Something else' },
] as const;

/** What a topic the patient chose can be. */
export type ChosenTopic = (typeof topicChoices)[number]['value'];

const topicWords: Record<ThreadSummary['topic'], string> = {
  ...(Object.fromEntries(topicChoices.map((c) => [c.value, c.label])) as Record<ChosenTopic, string>),
  refill: 'A prescription refill',
};

/** A thread's topic in words. */
export function topicLabel(topic: ThreadSummary['topic']): string {
  return topicWords[topic];
}

const statusWords: Record<ThreadSummary['status'], string> = {
  waiting: 'Waiting for your care team',
  answered: 'Answered',
  closed: 'Closed',
};

/** A thread's status as the patient reads it. */
export function threadStatusLabel(status: ThreadSummary['status']): string {
  return statusWords[status];
}

const refillStatusWords: Record<RefillView['status'], string> = {
  requested: 'Waiting for a decision',
  approved: 'Approved',
  denied: 'Not approved',
};

/** A refill request's status as the patient reads it. */
export function refillStatusLabel(status: RefillView['status']): string {
  return refillStatusWords[status];
}

/** A file size for people: "820 bytes", "14 KB", "2.4 MB". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const megabytes = (bytes / (1024 * 1024)).toFixed(1);
  return `${megabytes.endsWith('.0') ? megabytes.slice(0, -2) : megabytes} MB`;
}

/** A count with its noun: "1 file", "3 files". */
export function countOf(count: number, singular: string, plural: string): string {
  return `${count.toLocaleString()} ${count === 1 ? singular : plural}`;
}
