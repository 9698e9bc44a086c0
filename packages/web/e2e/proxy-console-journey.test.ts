import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { patients } from '../../server/src/db/schema/index.ts';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  openMainNav,
  shows,
  startPortal,
  startSecondBrowser,
  submitSignIn,
  type Portal,
  type SecondBrowser,
  signInStaff,
} from './harness.ts';

/**
 * Issue 11 §1, the staff side of family access: a parent asks from the portal for access to a child's record; the
 * front desk, at the proxy console, finds the child's record among the candidates, records how identity was checked
 * and approves; the parent then acts for the child. The request form and the console pass axe and fit a phone.
 */

describe('family access requests', () => {
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
    'Grace asks for access to Leo; the front desk approves it with the identity check; Grace then acts for Leo',
    async () => {
      const { page: grace, baseUrl, db } = portal;
      const { page: desk } = second;
      const [leo] = await db
        .select({ id: patients.id, birthDate: patients.birthDate })
        .from(patients)
        .where(and(eq(patients.givenName, 'Leo'), eq(patients.familyName, 'Alvarez')));
      expect(leo, 'Leo Alvarez in the demo data').toBeDefined();

      // Grace (the demo `daughter`) asks, on a phone, from her account's pages.
      await grace.setViewportSize({ width: 375, height: 812 });
      await grace.goto(`${baseUrl}/sign-in`);
      await submitSignIn(grace, 'daughter');
      const nav = await openMainNav(grace);
      await nav.getByRole('link', { name: 'Account', exact: true }).click();
      await (await openMainNav(grace)).getByRole('link', { name: 'Ask for access to a child’s record', exact: true }).click();
      await shows(grace.getByRole('heading', { level: 1, name: 'Ask for access to your child’s record' }));
      await grace.getByRole('button', { name: 'Send request', exact: true }).click();
      await shows(grace.locator('.field__error', { hasText: 'Enter the child’s first name.' }));
      await expectAccessibleLayout(grace);
      await grace.getByLabel('Child’s first name', { exact: true }).fill('Leo');
      await grace.getByLabel('Child’s last name', { exact: true }).fill('Alvarez');
      await grace.getByLabel('Child’s date of birth', { exact: true }).fill(leo!.birthDate);
      await grace.getByRole('radio', { name: 'Legal guardian', exact: true }).check();
      await grace.getByRole('button', { name: 'Send request', exact: true }).click();
      await shows(grace.getByText(/^Your request was sent\./));
      await shows(grace.getByText('Waiting', { exact: true }).first());
      await expectAccessibleLayout(grace);

      // The front desk's queue: the request, with Leo's record as the candidate; approve with the identity check.
      await signInStaff(desk, 'frontdesk', baseUrl);
      await desk.goto(`${baseUrl}/proxy-console`);
      await shows(desk.getByRole('heading', { level: 1, name: 'Family access requests' }));
      await shows(desk.getByRole('radio', { name: /^Leo Alvarez, born / }));
      await expectAccessibleLayout(desk);
      await desk.getByRole('radio', { name: /^Leo Alvarez, born / }).check();
      await desk.getByLabel('How you checked their identity', { exact: true }).selectOption({ label: 'Photo ID' });
      await desk.getByRole('button', { name: 'Approve access', exact: true }).click();
      await shows(desk.getByText('Approved. The parent was told by email.'));
      await expectAccessibleLayout(desk);

      // Leo's chart lists who acts for him, Grace now among them, with how she was set up.
      await desk.goto(`${baseUrl}/patients/${leo!.id}/chart`);
      await desk.getByRole('link', { name: 'Family access', exact: true }).click();
      await shows(desk.getByText('Grace Okafor').first());
      await shows(desk.getByText('Photo ID').first());
      await expectAccessibleLayout(desk);

      // Grace now acts for Leo: his record in the switch, and her request approved.
      await grace.reload();
      await shows(grace.getByText('Approved', { exact: true }).first());
      const switcher = (await openMainNav(grace)).getByLabel('Show the record of', { exact: true });
      await expect.poll(() => switcher.locator('option').allTextContents()).toContain('Leo Alvarez');
    },
    journeyTimeoutMs * 2,
  );
});
