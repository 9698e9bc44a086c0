import {
  type attachmentInfo,
  type attachmentUploadResponse,
  type messageRecipient,
  type messageRecipientsResponse,
  type messageView,
  type notificationPreference,
  type notificationSettingsResponse,
  type pharmacy,
  type pharmacyListResponse,
  type refillListResponse,
  type refillView,
  type refillableMedicationsResponse,
  type threadDetailResponse,
  type threadListResponse,
  type MessageView,
  type NewThreadBody,
  type RefillView,
  type ThreadDetail,
} from '@portico/shared';
import { apiDownload, apiRequest, apiUpload, type DownloadedFile, shapeOf } from './client.ts';
import type { Output } from './types.ts';

/** Someone the patient can write to. */
export type MessageRecipient = Output<typeof messageRecipient>;
/** An uploaded file, before or after it is sent. */
export type AttachmentInfo = Output<typeof attachmentInfo>;
/** One page of the patient's threads, newest activity first, with the count of unread ones. */
export type ThreadPage = Output<typeof threadListResponse>;
/** A pharmacy on the patient's list. */
export type Pharmacy = Output<typeof pharmacy>;
/** A medication the patient can ask to refill. */
export type RefillableMedication = Output<typeof refillableMedicationsResponse>['medications'][number];
/** One event's notification channels. */
export type NotificationPreference = Output<typeof notificationPreference>;

/** A new pharmacy typed in with a refill request. */
export interface NewPharmacy {
  name: string;
  address: string;
  phone: string | null;
}

/** A refill request as the web sends it: a pharmacy from the list, or a new one, never both. */
export interface NewRefill {
  medicationIds: string[];
  pharmacy: { kind: 'existing'; id: string } | { kind: 'new'; details: NewPharmacy };
  note: string | null;
}

/** Threads per page of the list: one screenful, so years of messages never load at once. */
export const threadPageSize = 20;

function patientPath(patientId: string, rest: string): string {
  return `/api/patients/${encodeURIComponent(patientId)}/${rest}`;
}

function threadPath(patientId: string, threadId: string, rest = ''): string {
  return patientPath(patientId, `messages/threads/${encodeURIComponent(threadId)}${rest}`);
}

/**
 * Query keys of messaging. Patient keys start with 'patients' (like the record's), so sign-out drops them with the
 * rest of the cache and one invalidation refreshes every list after a send or a read.
 */
export const messageKeys = {
  all: (patientId: string) => ['patients', patientId, 'messages'] as const,
  threads: (patientId: string) => ['patients', patientId, 'messages', 'threads'] as const,
  unread: (patientId: string) => ['patients', patientId, 'messages', 'unread'] as const,
  thread: (patientId: string, threadId: string) => ['patients', patientId, 'messages', 'thread', threadId] as const,
  recipients: (patientId: string) => ['patients', patientId, 'messages', 'recipients'] as const,
  refills: (patientId: string) => ['patients', patientId, 'messages', 'refills'] as const,
  medications: (patientId: string) => ['patients', patientId, 'messages', 'refill-medications'] as const,
  pharmacies: (patientId: string) => ['patients', patientId, 'messages', 'pharmacies'] as const,
  notifications: () => ['account', 'notifications'] as const,
};

/** The care teams and clinicians the patient may write to (their PCP's office first). */
export async function fetchRecipients(patientId: string): Promise<MessageRecipient[]> {
  const answer = await apiRequest('GET', patientPath(patientId, 'messages/recipients'), shapeOf<typeof messageRecipientsResponse>());
  return answer.recipients;
}

/** One page of threads; `cursor` is the previous page's `nextCursor` (null for the first page). */
export function fetchThreadPage(patientId: string, cursor: string | null, limit = threadPageSize): Promise<ThreadPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  return apiRequest('GET', patientPath(patientId, `messages/threads?${query.toString()}`), shapeOf<typeof threadListResponse>());
}

/** One thread with its messages, oldest first; reading it marks it read. */
export function fetchThread(patientId: string, threadId: string): Promise<ThreadDetail> {
  return apiRequest('GET', threadPath(patientId, threadId), shapeOf<typeof threadDetailResponse>());
}

/** Starts a thread; `idempotencyKey` is the compose form's, reused on every retry. */
export function createThread(patientId: string, body: NewThreadBody, idempotencyKey: string): Promise<ThreadDetail> {
  return apiRequest('POST', patientPath(patientId, 'messages/threads'), shapeOf<typeof threadDetailResponse>(), { body, idempotencyKey });
}

/** Adds the patient's reply to an open thread (409 `thread_closed` once the care team has closed it). */
export function replyToThread(
  patientId: string,
  threadId: string,
  body: { body: string; attachmentIds: string[] },
  idempotencyKey: string,
): Promise<MessageView> {
  return apiRequest('POST', threadPath(patientId, threadId, '/messages'), shapeOf<typeof messageView>(), { body, idempotencyKey });
}

/** Uploads one file for a message that is not sent yet; the server checks its type from the bytes. */
export function uploadAttachment(patientId: string, file: File): Promise<AttachmentInfo> {
  return apiUpload(patientPath(patientId, 'messages/attachments'), file, file.name, shapeOf<typeof attachmentUploadResponse>());
}

/** One attachment of a message, held in memory until the browser saves it. */
export function downloadAttachment(patientId: string, attachment: AttachmentInfo): Promise<DownloadedFile> {
  return apiDownload(
    'GET',
    patientPath(patientId, `messages/attachments/${encodeURIComponent(attachment.id)}`),
    `${attachment.contentType}, application/json`,
    attachment.fileName,
  );
}

/** The active medications the patient can ask to refill. */
export async function fetchRefillableMedications(patientId: string): Promise<RefillableMedication[]> {
  const answer = await apiRequest('GET', patientPath(patientId, 'refills/medications'), shapeOf<typeof refillableMedicationsResponse>());
  return answer.medications;
}

/** The pharmacies on the patient's list. */
export async function fetchPharmacies(patientId: string): Promise<Pharmacy[]> {
  const answer = await apiRequest('GET', patientPath(patientId, 'pharmacies'), shapeOf<typeof pharmacyListResponse>());
  return answer.pharmacies;
}

/** Every refill request of the patient, newest first. */
export async function fetchRefills(patientId: string): Promise<RefillView[]> {
  const answer = await apiRequest('GET', patientPath(patientId, 'refills'), shapeOf<typeof refillListResponse>());
  return answer.refills;
}

/** Sends a refill request; a new pharmacy is saved to the patient's list in the same request. */
export function requestRefill(patientId: string, refill: NewRefill, idempotencyKey: string): Promise<RefillView> {
  const body = {
    medicationIds: refill.medicationIds,
    ...(refill.pharmacy.kind === 'existing' ? { pharmacyId: refill.pharmacy.id } : { newPharmacy: refill.pharmacy.details }),
    note: refill.note,
  };
  return apiRequest('POST', patientPath(patientId, 'refills'), shapeOf<typeof refillView>(), { body, idempotencyKey });
}

/** The signed-in user's choices, whether texts can be chosen at all (a patient record of their own), and the mobile number. */
export type NotificationSettings = Output<typeof notificationSettingsResponse>;

/** How the signed-in user wants to hear about each event. */
export function fetchNotificationSettings(): Promise<NotificationSettings> {
  return apiRequest('GET', '/api/account/notifications', shapeOf<typeof notificationSettingsResponse>());
}

/** Saves every event's channels at once, and the mobile number when one is given; answers what the server stored. */
export function saveNotificationPreferences(preferences: NotificationPreference[], mobilePhone?: string): Promise<NotificationSettings> {
  const body = mobilePhone === undefined ? { preferences } : { preferences, mobilePhone };
  return apiRequest('PUT', '/api/account/notifications', shapeOf<typeof notificationSettingsResponse>(), { body });
}
