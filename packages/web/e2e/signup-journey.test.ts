import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientSummary } from '@portico/shared';
import { demoActivation } from '../../server/src/demo/demo-accounts.ts';
import { patients } from '../../server/src/db/schema/index.ts';
import type { MeResponse } from '../src/api/types.ts';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  openMail,
  pageText,
  pathOf,
  shows,
  signOutEverywhereFromAnotherDevice,
  startPortal,
  submitSignIn,
  type Portal,
  openMainNav,
  signOut as signOutFromHeader,
} from './harness.ts';

const username = 'jordan.rivera';
const email = 'jordan.r@example.com';
const password = 'Cobalt-Harbor-Lantern-42';

describe('sign-up journey on a phone (375 x 812)', () => {
  let portal: Portal;

  beforeAll(async () => {
    // The back/forward cache stays on, as in a person's browser, so Back can restore a page from memory.
    portal = await startPortal({}, { backForwardCache: true });
    await portal.page.setViewportSize({ width: 375, height: 812 });
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'activates with the clinic code, confirms the email from the mailbox, signs in to his own record and signs out for good',
    async () => {
      const { page, baseUrl } = portal;

      await page.goto(`${baseUrl}/sign-up`);
      await shows(page.getByRole('heading', { level: 1, name: 'Create your account' }));
      await expectAccessibleLayout(page);

      await page.getByLabel('With the code from my clinic').check();
      await page.getByLabel('Activation code', { exact: true }).fill(demoActivation.code);
      await page.getByLabel('Date of birth', { exact: true }).fill(demoActivation.birthDate);
      await page.getByLabel('Username', { exact: true }).fill(username);
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByLabel('Confirm password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Create account', exact: true }).click();

      await shows(page.getByRole('heading', { level: 1, name: 'Check your email' }));
      expect(await page.getByRole('main').innerText()).toContain(email);
      await expectAccessibleLayout(page);

      const mail = await openMail(page, baseUrl, email, 'Confirm your email for Portico');
      await expectAccessibleLayout(page);
      const link = mail.getByRole('link', { name: /\/verify-email#token=/ });
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^${baseUrl}/verify-email#token=[A-Za-z0-9_-]{20,}$`));
      await link.click();

      await shows(page.getByRole('status').filter({ hasText: 'Your email address is confirmed. Your account is ready.' }));
      expect(page.url()).toBe(`${baseUrl}/verify-email`);
      expect(await page.evaluate(() => window.location.hash)).toBe('');
      await expectAccessibleLayout(page);

      await page.getByRole('link', { name: 'Sign in', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
      await expectAccessibleLayout(page);
      await submitSignIn(page, username, password);

      await shows(page.getByRole('heading', { level: 1, name: 'Welcome, Jordan' }));
      expect(pathOf(page)).toBe('/');
      // Jordan's chart has history from the clinic: home shows his own record, as the server holds it.
      const summary = await page.evaluate(async () => {
        const me = (await (await fetch('/api/me')).json()) as MeResponse;
        return (await (await fetch(`/api/patients/${me.user.patientId}/summary`)).json()) as PatientSummary;
      });
      expect(summary.patient).toMatchObject({ mrn: demoActivation.mrn, givenName: 'Jordan', familyName: 'Rivera' });
      const appointmentCard = page.getByRole('region', { name: 'Next appointment' });
      if (summary.nextAppointment) await shows(appointmentCard.getByText(summary.nextAppointment.visitType, { exact: true }));
      else await shows(appointmentCard.getByText('You have no upcoming appointments.'));
      const results = page.getByRole('region', { name: 'Recent results' });
      const recentResults = summary.recentResults ?? [];
      if (recentResults.length === 0) await shows(results.getByText('You have no recent test results.'));
      expect(await results.locator('tbody tr').count()).toBe(recentResults.length);
      for (const [index, result] of recentResults.entries()) {
        const row = results.locator('tbody tr').nth(index);
        expect(await row.getByRole('rowheader').innerText()).toBe(result.name);
        expect(await row.getByRole('cell').first().innerText()).toBe(`${result.value}${result.unit ? ` ${result.unit}` : ''}`);
        const flag = result.flag === 'H' ? 'High' : result.flag === 'L' ? 'Low' : 'Not flagged';
        expect(await row.getByRole('cell').nth(2).textContent()).toContain(flag);
      }
      await expectAccessibleLayout(page);

      // Visit another signed-in page and come back, so the history holds signed-in pages to go Back to.
      await (await openMainNav(page)).getByRole('link', { name: 'Account', exact: true }).click();
      await page.waitForURL(`${baseUrl}/account/security`);
      await (await openMainNav(page)).getByRole('link', { name: 'Home', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Welcome, Jordan' }));

      await signOutFromHeader(page);
      await page.waitForURL(`${baseUrl}/sign-in?reason=signed-out`);
      await shows(page.getByRole('status').filter({ hasText: 'You have signed out.' }));
      expect(await pageText(page)).not.toContain('Jordan');

      // Back twice: to the security page, then to home. Each is sent on to sign-in and shows nothing of Jordan.
      const visited: string[] = [];
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname);
      });
      for (const signedInPage of ['/account/security', '/']) {
        visited.length = 0;
        await page.goBack({ waitUntil: 'commit' });
        await expect.poll(() => visited.join(' ')).toBe(`${signedInPage} /sign-in`);
        expect(pathOf(page)).toBe('/sign-in');
        await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
        expect(await pageText(page)).not.toContain('Jordan');
      }
      const me = await page.evaluate(async () => (await fetch('/api/me')).status);
      expect(me).toBe(401);
    },
    journeyTimeoutMs,
  );

  it(
    'shows nothing of Jordan when Back returns to a page left while signed in, after signing out in a later page',
    async () => {
      const { page, baseUrl } = portal;
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, username, password);
      await shows(page.getByRole('heading', { level: 1, name: 'Welcome, Jordan' }));

      // Leave the app (a new document), come back to it in another one, and sign out there.
      await page.goto(`${baseUrl}/dev/mailbox`);
      await page.goto(`${baseUrl}/`);
      await shows(page.getByRole('heading', { level: 1, name: 'Welcome, Jordan' }));
      await signOutFromHeader(page);
      await page.waitForURL(`${baseUrl}/sign-in?reason=signed-out`);

      await page.goBack({ waitUntil: 'commit' });
      await page.waitForURL(`${baseUrl}/dev/mailbox`);
      await page.goBack({ waitUntil: 'commit' });
      await page.waitForURL((url) => url.pathname === '/sign-in');
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
      expect(await pageText(page)).not.toContain('Jordan');
    },
    journeyTimeoutMs,
  );

  // A signed-in page restored from the back/forward cache must not show the patient's data once the session was
  // ended elsewhere (SessionProvider clears on `pagehide` and re-checks on `pageshow`).
  it(
    'shows nothing of Jordan when Back restores a page left while signed in, after his sessions were ended on another device',
    async () => {
      const { page, baseUrl } = portal;
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, username, password);
      await shows(page.getByRole('heading', { level: 1, name: 'Welcome, Jordan' }));

      await page.goto(`${baseUrl}/dev/mailbox`);
      await signOutEverywhereFromAnotherDevice(baseUrl, username, password);

      await page.goBack({ waitUntil: 'commit' });
      await page.waitForURL((url) => url.pathname === '/sign-in', { waitUntil: 'commit', timeout: 5_000 });
      expect(await pageText(page)).not.toContain('Jordan');
    },
    journeyTimeoutMs,
  );

  // Issue 11 §1: the demo organization lets patients have their own account from 13; Leo (7) is told so, once his
  // details matched, and nothing is created.
  it(
    'tells a 7-year-old whose details match that patients have their own account from 13, and creates nothing',
    async () => {
      const { page, baseUrl } = portal;
      const [leo] = await portal.db
        .select()
        .from(patients)
        .where(and(eq(patients.givenName, 'Leo'), eq(patients.familyName, 'Alvarez')));
      await page.context().clearCookies();
      await page.goto(`${baseUrl}/sign-up`);
      await shows(page.getByRole('heading', { level: 1, name: 'Create your account' }));
      await page.getByLabel('With my legal name and record number').check();
      await page.getByLabel('Legal first name', { exact: true }).fill('Leo');
      await page.getByLabel('Legal last name', { exact: true }).fill('Alvarez');
      await page.getByLabel('Date of birth', { exact: true }).fill(leo!.birthDate);
      await page.getByLabel('Medical record number (MRN)', { exact: true }).fill(leo!.mrn);
      await page.getByLabel('Username', { exact: true }).fill('leo.alvarez');
      await page.getByLabel('Email', { exact: true }).fill('leo.alvarez@example.com');
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByLabel('Confirm password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Create account', exact: true }).click();
      await shows(
        page
          .getByRole('alert')
          .getByText(/^Patients can have their own portal account from age 13 at Portico Health\. Until then, a parent/),
      );
      await expectAccessibleLayout(page);
      const [after] = await portal.db.select().from(patients).where(eq(patients.id, leo!.id));
      expect(after!.userId).toBeNull();
    },
    journeyTimeoutMs,
  );
});
