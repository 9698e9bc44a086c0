import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expectNoAxeViolations, pageText, pathOf, shows, startPortal, submitSignIn, type Portal } from './harness.ts';

/** Idle timeout for both audiences in this file: 30 s instead of 30 and 15 minutes. */
const idleMs = 30_000;
/** Each test waits about one idle period, plus the journey around it. */
const idleTestTimeoutMs = 120_000;

/** Signs `patient` in and waits for her home; answers when it showed (the idle clock started no later than that). */
async function signInMaria(portal: Portal): Promise<{ shownAt: number; resultTexts: string[] }> {
  const { page, baseUrl } = portal;
  await page.goto(`${baseUrl}/sign-in`);
  await submitSignIn(page, 'patient');
  await shows(page.getByRole('heading', { level: 1, name: 'Welcome, Maria' }));
  const results = page.getByRole('region', { name: 'Recent results' });
  await shows(results.getByRole('table'));
  const shownAt = Date.now();
  const resultTexts = await results.locator('tbody tr td:first-of-type').allInnerTexts();
  return { shownAt, resultTexts };
}

function isSignedInStatus(page: Page): Promise<number> {
  return page.evaluate(async () => (await fetch('/api/me')).status);
}

describe('idle sign-out (30 s idle timeout)', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal({ idleMinutes: { patient: 0.5, staff: 0.5 } });
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'warns before the end, then drops Maria’s data and lands on sign-in with the inactivity notice; the server agrees',
    async () => {
      const { page, baseUrl } = portal;
      const { shownAt, resultTexts } = await signInMaria(portal);
      expect(resultTexts.length).toBeGreaterThan(0);
      expect(resultTexts.every((text) => /\d/.test(text))).toBe(true);

      const dialog = await shows(page.getByRole('alertdialog', { name: 'Are you still there?' }), idleMs + 10_000);
      const warnedAt = Date.now();
      expect(warnedAt - shownAt).toBeLessThan(idleMs);
      expect(pathOf(page)).toBe('/');
      await shows(dialog.getByRole('button', { name: 'Stay signed in', exact: true }));
      expect(await dialog.innerText()).toMatch(/You will be signed out in \d+ seconds?\./);
      await expectNoAxeViolations(page);

      await page.waitForURL(`${baseUrl}/sign-in?reason=idle`, { timeout: idleMs + 10_000 });
      expect(Date.now() - shownAt).toBeGreaterThanOrEqual(idleMs - 5_000);
      await shows(
        page.getByRole('status').filter({ hasText: 'You were signed out after a period of inactivity to protect your information.' }),
      );
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
      const text = await pageText(page);
      expect(text).not.toContain('Maria');
      expect(text).not.toContain('Alvarez');
      for (const value of resultTexts) expect(text).not.toContain(value);
      expect(await page.getByRole('alertdialog').count()).toBe(0);
      expect(await isSignedInStatus(page)).toBe(401);
    },
    idleTestTimeoutMs,
  );

  it(
    'keeps Maria signed in past the original deadline when she chooses "Stay signed in"',
    async () => {
      const { page } = portal;
      const { shownAt } = await signInMaria(portal);

      const dialog = await shows(page.getByRole('alertdialog', { name: 'Are you still there?' }), idleMs + 10_000);
      await dialog.getByRole('button', { name: 'Stay signed in', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });

      // Past the original deadline (plus the app's 1-second tick): without the extension the app would have signed out.
      const wait = shownAt + idleMs + 3_000 - Date.now();
      if (wait > 0) await page.waitForTimeout(wait);
      expect(pathOf(page)).toBe('/');
      expect(await page.getByRole('heading', { level: 1, name: 'Welcome, Maria' }).isVisible()).toBe(true);
      expect(await isSignedInStatus(page)).toBe(200);
    },
    idleTestTimeoutMs,
  );
});
