import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoTotpSecret } from '../../server/src/demo/demo-accounts.ts';
import { currentTotpCode } from '../../server/src/modules/auth/totp.ts';
import { pdfText } from '../../server/src/test/pdf-text.ts';
import { bloodCount, storeBloodCount } from './record-fixtures.ts';
import {
  expectAccessibleLayout,
  expectNoAxeViolations,
  journeyTimeoutMs,
  openMainNav,
  pathOf,
  shows,
  signOut as signOutFromHeader,
  startPortal,
  stepTimeoutMs,
  submitSignIn,
  textScale,
  type Portal,
} from './harness.ts';

/** Maria Alvarez, the `patient` sign-in (demo-plan.ts), and items of her scripted history (profile.ts, codes-*.ts). */
const maria = {
  givenName: 'Maria',
  familyName: 'Alvarez',
  mrn: '100002',
  activeProblem: 'Essential hypertension',
  allergy: 'Penicillin',
  /** A numeric test she has had many times, so its page carries a trend. */
  trendedTest: /Hemoglobin A1c/,
};

/** How many "Show more" presses the results list may need before the trended test shows. */
const maxPages = 8;

/** The main navigation, opened when it sits behind a menu button (phones, large text). */
function mainNav(page: Page) {
  return openMainNav(page);
}

/** Signs out from the header (or its menu) and waits for the sign-in page. */
async function signOut(page: Page): Promise<void> {
  await signOutFromHeader(page);
  await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
}

/** The results table's row of a result, found by its name's link. */
function resultRow(page: Page, name: string) {
  return page
    .getByRole('table', { name: 'Test results, newest first' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) });
}

describe('health record journey', () => {
  let portal: Portal;
  let downloads: string;
  const pageUrls: string[] = [];
  const requestUrls: string[] = [];

  beforeAll(async () => {
    portal = await startPortal();
    await storeBloodCount(portal.db, maria.mrn);
    downloads = mkdtempSync(path.join(os.tmpdir(), 'portico-record-'));
    portal.page.on('framenavigated', (frame) => {
      if (frame === portal.page.mainFrame()) pageUrls.push(frame.url());
    });
    portal.page.on('request', (request) => requestUrls.push(request.url()));
  });

  afterAll(async () => {
    if (downloads) rmSync(downloads, { recursive: true, force: true });
    await portal?.close();
  });

  it(
    'on a phone, Maria reads her summary, opens a result with its trend chart and table, and downloads her record as a PDF',
    async () => {
      const { page, baseUrl } = portal;
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));

      await (await mainNav(page)).getByRole('link', { name: 'Health summary', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Health summary' }));
      expect(pathOf(page)).toBe('/record');
      const problems = page.getByRole('region', { name: 'Active problems', exact: true });
      await shows(problems.getByRole('rowheader', { name: maria.activeProblem, exact: true }));
      const allergies = page.getByRole('region', { name: 'Allergies', exact: true });
      await shows(allergies.getByRole('rowheader', { name: new RegExp(`^${maria.allergy}`) }));
      // Medicines read as ingredient, strength and form; the drug database's name is a details line under each.
      const medicines = page.getByRole('region', { name: 'Current medications', exact: true });
      const medicineNames = (await medicines.getByRole('rowheader').allInnerTexts()).map((text) => text.split('\n')[0] ?? '');
      expect(medicineNames.length).toBeGreaterThan(0);
      for (const name of medicineNames) expect(name).not.toMatch(/\b(MG|ML|NDA\d+)\b|^\d+$/);
      await shows(medicines.getByText('Listed as:').first());
      await expectAccessibleLayout(page);

      await (await mainNav(page)).getByRole('link', { name: 'Test results', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Test results' }));
      await shows(page.getByRole('table', { name: 'Test results, newest first' }));
      expect(await page.getByRole('radio', { name: 'Release results to me immediately' }).isChecked()).toBe(true);
      await shows(page.getByRole('radio', { name: 'Hold new results until my clinician reviews them' }));
      await expectAccessibleLayout(page);

      // The blood count is one line, newest first and marked New; opened, it shows its three tests with values and flags.
      const panel = resultRow(page, bloodCount.name);
      await shows(panel.getByText('New', { exact: true }));
      expect(await page.getByRole('table', { name: 'Test results, newest first' }).getByRole('row').nth(1).innerText()).toContain(
        bloodCount.name,
      );
      // Its tests are not lines of their own (the demo has Hemoglobin alone too, but never these two).
      for (const member of bloodCount.members.slice(1)) expect(await resultRow(page, member).count()).toBe(0);
      await panel.getByText('3 results in this panel').click();
      const components = panel.getByRole('listitem');
      await shows(components.first());
      expect((await components.allInnerTexts()).map((text) => text.split(':')[0])).toEqual(bloodCount.members);
      expect(await components.first().innerText()).toMatch(/11\.2 g\/dL\s+▼?\s*Low/);
      await expectAccessibleLayout(page);

      // The filter finds the panel by one of its tests, and "Show all results" brings the list back.
      await page.getByRole('searchbox', { name: 'Test name' }).fill('platelet');
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Showing results whose name contains “platelet”.' }));
      await expect
        .poll(async () => page.getByRole('table', { name: 'Test results, newest first' }).getByRole('link').allInnerTexts(), {
          timeout: stepTimeoutMs,
        })
        .toEqual([bloodCount.name]);
      await expectAccessibleLayout(page);
      await page.getByRole('button', { name: 'Show all results', exact: true }).click();
      await expect.poll(() => page.getByRole('row').count(), { timeout: stepTimeoutMs }).toBeGreaterThan(2);

      const trended = page.getByRole('link', { name: maria.trendedTest });
      for (let pages = 1; (await trended.count()) === 0; pages++) {
        expect(pages, `pages of results read looking for ${maria.trendedTest}`).toBeLessThanOrEqual(maxPages);
        const shown = await page.getByRole('row').count();
        await page.getByRole('button', { name: 'Show more results' }).click();
        await expect.poll(() => page.getByRole('row').count(), { timeout: stepTimeoutMs }).toBeGreaterThan(shown);
      }
      await trended.first().click();

      await shows(page.getByRole('heading', { level: 1, name: maria.trendedTest }));
      expect(pathOf(page)).toMatch(/^\/record\/results\/[0-9a-f-]{36}$/);
      const trend = page.getByRole('region', { name: 'Trend', exact: true });
      const chart = await shows(trend.getByRole('img', { name: /Hemoglobin A1c over time/ }));
      expect(await chart.getAttribute('aria-describedby')).toBeTruthy();
      expect(await trend.locator('svg .trend__band').count()).toBe(1);
      expect(await trend.locator('svg .trend__point').count()).toBeGreaterThan(1);
      await trend.getByText('Show the values as a table', { exact: true }).click();
      const table = await shows(trend.getByRole('table', { name: /Hemoglobin A1c results over time/ }));
      expect(await table.getByRole('row').count()).toBe((await trend.locator('svg .trend__point').count()) + 1);
      await shows(page.getByRole('region', { name: 'Comments from your care team' }));
      await expectAccessibleLayout(page);

      // Visits are the record's encounters; one that was a booked appointment links to it rather than repeating it.
      await (await mainNav(page)).getByRole('link', { name: 'Visits', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Visits' }));
      await shows(page.getByText(/a visit that was a booked appointment links to it/));
      await expectAccessibleLayout(page);
      await page
        .getByRole('link', { name: /^See the booked appointment/ })
        .first()
        .click();
      await expect.poll(() => pathOf(page), { timeout: stepTimeoutMs }).toMatch(/^\/appointments\/[0-9a-f-]{36}$/);
      const appointmentHeading = await shows(page.getByRole('heading', { level: 1 }));
      expect(await appointmentHeading.innerText()).not.toMatch(/not found/i);
      await page.goBack();
      await shows(page.getByRole('heading', { level: 1, name: 'Visits' }));

      await (await mainNav(page)).getByRole('link', { name: 'Download', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Download your record' }));
      for (const section of ['Problems', 'Allergies', 'Medications', 'Immunizations', 'Care plans and goals', 'Visits', 'Test results']) {
        expect(await page.getByRole('checkbox', { name: section, exact: true }).isChecked(), section).toBe(true);
      }
      await page.getByRole('radio', { name: 'PDF', exact: true }).check();
      await expectAccessibleLayout(page);

      const downloadEvent = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      const download = await downloadEvent;
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      const file = path.join(downloads, 'record.pdf');
      await download.saveAs(file);
      const text = await pdfText(readFileSync(file));
      expect(text).toContain(`${maria.givenName} ${maria.familyName}`);
      expect(text).toContain('Allergies');
      await shows(page.getByRole('status').filter({ hasText: 'Your download has started' }));
      await expectAccessibleLayout(page);

      await page.getByRole('link', { name: 'Print', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Health record' }));
      expect(pathOf(page)).toBe('/record/print');
      await shows(
        page.getByRole('region', { name: 'Allergies', exact: true }).getByRole('rowheader', { name: new RegExp(`^${maria.allergy}`) }),
      );
      await shows(page.getByRole('button', { name: 'Print this page' }));
      await expectAccessibleLayout(page);

      // Neither her name nor the test name she filtered by is in any address the browser asked for.
      const names = [maria.givenName, maria.familyName, 'platelet'].map((n) => n.toLowerCase());
      for (const url of [...pageUrls, ...requestUrls]) {
        expect(
          names.some((n) => decodeURIComponent(url).toLowerCase().includes(n)),
          url,
        ).toBe(false);
      }
      expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
      await signOut(page);
    },
    journeyTimeoutMs,
  );

  it(
    'a clinician opens Maria’s chart, comments on a result, and Maria reads the comment',
    async () => {
      const { page, baseUrl, context } = portal;
      // Independent of how the first journey ended: a fresh, signed-out browser.
      await context.clearCookies();
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'clinician');
      await page.getByLabel('Authenticator code', { exact: true }).fill(currentTotpCode(demoTotpSecret));
      await page.getByRole('button', { name: 'Verify', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Find a patient' }));

      await page.getByLabel('Name, MRN or date of birth', { exact: true }).fill(maria.mrn);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      // Each result opens the chart in one click (issue 10 §5.4).
      await page.getByRole('link', { name: `${maria.familyName}, ${maria.givenName}`, exact: true }).click();

      const header = await shows(page.getByRole('region', { name: `${maria.givenName} ${maria.familyName}`, exact: true }));
      expect(await header.innerText()).toContain(maria.mrn);
      await shows(page.getByRole('heading', { level: 1, name: 'Health summary' }));
      await shows(page.getByRole('region', { name: 'Active problems', exact: true }).getByRole('rowheader', { name: maria.activeProblem }));
      await expectNoAxeViolations(page);

      await page.getByRole('navigation', { name: 'Chart' }).getByRole('link', { name: 'Test results', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Test results' }));
      const releasedRow = page
        .getByRole('table', { name: 'Test results, newest first' })
        .getByRole('row')
        .filter({ has: page.getByRole('link') })
        .filter({ hasNotText: 'Held' })
        .first();
      const resultLink = releasedRow.getByRole('link').first();
      const resultName = await resultLink.innerText();
      await resultLink.click();

      await shows(page.getByRole('heading', { level: 1, name: resultName }));
      const resultPath = pathOf(page);
      const resultId = /\/results\/([0-9a-f-]{36})$/.exec(resultPath)?.[1];
      expect(resultId, resultPath).toBeTruthy();
      await shows(page.getByRole('heading', { level: 2, name: 'Hold this result' }));
      await expectNoAxeViolations(page);

      const comment = `Your result looks fine; we will talk it through at your next visit. (${Date.now()})`;
      await page.getByRole('textbox', { name: 'Comment', exact: true }).fill(comment);
      await page.getByRole('button', { name: 'Add comment', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Comment added' }));
      await shows(page.getByRole('region', { name: 'Comments for the patient' }).getByText(comment));
      await expectNoAxeViolations(page);

      // A hold ends when the chosen day begins where Maria lives, and reads so: a date and 12:00 AM, never an ISO string.
      const inTwoDays = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      await page.getByRole('textbox', { name: 'Reason for the hold', exact: true }).fill('Discuss in person first');
      await page.getByLabel('Hold until', { exact: true }).fill(inTwoDays);
      await page.getByRole('button', { name: 'Hold this result', exact: true }).click();
      const availableOn = /^Available to the patient on [A-Z][a-z]+ \d{1,2}, \d{4} at 12:00\sAM$/;
      await shows(
        page.getByRole('status').filter({ hasText: /^Held\. The patient can see it on [A-Z][a-z]+ \d{1,2}, \d{4} at 12:00\sAM\.$/ }),
      );
      await shows(page.getByText(availableOn));
      expect(await page.locator('main').innerText()).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Release this result', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Released. The patient can now see this result.' }));
      await signOut(page);

      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await page.goto(`${baseUrl}/record/results/${resultId}`);
      await shows(page.getByRole('heading', { level: 1, name: resultName }));
      const comments = page.getByRole('region', { name: 'Comments from your care team' });
      await shows(comments.getByText(comment));
      expect(await comments.innerText()).toMatch(/Sarah Chen/);
      await expectNoAxeViolations(page);
    },
    journeyTimeoutMs,
  );

  it(
    'at 200 % text on a phone, Maria reads a panel, filters her results and reads her visits without sideways scrolling',
    async () => {
      const { page, baseUrl, context } = portal;
      await context.clearCookies();
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      const savePreferences = (textSize: number) =>
        page.evaluate(async (size) => {
          const response = await fetch('/api/me/preferences', {
            method: 'PUT',
            headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'portico' },
            body: JSON.stringify({ textSize: size, locale: 'en' }),
          });
          return response.status;
        }, textSize);
      expect(await savePreferences(200)).toBe(200);
      try {
        await page.goto(`${baseUrl}/record/results`);
        await shows(page.getByRole('heading', { level: 1, name: 'Test results' }));
        expect(await textScale(page)).toBe(2);
        const panel = resultRow(page, bloodCount.name);
        await panel.getByText('3 results in this panel').click();
        await shows(panel.getByRole('listitem').first());
        await expectAccessibleLayout(page);
        await page.getByRole('searchbox', { name: 'Test name' }).fill('hemoglobin');
        await page.getByRole('button', { name: 'Filter', exact: true }).click();
        await shows(page.getByRole('button', { name: 'Show all results', exact: true }));
        await shows(resultRow(page, bloodCount.name));
        await expectAccessibleLayout(page);

        await page.goto(`${baseUrl}/record/visits`);
        await shows(page.getByRole('heading', { level: 1, name: 'Visits' }));
        await shows(page.getByRole('link', { name: /^See the booked appointment/ }).first());
        await expectAccessibleLayout(page);
      } finally {
        await savePreferences(100);
      }
    },
    journeyTimeoutMs,
  );
});
