import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { messageKeys } from '../../api/messages.ts';
import { formatDateTime } from '../../lib/format.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { ShowMore } from '../record/ShowMore.tsx';
import { useThreadPages } from './message-queries.ts';
import { threadStatusLabel, topicLabel } from './message-text.ts';
import { messagePaths } from './messaging-scope.ts';

/** The patient's threads, newest activity first, a page at a time; unread ones say so in words as well as in weight. */
export function ThreadList({ patientId }: { patientId: string }) {
  const queryClient = useQueryClient();
  const query = useThreadPages(patientId);
  const listRef = useRef<HTMLDivElement>(null);
  const unreadCount = query.data?.pages[0]?.unreadCount;

  // The first page carries the unread count: keep the navigation's badge in step with what this list shows.
  useEffect(() => {
    if (unreadCount !== undefined) queryClient.setQueryData(messageKeys.unread(patientId), unreadCount);
  }, [queryClient, patientId, unreadCount]);

  if (query.data === undefined) {
    if (query.isError) return <QueryProblem error={query.error} what="your messages" onRetry={() => void query.refetch()} />;
    return <p role="status">Loading your messages…</p>;
  }

  const threads = query.data.pages.flatMap((page) => page.threads);
  return (
    <div ref={listRef}>
      {threads.length === 0 ? (
        <p className="empty-state">You have no messages yet. Choose New message to write to your care team.</p>
      ) : (
        <ul className="messaging-threads" aria-label="Conversations, newest activity first">
          {threads.map((thread, index) => (
            <li
              key={thread.id}
              data-row={index}
              className={thread.unread ? 'messaging-threads__item messaging-threads__item--unread' : 'messaging-threads__item'}
            >
              <p className="messaging-threads__subject">
                <Link to={messagePaths.thread(thread.id)} className="break-anywhere">
                  {thread.subject}
                </Link>
                {thread.unread && <span className="badge messaging-unread">Unread</span>}
              </p>
              <p className="messaging-threads__meta">
                <span>With {thread.recipientLabel}</span>
                <span>{topicLabel(thread.topic)}</span>
              </p>
              <p className="messaging-threads__meta">
                <span>
                  Status: <strong>{threadStatusLabel(thread.status)}</strong>
                </span>
                <span>
                  Last activity <time dateTime={thread.lastActivityAt}>{formatDateTime(thread.lastActivityAt)}</time>
                </span>
              </p>
            </li>
          ))}
        </ul>
      )}
      <ShowMore
        count={threads.length}
        noun={['conversation', 'conversations']}
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        error={query.isFetchNextPageError ? query.error : null}
        onMore={() => query.fetchNextPage()}
        listRef={listRef}
      />
    </div>
  );
}
