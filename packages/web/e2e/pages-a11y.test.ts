import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npiCheckDigit } from '@portico/shared';
import { demoTotpSecret } from '../../server/src/demo/demo-accounts.ts';
import { currentTotpCode } from '../../server/src/modules/auth/totp.ts';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  openMainNav,
  pathOf,
  shows,
  signInStaff,
  signOut,
  startPortal,
  submitSignIn,
  type Portal,
} from './harness.ts';

/** The pages no journey passes through still meet WCAG 2.2 AA and fit a 375-pixel phone. */
describe('accessibility of the remaining pages', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
    await portal.page.setViewportSize({ width: 375, height: 812 });
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'forgot password, an unusable reset link, not found, and the patient security page',
    async () => {
      const { page, baseUrl } = portal;
      await page.goto(`${baseUrl}/forgot-password`);
      await shows(page.getByRole('heading', { level: 1, name: 'Reset your password' }));
      await expectAccessibleLayout(page);

      await page.goto(`${baseUrl}/reset-password#token=not-a-real-token-not-a-real-token`);
      await shows(page.getByRole('heading', { level: 1, name: 'Choose a new password' }));
      await expectAccessibleLayout(page);

      await page.goto(`${baseUrl}/no-such-page`);
      await shows(page.getByRole('heading', { level: 1, name: 'Page not found' }));
      await expectAccessibleLayout(page);

      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await page.goto(`${baseUrl}/account/security`);
      await shows(page.getByRole('heading', { level: 1, name: 'Security' }));
      await shows(page.getByRole('button', { name: 'Sign out everywhere' }));
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );

  it(
    'the open menu and the Display page on a phone, with one help text in the footer of each page',
    async () => {
      const { page, baseUrl } = portal;
      await page.goto(`${baseUrl}/`);
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      const nav = await openMainNav(page);
      await shows(nav.getByRole('link', { name: 'Display', exact: true }));
      await expectAccessibleLayout(page);
      await nav.getByRole('link', { name: 'Display', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Display' }));
      await shows(page.getByRole('radio', { name: '100% (standard)', exact: true }));
      await expectAccessibleLayout(page);
      expect(await page.getByRole('contentinfo').getByText('Need help?', { exact: true }).count()).toBe(1);
      await signOut(page);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
      expect(await page.getByRole('contentinfo').getByText('Need help?', { exact: true }).count()).toBe(1);
    },
    journeyTimeoutMs,
  );

  it(
    'the front desk’s menu has the staff sections its abilities give, and Find a patient goes to the search field',
    async () => {
      const { page, baseUrl } = portal;
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'frontdesk');
      await page.getByLabel('Authenticator code', { exact: true }).fill(currentTotpCode(demoTotpSecret));
      await page.getByRole('button', { name: 'Verify', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Find a patient' }));

      const nav = await openMainNav(page);
      for (const name of ['Home', 'Schedule', 'Find a patient', 'Account']) await shows(nav.getByRole('link', { name, exact: true }));
      await shows(nav.getByRole('link', { name: /^Inbox/ }));
      expect(await nav.getByRole('link', { name: 'My record', exact: true }).count()).toBe(0);
      await expectAccessibleLayout(page);

      await nav.getByRole('link', { name: 'Find a patient', exact: true }).click();
      expect(`${pathOf(page)}${new URL(page.url()).hash}`).toBe('/#patient-search-q');
      const search = page.getByLabel('Name, MRN or date of birth', { exact: true });
      await expect.poll(() => search.evaluate((input) => input === document.activeElement)).toBe(true);
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );

  it(
    'the invitation page without a usable link, and a parent’s switch, banner and Sharing page for her teen on a phone',
    async () => {
      const { page, baseUrl } = portal;
      await page.context().clearCookies();
      await page.goto(`${baseUrl}/proxy-invitation`);
      await shows(page.getByRole('heading', { level: 1, name: 'Family access invitation' }));
      await shows(page.getByText(/^This link is not complete\./));
      await expectAccessibleLayout(page);
      await page.goto(`${baseUrl}/proxy-invitation#token=not-a-real-invitation-token-at-all`);
      await shows(page.getByText('This invitation cannot be used', { exact: true }));
      expect(new URL(page.url()).hash).toBe('');
      await expectAccessibleLayout(page);

      // Ana (the demo `parent`) acts for her children: the first is shown, and the menu switches to the other.
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'parent');
      await shows(page.getByText('You are viewing Leo Alvarez’s record.', { exact: true }));
      const nav = await openMainNav(page);
      await nav.getByLabel('Show the record of', { exact: true }).selectOption({ label: 'Sofia Alvarez' });
      await expectAccessibleLayout(page);
      await nav.getByRole('button', { name: 'Switch', exact: true }).click();
      await shows(page.getByText('You are viewing Sofia Alvarez’s record.', { exact: true }));
      await expectAccessibleLayout(page);
      await (await openMainNav(page)).getByRole('link', { name: 'Sharing and privacy', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Sharing and privacy' }));
      await shows(page.getByText(/^Because the patient is between 12 and 17/).first());
      await shows(page.getByText('You are viewing Sofia Alvarez’s record.', { exact: true }));
      await expectAccessibleLayout(page);

      // Who has opened Sofia's record: Ana's own visits to it are listed, through her family access.
      await (await openMainNav(page)).getByRole('link', { name: 'Who has seen my record', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Who has seen my record' }));
      await shows(page.getByRole('table').getByRole('row').nth(1));
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );

  it(
    'an administrator’s Portal rules page on a phone: from the menu, saved with a status, kept after a reload',
    async () => {
      const { page, baseUrl } = portal;
      await page.context().clearCookies();
      await signInStaff(page, 'admin', baseUrl);
      await (await openMainNav(page)).getByRole('link', { name: 'Portal rules', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Portal rules' }));
      const ages = page.getByRole('group', { name: 'Patients can have their own account from age' });
      const nurses = page.getByLabel('Nurses can mark patients arrived', { exact: true });
      expect(await ages.getByRole('radio', { name: '13', exact: true }).isChecked()).toBe(true);
      expect(await nurses.isChecked()).toBe(false);
      await expectAccessibleLayout(page);

      await ages.getByRole('radio', { name: '12', exact: true }).check();
      await nurses.check();
      await page.getByRole('button', { name: 'Save portal rules', exact: true }).click();
      await shows(page.getByRole('status').getByText('Saved. The new rules apply from now on.', { exact: true }));
      await expectAccessibleLayout(page);

      await page.reload();
      await shows(page.getByRole('heading', { level: 1, name: 'Portal rules' }));
      await expect.poll(() => page.getByRole('radio', { name: '12', exact: true }).isChecked()).toBe(true);
      expect(await page.getByLabel('Nurses can mark patients arrived', { exact: true }).isChecked()).toBe(true);
      // Back to the demo's rules, for the journeys that share this portal.
      await page.getByRole('radio', { name: '13', exact: true }).check();
      await page.getByLabel('Nurses can mark patients arrived', { exact: true }).uncheck();
      await page.getByRole('button', { name: 'Save portal rules', exact: true }).click();
      await shows(page.getByRole('status').getByText('Saved. The new rules apply from now on.', { exact: true }));
    },
    journeyTimeoutMs,
  );
  it(
    'an outside provider registers on a phone (a wrong NPI is named), the support team rejects it from its queue, and an unusable activation link',
    async () => {
      const { page, baseUrl } = portal;
      await page.context().clearCookies();
      await page.goto(`${baseUrl}/register/provider`);
      await shows(page.getByRole('heading', { level: 1, name: 'Register as an outside provider' }));
      await expectAccessibleLayout(page);
      const fill = async (label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);
      await fill('First name', 'Iris');
      await fill('Last name', 'Quayle');
      await fill('NPI', '1234567890');
      await fill('Email', 'iris.quayle@bayside.example');
      await fill('Phone', '617 555 0170');
      await fill('Practice name', 'Bayside Family Medicine');
      await fill('Practice address', '5 Bay Road, Quincy, MA 02169');
      await fill('Practice phone', '617 555 0171');
      await page.getByRole('button', { name: 'Send registration', exact: true }).click();
      await shows(page.getByRole('link', { name: 'That is not a valid NPI: check the 10 digits.' }));
      await expectAccessibleLayout(page);
      await fill('NPI', `155544433${npiCheckDigit('155544433')}`);
      await page.getByRole('button', { name: 'Send registration', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'We received your registration' }));
      await expectAccessibleLayout(page);

      await signInStaff(page, 'support', baseUrl);
      await (await openMainNav(page)).getByRole('link', { name: 'Provider registrations', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Provider registrations' }));
      const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Iris Quayle' }) });
      await shows(page.getByRole('heading', { level: 2, name: 'Samuel Whitfield DO' }));
      await expectAccessibleLayout(page);
      await card.getByRole('button', { name: 'Reject', exact: true }).click();
      await card.getByLabel('Reason for rejecting Iris Quayle', { exact: true }).fill('We could not confirm the practice.');
      await card.getByRole('button', { name: 'Reject registration', exact: true }).click();
      await shows(page.getByText('Iris Quayle was rejected. They were emailed the reason.', { exact: true }));
      await expect.poll(() => page.getByRole('heading', { name: 'Iris Quayle' }).count()).toBe(0);
      await expectAccessibleLayout(page);

      await signOut(page);
      await page.goto(`${baseUrl}/provider/activate`);
      await shows(page.getByText('This activation link does not work', { exact: true }));
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );
});
