import { useEffect } from 'react';
import { NavLink, useLocation } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { messageKeys } from '../../api/messages.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { useUnreadCount } from './message-queries.ts';

/**
 * "Messages" in the main navigation with the number of unread conversations. The badge is a number to the eye and
 * "Messages, 2 unread" to a screen reader. The count is re-read (when older than the cache's stale time) as the
 * person moves between pages; it does not poll, since a request in the background would keep an idle session alive.
 */
export function MessagesNavLink({ patientId }: { patientId: string | null }) {
  const queryClient = useQueryClient();
  const t = useT();
  const { pathname } = useLocation();
  const unread = useUnreadCount(patientId).data ?? 0;

  useEffect(() => {
    if (patientId) void queryClient.refetchQueries({ queryKey: messageKeys.unread(patientId), stale: true, type: 'active' });
  }, [queryClient, patientId, pathname]);

  return (
    <NavLink to="/messages" aria-label={unread > 0 ? t('nav.messagesUnread', { count: unread }) : undefined}>
      {t('nav.messages')}
      {unread > 0 && (
        <span className="messaging-nav-count" aria-hidden="true">
          {unread}
        </span>
      )}
    </NavLink>
  );
}
