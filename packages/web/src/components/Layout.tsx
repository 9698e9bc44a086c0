import { useEffect, useId, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useT } from '../i18n/i18n-context.ts';
import { RichMessage } from '../i18n/RichMessage.tsx';
import { BrandMark } from '../branding/BrandMark.tsx';
import { actsForOthers, allows, useActingFor } from '../session/acting-for.ts';
import { useSession } from '../session/session-context.ts';
import { ActingForBanner, ActingForSwitcher } from './ActingForControls.tsx';
import { IdleWarning } from './IdleWarning.tsx';
import { sectionsFor, type SectionPage } from './nav-sections.tsx';
import { SponsorValidationBanner } from '../pages/sponsors/SponsorValidationBanner.tsx';

/**
 * How the header fits its width: `full` (brand and account on one row, the sections on the next, the current section's
 * pages below), `compact` (brand, Sign out and the menu button; the sections in the menu) or `tight` (brand and the
 * menu button; Sign out in the menu too). Chosen by measuring, so a long language, many sections or large text never
 * make the navigation wrap.
 */
type HeaderMode = 'full' | 'compact' | 'tight';

/** A section's pages as links, the current one marked (aria-current), in the menu or in the row under the sections. */
function PageLinks({ pages, path, className }: { pages: SectionPage[]; path: string; className: string }) {
  return (
    <ul className={className}>
      {pages.map((page) => (
        <li key={page.to}>
          <Link to={page.to} aria-current={page.isCurrent(path) ? 'page' : undefined}>
            {page.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Whether any element marked `data-fit` in the header is wider than its box (its content would wrap or spill). */
function overflows(header: HTMLElement): boolean {
  return [...header.querySelectorAll<HTMLElement>('[data-fit]')].some((el) => el.scrollWidth > el.clientWidth + 1);
}

/**
 * Picks the header mode by measurement: while an element marked `data-fit` is wider than its box, steps down one mode
 * (full → compact → tight); when the header's width or the text size changes, starts again from `full`. Layout effects
 * run before paint, so the steps never show; what is inside the rows (an unread count arriving) is watched too.
 */
function useHeaderMode(active: boolean, contentKey: string) {
  const [mode, setMode] = useState<HeaderMode>('full');
  const [measure, setMeasure] = useState(0);
  const headerRef = useRef<HTMLElement>(null);
  const lastSize = useRef('');

  useLayoutEffect(() => {
    const header = headerRef.current;
    if (!active || !header || mode === 'tight') return;
    if (overflows(header)) setMode(mode === 'full' ? 'compact' : 'tight');
  }, [active, mode, measure, contentKey]);

  useEffect(() => {
    const header = headerRef.current;
    if (!active || !header) return;
    const observer = new ResizeObserver(() => {
      const size = `${header.clientWidth}/${getComputedStyle(document.documentElement).fontSize}`;
      if (lastSize.current !== '' && lastSize.current !== size) setMode('full');
      lastSize.current = size;
      setMeasure((n) => n + 1);
    });
    observer.observe(header);
    // The rows' items: the brand follows the text size, which changes without the window changing; a link grows
    // when its unread count arrives.
    for (const item of header.querySelectorAll('[data-fit] > *')) observer.observe(item);
    return () => observer.disconnect();
  }, [active, mode]);

  return { mode, headerRef };
}

/**
 * The menu button's disclosure: open and closed, closed again by a navigation, by Escape (focus back on the button),
 * by a press outside the header and by focus leaving it, so the open menu never covers what has focus.
 */
function useMenu(headerRef: RefObject<HTMLElement | null>, enabled: boolean, locationKey: string) {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => setOpen(false), [locationKey, enabled]);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      buttonRef.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!headerRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onFocus = (event: FocusEvent) => {
      if (!headerRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('focusin', onFocus);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('focusin', onFocus);
    };
  }, [open, headerRef]);

  return { open: open && enabled, setOpen, buttonRef };
}

/**
 * Page frame: skip link; a header with the navigation in sections (a menu button when they do not fit: phones, large
 * text), the current section's pages and the account links; the main landmark; a footer with the same help on every
 * page; and the idle warning while signed in.
 */
export function Layout() {
  const { state, end } = useSession();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const [signingOut, setSigningOut] = useState(false);
  const firstRender = useRef(true);
  const t = useT();
  const menuId = useId();
  const signedIn = state.status === 'signed_in';
  const actingFor = useActingFor();
  const sections = signedIn ? sectionsFor(state.user, t, actingFor.current) : [];
  const showSwitcher = signedIn && actsForOthers(state.user);
  const { mode, headerRef } = useHeaderMode(signedIn, sections.map((section) => section.key).join());
  const collapsed = mode !== 'full';
  const menu = useMenu(headerRef, signedIn && collapsed, location.key);

  // After client-side navigation, move focus to the new page's heading (or the element a #fragment names), as a full
  // page load would reset it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    const heading = target ?? mainRef.current?.querySelector('h1');
    if (heading) {
      if (!target) heading.setAttribute('tabindex', '-1');
      heading.focus();
    } else {
      mainRef.current?.focus();
    }
  }, [location.pathname, location.hash]);

  async function handleSignOut() {
    setSigningOut(true);
    try {
      await end('signed-out');
    } finally {
      setSigningOut(false);
    }
  }

  const path = location.pathname;
  const current = sections.find((section) => section.isCurrent(path));
  const signOutButton = (
    <button
      type="button"
      className="button button--secondary site-header__sign-out"
      onClick={() => void handleSignOut()}
      disabled={signingOut}
    >
      {t('auth.signOut')}
    </button>
  );
  const signedInAs = signedIn && (
    <span className="site-header__name">
      <span className="visually-hidden">{t('nav.signedInAs')}</span>
      <span translate="no">{state.user.displayName}</span>
    </span>
  );

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
      <header ref={headerRef} className={`site-header site-header--${signedIn ? mode : 'full'}`}>
        <div className="site-header__bar" data-fit>
          <Link className="site-header__brand" to="/" translate="no">
            <BrandMark />
          </Link>
          {signedIn && !collapsed && (
            <div className="site-header__account">
              {signedInAs}
              <Link to="/account/display" className="site-header__display" aria-current={path === '/account/display' ? 'page' : undefined}>
                {t('nav.displayAndLanguage')}
              </Link>
              {signOutButton}
            </div>
          )}
          {signedIn && mode === 'compact' && signOutButton}
          {signedIn && collapsed && (
            <nav className="site-menu" aria-label={t('nav.main')}>
              <button
                ref={menu.buttonRef}
                type="button"
                className="site-menu__button"
                aria-expanded={menu.open}
                aria-controls={menuId}
                onClick={() => menu.setOpen(!menu.open)}
              >
                <span className="site-menu__icon" aria-hidden="true">
                  <span />
                  <span />
                  <span />
                </span>
                {t('nav.menu')}
              </button>
              <div id={menuId} className="site-menu__panel" hidden={!menu.open}>
                {showSwitcher && (
                  <div className="site-menu__acting">
                    <ActingForSwitcher />
                  </div>
                )}
                <ul className="site-menu__sections">
                  {sections.map((section) => (
                    <li key={section.key} className="site-menu__section">
                      {section.link(section === current)}
                      {section.pages.length > 0 && <PageLinks pages={section.pages} path={path} className="site-menu__pages" />}
                    </li>
                  ))}
                </ul>
                <div className="site-menu__account">
                  {signedInAs}
                  {mode === 'tight' && signOutButton}
                </div>
              </div>
            </nav>
          )}
        </div>
        {showSwitcher && !collapsed && (
          <div className="site-header__acting">
            <ActingForSwitcher />
          </div>
        )}
        {signedIn && !collapsed && (
          <nav className="site-nav" aria-label={t('nav.main')}>
            <ul className="site-nav__sections" data-fit>
              {sections.map((section) => (
                <li key={section.key}>{section.link(section === current)}</li>
              ))}
            </ul>
          </nav>
        )}
        {signedIn && !collapsed && current && current.pages.length > 0 && (
          <nav className="site-subnav" aria-label={t('nav.sectionPages', { section: current.label })}>
            <PageLinks pages={current.pages} path={path} className="site-subnav__pages" />
          </nav>
        )}
      </header>
      <main id="main" className="site-main" tabIndex={-1} ref={mainRef}>
        {signedIn && <SponsorValidationBanner validation={state.user.sponsorValidation} />}
        {signedIn && <ActingForBanner />}
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="site-footer__inner">
          <p className="site-footer__help">
            <strong>{t('nav.help.title')}</strong> {t('nav.help.text')}
            {signedIn && allows(actingFor.current, 'messages') && (
              <>
                {' '}
                <RichMessage id="nav.help.write" parts={{ link: <Link to="/messages/new">{t('nav.help.writeLink')}</Link> }} />
              </>
            )}
          </p>
          {/* An outside practice's member reports a problem from any page, with that page (issue 12 §3). */}
          {sections.some((section) => section.key === 'mypatients') && (
            <p>
              <Link to="/support/report" state={{ from: location.pathname }}>
                {t('nav.reportProblem')}
              </Link>
            </p>
          )}
          <p>{t('nav.footer')}</p>
        </div>
      </footer>
      {signedIn && <IdleWarning idleTimeoutSeconds={state.session.idleTimeoutSeconds} />}
    </>
  );
}
