import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import type { MessageId } from '@portico/shared/i18n';
import type { InboxStatusFilter } from '../../api/inbox.ts';
import { inboxPaths } from '../../components/inbox/inbox-paths.ts';
import { usePools } from '../../components/inbox/inbox-queries.ts';
import { ThreadList } from '../../components/inbox/ThreadList.tsx';
import { StatusMessage } from '../../components/StatusMessage.tsx';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';

/** The filters: the visible word, and the link's name with the word "threads" that the visible word leaves implied. */
const filters: readonly { value: InboxStatusFilter; label: MessageId; name: MessageId }[] = [
  { value: 'todo', label: 'inbox.filter.todo', name: 'inbox.filter.todoName' },
  { value: 'open', label: 'inbox.filter.open', name: 'inbox.filter.openName' },
  { value: 'closed', label: 'inbox.filter.closed', name: 'inbox.filter.closedName' },
  { value: 'all', label: 'inbox.filter.all', name: 'inbox.filter.allName' },
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
 * `/inbox/pools/:departmentId`: one pool's threads, open ones by default; "To do" keeps those still owed a full answer
 * (waiting, or acknowledged by a holding reply). The filter sits in the query string (`?status=todo`): it holds no
 * patient data, and a filtered list can be bookmarked or shared with the team.
 */
export function PoolPage() {
  const t = useT();
  const user = useSignedInUser();
  const allowed = hasAbility(user, 'inbox.use');
  const { departmentId = '' } = useParams();
  const [search] = useSearchParams();
  const location = useLocation();
  const status = readFilter(search.get('status'));
  const pools = usePools(allowed);
  const pool = pools.data?.find((p) => p.departmentId === departmentId);
  const notice = readNotice(location.state);
  useDocumentTitle(pool ? t('inbox.titleWith', { name: pool.name }) : t('inbox.pool.title'));
  if (!allowed) return <NotFoundPage />;

  return (
    <div className="page">
      <p className="back-link">
        <Link to={inboxPaths.home}>{t('inbox.allPools')}</Link>
      </p>
      <h1>
        {pool ? <span translate="no">{pool.name}</span> : t('inbox.pool.fallback')}
        {pool && <span className="heading-meta">{t('inbox.pool.counts', { unread: pool.unread, todo: pool.todo, open: pool.open })}</span>}
      </h1>
      {notice && <StatusMessage tone="success">{notice}</StatusMessage>}
      <nav className="filter-nav" aria-label={t('inbox.filter.label')}>
        <ul>
          {filters.map((filter) => (
            <li key={filter.value}>
              <Link
                to={filter.value === 'open' ? inboxPaths.pool(departmentId) : `${inboxPaths.pool(departmentId)}?status=${filter.value}`}
                aria-current={filter.value === status ? 'page' : undefined}
                aria-label={t(filter.name)}
              >
                {t(filter.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ThreadList key={`${departmentId}-${status}`} departmentId={departmentId} status={status} />
    </div>
  );
}
