import { createContext, useContext } from 'react';
import type { Me } from '@portico/shared';
import type { SessionInfo } from '../api/types.ts';

/** Why a session ended; shown on the sign-in page as `?reason=`. */
export type EndReason = 'idle' | 'expired' | 'signed-out';

/** Where the browser stands with the server: unknown at start, then signed out or in. */
export type SessionState =
  | { status: 'loading' }
  | { status: 'signed_out' }
  /** Patient data is already gone; waiting for the server to confirm sign-out. */
  | { status: 'ending' }
  | { status: 'signed_in'; user: Me; session: SessionInfo };

/** Session state plus the only ways to change it. */
export interface SessionContextValue {
  state: SessionState;
  /** Records a completed sign-in (password, MFA or enrolment) so the app and the idle timer start. */
  signedIn: (user: Me, session: SessionInfo) => void;
  /** Re-reads GET /api/me (which also extends the server's idle timer); resolves false if signed out. */
  refresh: () => Promise<boolean>;
  /** Drops all patient data, ends the server session (for idle and user sign-out) and shows the sign-in page. */
  end: (reason: EndReason) => Promise<void>;
  /** Local epoch ms at which the server's absolute session limit is reached. */
  absoluteDeadline: () => number;
}

/** React context carrying the session; provided once by SessionProvider. */
export const SessionContext = createContext<SessionContextValue | null>(null);

/** The session context; throws if used outside SessionProvider (a wiring bug, not a user error). */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside SessionProvider');
  return value;
}

/** The signed-in user, for components that only render inside RequireAuth. */
export function useSignedInUser(): Me {
  const { state } = useSession();
  if (state.status !== 'signed_in') throw new Error('useSignedInUser must be used inside RequireAuth');
  return state.user;
}
