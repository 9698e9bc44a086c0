import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTotpSecret } from '../../server/src/demo/demo-accounts.ts';
import { currentTotpCode } from '../../server/src/modules/auth/totp.ts';
import { expectNoAxeViolations, journeyTimeoutMs, pathOf, shows, startPortal, submitSignIn, type Portal } from './harness.ts';

/** Maria Alvarez, the `patient` sign-in: the demo gives her MRN 100002 (demo-plan.ts). */
const maria = { givenName: 'Maria', familyName: 'Alvarez', mrn: '100002' };

describe('clinician journey on a desktop', () => {
  let portal: Portal;
  const pageUrls: string[] = [];
  const requestUrls: string[] = [];

  beforeAll(async () => {
    portal = await startPortal();
    portal.page.on('framenavigated', (frame) => {
      if (frame === portal.page.mainFrame()) pageUrls.push(frame.url());
    });
    portal.page.on('request', (request) => requestUrls.push(request.url()));
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'signs in with an authenticator code, finds Maria Alvarez by keyboard and reads her summary, leaving nothing in URLs or storage',
    async () => {
      const { page, baseUrl } = portal;

      await page.goto(`${baseUrl}/sign-in`);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
      await expectNoAxeViolations(page);
      await submitSignIn(page, 'clinician');

      await shows(page.getByRole('heading', { level: 1, name: 'Confirm it’s you' }));
      await expectNoAxeViolations(page);
      await page.getByLabel('Authenticator code', { exact: true }).fill(currentTotpCode(demoTotpSecret));
      await page.getByRole('button', { name: 'Verify', exact: true }).click();

      const heading = await shows(page.getByRole('heading', { level: 1, name: 'Find a patient' }));
      await shows(page.getByText('Signed in as Sarah Chen at Portico Health.'));
      expect(pathOf(page)).toBe('/');
      await expectNoAxeViolations(page);

      // From here on, keyboard only: the new page puts focus on its heading, and Tab reaches the search field.
      await expect.poll(() => heading.evaluate((h) => h === document.activeElement)).toBe(true);
      await page.keyboard.press('Tab');
      const search = page.getByLabel('Name, MRN or date of birth', { exact: true });
      expect(await search.evaluate((input) => input === document.activeElement)).toBe(true);
      await page.keyboard.type('Alvarez');
      await page.keyboard.press('Enter');

      await shows(page.getByRole('heading', { level: 2, name: 'Search results' }));
      await shows(page.getByRole('status').filter({ hasText: /patients? found\./ }));
      const openMaria = page.getByRole('button', { name: `${maria.familyName}, ${maria.givenName}`, exact: true });
      const row = page.getByRole('row').filter({ has: openMaria });
      expect(await row.getByRole('cell').first().innerText()).toBe(maria.mrn);
      await expectNoAxeViolations(page);

      let tabs = 0;
      while (!(await openMaria.evaluate((button) => button === document.activeElement))) {
        expect(++tabs, 'Tab presses from the search field to Maria Alvarez').toBeLessThanOrEqual(6);
        await page.keyboard.press('Tab');
      }
      await page.keyboard.press('Enter');

      const summary = page.getByRole('region', { name: `${maria.givenName} ${maria.familyName}`, exact: true });
      const summaryHeading = await shows(summary.getByRole('heading', { level: 2, name: `${maria.givenName} ${maria.familyName}` }));
      await shows(summary.getByRole('region', { name: 'Recent results' }).getByRole('table'));
      expect(await summaryHeading.evaluate((h) => h === document.activeElement)).toBe(true);
      expect(await openMaria.getAttribute('aria-pressed')).toBe('true');
      expect(await summary.locator('dl').first().innerText()).toContain(maria.mrn);

      const appointment = summary.getByRole('region', { name: 'Next appointment' });
      await shows(appointment.getByText('When', { exact: true }));
      expect(await appointment.innerText()).not.toContain('no upcoming appointments');

      const results = summary.getByRole('region', { name: 'Recent results' });
      const highCell = results.getByRole('cell', { name: 'High', exact: true }).first();
      await shows(highCell);
      expect(await highCell.innerText()).toContain('High');
      await expectNoAxeViolations(page);

      const names = [maria.givenName, maria.familyName].map((n) => n.toLowerCase());
      expect(pageUrls.length).toBeGreaterThan(0);
      for (const url of [...pageUrls, page.url()]) {
        expect(
          names.some((n) => decodeURIComponent(url).toLowerCase().includes(n)),
          url,
        ).toBe(false);
        expect(url).not.toContain(maria.mrn);
      }
      expect(requestUrls.filter((url) => names.some((n) => decodeURIComponent(url).toLowerCase().includes(n)))).toEqual([]);
      expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
      expect(await page.evaluate(() => document.cookie)).toBe('');
    },
    journeyTimeoutMs,
  );
});
