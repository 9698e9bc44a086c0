import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import type { InboxStatusFilter } from '../../api/inbox.ts';
import { inboxPaths } from '../../components/inbox/inbox-text.ts';
import { usePools } from '../../components/inbox/inbox-queries.ts';
import { ThreadList } from '../../components/inbox/ThreadList.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

const filters: readonly { value: InboxStatusFilter; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'closed', label: 'Closed' },
  { value: 'all', label: 'All' },
];

function readFilter(value: string | null): InboxStatusFilter {
  return filters.find((f) => f.value === value)?.value ?? 'open';
}

/** A notice another page left in router state (e.g. after forwarding a thread), read without trusting it. */
function readNotice(state: unknown): string | null {
  if (typeof state !== 'object' || state === null || !('notice' in state)) return null;
  return typeof state.notice === 'string' ? state.notice : null;
}

/**
 * `/inbox/pools/:departmentId`: one pool's threads, open ones first by default. The filter sits in the query string
 * (`?status=closed`): it holds no patient data, and a filtered list can be bookmarked or shared with the team.
 */
export function PoolPage() {
  const user = useSignedInUser();
  const allowed = hasAbility(user, 'inbox.use');
  const { departmentId = '' } = useParams();
  const [search] = useSearchParams();
  const location = useLocation();
  const status = readFilter(search.get('status'));
  const pools = usePools(allowed);
  const pool = pools.data?.find((p) => p.departmentId === departmentId);
  const notice = readNotice(location.state);
  useDocumentTitle(pool ? `Inbox: ${pool.name}` : 'Inbox pool');
  if (!allowed) return <NotFoundPage />;

  return (
    <div className="page">
      <p className="back-link">
        <Link to={inboxPaths.home}>All your pools</Link>
      </p>
      <h1>
        {pool?.name ?? 'Care-team pool'}
        {pool && (
          <span className="heading-meta">
            {pool.unread} unread, {pool.open} open
          </span>
        )}
      </h1>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      <nav className="filter-nav" aria-label="Which threads">
        <ul>
          {filters.map((filter) => (
            <li key={filter.value}>
              <Link
                to={filter.value === 'open' ? inboxPaths.pool(departmentId) : `${inboxPaths.pool(departmentId)}?status=${filter.value}`}
                aria-current={filter.value === status ? 'page' : undefined}
              >
                {filter.label}
                <span className="visually-hidden"> threads</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ThreadList key={`${departmentId}-${status}`} departmentId={departmentId} status={status} />
    </div>
  );
}
