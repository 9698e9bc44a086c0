/** Paths of the inbox's pages; ids are opaque UUIDs, the only data a URL may hold. */
export const inboxPaths = {
  home: '/inbox',
  pool: (departmentId: string) => `/inbox/pools/${encodeURIComponent(departmentId)}`,
  thread: (threadId: string) => `/inbox/threads/${encodeURIComponent(threadId)}`,
};
