import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTotpSecret } from '../../server/src/demo/demo-accounts.ts';
import { currentTotpCode } from '../../server/src/modules/auth/totp.ts';
import { expectNoAxeViolations, journeyTimeoutMs, pathOf, shows, startPortal, submitSignIn, type Portal } from './harness.ts';

/** Maria Alvarez, the `patient` sign-in: the demo gives her MRN 100002, her birth date and her allergies (demo-plan.ts, profile.ts). */
const maria = { givenName: 'Maria', familyName: 'Alvarez', mrn: '100002', birthDate: '1978-09-14', typedBirthDate: '9/14/1978' };

/** Whole years from a birth date (YYYY-MM-DD) to today's UTC day, as the chart header counts them. */
function ageInYears(birthDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const today = new Date();
  const [ty, tm, td] = [today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

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
    'signs in, finds Maria Alvarez by her birth date typed as people write it, and opens her chart in one click, with her age and allergies in its header',
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
      // What is addressed to her sits on her home page, with its counts.
      const addressed = await shows(page.getByRole('region', { name: 'Addressed to you' }));
      await shows(addressed.getByText(/open threads? (is|are) assigned to you or written to you|No open threads are assigned to you/));
      await expectNoAxeViolations(page);

      // From here on, keyboard only: the new page puts focus on its heading, and Tab reaches the search field.
      await expect.poll(() => heading.evaluate((h) => h === document.activeElement)).toBe(true);
      await page.keyboard.press('Tab');
      const search = page.getByLabel('Name, MRN or date of birth', { exact: true });
      expect(await search.evaluate((input) => input === document.activeElement)).toBe(true);
      // Her birth date as an American types it: month first, no leading zeros.
      await page.keyboard.type(maria.typedBirthDate);
      await page.keyboard.press('Enter');

      // The results come right under the search box, and the focus goes to them; the count and the day read are announced.
      const resultsHeading = await shows(page.getByRole('heading', { level: 2, name: 'Search results' }));
      await expect.poll(() => resultsHeading.evaluate((h) => h === document.activeElement)).toBe(true);
      await shows(page.getByRole('status').filter({ hasText: /^\d+ patients? born Sep 14, 1978\.$/ }));
      const form = page.getByRole('search');
      const [formBox, resultsBox] = [await form.boundingBox(), await resultsHeading.boundingBox()];
      expect(resultsBox!.y).toBeGreaterThan(formBox!.y);
      expect(resultsBox!.y - (formBox!.y + formBox!.height)).toBeLessThan(120);
      const openMaria = page.getByRole('link', { name: `${maria.familyName}, ${maria.givenName}`, exact: true });
      const row = page.getByRole('row').filter({ has: openMaria });
      expect(await row.getByRole('cell').first().innerText()).toBe(maria.mrn);
      await expectNoAxeViolations(page);

      let tabs = 0;
      while (!(await openMaria.evaluate((link) => link === document.activeElement))) {
        expect(++tabs, 'Tab presses from the results to Maria Alvarez').toBeLessThanOrEqual(6);
        await page.keyboard.press('Tab');
      }
      // One key press opens her chart: the link goes straight there.
      await page.keyboard.press('Enter');
      await expect.poll(() => pathOf(page)).toMatch(/^\/patients\/[0-9a-f-]{36}\/chart$/);

      const header = await shows(page.getByRole('region', { name: `${maria.givenName} ${maria.familyName}`, exact: true }));
      await shows(header.getByText('Allergies', { exact: true }));
      const headerText = await header.innerText();
      expect(headerText).toContain(maria.mrn);
      expect(headerText).toContain(`${ageInYears(maria.birthDate)} years`);
      expect(headerText).toMatch(/Shellfish \(high risk\)/);
      expect(headerText).toContain('Penicillin');
      await shows(page.getByRole('heading', { level: 1, name: 'Health summary' }));
      await expectNoAxeViolations(page);

      const names = [maria.givenName, maria.familyName].map((n) => n.toLowerCase());
      expect(pageUrls.length).toBeGreaterThan(0);
      for (const url of [...pageUrls, page.url()]) {
        expect(
          names.some((n) => decodeURIComponent(url).toLowerCase().includes(n)),
          url,
        ).toBe(false);
        expect(url).not.toContain(maria.mrn);
        expect(decodeURIComponent(url)).not.toContain(maria.typedBirthDate);
      }
      expect(requestUrls.filter((url) => names.some((n) => decodeURIComponent(url).toLowerCase().includes(n)))).toEqual([]);
      expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
      expect(await page.evaluate(() => document.cookie)).toBe('');
    },
    journeyTimeoutMs,
  );
});
