import type {
  ActivityPage,
  ActivityPeople,
  ActivityQuestionAnswer,
  activityPeopleResponse,
  activityQuestionResponse,
  activityResponse,
} from '@portico/shared';
import { apiDownload, apiRequest, shapeOf, type DownloadedFile } from './client.ts';

/** The log's filters as the page holds them: days (`YYYY-MM-DD`, the record's zone) and a user id; empty means none. */
export interface ActivityFilters {
  from: string;
  to: string;
  person: string;
}

/** No filter: the whole log. */
export const noActivityFilters: ActivityFilters = { from: '', to: '', person: '' };

/** Entries per page of the log. */
export const activityPageSize = 50;

/**
 * Query keys of the log. They start with 'patients' like every patient datum's, so sign-out drops them with the rest
 * of the cache.
 */
export const activityKeys = {
  all: (patientId: string) => ['patients', patientId, 'activity'] as const,
  log: (patientId: string, filters: ActivityFilters) => ['patients', patientId, 'activity', 'log', filters] as const,
  people: (patientId: string) => ['patients', patientId, 'activity', 'people'] as const,
};

/** The filters that are set, as query parameters (days and an id: never patient data). */
function filterParams(filters: ActivityFilters): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  if (filters.person) query.set('person', filters.person);
  return query;
}

function activityPath(patientId: string, rest: string, query: URLSearchParams): string {
  const text = query.toString();
  return `/api/patients/${encodeURIComponent(patientId)}/${rest}${text ? `?${text}` : ''}`;
}

/** One page of the log, newest first; `cursor` is the previous page's `nextCursor` (null for the first page). */
export function fetchActivityPage(patientId: string, filters: ActivityFilters, cursor: string | null): Promise<ActivityPage> {
  const query = filterParams(filters);
  query.set('limit', String(activityPageSize));
  if (cursor) query.set('cursor', cursor);
  return apiRequest('GET', activityPath(patientId, 'activity', query), shapeOf<typeof activityResponse>());
}

/** Everyone the log lists, latest first, for the person filter. */
export function fetchActivityPeople(patientId: string): Promise<ActivityPeople> {
  return apiRequest('GET', activityPath(patientId, 'activity/people', new URLSearchParams()), shapeOf<typeof activityPeopleResponse>());
}

/** The log with these filters as a CSV or PDF file, held in memory until it is handed to the browser's download. */
export function downloadActivityFile(patientId: string, filters: ActivityFilters, format: 'csv' | 'pdf'): Promise<DownloadedFile> {
  const accept = format === 'csv' ? 'text/csv' : 'application/pdf';
  return apiDownload('GET', activityPath(patientId, `activity.${format}`, filterParams(filters)), accept, `activity-log.${format}`);
}

/**
 * "Why did this person look?": a question about one entry, sent to the privacy office. `existing` is true when an open
 * question about the same entry took it. One `Idempotency-Key` per question, reused by its retries.
 */
export function askAboutAccess(
  patientId: string,
  eventId: string,
  question: string,
  idempotencyKey: string,
): Promise<ActivityQuestionAnswer> {
  const path = activityPath(patientId, `activity/${encodeURIComponent(eventId)}/question`, new URLSearchParams());
  return apiRequest('POST', path, shapeOf<typeof activityQuestionResponse>(), { body: { question }, idempotencyKey });
}
