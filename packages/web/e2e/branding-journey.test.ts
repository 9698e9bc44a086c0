import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoLogoPng } from '../../server/src/demo/demo-logo.ts';
import { demoTotpSecret } from '../../server/src/demo/demo-accounts.ts';
import { currentTotpCode } from '../../server/src/modules/auth/totp.ts';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  pathOf,
  shows,
  startPortal,
  submitSignIn,
  type Portal,
  signOut as signOutFromHeader,
} from './harness.ts';

/** The primary colour :root carries (BrandingProvider), as the page computes it. */
const rootBrandColor = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand-primary').trim());

/** A colour as getComputedStyle gives it: `rgb(r, g, b)`. */
function rgbOf(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

describe('branding journey on a desktop', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'an administrator refuses a low-contrast colour, saves a new name, colour and logo, and sees them applied',
    async () => {
      const { page, baseUrl } = portal;

      // The demo's own branding, before anyone signs in: the name in the tab title, the teal on :root.
      await page.goto(`${baseUrl}/sign-in`);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
      await expect.poll(() => page.title()).toBe('Sign in – Portico Health');
      await expect.poll(() => rootBrandColor(page)).toBe('#0f766e');
      const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
      expect(await signIn.evaluate((button) => getComputedStyle(button).backgroundColor)).toBe(rgbOf('#0f766e'));

      await submitSignIn(page, 'admin');
      await shows(page.getByRole('heading', { level: 1, name: 'Confirm it’s you' }));
      await page.getByLabel('Authenticator code', { exact: true }).fill(currentTotpCode(demoTotpSecret));
      await page.getByRole('button', { name: 'Verify', exact: true }).click();
      await expect.poll(() => pathOf(page)).toBe('/');

      await page.goto(`${baseUrl}/admin/branding`);
      await shows(page.getByRole('heading', { level: 1, name: 'Branding' }));
      const name = page.getByLabel('Organization name', { exact: true });
      const color = page.getByLabel('Primary colour', { exact: true });
      expect(await name.inputValue()).toBe('Portico Health');
      expect(await color.inputValue()).toBe('#0f766e');
      await shows(page.getByRole('img', { name: 'Your organization’s current logo' }));
      await shows(page.getByText('Contrast with white: 5.47 to 1. It passes: at least 4.5 to 1 is needed.'));
      await expectAccessibleLayout(page);

      // A light blue: the live check says so, and the server's refusal is shown next to the field.
      await color.fill('#7fa7d1');
      await shows(page.getByText('Contrast with white: 2.51 to 1. Too light: at least 4.5 to 1 is needed.'));
      await shows(page.getByText('The preview shows once the colour is dark enough.'));
      await page.getByRole('button', { name: 'Save name and colour', exact: true }).click();
      const colorError = page.locator('#branding-color-error');
      await shows(colorError);
      expect(await colorError.innerText()).toContain('its contrast with white is 2.51 to 1, and at least 4.5 to 1 is needed');
      expect(await color.getAttribute('aria-invalid')).toBe('true');
      expect((await color.getAttribute('aria-describedby'))?.split(' ')).toContain('branding-color-error');
      await shows(page.getByRole('alert').getByRole('link', { name: /This colour is too light/ }));
      expect(await rootBrandColor(page)).toBe('#0f766e');
      await expectAccessibleLayout(page);

      // A darker teal and a new name: saved, and the whole page takes them.
      await name.fill('Riverside Health');
      await color.fill('#1A6B7A');
      await shows(page.getByText('Contrast with white: 6.12 to 1. It passes: at least 4.5 to 1 is needed.'));
      const preview = page.getByRole('group', { name: 'Preview' });
      await shows(preview.getByText('Riverside Health'));
      expect(await preview.getByText('A button').evaluate((sample) => getComputedStyle(sample).backgroundColor)).toBe(rgbOf('#1a6b7a'));
      await page.getByRole('button', { name: 'Save name and colour', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Saved. Every page now shows the new name and colour.' }));
      expect(await page.locator('#branding-color-error').count()).toBe(0);
      await expect.poll(() => page.title()).toBe('Branding – Riverside Health');
      await expect.poll(() => rootBrandColor(page)).toBe('#1a6b7a');
      const save = page.getByRole('button', { name: 'Save name and colour', exact: true });
      expect(await save.evaluate((button) => getComputedStyle(button).backgroundColor)).toBe(rgbOf('#1a6b7a'));
      await expectAccessibleLayout(page);

      // An SVG is refused in the browser, next to the file chooser; a PNG is previewed, then saved.
      const chooser = page.getByLabel('Choose a new logo', { exact: true });
      await chooser.setInputFiles({
        name: 'logo.svg',
        mimeType: 'image/svg+xml',
        buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      });
      await shows(
        page
          .locator('#branding-logo-error')
          .filter({ hasText: 'Choose a PNG or JPEG image. SVG files and other kinds of file are not accepted.' }),
      );
      await chooser.setInputFiles({ name: 'new-logo.png', mimeType: 'image/png', buffer: demoLogoPng() });
      await shows(page.getByRole('img', { name: 'Preview of the new logo' }));
      await expectAccessibleLayout(page);
      await page.getByRole('button', { name: 'Save this logo', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Saved. The new logo is shown on every page.' }));
      const current = page.getByRole('img', { name: 'Your organization’s current logo' });
      await expect.poll(() => current.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(96);

      // Everyone sees it: the public branding, and a fresh load of any page.
      const publicBranding: unknown = await page.evaluate(async () => (await fetch('/api/branding')).json() as Promise<unknown>);
      expect(publicBranding).toMatchObject({ name: 'Riverside Health', primaryColor: '#1a6b7a' });
      await page.goto(`${baseUrl}/`);
      await expect.poll(() => page.title()).toMatch(/ – Riverside Health$/);
      await expect.poll(() => rootBrandColor(page)).toBe('#1a6b7a');
      await expectAccessibleLayout(page);

      // Signing out clears every cached answer; the branding comes back for the sign-in page.
      await signOutFromHeader(page);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
      await expect.poll(() => page.title()).toBe('Sign in – Riverside Health');
      await expect.poll(() => rootBrandColor(page)).toBe('#1a6b7a');
    },
    journeyTimeoutMs,
  );
});
