import { useRef } from 'react';
import { Link } from 'react-router';
import type { InboxStatusFilter } from '../../api/inbox.ts';
import { formatBirthDate, formatDateTime } from '../../lib/format.ts';
import { QueryProblem } from '../record/QueryProblem.tsx';
import { RecordTable } from '../record/RecordTable.tsx';
import { ShowMore } from '../record/ShowMore.tsx';
import { inboxPaths, kindLabel, threadStatusLabel, topicLabel } from './inbox-text.ts';
import { usePoolThreads } from './inbox-queries.ts';

const emptyText: Record<InboxStatusFilter, string> = {
  open: 'No open threads in this pool. New messages and refill requests show here.',
  closed: 'No closed threads in this pool.',
  all: 'No threads in this pool yet.',
};

/** The "Unread" marker: a word, so it does not rest on colour or weight alone. */
export function UnreadBadge() {
  return <span className="badge badge--unread">Unread</span>;
}

/** A pool's threads, newest activity first, one page at a time; unread rows are marked in words and in weight. */
export function ThreadList({ departmentId, status }: { departmentId: string; status: InboxStatusFilter }) {
  const query = usePoolThreads(departmentId, status);
  const listRef = useRef<HTMLDivElement>(null);

  // A failed "Show more" keeps the rows already read; only a failed first page replaces the list.
  if (query.data === undefined) {
    if (query.isError) {
      return (
        <QueryProblem
          error={query.error}
          what="this pool’s threads"
          onRetry={() => void query.refetch()}
          back={{ to: inboxPaths.home, label: 'All your pools' }}
        />
      );
    }
    return <p role="status">Loading threads…</p>;
  }

  const threads = query.data.pages.flatMap((page) => page.threads);
  return (
    <div ref={listRef}>
      {threads.length === 0 ? (
        <p className="empty-state">{emptyText[status]}</p>
      ) : (
        <RecordTable caption="Threads, newest activity first">
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">Patient</th>
              <th scope="col">MRN</th>
              <th scope="col">Topic</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Assigned to</th>
              <th scope="col">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {threads.map((thread, index) => (
              <tr key={thread.id} data-row={index} className={thread.unread ? 'row--unread' : undefined}>
                <th scope="row">
                  <Link to={inboxPaths.thread(thread.id)}>{thread.subject}</Link>
                  {thread.unread && <UnreadBadge />}
                </th>
                <td data-label="Patient">
                  {thread.patient.name}
                  <span className="record-meta">Born {formatBirthDate(thread.patient.birthDate)}</span>
                </td>
                <td data-label="MRN">{thread.patient.mrn}</td>
                <td data-label="Topic">{topicLabel(thread.topic)}</td>
                <td data-label="Kind">{kindLabel(thread.kind)}</td>
                <td data-label="Status">{threadStatusLabel(thread.status)}</td>
                <td data-label="Assigned to">{thread.assignedTo?.name ?? <span className="muted">Nobody</span>}</td>
                <td data-label="Last activity">{formatDateTime(thread.lastActivityAt)}</td>
              </tr>
            ))}
          </tbody>
        </RecordTable>
      )}
      <ShowMore
        count={threads.length}
        noun={['thread', 'threads']}
        hasMore={query.hasNextPage}
        loading={query.isFetchingNextPage}
        error={query.isFetchNextPageError ? query.error : null}
        onMore={() => query.fetchNextPage()}
        listRef={listRef}
      />
    </div>
  );
}
