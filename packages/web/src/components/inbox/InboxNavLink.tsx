import { NavLink } from 'react-router';
import { useT } from '../../i18n/i18n-context.ts';
import { inboxPaths } from './inbox-paths.ts';
import { usePools } from './inbox-queries.ts';

/** The total of unread threads over the caller's pools, or null while it is not known. */
export function useUnreadTotal(enabled = true): number | null {
  const pools = usePools(enabled);
  if (!pools.data) return null;
  return pools.data.reduce((sum, pool) => sum + pool.unread, 0);
}

/**
 * The staff navigation's "Inbox" item. Its accessible name carries the unread count, "Inbox 3 unread", which starts
 * with the visible "Inbox 3" (WCAG 2.5.3 label in name).
 */
export function InboxNavLink() {
  const t = useT();
  const unread = useUnreadTotal();
  return (
    <NavLink to={inboxPaths.home}>
      {t('nav.inbox')}
      {unread !== null && unread > 0 && (
        <>
          <span className="nav-count">{unread}</span>
          <span className="visually-hidden"> {t('nav.inboxUnread')}</span>
        </>
      )}
    </NavLink>
  );
}
