import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useT } from '../i18n/i18n-context.ts';
import { useSession } from '../session/session-context.ts';

/** Renders its children only for a signed-in user; otherwise sends them to sign-in (remembering the page in memory). */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useSession();
  const location = useLocation();
  const t = useT();
  if (state.status === 'loading') return <p className="loading">{t('common.loading')}</p>;
  if (state.status === 'ending') return <p className="loading">{t('auth.signingOut')}</p>;
  if (state.status === 'signed_out') return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return children;
}
