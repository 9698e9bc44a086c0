import { Link } from 'react-router';
import { inboxPaths } from '../../components/inbox/inbox-text.ts';
import { usePools } from '../../components/inbox/inbox-queries.ts';
import { QueryProblem } from '../../components/record/QueryProblem.tsx';
import { RecordTable } from '../../components/record/RecordTable.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/** `/inbox`: the care-team pools (departments) the staff member belongs to, with their unread and open threads. */
export function InboxPage() {
  const user = useSignedInUser();
  const allowed = hasAbility(user, 'inbox.use');
  const pools = usePools(allowed);
  useDocumentTitle('Inbox');
  if (!allowed) return <NotFoundPage />;

  return (
    <div className="page">
      <h1>Inbox</h1>
      <p className="lede">
        Messages and refill requests from patients to the care-team pools you belong to. Choose a pool to read its threads.
      </p>
      {pools.data === undefined ? (
        pools.isError ? (
          <QueryProblem error={pools.error} what="your pools" onRetry={() => void pools.refetch()} />
        ) : (
          <p role="status">Loading your pools…</p>
        )
      ) : pools.data.length === 0 ? (
        <p className="empty-state">You do not belong to any care-team pool yet. An administrator adds staff to their departments’ pools.</p>
      ) : (
        <RecordTable caption="Your care-team pools">
          <thead>
            <tr>
              <th scope="col">Pool</th>
              <th scope="col">Unread</th>
              <th scope="col">Open</th>
            </tr>
          </thead>
          <tbody>
            {pools.data.map((pool) => (
              <tr key={pool.departmentId} className={pool.unread > 0 ? 'row--unread' : undefined}>
                <th scope="row">
                  <Link to={inboxPaths.pool(pool.departmentId)}>{pool.name}</Link>
                </th>
                <td data-label="Unread">{pool.unread}</td>
                <td data-label="Open">{pool.open}</td>
              </tr>
            ))}
          </tbody>
        </RecordTable>
      )}
    </div>
  );
}
