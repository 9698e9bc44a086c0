import { Suspense, useEffect, useRef } from 'react';
import { Outlet, useLocation } from 'react-router';
import { useT } from '../i18n/i18n-context.ts';

/** The key of the location the app opened on (React Router gives each navigation its own key). */
let openingKey: string | undefined;

/** Whether `key` is the location the app opened on; the first call, made on the first render's effects, records it. */
function isOpeningLocation(key: string): boolean {
  openingKey ??= key;
  return key === openingKey;
}

/**
 * Shown while a page's code loads (AppRoutes loads pages on first use): a status only a screen reader hears, so a fast
 * load does not flash. Layout moves focus to the new page's heading after a navigation, but while the code loads the
 * heading is not there yet (the page before is hidden), so focus stays where it was (the link followed) or falls to the
 * document or the main landmark. When the page arrives, focus moves on to its heading as Layout would have done, unless
 * the person has moved it meanwhile. On the page the app opened on, focus stays where a full page load leaves it.
 */
export function RouteFallback() {
  const t = useT();
  const { key } = useLocation();
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    const main = ref.current?.closest('main');
    const afterNavigation = !isOpeningLocation(key);
    const focusedBefore = document.activeElement;
    return () => {
      if (!main || !afterNavigation) return;
      const active = document.activeElement;
      if (active && active !== document.body && active !== main && active !== focusedBefore) return;
      const heading = main.querySelector('h1');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      } else {
        main.focus();
      }
    };
  }, [key]);
  return (
    <p ref={ref} className="visually-hidden" role="status">
      {t('common.pageLoading')}
    </p>
  );
}

/** A layout route for pages loaded on first use: their routes' outlet, with RouteFallback while the code loads. */
export function RouteSuspense() {
  const { key } = useLocation();
  useEffect(() => {
    isOpeningLocation(key);
  }, [key]);
  return (
    <Suspense fallback={<RouteFallback />}>
      <Outlet />
    </Suspense>
  );
}
