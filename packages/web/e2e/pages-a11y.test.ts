import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectAccessibleLayout, journeyTimeoutMs, shows, startPortal, submitSignIn, type Portal } from './harness.ts';

/** The pages no journey passes through still meet WCAG 2.1 AA and fit a 375-pixel phone. */
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
});
