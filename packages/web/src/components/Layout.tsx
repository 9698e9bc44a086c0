import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { hasAbility, hasOwnRecord } from '../session/abilities.ts';
import { useSession } from '../session/session-context.ts';
import { IdleWarning } from './IdleWarning.tsx';
import { MessagesNavLink } from './messages/MessagesNavLink.tsx';
import { InboxNavLink } from './inbox/InboxNavLink.tsx';

/** Page frame: skip link, header with navigation, the main landmark, footer, and the idle warning while signed in. */
export function Layout() {
  const { state, end } = useSession();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const [signingOut, setSigningOut] = useState(false);
  const firstRender = useRef(true);

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
        Skip to main content
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link className="site-header__brand" to="/">
            Portico
          </Link>
          {signedIn && (
            <>
              <nav className="site-nav" aria-label="Main">
                <ul>
                  <li>
                    <NavLink to="/" end>
                      Home
                    </NavLink>
                  </li>
                  {hasOwnRecord(state.user) && (
                    <>
                      <li>
                        <NavLink to="/record" end>
                          Health summary
                        </NavLink>
                      </li>
                      <li>
                        <NavLink to="/record/visits">Visits</NavLink>
                      </li>
                      <li>
                        <NavLink to="/record/results">Test results</NavLink>
                      </li>
                      <li>
                        <NavLink to="/record/download">Download</NavLink>
                      </li>
                      <li>
                        <NavLink to="/appointments">Appointments</NavLink>
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
                      <NavLink to="/schedule">Schedule</NavLink>
                    </li>
                  )}
                  <li>
                    <NavLink to="/account/security">Security</NavLink>
                  </li>
                  <li>
                    <NavLink to="/account/notifications">Notifications</NavLink>
                  </li>
                </ul>
              </nav>
              <div className="site-header__user">
                <span className="site-header__name">
                  <span className="visually-hidden">Signed in as </span>
                  {state.user.displayName}
                </span>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => void handleSignOut()}
                  disabled={signingOut}
                >
                  Sign out
                </button>
              </div>
            </>
          )}
        </div>
      </header>
      <main id="main" className="site-main" tabIndex={-1} ref={mainRef}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>Portico patient portal. Your information is private; sign out when you finish on a shared device.</p>
      </footer>
      {signedIn && <IdleWarning idleTimeoutSeconds={state.session.idleTimeoutSeconds} />}
    </>
  );
}
