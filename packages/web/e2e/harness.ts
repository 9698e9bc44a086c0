import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../../server/src/app.ts';
import type { Config } from '../../server/src/config.ts';
import type { Database } from '../../server/src/db/client.ts';
import { demoPassword, demoTotpSecret } from '../../server/src/demo/demo-accounts.ts';
import { currentTotpCode } from '../../server/src/modules/auth/totp.ts';
import { seedDemoData } from '../../server/src/demo/demo-seed.ts';
import { createDevMailboxTransport } from '../../server/src/modules/mail/mail.transport.ts';
import { startOutboxWorker } from '../../server/src/modules/mail/outbox.worker.ts';
import { createTestDatabase } from '../../server/src/test/test-database.ts';
import { testConfig } from '../../server/src/test/test-app.ts';
import { chromiumInstallCommand, chromiumPath } from './chromium-setup.ts';

/** The built web app the journeys run against; PORTICO_WEB_DIST points at another build (a parallel worker's own). */
const webDist = process.env.PORTICO_WEB_DIST ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');

/** How long one journey step may take on a loaded 2-core machine before it counts as broken. */
export const stepTimeoutMs = 20_000;

/** Per-test timeout for a journey (vitest's default of 30 s is too tight for a whole journey in a real browser). */
export const journeyTimeoutMs = 90_000;

/** Chromium flags for this machine: no sandbox as root, no GPU, and no background calls to the closed network. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running portal with the demo data on its own database, and a fresh Chromium profile pointed at it. */
export interface Portal {
  baseUrl: string;
  context: BrowserContext;
  page: Page;
  /** The portal's own database, for a journey that needs a setting no page changes (an organization's choices). */
  db: Database;
  close(): Promise<void>;
}

/** Browser-side choices for one portal. */
export interface BrowserOptions {
  /**
   * Keep Chromium's back/forward cache on, as in a person's browser. Playwright turns it off by default,
   * which would hide a page restored from memory (with patient data still on screen) after Back.
   */
  backForwardCache?: boolean;
  /**
   * The host name the portal is reached at (and its public URL): `localhost` for WebAuthn, which refuses an IP address
   * as its relying party ID. The server still listens on 127.0.0.1.
   */
  hostName?: 'localhost';
}

/** Runs the clean-up steps in order, all of them even when one fails, then reports the first failure. */
async function runAll(steps: (() => Promise<unknown>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}

/** Starts the real server (demo mode: mail to /dev/mailbox) and Chromium with a new profile. */
export async function startPortal(overrides: Partial<Config> = {}, browser: BrowserOptions = {}): Promise<Portal> {
  if (!existsSync(chromiumPath)) {
    // The run's global setup installs it when it can (as root with apt-get); here it could not.
    throw new Error(`The browser tests need Debian's Chromium at ${chromiumPath}. Install it with: ${chromiumInstallCommand}`);
  }
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanUp = () => runAll([...cleanups].reverse());
  try {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    await seedDemoData(database.db, { now: new Date() });
    const port = await freePort();
    const baseUrl = `http://${browser.hostName ?? '127.0.0.1'}:${port}`;
    const config = testConfig({ demo: true, publicUrl: baseUrl, webDist, ...overrides });
    let kick = (): void => undefined;
    const app = await buildApp({ config, database, logger: false, kickMail: () => kick() });
    const worker = startOutboxWorker(database.db, createDevMailboxTransport(database.db), app.log, 250);
    cleanups.push(() => worker.stop());
    kick = () => worker.kick();
    cleanups.push(() => app.close());
    await app.listen({ port, host: '127.0.0.1' });
    const profile = mkdtempSync(path.join(os.tmpdir(), 'portico-chromium-'));
    cleanups.push(() => Promise.resolve(rmSync(profile, { recursive: true, force: true })));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      ...(browser.backForwardCache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
      viewport: { width: 1280, height: 900 },
    });
    cleanups.push(() => context.close());
    context.setDefaultTimeout(stepTimeoutMs);
    context.setDefaultNavigationTimeout(stepTimeoutMs);
    const page = context.pages()[0] ?? (await context.newPage());
    return { baseUrl, context, page, db: database.db, close: cleanUp };
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
}

/** A second person's browser beside the portal's own: another Chromium with its own profile, cookies and memory. */
export interface SecondBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Starts another Chromium (same flags and timeouts) for a journey where two people use the portal at once. */
export async function startSecondBrowser(): Promise<SecondBrowser> {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(stepTimeoutMs);
    context.setDefaultNavigationTimeout(stepTimeoutMs);
    const page = await context.newPage();
    return { context, page, close: () => browser.close() };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}

/**
 * What axe finds on the page, one line per rule naming its nodes: WCAG 2.2 AA (target size included), and
 * `landmark-unique` (a best practice: two navigations or regions with one name cannot be told apart).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // From the top of the page: axe counts a target scrolled under the phone's sticky header as too small, which says
  // where the test left the scroll, not how the page is built (focus-not-obscured is checked in display-journey).
  await page.evaluate(() => window.scrollTo(0, 0));
  const result = await new AxeBuilder({ page })
    .options({ rules: { 'landmark-unique': { enabled: true } } })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Runs axe on the page (axeViolations) and fails the test on any violation, naming the rules and nodes. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/** The page is readable at 375 px: nothing forces horizontal scrolling. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** The page's text size: the computed font size of <html> as a share of the browser's 16 px, e.g. 2 at 200 %. */
export async function textScale(page: Page): Promise<number> {
  return page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize) / 16);
}

/**
 * The main navigation: on phones and at large text sizes its sections sit behind a "Menu" button (Menú in Spanish);
 * this opens it when it is closed, so a journey can click a section or a page of one. Call it again after each
 * navigation: following a link closes the menu.
 */
export async function openMainNav(page: Page): Promise<Locator> {
  const nav = page.getByRole('navigation', { name: /^(Main|Principal)$/ });
  await nav.waitFor({ state: 'visible' });
  const button = nav.getByRole('button', { name: /^(Menu|Menú)$/ });
  if ((await button.count()) > 0 && (await button.getAttribute('aria-expanded')) === 'false') await button.click();
  return nav;
}

/** Signs out with the header's button, which on the narrowest screens is in the menu. */
export async function signOut(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: /^(Sign out|Cerrar sesión)$/ });
  if (!(await button.isVisible())) await openMainNav(page);
  await button.click();
}

/** Both page-level checks every journey runs on each state it reaches. */
export async function expectAccessibleLayout(page: Page): Promise<void> {
  await expectNoAxeViolations(page);
  await expectNoHorizontalScroll(page);
}

/** Every character of the page's text, hidden parts included: what is still in the DOM, not only what shows. */
export async function pageText(page: Page): Promise<string> {
  return page.evaluate(() => document.body.textContent);
}

/** Waits for the locator to show, with the step timeout; fails naming what was awaited. */
export async function shows(locator: Locator, timeout = stepTimeoutMs): Promise<Locator> {
  await locator.waitFor({ state: 'visible', timeout });
  return locator;
}

/** The current path and query of the page, e.g. `/sign-in?reason=idle`. */
export function pathOf(page: Page): string {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
}

/**
 * Signs a staff member in with the demo password and an authenticator code (the second factor staff must use), and
 * waits for the staff home (the patient search, or the plain home for staff who do not search). With `baseUrl` it opens /sign-in first; without, the page must be showing it.
 */
export async function signInStaff(page: Page, username: string, baseUrl?: string): Promise<void> {
  if (baseUrl) await page.goto(`${baseUrl}/sign-in`);
  await submitSignIn(page, username);
  await page.getByLabel('Authenticator code', { exact: true }).fill(currentTotpCode(demoTotpSecret));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  // Staff who search patients land on the search, outside providers on patient selection, others on their home.
  await shows(page.getByRole('heading', { level: 1, name: /^(Find a patient|Patient selection|Home)$/ }));
}

/** Fills the password step of /sign-in (the page must be showing it) and submits; `password` defaults to the demo one. */
export async function submitSignIn(page: Page, username: string, password = demoPassword): Promise<void> {
  await page.getByLabel('Username or email', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * Another device (outside this browser) signs in as `username` and chooses "Sign out everywhere", which ends
 * every session of the account, this browser's included, without this browser hearing of it.
 */
export async function signOutEverywhereFromAnotherDevice(baseUrl: string, username: string, password = demoPassword): Promise<void> {
  const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'portico' };
  const signIn = await fetch(`${baseUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ identifier: username, password }),
  });
  expect(signIn.status).toBe(200);
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const signOut = await fetch(`${baseUrl}/api/auth/sign-out-everywhere`, {
    method: 'POST',
    headers: { ...headers, Cookie: cookie },
    body: '{}',
  });
  expect(signOut.status).toBe(200);
}

/**
 * Opens /dev/mailbox and waits for the message to `to` with `subject` (the outbox worker delivers within a second
 * or so), reloading the page while it is not there yet; returns the message's <article>.
 */
export async function openMail(page: Page, baseUrl: string, to: string, subject: string, timeout = stepTimeoutMs): Promise<Locator> {
  const message = page
    .locator('article.mail')
    .filter({ has: page.getByRole('heading', { name: subject, exact: true }) })
    .filter({ hasText: `To ${to} at` });
  const giveUpAt = Date.now() + timeout;
  for (;;) {
    await page.goto(`${baseUrl}/dev/mailbox`);
    if ((await message.count()) > 0) return message.first();
    if (Date.now() > giveUpAt) throw new Error(`No email "${subject}" to ${to} arrived in ${timeout} ms`);
    await page.waitForTimeout(250);
  }
}
