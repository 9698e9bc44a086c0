import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { demoPassword } from '../../server/src/demo/demo-accounts.ts';
import {
  axeViolations,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  journeyTimeoutMs,
  openMainNav,
  pathOf,
  shows,
  signOut,
  startPortal,
  stepTimeoutMs,
  submitSignIn,
  textScale,
  type Portal,
} from './harness.ts';

/**
 * Issue 10 §2: a patient on a 375 px phone sets the text to 200 % and the language to Spanish on the Display page,
 * reached through the menu; every patient page then fits the screen without sideways scrolling, passes axe (WCAG 2.2
 * AA and unique landmark names) and is drawn at 200 %; the choice is the account's, so it is back after signing in again.
 */

/** Waits until the page has finished loading what it shows: no "Loading…" / "Cargando…" status left. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => ![...document.querySelectorAll('[role="status"], .loading')].some((el) => /Loading|Cargando/.test(el.textContent)),
    undefined,
    { timeout: stepTimeoutMs },
  );
}

/** Every password and code field on the page takes a paste (WCAG 3.3.8: nothing to transcribe or remember). */
async function expectPasteAllowed(page: Page): Promise<void> {
  const refused = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement>('input[type="password"], input[autocomplete="one-time-code"]')].flatMap((input) => {
      const data = new DataTransfer();
      data.setData('text/plain', 'pasted');
      const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      return input.dispatchEvent(event) ? [] : [input.id || input.name];
    }),
  );
  expect(refused).toEqual([]);
}

/**
 * Tabs forward `presses` times, then back as many, and fails when something covers the top of the focused element
 * (WCAG 2.4.11): the sticky header must not, since scrolling to focus leaves room for it (scroll-padding-top).
 */
async function expectFocusNeverUnderHeader(page: Page, presses: number): Promise<void> {
  const hidden: string[] = [];
  for (const key of [...Array<string>(presses).fill('Tab'), ...Array<string>(presses).fill('Shift+Tab')]) {
    await page.keyboard.press(key);
    const found = await page.evaluate(() => {
      const focused = document.activeElement;
      if (!focused || focused === document.body) return null;
      // What is drawn at the top of the focused element, a little inside it: itself, or what covers it.
      const box = focused.getBoundingClientRect();
      const top = document.elementFromPoint(box.left + Math.min(8, box.width / 2), box.top + Math.min(4, box.height / 2));
      if (!top || focused.contains(top) || top.contains(focused)) return null;
      return `${focused.tagName} “${(focused.textContent ?? '').trim().slice(0, 30)}” under ${top.tagName}.${top.className}`;
    });
    if (found) hidden.push(`${key}: ${found}`);
  }
  expect(hidden).toEqual([]);
}

/** The menu button, inside the main navigation. */
function menuButton(page: Page): Locator {
  return page.getByRole('navigation', { name: /^(Main|Principal)$/ }).getByRole('button', { name: /^(Menu|Menú)$/ });
}

/** Opens the menu and follows the link named `name` in it; the menu closes on the way. */
async function goByMenu(page: Page, name: string | RegExp): Promise<void> {
  const nav = await openMainNav(page);
  await nav.getByRole('link', { name, exact: true }).click();
  await expect.poll(() => menuButton(page).getAttribute('aria-expanded'), { timeout: stepTimeoutMs }).toBe('false');
}

/** With no menu button, the main navigation's sections sit on one row: the list is no taller than one link. */
async function expectSectionsOnOneRowOrMenu(page: Page): Promise<void> {
  if ((await menuButton(page).count()) > 0) return;
  const nav = page.getByRole('navigation', { name: /^(Main|Principal)$/ });
  const list = await nav.getByRole('list').boundingBox();
  const link = await nav.getByRole('link').first().boundingBox();
  expect(list && link ? list.height - link.height : null).toBeLessThanOrEqual(1);
}

describe('display settings journey', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
    await portal.page.setViewportSize({ width: 375, height: 812 });
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'on a phone, Maria sets 200 % text and Spanish from the menu’s Display page; every page fits, passes axe and keeps it',
    async () => {
      const { page, baseUrl } = portal;
      await page.goto(`${baseUrl}/sign-in`);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
      await expectPasteAllowed(page);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await settled(page);

      // The menu is a disclosure: closed, opened, closed again by Escape with focus back on its button.
      const button = menuButton(page);
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      const panelId = await button.getAttribute('aria-controls');
      expect(await page.locator(`[id="${panelId}"]`).isVisible()).toBe(false);
      await button.click();
      expect(await button.getAttribute('aria-expanded')).toBe('true');
      await shows(page.locator(`[id="${panelId}"]`));
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'Home', exact: true }).getAttribute('aria-current')).toBe('page');
      for (const name of ['My record', 'Appointments', 'Account', 'Health summary', 'Test results', 'Display']) {
        await shows(nav.getByRole('link', { name, exact: true }));
      }
      await expectNoAxeViolations(page);
      await page.keyboard.press('Escape');
      expect(await button.getAttribute('aria-expanded')).toBe('false');
      expect(await button.evaluate((element) => element === document.activeElement)).toBe(true);

      await goByMenu(page, 'Display');
      await shows(page.getByRole('heading', { level: 1, name: 'Display' }));
      expect(pathOf(page)).toBe('/account/display');
      await expectPasteAllowed(page);
      await expectNoAxeViolations(page);
      await expectNoHorizontalScroll(page);

      // The preview follows the choice before anything is saved; saving applies it to the whole portal.
      const biggest = page.getByRole('radio', { name: '200%', exact: true });
      await biggest.check();
      await shows(page.locator('.text-preview__sample--200'));
      expect(await textScale(page)).toBe(1);
      await page.getByRole('button', { name: 'Save text size', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Text size saved.' }));
      expect(await textScale(page)).toBe(2);
      await expectNoHorizontalScroll(page);

      await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption('es');
      await shows(page.getByRole('heading', { level: 1, name: 'Pantalla' }));
      await expect.poll(() => page.evaluate(() => document.documentElement.lang), { timeout: stepTimeoutMs }).toMatch(/^es/);
      // The percentage as Spanish (es-US) writes it; "200 %" in some Spanish-speaking countries.
      expect(await page.getByRole('radio', { name: /^200\s?%$/ }).isChecked()).toBe(true);
      await expectNoAxeViolations(page);
      await expectNoHorizontalScroll(page);

      // Each section through the menu, in Spanish and at 200 %: the section is marked current, nothing scrolls sideways.
      const visits: { link: string | RegExp; path: string; heading: string | RegExp; section: string | RegExp }[] = [
        { link: 'Inicio', path: '/', heading: /^Le damos la bienvenida, Maria/, section: 'Inicio' },
        { link: 'Resumen de salud', path: '/record', heading: 'Resumen de salud', section: 'Mi expediente' },
        { link: 'Resultados de pruebas', path: '/record/results', heading: 'Resultados de pruebas', section: 'Mi expediente' },
        { link: /^Mensajes(, \d+ sin leer)?$/, path: '/messages', heading: 'Mensajes', section: /^Mensajes(, \d+ sin leer)?$/ },
        { link: 'Citas', path: '/appointments', heading: 'Citas', section: 'Citas' },
        { link: 'Seguridad', path: '/account/security', heading: 'Seguridad', section: 'Cuenta' },
        { link: 'Notificaciones', path: '/account/notifications', heading: 'Notificaciones', section: 'Cuenta' },
      ];
      for (const visit of visits) {
        await goByMenu(page, visit.link);
        await shows(page.getByRole('heading', { level: 1, name: visit.heading }));
        expect(pathOf(page)).toBe(visit.path);
        await settled(page);
        expect(await textScale(page), visit.path).toBe(2);
        await expectNoHorizontalScroll(page);
        // Soft, so one page's findings do not hide the next page's: the test still fails, naming each page.
        expect.soft({ path: visit.path, axe: await axeViolations(page) }).toEqual({ path: visit.path, axe: [] });
        const menu = await openMainNav(page);
        expect(await menu.getByRole('link', { name: visit.section, exact: true }).getAttribute('aria-current'), visit.path).toBe('page');
        await page.keyboard.press('Escape');
      }

      // The help is in the footer, in the same words, on every page.
      await shows(page.getByRole('contentinfo').getByText('¿Necesita ayuda?'));

      // Signed out, the sign-in page is the browser's size; signed in again, the account's 200 % and Spanish are back.
      await signOut(page);
      await shows(page.getByRole('heading', { level: 1, name: 'Iniciar sesión' }));
      expect(await textScale(page)).toBe(1);
      await page.locator('input[autocomplete="username"]').fill('patient');
      await page.locator('input[autocomplete="current-password"]').fill(demoPassword);
      await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: /^Le damos la bienvenida, Maria/ }));
      await settled(page);
      expect(await textScale(page)).toBe(2);
      await expectNoHorizontalScroll(page);
      await expectNoAxeViolations(page);
      await expectFocusNeverUnderHeader(page, 14);
    },
    journeyTimeoutMs * 2,
  );

  it(
    'on a desktop the sections stay on one row, at 100 % and at 200 % alike, or go behind the menu; the current one is marked',
    async () => {
      const { page, baseUrl } = portal;
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${baseUrl}/record/results`);
      await shows(page.getByRole('heading', { level: 1, name: 'Resultados de pruebas' }));
      await settled(page);
      expect(await textScale(page)).toBe(2);
      await expectNoHorizontalScroll(page);
      await expectSectionsOnOneRowOrMenu(page);

      await page.evaluate(async () => {
        await fetch('/api/me/preferences', {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'portico' },
          body: JSON.stringify({ textSize: 100, locale: 'en' }),
        });
      });
      await page.reload();
      await shows(page.getByRole('heading', { level: 1, name: 'Test results' }));
      await settled(page);
      expect(await menuButton(page).count()).toBe(0);
      await expectSectionsOnOneRowOrMenu(page);
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'My record', exact: true }).getAttribute('aria-current')).toBe('page');
      const pages = page.getByRole('navigation', { name: 'In My record' });
      expect(await pages.getByRole('link', { name: 'Test results', exact: true }).getAttribute('aria-current')).toBe('page');
      expect(await pages.getByRole('link', { name: 'Visits', exact: true }).getAttribute('aria-current')).toBeNull();
      await shows(page.getByRole('banner').getByRole('link', { name: 'Display and language', exact: true }));
      await expectNoAxeViolations(page);
    },
    journeyTimeoutMs,
  );
});
