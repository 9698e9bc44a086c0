import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession } from 'playwright-core';
import { demoPassword } from '../../server/src/demo/demo-accounts.ts';
import { expectNoAxeViolations, journeyTimeoutMs, shows, signInStaff, signOut, startPortal, submitSignIn, type Portal } from './harness.ts';

describe('passkey journey on a desktop', () => {
  let portal: Portal;
  let cdp: CDPSession;
  let authenticatorId: string;

  beforeAll(async () => {
    // WebAuthn refuses an IP address as the relying party, so this portal is reached at localhost.
    portal = await startPortal({}, { hostName: 'localhost' });
    // Chromium's virtual authenticator stands in for a laptop's built-in one (fingerprint already verified).
    cdp = await portal.page.context().newCDPSession(portal.page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const added = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    authenticatorId = added.authenticatorId;
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'a clinician adds a passkey on the Security page, signs out, signs in again with the password and the passkey, and removes it',
    async () => {
      const { page, baseUrl } = portal;
      await signInStaff(page, 'clinician', baseUrl);

      await page.goto(`${baseUrl}/account/security`);
      await shows(page.getByRole('heading', { level: 1, name: 'Security' }));
      const section = page.getByRole('region', { name: 'Passkeys' });
      await shows(section.getByText('You have no passkeys yet.'));
      await section.getByRole('button', { name: 'Add a passkey', exact: true }).click();
      const nameField = section.getByLabel('Name for this passkey', { exact: true });
      await expect.poll(() => nameField.evaluate((input) => input === document.activeElement)).toBe(true);
      await nameField.fill('Work laptop');
      await section.getByLabel('Password', { exact: true }).fill(demoPassword);
      await section.getByRole('button', { name: 'Create passkey', exact: true }).click();

      await shows(section.getByRole('status').filter({ hasText: 'Passkey “Work laptop” added.' }));
      const list = section.getByRole('list', { name: 'Your passkeys' });
      await shows(list.getByText('Work laptop', { exact: true }));
      await shows(list.getByText('Not used yet'));
      await shows(section.getByRole('button', { name: 'Remove Work laptop', exact: true }));
      const stored = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(stored.credentials).toHaveLength(1);
      await expectNoAxeViolations(page);

      await signOut(page);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
      await submitSignIn(page, 'clinician');
      await shows(page.getByRole('heading', { level: 1, name: 'Confirm it’s you' }));
      await expectNoAxeViolations(page);
      await page.getByRole('button', { name: 'Use a passkey', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Find a patient' }));

      await page.goto(`${baseUrl}/account/security`);
      const again = page.getByRole('region', { name: 'Passkeys' });
      await shows(again.getByText(/Last used /));

      // Removing it needs the password again.
      await again.getByRole('button', { name: 'Remove Work laptop', exact: true }).click();
      await again.getByLabel('Password', { exact: true }).fill(demoPassword);
      await again.getByRole('button', { name: 'Remove passkey', exact: true }).click();
      await shows(again.getByRole('status').filter({ hasText: 'Passkey removed.' }));
      await shows(again.getByText('You have no passkeys yet.'));
      expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0]?.signCount).toBeGreaterThan(0);
    },
    journeyTimeoutMs,
  );
});
