import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { memberships, outsideAccessRequests, patients, users } from '../../server/src/db/schema/index.ts';
import { demoTotpSecret } from '../../server/src/demo/demo-accounts.ts';
import { currentTotpCode } from '../../server/src/modules/auth/totp.ts';
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
} from './harness.ts';

/** Signs a demo account with an authenticator in (support, outside providers), and waits until the sign-in is done. */
async function signInWithCode(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await submitSignIn(page, username);
  await page.getByLabel('Authenticator code', { exact: true }).fill(currentTotpCode(demoTotpSecret));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await shows(page.getByRole('heading', { level: 1 }));
  await expect.poll(() => new URL(page.url()).pathname).not.toBe('/sign-in');
}

/** A tiny PNG (1×1), as a screenshot. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/**
 * Issue 12 §3 in a browser: Dr. Harbor asked for PCP access to a patient; the support team's console shows the request
 * with its business-day clock, and support records the family's confirmation and the new PCP. Dr. Harbor reports a
 * problem from the footer link with a screenshot (a text file posing as one is refused); support answers it and Dr.
 * Harbor reads the answer. The audit report runs. Each state passes axe and fits the page.
 */
describe('the support console', () => {
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
    'support updates a PCP from a request, and answers a problem report Dr. Harbor sent with a screenshot',
    async () => {
      const { page: support, baseUrl, db } = portal;
      const doctor = second.page;
      const [harbor] = await db.select().from(users).where(eq(users.username, 'dr.harbor'));
      const [membership] = await db
        .select()
        .from(memberships)
        .where(and(eq(memberships.userId, harbor!.id), isNull(memberships.endedAt)));
      const [maria] = await db.select().from(patients).where(eq(patients.organizationId, membership!.organizationId)).limit(1);
      await db.insert(outsideAccessRequests).values({
        organizationId: membership!.organizationId,
        patientId: maria!.id,
        requesterUserId: harbor!.id,
        kind: 'pcp',
        routedTo: 'support',
        reason: 'She moved to our practice',
      });

      await signInWithCode(support, baseUrl, 'support');
      await (await openMainNav(support)).getByRole('link', { name: 'Support console', exact: true }).click();
      await shows(support.getByRole('heading', { level: 1, name: 'Support console' }));
      const pcp = support.locator('section', { has: support.getByRole('heading', { level: 2, name: 'PCP update requests' }) });
      await shows(pcp.getByText(/^Due /).first());
      await expectAccessibleLayout(support);
      // Nothing filled: each problem by its field.
      await pcp.getByRole('button', { name: 'Update the PCP', exact: true }).click();
      await shows(pcp.locator('.field__error', { hasText: 'Enter who confirmed the PCP.' }));
      await pcp.getByLabel('Who in the family confirmed the PCP by phone', { exact: true }).fill('Maria Alvarez, herself');
      await pcp.getByLabel('When they confirmed it', { exact: true }).fill('2026-12-07T10:00');
      const physician = pcp.getByLabel('New PCP (a physician of the practice)', { exact: true });
      await physician.selectOption({ index: 1 });
      await pcp.getByRole('button', { name: 'Update the PCP', exact: true }).click();
      await shows(support.getByText('The PCP was updated and the provider was emailed.'));
      const [updated] = await db.select({ pcpId: patients.pcpId }).from(patients).where(eq(patients.id, maria!.id));
      expect(updated!.pcpId).not.toBeNull();

      // Dr. Harbor reports a problem from the footer of the page she is on.
      await signInWithCode(doctor, baseUrl, 'dr.harbor');
      await doctor.getByRole('link', { name: 'Report a problem', exact: true }).click();
      await shows(doctor.getByRole('heading', { level: 1, name: 'Report a problem' }));
      await doctor.getByLabel('What happened', { exact: true }).fill('The search shows nothing for Malik.');
      await doctor.getByLabel('Screenshot (optional)', { exact: true }).setInputFiles({
        name: 'screen.png',
        mimeType: 'image/png',
        buffer: Buffer.from('not an image at all'),
      });
      await doctor.getByRole('button', { name: 'Send the report', exact: true }).click();
      await shows(doctor.locator('.field__error', { hasText: 'The screenshot must be a PNG or JPEG image.' }));
      await doctor
        .getByLabel('Screenshot (optional)', { exact: true })
        .setInputFiles({ name: 'screen.png', mimeType: 'image/png', buffer: png });
      await doctor.getByRole('button', { name: 'Send the report', exact: true }).click();
      await shows(doctor.getByText(/^Your report was sent\. We will answer by /));
      await shows(doctor.getByText(/^Waiting for an answer: due /));
      await expectAccessibleLayout(doctor);

      // Support answers it; the screenshot shows with the report.
      await support.reload();
      const reports = support.locator('section', { has: support.getByRole('heading', { level: 2, name: 'Problem reports' }) });
      await shows(reports.getByText('The search shows nothing for Malik.'));
      await shows(reports.getByRole('img', { name: 'The screenshot the provider sent' }));
      await reports
        .getByLabel('Your answer (the provider reads it after signing in)', { exact: true })
        .fill('Search by date of birth too.');
      await reports.getByRole('button', { name: 'Send the answer', exact: true }).click();
      await shows(support.getByText('The answer was saved and the provider was emailed.'));

      // The audit report runs for the last 30 days.
      const audit = support.locator('section', { has: support.getByRole('heading', { level: 2, name: 'Audit report' }) });
      await audit.getByLabel('Practice', { exact: true }).selectOption({ label: 'Harbor Pediatrics' });
      await audit.getByRole('button', { name: 'Show the report', exact: true }).click();
      await shows(audit.locator('table, .empty-state').first());
      await expectAccessibleLayout(support);

      await doctor.reload();
      await shows(doctor.getByText('Search by date of birth too.'));
      await shows(doctor.getByRole('heading', { level: 3, name: /^Answer from the support team/ }));

      // In Spanish: Dr. Harbor tells support she moved practices; support sees it and applies it.
      await db.update(users).set({ locale: 'es' }).where(eq(users.id, harbor!.id));
      await doctor.goto(`${baseUrl}/mypatients/practice-change`);
      await shows(doctor.getByRole('heading', { level: 1, name: 'Cambio de consultorio' }));
      expect(await doctor.evaluate(() => document.documentElement.lang)).toBe('es');
      await doctor.getByLabel('Nombre del consultorio', { exact: true }).fill('Seaside Pediatrics');
      await doctor.getByLabel('Dirección del consultorio', { exact: true }).fill('4 Ocean Ave, Boston');
      await doctor.getByLabel('Teléfono del consultorio', { exact: true }).fill('617 555 0177');
      await doctor.getByRole('button', { name: 'Enviar al equipo de soporte', exact: true }).click();
      await shows(doctor.getByText('Su solicitud se envió al equipo de soporte.'));
      await shows(doctor.getByText('En espera del equipo de soporte'));
      await expectAccessibleLayout(doctor);
      await doctor.goto(`${baseUrl}/support/report`);
      await shows(doctor.getByRole('heading', { level: 1, name: 'Informar un problema' }));
      await expectAccessibleLayout(doctor);

      await support.reload();
      const changes = support.locator('section', { has: support.getByRole('heading', { level: 2, name: 'Practice changes' }) });
      await shows(changes.getByText('New practice: Seaside Pediatrics'));
      await changes.getByRole('button', { name: 'Apply the move', exact: true }).click();
      await shows(support.getByText(/^The move was applied\./));
      await shows(support.getByText(/These sponsored users lost their sponsor/));
      await expectAccessibleLayout(support);

      // The console in Spanish.
      const [supportUser] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'support'));
      await db.update(users).set({ locale: 'es' }).where(eq(users.id, supportUser!.id));
      await support.reload();
      await shows(support.getByRole('heading', { level: 1, name: 'Consola de soporte' }));
      await shows(support.getByRole('heading', { level: 2, name: 'Informe de auditoría' }));
      expect(await support.evaluate(() => document.documentElement.lang)).toBe('es');
      await expectAccessibleLayout(support);
    },
    journeyTimeoutMs,
  );
});
