import { createContext, useContext } from 'react';

/** Whose messages the messaging pages show: the signed-in patient's own (the id comes from the session, never the URL). */
export interface MessagingScope {
  patientId: string;
}

/** React context carrying the messaging scope; provided by PatientMessagesLayout. */
export const MessagingScopeContext = createContext<MessagingScope | null>(null);

/** The messaging scope of the page; throws outside PatientMessagesLayout (a wiring bug, not a user error). */
export function useMessagingScope(): MessagingScope {
  const scope = useContext(MessagingScopeContext);
  if (!scope) throw new Error('useMessagingScope must be used inside PatientMessagesLayout');
  return scope;
}

/** Paths of the messaging pages; a thread's path holds only its opaque UUID. */
export const messagePaths = {
  list: '/messages',
  compose: '/messages/new',
  thread: (threadId: string) => `/messages/${encodeURIComponent(threadId)}`,
  refills: '/messages/refills',
  newRefill: '/messages/refills/new',
};
