import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  shows,
  startPortal,
  startSecondBrowser,
  submitSignIn,
  type Portal,
  type SecondBrowser,
} from './harness.ts';

/**
 * Issue 11 §2, "Share my record": Maria makes a link for a clinician outside the hospital on her Sharing and privacy
 * page and sees its address and passcode once; the clinician, in another browser on a phone, opens it,
 * is refused a wrong passcode, then reads the summary (read only, her name and her problems); Maria revokes the link
 * and it stops working at the next open. Every state passes axe and fits the screen.
 */
describe('share my record', () => {
  let portal: Portal;
  let second: SecondBrowser;

  beforeAll(async () => {
    portal = await startPortal();
    second = await startSecondBrowser();
  });

  afterAll(async () => {
    await second?.close();
    await portal?.close();
  });

  it(
    'Maria makes a summary link; a clinician opens it with the passcode on a phone; once revoked it no longer opens',
    async () => {
      const { page: maria, baseUrl } = portal;
      const { page: doctor } = second;

      await maria.goto(`${baseUrl}/sign-in`);
      await submitSignIn(maria, 'patient');
      await shows(maria.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await maria.goto(`${baseUrl}/account/sharing`);
      await shows(maria.getByRole('heading', { level: 3, name: 'Make a new link' }));
      // Nothing filled: the problem by its field.
      await maria.getByRole('button', { name: 'Make the link', exact: true }).click();
      await shows(maria.locator('.field__error', { hasText: 'Say who the link is for.' }));
      await maria.getByLabel('Who is it for?', { exact: true }).fill('Dr. Lee, dermatology');
      await maria.getByRole('button', { name: 'Make the link', exact: true }).click();
      await shows(maria.getByRole('heading', { name: 'Your new link' }));
      const created = maria.locator('section', { has: maria.getByRole('heading', { name: 'Your new link' }) });
      const text = await created.innerText();
      const url = /\S+\/shared#token=[\w-]+/.exec(text)?.[0];
      const passcode = /\b\d{4}[ -]?\d{4}\b/.exec(text)?.[0];
      expect(url, text).toBeDefined();
      expect(passcode, text).toBeDefined();
      await expectAccessibleLayout(maria);

      // The clinician, on a phone.
      await doctor.setViewportSize({ width: 375, height: 812 });
      await doctor.goto(url ?? '');
      await shows(doctor.getByRole('heading', { level: 1, name: 'Shared health record' }));
      await expect.poll(() => new URL(doctor.url()).hash).toBe('');
      await doctor.getByLabel('Passcode', { exact: true }).fill('00000000');
      await doctor.getByRole('button', { name: 'Open the record', exact: true }).click();
      await shows(doctor.locator('.field__error').first());
      await expectAccessibleLayout(doctor);
      await doctor.getByLabel('Passcode', { exact: true }).fill(passcode ?? '');
      await doctor.getByRole('button', { name: 'Open the record', exact: true }).click();
      await shows(doctor.getByRole('heading', { level: 1, name: /^Health record of Maria Alvarez/ }));
      await shows(doctor.getByText('Essential hypertension').first());
      await expectAccessibleLayout(doctor);

      // Maria sees the open counted, and turns the link off from its entry among those who can see her record,
      // in a link's words: no one "loses access the next time they use the portal".
      await maria.reload();
      const links = maria.locator('section', { has: maria.getByRole('heading', { name: 'Your links' }) });
      await shows(links.getByText(/^Opened 1 time/));
      await maria.getByRole('button', { name: 'Turn off the link “Dr. Lee, dermatology”', exact: true }).click();
      await shows(maria.getByRole('heading', { name: 'Turn off the link “Dr. Lee, dermatology”?', exact: true }));
      expect(await maria.getByText(/next time they use the portal/).count()).toBe(0);
      await maria.getByRole('button', { name: 'Yes, turn it off', exact: true }).click();
      await shows(maria.getByRole('status').filter({ hasText: 'The link “Dr. Lee, dermatology” no longer works.' }));

      // The next open (a fresh page load) fails, without saying why.
      await doctor.goto('about:blank');
      await doctor.goto(url ?? '');
      await doctor.getByLabel('Passcode', { exact: true }).fill(passcode ?? '');
      await doctor.getByRole('button', { name: 'Open the record', exact: true }).click();
      await shows(doctor.getByText('This link does not work'));
      await expectAccessibleLayout(doctor);
    },
    journeyTimeoutMs * 2,
  );
});
