import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { Me } from '@portico/shared';
import { fetchMe, signOut as signOutRequest } from '../api/auth.ts';
import { getServerClockOffset, onSessionRejected } from '../api/client.ts';
import type { SessionInfo } from '../api/types.ts';
import { SessionContext, type EndReason, type SessionContextValue, type SessionState } from './session-context.ts';
import { connectTabSync, type TabSync } from './tab-sync.ts';

/**
 * Owns the signed-in state. Patient data lives only in the in-memory query cache and in components under
 * RequireAuth, so ending a session is: unmount them, clear the cache, tell the server, show sign-in
 * (SECURITY.md "Sessions": the page clears patient data when the session ends).
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const statusRef = useRef<SessionState['status']>('loading');
  const absoluteDeadlineRef = useRef(Number.POSITIVE_INFINITY);
  const tabSyncRef = useRef<TabSync | null>(null);

  const apply = useCallback((next: SessionState) => {
    statusRef.current = next.status;
    setState(next);
  }, []);

  const signedIn = useCallback(
    (user: Me, session: SessionInfo) => {
      const absolute = Date.parse(session.absoluteExpiresAt) - getServerClockOffset();
      absoluteDeadlineRef.current = Number.isNaN(absolute) ? Number.POSITIVE_INFINITY : absolute;
      apply({ status: 'signed_in', user, session });
    },
    [apply],
  );

  const refresh = useCallback(async (): Promise<boolean> => {
    try {
      const me = await fetchMe();
      if (statusRef.current === 'ending') return false;
      signedIn(me.user, me.session);
      return true;
    } catch {
      // A 401 while signed in is handled by the onSessionRejected listener; here only the start-up check settles.
      if (statusRef.current === 'loading') apply({ status: 'signed_out' });
      return false;
    }
  }, [apply, signedIn]);

  const endSession = useCallback(
    async (reason: EndReason, announce: boolean) => {
      if (statusRef.current !== 'signed_in') return;
      // Unmount every screen that shows patient data before dropping the cache, so nothing refetches it.
      flushSync(() => apply({ status: 'ending' }));
      queryClient.clear();
      if (announce) tabSyncRef.current?.announceEnded(reason);
      if (announce && reason !== 'expired') await signOutRequest().catch(() => undefined);
      void navigate(`/sign-in?reason=${reason}`, { replace: true });
      apply({ status: 'signed_out' });
    },
    [apply, navigate, queryClient],
  );

  const end = useCallback((reason: EndReason) => endSession(reason, true), [endSession]);
  const endRef = useRef(endSession);
  useEffect(() => {
    endRef.current = endSession;
  }, [endSession]);

  useEffect(() => {
    const stopRejected = onSessionRejected(() => void endRef.current('expired', true));
    const tabSync = connectTabSync((reason) => void endRef.current(reason, false));
    tabSyncRef.current = tabSync;
    return () => {
      stopRejected();
      tabSync.close();
      tabSyncRef.current = null;
    };
  }, []);

  // A page kept in the back/forward cache would come back with patient data on screen even if the session was
  // ended elsewhere meanwhile: drop the data as the page is cached, and ask the server again when it returns.
  useEffect(() => {
    const onPageHide = (event: PageTransitionEvent) => {
      if (!event.persisted || statusRef.current !== 'signed_in') return;
      flushSync(() => apply({ status: 'loading' }));
      queryClient.clear();
    };
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted && statusRef.current === 'loading') void refresh();
    };
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('pageshow', onPageShow);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('pageshow', onPageShow);
    };
  }, [apply, queryClient, refresh]);

  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void refresh();
  }, [refresh]);

  const value = useMemo<SessionContextValue>(
    () => ({ state, signedIn, refresh, end, absoluteDeadline: () => absoluteDeadlineRef.current }),
    [state, signedIn, refresh, end],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}
