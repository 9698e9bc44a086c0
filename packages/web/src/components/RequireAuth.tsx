import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../session/session-context.ts';

/** Renders its children only for a signed-in user; otherwise sends them to sign-in (remembering the page in memory). */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <p className="loading">Loading…</p>;
  if (state.status === 'ending') return <p className="loading">Signing you out…</p>;
  if (state.status === 'signed_out') return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return children;
}
