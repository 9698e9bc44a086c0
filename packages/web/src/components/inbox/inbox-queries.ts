import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  fetchAddressedThreads,
  fetchAssignees,
  fetchDepartments,
  fetchInboxThread,
  fetchPools,
  fetchPoolThreads,
  fetchTemplates,
  inboxKeys,
  type InboxStatusFilter,
} from '../../api/inbox.ts';

/**
 * The inbox's queries. Like the record's they live only in the app's one in-memory QueryClient, which the session
 * clears when it ends. Nothing polls: a background refetch would count as activity and keep an idle session alive.
 */

/** The caller's pools with unread and open counts; `enabled` false skips the request (people without 'inbox.use'). */
export function usePools(enabled = true) {
  return useQuery({ queryKey: inboxKeys.pools(), queryFn: fetchPools, enabled });
}

/** The organization's departments, for forwarding. */
export function useDepartments() {
  return useQuery({ queryKey: inboxKeys.departments(), queryFn: fetchDepartments });
}

/** A pool's threads, one page at a time (newest activity first); `fetchNextPage` follows the cursor. */
export function usePoolThreads(departmentId: string, status: InboxStatusFilter) {
  return useInfiniteQuery({
    queryKey: inboxKeys.threads(departmentId, status),
    queryFn: ({ pageParam }) => fetchPoolThreads(departmentId, status, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/**
 * One thread in full. Reading it marks it read on the server, so the pools' unread counts (the navigation's too) and
 * the lists are refreshed after each load.
 */
export function useInboxThread(threadId: string, enabled = true) {
  const queryClient = useQueryClient();
  return useQuery({
    enabled,
    queryKey: inboxKeys.thread(threadId),
    queryFn: async () => {
      const detail = await fetchInboxThread(threadId);
      void queryClient.invalidateQueries({ queryKey: inboxKeys.pools() });
      void queryClient.invalidateQueries({ queryKey: inboxKeys.lists() });
      return detail;
    },
  });
}

/** Who the thread can be handed to: members of its pool who may read it; `enabled` false skips it (a closed thread). */
export function useAssignees(threadId: string, enabled: boolean) {
  return useQuery({ queryKey: inboxKeys.assignees(threadId), queryFn: () => fetchAssignees(threadId), enabled });
}

/** The open threads addressed to the signed-in staff member (assigned to them or naming them), unread first. */
export function useAddressedThreads(enabled = true) {
  return useQuery({ queryKey: inboxKeys.mine(), queryFn: fetchAddressedThreads, enabled });
}

/** The quick replies of one pool. */
export function useTemplates(departmentId: string) {
  return useQuery({ queryKey: inboxKeys.templates(departmentId), queryFn: () => fetchTemplates(departmentId) });
}

/** Refetches everything the inbox shows (counts, lists, the thread) after an action changed it. */
export function useRefreshInbox() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: inboxKeys.all() });
}
