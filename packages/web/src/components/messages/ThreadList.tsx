import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { messageKeys } from '../../api/messages.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDateTime } from '../../lib/format.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { ShowMore } from '../record/ShowMore.tsx';
import { useThreadPages } from './message-queries.ts';
import { threadStatusMessage, topicMessage } from './message-text.ts';
import { RichMessage } from '../../i18n/RichMessage.tsx';
import { messagePaths } from './messaging-scope.ts';

/** The patient's threads, newest activity first, a page at a time; unread ones say so in words as well as in weight. */
export function ThreadList({ patientId }: { patientId: string }) {
  const queryClient = useQueryClient();
  const t = useT();
  const query = useThreadPages(patientId);
  const listRef = useRef<HTMLDivElement>(null);
  const unreadCount = query.data?.pages[0]?.unreadCount;

  // The first page carries the unread count: keep the navigation's badge in step with what this list shows.
  useEffect(() => {
    if (unreadCount !== undefined) queryClient.setQueryData(messageKeys.unread(patientId), unreadCount);
  }, [queryClient, patientId, unreadCount]);

  if (query.data === undefined) {
    if (query.isError) return <QueryProblem error={query.error} what={t('messages.list.what')} onRetry={() => void query.refetch()} />;
    return <p role="status">{t('messages.list.loading')}</p>;
  }

  const threads = query.data.pages.flatMap((page) => page.threads);
  return (
    <div ref={listRef}>
      {threads.length === 0 ? (
        <p className="empty-state">{t('messages.list.empty')}</p>
      ) : (
        <ul className="messaging-threads" aria-label={t('messages.list.label')}>
          {threads.map((thread, index) => (
            <li
              key={thread.id}
              data-row={index}
              className={thread.unread ? 'messaging-threads__item messaging-threads__item--unread' : 'messaging-threads__item'}
            >
              <p className="messaging-threads__subject">
                <Link to={messagePaths.thread(thread.id)} className="break-anywhere" translate="no">
                  {thread.subject}
                </Link>
                {thread.unread && <span className="badge messaging-unread">{t('messages.list.unread')}</span>}
                {thread.confidential && <span className="badge">{t('messages.list.private')}</span>}
              </p>
              <p className="messaging-threads__meta">
                <span>
                  <RichMessage id="messages.list.with" parts={{ recipient: <span translate="no">{thread.recipientLabel}</span> }} />
                </span>
                <span>{t(topicMessage(thread.topic))}</span>
              </p>
              <p className="messaging-threads__meta">
                <span>
                  {t('messages.list.status')} <strong>{t(threadStatusMessage(thread.status))}</strong>
                </span>
                <span>
                  {t('messages.list.lastActivity')} <time dateTime={thread.lastActivityAt}>{formatDateTime(thread.lastActivityAt)}</time>
                </span>
              </p>
            </li>
          ))}
        </ul>
      )}
      <ShowMore
        count={threads.length}
        noun={[t('messages.list.noun.one'), t('messages.list.noun.other')]}
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        error={query.isFetchNextPageError ? query.error : null}
        onMore={() => query.fetchNextPage()}
        listRef={listRef}
      />
    </div>
  );
}
