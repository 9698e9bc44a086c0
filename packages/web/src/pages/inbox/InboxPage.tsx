import { Link } from 'react-router';
import { inboxPaths } from '../../components/inbox/inbox-paths.ts';
import { usePools } from '../../components/inbox/inbox-queries.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { RecordTable } from '../../components/record/RecordTable.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/** `/inbox`: the care-team pools (departments) the staff member belongs to, with their unread, to-do and open threads. */
export function InboxPage() {
  const t = useT();
  const user = useSignedInUser();
  const allowed = hasAbility(user, 'inbox.use');
  const pools = usePools(allowed);
  useDocumentTitle(t('inbox.title'));
  if (!allowed) return <NotFoundPage />;

  return (
    <div className="page">
      <h1>{t('inbox.title')}</h1>
      <p className="lede">{t('inbox.lede')}</p>
      {pools.data === undefined ? (
        pools.isError ? (
          <QueryProblem error={pools.error} what={t('inbox.poolsWhat')} onRetry={() => void pools.refetch()} />
        ) : (
          <p role="status">{t('inbox.poolsLoading')}</p>
        )
      ) : pools.data.length === 0 ? (
        <p className="empty-state">{t('inbox.noPools')}</p>
      ) : (
        <RecordTable caption={t('inbox.poolsCaption')}>
          <thead>
            <tr>
              <th scope="col">{t('inbox.label.pool')}</th>
              <th scope="col">{t('inbox.label.unread')}</th>
              <th scope="col">{t('inbox.label.todo')}</th>
              <th scope="col">{t('inbox.label.open')}</th>
            </tr>
          </thead>
          <tbody>
            {pools.data.map((pool) => (
              <tr key={pool.departmentId} className={pool.unread > 0 ? 'row--unread' : undefined}>
                <th scope="row">
                  <Link to={inboxPaths.pool(pool.departmentId)} translate="no">
                    {pool.name}
                  </Link>
                </th>
                <td data-label={t('inbox.label.unread')}>{pool.unread}</td>
                <td data-label={t('inbox.label.todo')}>{pool.todo}</td>
                <td data-label={t('inbox.label.open')}>{pool.open}</td>
              </tr>
            ))}
          </tbody>
        </RecordTable>
      )}
    </div>
  );
}
