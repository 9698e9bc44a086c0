import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { useT } from '../i18n/i18n-context.ts';
import { LanguagePicker } from '../i18n/LanguagePicker.tsx';
import { hasAbility, hasOwnRecord } from '../session/abilities.ts';
import { useSession } from '../session/session-context.ts';
import { IdleWarning } from './IdleWarning.tsx';
import { MessagesNavLink } from './messages/MessagesNavLink.tsx';
import { InboxNavLink } from './inbox/InboxNavLink.tsx';

/**
 * Page frame: skip link, header with navigation (and, signed in, the language menu), the main landmark, footer, and the
 * idle warning while signed in.
 */
export function Layout() {
  const { state, end } = useSession();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const [signingOut, setSigningOut] = useState(false);
  const firstRender = useRef(true);
  const t = useT();

  // After client-side navigation, move focus to the new page's heading as a full page load would reset it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector('h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus();
    } else {
      mainRef.current?.focus();
    }
  }, [location.pathname]);

  const signedIn = state.status === 'signed_in';

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await end('signed-out');
    } finally {
      setSigningOut(false);
    }
  }

  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        {t('nav.skipToMain')}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link className="site-header__brand" to="/" translate="no">
            Portico
          </Link>
          {signedIn && (
            <>
              <nav className="site-nav" aria-label={t('nav.main')}>
                <ul>
                  <li>
                    <NavLink to="/" end>
                      {t('nav.home')}
                    </NavLink>
                  </li>
                  {hasOwnRecord(state.user) && (
                    <>
                      <li>
                        <NavLink to="/record" end>
                          {t('nav.healthSummary')}
                        </NavLink>
                      </li>
                      <li>
                        <NavLink to="/record/visits">{t('nav.visits')}</NavLink>
                      </li>
                      <li>
                        <NavLink to="/record/results">{t('nav.testResults')}</NavLink>
                      </li>
                      <li>
                        <NavLink to="/record/download">{t('nav.download')}</NavLink>
                      </li>
                      <li>
                        <NavLink to="/appointments">{t('nav.appointments')}</NavLink>
                      </li>
                      <li>
                        <MessagesNavLink patientId={state.user.patientId} />
                      </li>
                    </>
                  )}
                  {hasAbility(state.user, 'inbox.use') && (
                    <li>
                      <InboxNavLink />
                    </li>
                  )}
                  {(hasAbility(state.user, 'schedule.read') || hasAbility(state.user, 'schedule.manage')) && (
                    <li>
                      <NavLink to="/schedule">{t('nav.schedule')}</NavLink>
                    </li>
                  )}
                  <li>
                    <NavLink to="/account/security">{t('nav.security')}</NavLink>
                  </li>
                  <li>
                    <NavLink to="/account/notifications">{t('nav.notifications')}</NavLink>
                  </li>
                </ul>
              </nav>
              <div className="site-header__user">
                <span className="site-header__name">
                  <span className="visually-hidden">{t('nav.signedInAs')}</span>
                  <span translate="no">{state.user.displayName}</span>
                </span>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => void handleSignOut()}
                  disabled={signingOut}
                >
                  {t('auth.signOut')}
                </button>
                {/* Last, so on a phone the name and Sign out keep their row and the menu wraps below them. */}
                <LanguagePicker className="language-picker--header" />
              </div>
            </>
          )}
        </div>
      </header>
      <main id="main" className="site-main" tabIndex={-1} ref={mainRef}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>{t('nav.footer')}</p>
      </footer>
      {signedIn && <IdleWarning idleTimeoutSeconds={state.session.idleTimeoutSeconds} />}
    </>
  );
}
