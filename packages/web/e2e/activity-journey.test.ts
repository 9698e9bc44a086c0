import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  pathOf,
  shows,
  signInStaff,
  signOut,
  startPortal,
  submitSignIn,
  type Portal,
} from './harness.ts';

/** Maria Alvarez, the `patient` sign-in, born 1978-09-14 (demo-plan.ts); James Whitaker is the `nurse` sign-in (roster.ts). */
const maria = { typedBirthDate: '9/14/1978', link: 'Alvarez, Maria' };
const nurseName = 'James Whitaker';
const question = 'I had no visit that week. Why did the nurse open my health summary?';

/**
 * Issue 11 §3, "Who has seen my record" and "why did this person look?": a nurse opens Maria's chart; Maria reads her
 * activity log, finds the nurse's view of her health summary and asks why; the question is a conversation in her
 * messages; the privacy officer (`privacy`) reads it in the Privacy office pool with the access in question beside it.
 * Every state passes axe and fits the screen.
 */
describe('who has seen my record: why did this person look?', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    "a nurse's view is listed; Maria asks why; the privacy office reads the question with the access in question",
    async () => {
      const { page, baseUrl } = portal;

      // The nurse opens Maria's chart: the chart opens on her health summary.
      await signInStaff(page, 'nurse', baseUrl);
      await page.getByLabel('Name, MRN or date of birth', { exact: true }).fill(maria.typedBirthDate);
      await page.keyboard.press('Enter');
      await page.getByRole('link', { name: maria.link, exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Health summary' }));
      await signOut(page);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));

      // Maria reads who has seen her record, on a phone: the log's rows stack, the question form fits under its entry.
      await page.setViewportSize({ width: 375, height: 812 });
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await page.goto(`${baseUrl}/account/activity`);
      await shows(page.getByRole('heading', { level: 1, name: 'Who has seen my record' }));
      const row = page.getByRole('row').filter({ hasText: nurseName }).filter({ hasText: 'Health summary' }).first();
      await shows(row);
      await expectAccessibleLayout(page);
      // Her own visits to the log offer no question.
      const own = page.getByRole('row').filter({ hasText: 'You (Maria Alvarez)' }).first();
      await shows(own);
      expect(await own.getByRole('button').count()).toBe(0);

      const ask = row.getByRole('button', { name: 'Why did this person look?', exact: true });
      await ask.click();
      const field = page.getByLabel('Your question for the privacy office', { exact: true });
      await shows(field);
      await expect.poll(() => field.evaluate((input) => input === document.activeElement)).toBe(true);
      expect(await ask.getAttribute('aria-expanded')).toBe('true');
      // Nothing written: the problem by its field.
      await page.getByRole('button', { name: 'Send to the privacy office', exact: true }).click();
      await shows(page.locator('.field__error', { hasText: 'Write your question.' }));
      await field.fill(question);
      await expectAccessibleLayout(page);
      await page.getByRole('button', { name: 'Send to the privacy office', exact: true }).click();
      const status = await shows(page.getByRole('status').filter({ hasText: 'Your question went to the privacy office.' }));
      await expect.poll(() => status.evaluate((node) => node.parentElement === document.activeElement)).toBe(true);
      await expectAccessibleLayout(page);

      // The question is a conversation in her messages.
      await page.getByRole('link', { name: 'Open the conversation', exact: true }).click();
      await expect.poll(() => pathOf(page)).toMatch(/^\/messages\/[0-9a-f-]{36}$/);
      const threadId = pathOf(page).split('/').pop() ?? '';
      await shows(page.getByRole('heading', { level: 1, name: 'Why did someone look at my record?' }));
      await shows(page.getByText(question));
      await expectAccessibleLayout(page);
      await signOut(page);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));

      // The privacy officer reads it in the Privacy office pool, with the access in question.
      await page.setViewportSize({ width: 1280, height: 800 });
      await signInStaff(page, 'privacy', baseUrl);
      await page.goto(`${baseUrl}/inbox`);
      await shows(page.getByText('Privacy office').first());
      await page.goto(`${baseUrl}/inbox/threads/${threadId}`);
      const card = await shows(page.getByRole('region', { name: 'The access in question' }));
      await shows(card.getByText(nurseName, { exact: true }));
      await shows(card.getByText('Nurse', { exact: true }));
      await shows(card.getByText('Portico Health', { exact: true }));
      await shows(card.getByText('Health summary', { exact: true }));
      await shows(card.getByText('Works at the health system', { exact: true }));
      await shows(page.getByText(question));
      await expectAccessibleLayout(page);
    },
    2 * journeyTimeoutMs,
  );
});
