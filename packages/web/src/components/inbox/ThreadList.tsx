import { useRef } from 'react';
import { Link } from 'react-router';
import type { MessageId } from '@portico/shared/i18n';
import type { InboxStatusFilter } from '../../api/inbox.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate, formatDateTime } from '../../lib/format.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { RecordTable } from '../record/RecordTable.tsx';
import { ShowMore } from '../record/ShowMore.tsx';
import { inboxPaths } from './inbox-paths.ts';
import { kindMessage, threadStatusMessage, topicMessage } from './inbox-text.ts';
import { usePoolThreads } from './inbox-queries.ts';

const emptyText: Record<InboxStatusFilter, MessageId> = {
  todo: 'inbox.list.emptyTodo',
  open: 'inbox.list.emptyOpen',
  closed: 'inbox.list.emptyClosed',
  all: 'inbox.list.emptyAll',
};

/** The "Unread" marker: a word, so it does not rest on colour or weight alone. */
export function UnreadBadge() {
  const t = useT();
  return <span className="badge badge--unread">{t('inbox.list.unread')}</span>;
}

/** A pool's threads, newest activity first, one page at a time; unread rows are marked in words and in weight. */
export function ThreadList({ departmentId, status }: { departmentId: string; status: InboxStatusFilter }) {
  const t = useT();
  const query = usePoolThreads(departmentId, status);
  const listRef = useRef<HTMLDivElement>(null);

  // A failed "Show more" keeps the rows already read; only a failed first page replaces the list.
  if (query.data === undefined) {
    if (query.isError) {
      return (
        <QueryProblem
          error={query.error}
          what={t('inbox.list.what')}
          onRetry={() => void query.refetch()}
          back={{ to: inboxPaths.home, label: t('inbox.allPools') }}
        />
      );
    }
    return <p role="status">{t('inbox.list.loading')}</p>;
  }

  const threads = query.data.pages.flatMap((page) => page.threads);
  return (
    <div ref={listRef}>
      {threads.length === 0 ? (
        <p className="empty-state">{t(emptyText[status])}</p>
      ) : (
        <RecordTable caption={t('inbox.list.caption')}>
          <thead>
            <tr>
              <th scope="col">{t('inbox.label.subject')}</th>
              <th scope="col">{t('inbox.label.patient')}</th>
              <th scope="col">{t('inbox.label.mrn')}</th>
              <th scope="col">{t('inbox.label.topic')}</th>
              <th scope="col">{t('inbox.label.kind')}</th>
              <th scope="col">{t('inbox.label.status')}</th>
              <th scope="col">{t('inbox.label.assignedTo')}</th>
              <th scope="col">{t('inbox.label.lastActivity')}</th>
            </tr>
          </thead>
          <tbody>
            {threads.map((thread, index) => (
              <tr key={thread.id} data-row={index} className={thread.unread ? 'row--unread' : undefined}>
                <th scope="row">
                  <Link to={inboxPaths.thread(thread.id)} translate="no">
                    {thread.subject}
                  </Link>
                  {thread.unread && <UnreadBadge />}
                  {thread.confidential && <span className="badge">{t('inbox.list.private')}</span>}
                </th>
                <td data-label={t('inbox.label.patient')}>
                  <span translate="no">{thread.patient.name}</span>
                  <span className="record-meta">{t('inbox.list.born', { date: formatBirthDate(thread.patient.birthDate) })}</span>
                </td>
                <td data-label={t('inbox.label.mrn')} translate="no">
                  {thread.patient.mrn}
                </td>
                <td data-label={t('inbox.label.topic')}>{t(topicMessage(thread.topic))}</td>
                <td data-label={t('inbox.label.kind')}>{t(kindMessage(thread.kind))}</td>
                <td data-label={t('inbox.label.status')}>{t(threadStatusMessage(thread.status))}</td>
                <td data-label={t('inbox.label.assignedTo')}>
                  {thread.assignedTo ? (
                    <span translate="no">{thread.assignedTo.name}</span>
                  ) : (
                    <span className="muted">{t('inbox.list.nobody')}</span>
                  )}
                </td>
                <td data-label={t('inbox.label.lastActivity')}>{formatDateTime(thread.lastActivityAt)}</td>
              </tr>
            ))}
          </tbody>
        </RecordTable>
      )}
      <ShowMore
        count={threads.length}
        noun={[t('inbox.list.noun.one'), t('inbox.list.noun.other')]}
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        error={query.isFetchNextPageError ? query.error : null}
        onMore={() => query.fetchNextPage()}
        listRef={listRef}
      />
    </div>
  );
}
