import { useId } from 'react';
import { Link } from 'react-router';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate, formatDateTime } from '../../lib/format.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { RecordTable } from '../record/RecordTable.tsx';
import { inboxPaths } from './inbox-paths.ts';
import { threadStatusMessage } from './inbox-text.ts';
import { useAddressedThreads } from './inbox-queries.ts';
import { UnreadBadge } from './ThreadList.tsx';

/**
 * The staff home's "Addressed to you" (issue 10 §5.2): the open threads assigned to the signed-in person or written to
 * them by name, unread first, with how many are open, unread and still to do. Each subject opens the thread.
 */
export function AddressedToYou() {
  const t = useT();
  const user = useSignedInUser();
  const query = useAddressedThreads();
  const headingId = useId();
  const data = query.data;
  return (
    <section className="section addressed" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('inbox.mine.heading')}</h2>
      {data === undefined ? (
        query.isError ? (
          <p>{t('inbox.mine.failed')}</p>
        ) : (
          <p role="status">{t('inbox.mine.loading')}</p>
        )
      ) : (
        <>
          <p>{t('inbox.mine.summary', data.counts)}</p>
          {data.threads.length > 0 && (
            <RecordTable caption={t('inbox.mine.caption')}>
              <thead>
                <tr>
                  <th scope="col">{t('inbox.label.subject')}</th>
                  <th scope="col">{t('inbox.label.patient')}</th>
                  <th scope="col">{t('inbox.label.status')}</th>
                  <th scope="col">{t('inbox.mine.why')}</th>
                  <th scope="col">{t('inbox.label.lastActivity')}</th>
                </tr>
              </thead>
              <tbody>
                {data.threads.map((thread) => (
                  <tr key={thread.id} className={thread.unread ? 'row--unread' : undefined}>
                    <th scope="row">
                      <Link to={inboxPaths.thread(thread.id)} translate="no">
                        {thread.subject}
                      </Link>
                      {thread.unread && <UnreadBadge />}
                    </th>
                    <td data-label={t('inbox.label.patient')}>
                      <span translate="no">{thread.patient.name}</span>
                      <span className="record-meta">{t('inbox.list.born', { date: formatBirthDate(thread.patient.birthDate) })}</span>
                    </td>
                    <td data-label={t('inbox.label.status')}>{t(threadStatusMessage(thread.status))}</td>
                    <td data-label={t('inbox.mine.why')}>
                      {thread.assignedTo?.id === user.id ? t('inbox.mine.assigned') : t('inbox.mine.named')}
                    </td>
                    <td data-label={t('inbox.label.lastActivity')}>{formatDateTime(thread.lastActivityAt)}</td>
                  </tr>
                ))}
              </tbody>
            </RecordTable>
          )}
          {data.counts.open > data.threads.length && <p>{t('inbox.mine.more', { shown: data.threads.length, open: data.counts.open })}</p>}
        </>
      )}
    </section>
  );
}
