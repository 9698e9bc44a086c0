import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { MessageId, MessageValues } from '@portico/shared/i18n';
import { listSessions, revokeSession, signOutEverywhere } from '../api/auth.ts';
import { errorMessage } from '../api/client.ts';
import type { SessionSummary } from '../api/types.ts';
import { useMessageParts } from '../hooks/use-message-parts.ts';
import { useT } from '../i18n/i18n-context.ts';
import { formatDateTime } from '../lib/format.ts';
import { useSession } from '../session/session-context.ts';

/** Query key of the user's session list. */
const sessionsKey = ['auth', 'sessions'] as const;

/** A short, readable name for a browser's user agent in the page's language, e.g. "Firefox on Windows". */
function describeDevice(userAgent: string | null, t: (id: MessageId, values?: MessageValues) => string): string {
  if (!userAgent) return t('account.sessions.unknownBrowser');
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : t('account.sessions.genericBrowser');
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Android/.test(userAgent)
        ? 'Android'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : t('account.sessions.unknownSystem');
  return t('account.sessions.device', { browser, os });
}

/** The user's active sessions, with sign-out for each other one and for all of them (ASVS 3.3.4). */
export function SessionsList() {
  const { end } = useSession();
  const t = useT();
  const parts = useMessageParts();
  const sessions = useQuery({ queryKey: sessionsKey, queryFn: listSessions });
  const [busyId, setBusyId] = useState<string | null>(null);
  /** The session just signed out, named in the live region (its browser, read at render in the page's language). */
  const [revoked, setRevoked] = useState<{ userAgent: string | null } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function revoke(session: SessionSummary) {
    setBusyId(session.id);
    setProblem(null);
    try {
      await revokeSession(session.id);
      setRevoked({ userAgent: session.userAgent });
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
          <p className="error-summary__title">{t('common.problem')}</p>
          <p className="error-summary__message">{problem}</p>
        </div>
      )}
      {sessions.isPending && <p role="status">{t('account.sessions.loading')}</p>}
      {sessions.isError && <p className="field__error">{errorMessage(sessions.error)}</p>}
      {sessions.data && (
        <ul className="session-list">
          {sessions.data.sessions.map((session) => {
            const device = describeDevice(session.userAgent, t);
            const [beforeIp, afterIp] = parts('account.sessions.ip', 'ip');
            return (
              <li key={session.id} className="session-list__item">
                <p className="session-list__device">
                  {device}
                  {session.current && <span className="badge">{t('account.sessions.thisDevice')}</span>}
                </p>
                <p className="session-list__meta">
                  {t('account.sessions.meta', {
                    signedIn: formatDateTime(session.createdAt),
                    lastActive: formatDateTime(session.lastSeenAt),
                  })}
                  {session.ipAddress && (
                    <>
                      {' '}
                      {beforeIp}
                      <span translate="no">{session.ipAddress}</span>
                      {afterIp}
                    </>
                  )}
                </p>
                {!session.current && (
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => void revoke(session)}
                    disabled={busyId !== null}
                  >
                    {t('auth.signOut')}
                    <span className="visually-hidden"> {t('account.sessions.signOutHidden', { device })}</span>
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <p className="live-text" role="status">
        {revoked ? t('account.sessions.revoked', { device: describeDevice(revoked.userAgent, t) }) : ''}
      </p>
      <p>{t('account.sessions.everywhereText')}</p>
      <button type="button" className="button button--danger" onClick={() => void everywhere()} disabled={busyId !== null}>
        {t('account.sessions.everywhere')}
      </button>
    </>
  );
}
