import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { listSessions, revokeSession, signOutEverywhere } from '../api/auth.ts';
import { errorMessage } from '../api/client.ts';
import type { SessionSummary } from '../api/types.ts';
import { describeUserAgent, formatDateTime } from '../lib/format.ts';
import { useSession } from '../session/session-context.ts';

/** Query key of the user's session list. */
const sessionsKey = ['auth', 'sessions'] as const;

/** The user's active sessions, with sign-out for each other one and for all of them (ASVS 3.3.4). */
export function SessionsList() {
  const { end } = useSession();
  const sessions = useQuery({ queryKey: sessionsKey, queryFn: listSessions });
  const [busyId, setBusyId] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  async function revoke(session: SessionSummary) {
    setBusyId(session.id);
    setProblem(null);
    try {
      await revokeSession(session.id);
      setStatus(`Signed out the session on ${describeUserAgent(session.userAgent)}.`);
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusyId(null);
      await sessions.refetch();
    }
  }

  async function everywhere() {
    setBusyId('all');
    setProblem(null);
    try {
      await signOutEverywhere();
      await end('signed-out');
    } catch (error) {
      setProblem(errorMessage(error));
      setBusyId(null);
    }
  }

  return (
    <>
      {problem && (
        <div className="error-summary" role="alert">
          <p className="error-summary__title">There is a problem</p>
          <p className="error-summary__message">{problem}</p>
        </div>
      )}
      {sessions.isPending && <p role="status">Loading your sessions…</p>}
      {sessions.isError && <p className="field__error">{errorMessage(sessions.error)}</p>}
      {sessions.data && (
        <ul className="session-list">
          {sessions.data.sessions.map((session) => {
            const device = describeUserAgent(session.userAgent);
            return (
              <li key={session.id} className="session-list__item">
                <p className="session-list__device">
                  {device}
                  {session.current && <span className="badge">This device</span>}
                </p>
                <p className="session-list__meta">
                  Signed in {formatDateTime(session.createdAt)}. Last active {formatDateTime(session.lastSeenAt)}.
                  {session.ipAddress && <> IP address {session.ipAddress}.</>}
                </p>
                {!session.current && (
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => void revoke(session)}
                    disabled={busyId !== null}
                  >
                    Sign out<span className="visually-hidden"> the session on {device}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <p className="live-text" role="status">
        {status}
      </p>
      <p>Signing out everywhere ends every session of your account, including this one.</p>
      <button type="button" className="button button--danger" onClick={() => void everywhere()} disabled={busyId !== null}>
        Sign out everywhere
      </button>
    </>
  );
}
