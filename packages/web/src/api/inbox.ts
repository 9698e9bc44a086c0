import {
  type addressedThreadsResponse,
  type assigneeListResponse,
  type attachmentUploadResponse,
  type inboxThreadDetailResponse,
  type inboxThreadListResponse,
  type messageView,
  type okResponse,
  type poolListResponse,
  type refillView,
  type templateListResponse,
  type InboxThreadDetail,
  type MessageView,
  type RefillView,
  type departmentListResponse,
} from '@portico/shared';
import { apiDownload, apiRequest, apiUpload, type DownloadedFile, shapeOf } from './client.ts';
import type { Output } from './types.ts';

/** One care-team pool (a department) the staff member belongs to, with its unread and open counts. */
export type PoolSummary = Output<typeof poolListResponse>['pools'][number];
/** One page of a pool's threads, newest activity first. */
export type InboxThreadPage = Output<typeof inboxThreadListResponse>;
/** A quick reply of a pool. */
export type MessageTemplate = Output<typeof templateListResponse>['templates'][number];
/** An uploaded file, not yet sent. */
export type AttachmentInfo = Output<typeof attachmentUploadResponse>;
/** Which threads a pool's list shows: the to-do (waiting or acknowledged), open ones (not closed), closed ones, or all. */
export type InboxStatusFilter = 'todo' | 'open' | 'closed' | 'all';
/** A member of a thread's pool who may be handed it. */
export type Assignee = Output<typeof assigneeListResponse>['assignees'][number];
/** The open threads addressed to the signed-in staff member, unread first, with counts. */
export type AddressedThreads = Output<typeof addressedThreadsResponse>;

/** Rows per page of a pool's thread list: one screenful, like the record's lists. */
export const inboxPageSize = 25;

/**
 * Query keys of the inbox. They hold patient names and message text, like the record's; the session drops the whole
 * query cache when it ends. `all` lets an action refresh the pools' counts, the lists and the thread at once.
 */
export const inboxKeys = {
  all: () => ['inbox'] as const,
  pools: () => ['inbox', 'pools'] as const,
  lists: () => ['inbox', 'pool'] as const,
  threads: (departmentId: string, status: InboxStatusFilter) => ['inbox', 'pool', departmentId, status] as const,
  thread: (threadId: string) => ['inbox', 'thread', threadId] as const,
  assignees: (threadId: string) => ['inbox', 'thread', threadId, 'assignees'] as const,
  mine: () => ['inbox', 'mine'] as const,
  templates: (departmentId: string) => ['inbox', 'templates', departmentId] as const,
  departments: () => ['inbox', 'departments'] as const,
};

function threadPath(threadId: string, rest = ''): string {
  return `/api/inbox/threads/${encodeURIComponent(threadId)}${rest}`;
}

/** The organization's departments: where a thread can be forwarded. */
export async function fetchDepartments(): Promise<{ departmentId: string; name: string }[]> {
  const answer = await apiRequest('GET', '/api/inbox/departments', shapeOf<typeof departmentListResponse>());
  return answer.departments;
}

/** The caller's pools with their unread and open counts. */
export async function fetchPools(): Promise<PoolSummary[]> {
  const answer = await apiRequest('GET', '/api/inbox/pools', shapeOf<typeof poolListResponse>());
  return answer.pools;
}

/** One page of a pool's threads; `cursor` is the previous page's `nextCursor` (null for the first page). */
export function fetchPoolThreads(departmentId: string, status: InboxStatusFilter, cursor: string | null): Promise<InboxThreadPage> {
  const query = new URLSearchParams({ status, limit: String(inboxPageSize) });
  if (cursor) query.set('cursor', cursor);
  return apiRequest(
    'GET',
    `/api/inbox/pools/${encodeURIComponent(departmentId)}/threads?${query.toString()}`,
    shapeOf<typeof inboxThreadListResponse>(),
  );
}

/** One thread with every message (internal notes included) and its refill request; reading it marks it read. */
export function fetchInboxThread(threadId: string): Promise<InboxThreadDetail> {
  return apiRequest('GET', threadPath(threadId), shapeOf<typeof inboxThreadDetailResponse>());
}

/** Assigns the thread to the caller (`userId` undefined), to a member of its pool (their id), or to no one (`null`). */
export async function assignThread(threadId: string, userId?: string | null): Promise<void> {
  await apiRequest('POST', threadPath(threadId, '/assign'), shapeOf<typeof okResponse>(), { body: userId === undefined ? {} : { userId } });
}

/** The members of the thread's pool who may be handed it, by name. */
export async function fetchAssignees(threadId: string): Promise<Assignee[]> {
  const answer = await apiRequest('GET', threadPath(threadId, '/assignees'), shapeOf<typeof assigneeListResponse>());
  return answer.assignees;
}

/** The open threads assigned to the signed-in staff member or naming them, unread first, with counts. */
export function fetchAddressedThreads(): Promise<AddressedThreads> {
  return apiRequest('GET', '/api/inbox/mine', shapeOf<typeof addressedThreadsResponse>());
}

/** What a staff member sends: a reply the patient reads (a holding one, or a full one), or an internal note only staff see. */
export interface StaffReply {
  body: string;
  attachmentIds: string[];
  internal: boolean;
  /** "We received your message": the thread stays in the pool's to-do until a full reply. */
  holding: boolean;
}

/**
 * Sends a reply or an internal note. `idempotencyKey` belongs to the draft: a retry of the same draft sends the same
 * key, so a send whose answer was lost is not written twice (SECURITY.md "Reliability").
 */
export function sendStaffReply(threadId: string, reply: StaffReply, idempotencyKey: string): Promise<MessageView> {
  return apiRequest('POST', threadPath(threadId, '/messages'), shapeOf<typeof messageView>(), {
    body: reply,
    idempotencyKey,
  });
}

/** Closes the thread: neither side can write in it any more. */
export async function closeThread(threadId: string): Promise<void> {
  await apiRequest('POST', threadPath(threadId, '/close'), shapeOf<typeof okResponse>(), { body: {} });
}

/** Moves the thread to another pool with an internal note for the team that receives it. */
export async function forwardThread(threadId: string, departmentId: string, note: string): Promise<void> {
  await apiRequest('POST', threadPath(threadId, '/forward'), shapeOf<typeof okResponse>(), { body: { departmentId, note } });
}

/** The quick replies of one pool. */
export async function fetchTemplates(departmentId: string): Promise<MessageTemplate[]> {
  const query = new URLSearchParams({ departmentId });
  const answer = await apiRequest('GET', `/api/inbox/templates?${query.toString()}`, shapeOf<typeof templateListResponse>());
  return answer.templates;
}

/** Uploads one file for a message on this thread; the server checks its type from the bytes. */
export function uploadInboxAttachment(threadId: string, file: File): Promise<AttachmentInfo> {
  return apiUpload(threadPath(threadId, '/attachments'), file, file.name, shapeOf<typeof attachmentUploadResponse>());
}

/** One attachment of a message, held in memory until the browser saves it. */
export function downloadInboxAttachment(attachmentId: string, fileName: string, contentType: string): Promise<DownloadedFile> {
  return apiDownload('GET', `/api/inbox/attachments/${encodeURIComponent(attachmentId)}`, `${contentType}, application/json`, fileName);
}

/** A clinician approves the thread's refill request. */
export function approveRefill(threadId: string): Promise<RefillView> {
  return apiRequest('POST', threadPath(threadId, '/refill/approve'), shapeOf<typeof refillView>(), { body: {} });
}

/** A clinician denies the thread's refill request; the patient reads the reason. */
export function denyRefill(threadId: string, reason: string): Promise<RefillView> {
  return apiRequest('POST', threadPath(threadId, '/refill/deny'), shapeOf<typeof refillView>(), { body: { reason } });
}
