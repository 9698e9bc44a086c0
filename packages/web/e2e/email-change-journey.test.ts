import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoPassword } from '../../server/src/demo/demo-accounts.ts';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  openMail,
  pathOf,
  shows,
  startPortal,
  submitSignIn,
  type Portal,
  openMainNav,
  signOut as signOutFromHeader,
} from './harness.ts';

const oldEmail = 'patient@demo.portico.local';
const newEmail = 'maria.alvarez@example.org';
const confirmSubject = 'Confirm your new email address for Portico';
const requestedNoticeSubject = 'A change of your Portico email address was requested';
const changedNoticeSubject = 'Your Portico email address was changed';

/** The "Email address" section of the Security page. */
function emailSection(page: Page) {
  return page.getByRole('region', { name: 'Email address' });
}

describe('email change journey on a phone (375 x 812)', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
    await portal.page.setViewportSize({ width: 375, height: 812 });
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'asks for the password, emails a link to the new address and a notice to the old one, and signs in with the new address once confirmed',
    async () => {
      const { page, baseUrl } = portal;

      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await (await openMainNav(page)).getByRole('link', { name: 'Account', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Security' }));
      const section = emailSection(page);
      await shows(section.getByText(oldEmail, { exact: true }));

      // A wrong password is refused: the summary takes focus and links to the password field.
      await section.getByLabel('New email address', { exact: true }).fill(newEmail);
      await section.getByLabel('Password for this change', { exact: true }).fill('Not-the-right-password-1');
      await section.getByRole('button', { name: 'Change email address', exact: true }).click();
      const summary = await shows(section.getByRole('alert').filter({ hasText: 'There is a problem' }));
      await expect.poll(() => summary.evaluate((s) => s === document.activeElement)).toBe(true);
      const passwordField = section.getByLabel('Password for this change', { exact: true });
      expect(await passwordField.getAttribute('aria-invalid')).toBe('true');
      await expectAccessibleLayout(page);

      await passwordField.fill(demoPassword);
      await section.getByRole('button', { name: 'Change email address', exact: true }).click();
      await shows(section.getByRole('status').filter({ hasText: `We sent a link to ${newEmail}. Your address changes when you open it.` }));
      expect(await section.getByRole('alert').count()).toBe(0);
      // Nothing changes until the link is opened.
      await shows(section.getByText(oldEmail, { exact: true }));
      expect(await section.getByLabel('Password for this change', { exact: true }).inputValue()).toBe('');
      await expectAccessibleLayout(page);

      const notice = await openMail(page, baseUrl, oldEmail, requestedNoticeSubject);
      expect(await notice.innerText()).not.toContain('#token=');
      const mail = await openMail(page, baseUrl, newEmail, confirmSubject);
      const link = mail.getByRole('link', { name: /\/confirm-email-change#token=/ });
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^${baseUrl}/confirm-email-change#token=[A-Za-z0-9_-]{20,}$`));
      // Hold the confirmation until the page's start-up session check has answered (with the old address), so the
      // page must re-read the session itself after the change.
      const startUpCheck = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/me');
      await page.route('**/api/auth/email/confirm', async (route) => {
        await startUpCheck;
        await route.continue();
      });
      await link.click();

      await shows(page.getByRole('heading', { level: 1, name: 'Confirm your new email address' }));
      await shows(page.getByRole('status').filter({ hasText: 'Your email address is changed' }));
      expect(page.url()).toBe(`${baseUrl}/confirm-email-change`);
      expect(await page.evaluate(() => window.location.hash)).toBe('');
      await expectAccessibleLayout(page);
      await page.unroute('**/api/auth/email/confirm');

      // Still signed in in this browser: without a reload, the session now holds the new address.
      await page.getByRole('link', { name: 'Go to your home page', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await (await openMainNav(page)).getByRole('link', { name: 'Account', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Security' }));
      await shows(emailSection(page).getByText(newEmail, { exact: true }));
      expect(await emailSection(page).getByText(oldEmail, { exact: true }).count()).toBe(0);

      await signOutFromHeader(page);
      await page.waitForURL(`${baseUrl}/sign-in?reason=signed-out`);
      await submitSignIn(page, newEmail);
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      expect(pathOf(page)).toBe('/');

      // The old address is told that the change went through.
      await openMail(page, baseUrl, oldEmail, changedNoticeSubject);
    },
    journeyTimeoutMs,
  );

  it(
    'says clearly that a link used once cannot be used again',
    async () => {
      const { page, baseUrl } = portal;
      const mail = await openMail(page, baseUrl, newEmail, confirmSubject);
      const href = await mail.getByRole('link', { name: /\/confirm-email-change#token=/ }).getAttribute('href');
      expect(href).not.toBeNull();
      await page.goto(href ?? '');
      const problem = await shows(page.getByRole('alert').filter({ hasText: 'We could not change your email address' }));
      expect(await problem.innerText()).not.toBe('');
      expect(await page.evaluate(() => window.location.hash)).toBe('');
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );
});
