import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoPassword } from '../../server/src/demo/demo-accounts.ts';
import { expectNoAxeViolations, journeyTimeoutMs, openMail, pathOf, shows, startPortal, submitSignIn, type Portal } from './harness.ts';

const notRight = 'The username, email or password is not right.';
const paused =
  /Too many unsuccessful sign-in attempts\. For your security, sign-in to this account is paused for \d+ minutes?\. You can reset your password to sign in now\./;

/** Submits the password step and waits for the server's answer, then for the error summary to show it. */
async function attempt(page: Page, password: string): Promise<string> {
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/sign-in') && r.request().method() === 'POST');
  await submitSignIn(page, 'patient', password);
  await answer;
  const summary = await shows(page.getByRole('alert').filter({ hasText: 'There is a problem' }));
  await expect.poll(() => summary.evaluate((s) => s === document.activeElement)).toBe(true);
  return summary.innerText();
}

describe('sign-in pause after repeated wrong passwords', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'says "not right" four times, pauses sign-in on the fifth, refuses the right password too and emails the patient',
    async () => {
      const { page, baseUrl } = portal;
      await page.goto(`${baseUrl}/sign-in`);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));

      for (let n = 1; n <= 4; n++) {
        const message = await attempt(page, `Wrong-password-${n}`);
        expect(message, `attempt ${n}`).toContain(notRight);
        expect(message, `attempt ${n}`).not.toMatch(paused);
        expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
        if (n === 1) await expectNoAxeViolations(page);
      }

      const fifth = await attempt(page, 'Wrong-password-5');
      expect(fifth).toMatch(paused);
      expect(fifth).not.toContain(notRight);
      await expectNoAxeViolations(page);

      const sixth = await attempt(page, demoPassword);
      expect(sixth).toMatch(paused);
      expect(pathOf(page)).toBe('/sign-in');
      await shows(page.getByRole('link', { name: 'Forgot your password?', exact: true }));
      const me = await page.evaluate(async () => (await fetch('/api/me')).status);
      expect(me).toBe(401);

      const mail = await openMail(page, baseUrl, 'patient@demo.portico.local', 'Sign-in to your Portico account was paused');
      const text = await mail.innerText();
      expect(text).toContain('Someone entered a wrong password for your Portico account 5 times.');
      expect(text).toContain(`${baseUrl}/forgot-password`);
      expect(await page.locator('article.mail').filter({ hasText: 'Sign-in to your Portico account was paused' }).count()).toBe(1);
    },
    journeyTimeoutMs,
  );
});
