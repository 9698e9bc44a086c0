import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  fetchHealthSummary,
  fetchResult,
  fetchResultPage,
  fetchResultsRelease,
  fetchVisit,
  fetchVisitPage,
  recordKeys,
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

/** Results, one page at a time (newest first); `fetchNextPage` follows the cursor. */
export function useResultPages(patientId: string) {
  return useInfiniteQuery({
    queryKey: recordKeys.results(patientId),
    queryFn: ({ pageParam }) => fetchResultPage(patientId, pageParam),
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
