import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  fetchNotificationSettings,
  fetchPharmacies,
  fetchRecipients,
  fetchRefillableMedications,
  fetchRefills,
  fetchThread,
  fetchThreadPage,
  messageKeys,
} from '../../api/messages.ts';

/**
 * Messaging's queries. Like the record's, they live only in the app's one in-memory QueryClient, which the session
 * clears when it ends; nothing here keeps a copy of its own or writes to browser storage.
 */

/** The patient's threads, one page at a time (newest activity first); `fetchNextPage` follows the cursor. */
export function useThreadPages(patientId: string) {
  return useInfiniteQuery({
    queryKey: messageKeys.threads(patientId),
    queryFn: ({ pageParam }) => fetchThreadPage(patientId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** How many threads have something the patient has not read (for the navigation's badge); reads one thread only. */
export function useUnreadCount(patientId: string | null) {
  return useQuery({
    queryKey: messageKeys.unread(patientId ?? 'none'),
    queryFn: async () => (await fetchThreadPage(patientId ?? '', null, 1)).unreadCount,
    enabled: patientId !== null,
  });
}

/** One thread in full; `enabled` false skips the request. */
export function useThread(patientId: string, threadId: string, enabled = true) {
  return useQuery({ queryKey: messageKeys.thread(patientId, threadId), queryFn: () => fetchThread(patientId, threadId), enabled });
}

/** Who the patient may write to. */
export function useRecipients(patientId: string) {
  return useQuery({ queryKey: messageKeys.recipients(patientId), queryFn: () => fetchRecipients(patientId) });
}

/** The patient's refill requests, newest first. */
export function useRefills(patientId: string) {
  return useQuery({ queryKey: messageKeys.refills(patientId), queryFn: () => fetchRefills(patientId) });
}

/** The active medications the patient may ask to refill. */
export function useRefillableMedications(patientId: string) {
  return useQuery({ queryKey: messageKeys.medications(patientId), queryFn: () => fetchRefillableMedications(patientId) });
}

/** The patient's pharmacies. */
export function usePharmacies(patientId: string) {
  return useQuery({ queryKey: messageKeys.pharmacies(patientId), queryFn: () => fetchPharmacies(patientId) });
}

/** The signed-in user's notification choices. */
export function useNotificationSettings() {
  return useQuery({ queryKey: messageKeys.notifications(), queryFn: fetchNotificationSettings });
}
