import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type resultListResponse } from '@portico/shared';
import { apiRequest, shapeOf } from '../../api/client.ts';
import {
  fetchHealthSummary,
  fetchResult,
  fetchResultPage,
  fetchResultsRelease,
  fetchVisit,
  fetchVisitPage,
  recordKeys,
  recordPageSize,
  type ResultPage,
} from '../../api/record.ts';

/**
 * The record's queries. They live only in the app's one QueryClient (memory, no persister), which the session
 * clears when it ends; nothing here keeps a copy of its own.
 */

/** The health summary of one patient; `enabled` false skips the request (print without summary sections). */
export function useHealthSummary(patientId: string, enabled = true) {
  return useQuery({ queryKey: recordKeys.summary(patientId), queryFn: () => fetchHealthSummary(patientId), enabled });
}

/** Past visits, one page at a time (newest first); `fetchNextPage` follows the cursor. */
export function useVisitPages(patientId: string) {
  return useInfiniteQuery({
    queryKey: recordKeys.visits(patientId),
    queryFn: ({ pageParam }) => fetchVisitPage(patientId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/**
 * One page of results whose test name contains `name` (POST …/results/search: a body, so the words never sit in a URL);
 * `cursor` is the previous page's `nextCursor`.
 */
function fetchResultSearchPage(patientId: string, name: string, cursor: string | null): Promise<ResultPage> {
  const body = { name, limit: recordPageSize, ...(cursor ? { cursor } : {}) };
  return apiRequest('POST', `/api/patients/${encodeURIComponent(patientId)}/record/results/search`, shapeOf<typeof resultListResponse>(), {
    body,
  });
}

/**
 * Results, one page at a time (newest first); `fetchNextPage` follows the cursor. With `name`, only results whose test
 * name contains it; its key sits under the results key, so whatever refreshes the list refreshes the filtered list too.
 */
export function useResultPages(patientId: string, name = '') {
  return useInfiniteQuery({
    queryKey: name ? [...recordKeys.results(patientId), 'search', name] : recordKeys.results(patientId),
    queryFn: ({ pageParam }) => (name ? fetchResultSearchPage(patientId, name, pageParam) : fetchResultPage(patientId, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One visit in full. */
export function useVisit(patientId: string, visitId: string) {
  return useQuery({ queryKey: recordKeys.visit(patientId, visitId), queryFn: () => fetchVisit(patientId, visitId) });
}

/** One result in full. */
export function useResult(patientId: string, resultId: string) {
  return useQuery({ queryKey: recordKeys.result(patientId, resultId), queryFn: () => fetchResult(patientId, resultId) });
}

/** The patient's results-release choice. */
export function useResultsRelease(patientId: string) {
  return useQuery({ queryKey: recordKeys.release(patientId), queryFn: () => fetchResultsRelease(patientId) });
}
