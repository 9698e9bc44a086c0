import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { accessGrants, appointments, departments, outsideAccessRequests, patients, users } from '../../server/src/db/schema/index.ts';
import { demoPassword } from '../../server/src/demo/demo-accounts.ts';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  pageText,
  shows,
  signInStaff,
  signOut,
  startPortal,
  submitSignIn,
  type Portal,
} from './harness.ts';

/**
 * Issue 12 §2, the patient's side of outside providers, in a browser: Dr. Adeyemi asked to see Maria's record; on her
 * Sharing and privacy page Maria allows it, showing mental health too; she adds Dr. Harbor to her care team from the
 * directory and removes her again; she issues a token (its code and her MRN shown once, with what the provider does)
 * and revokes it. The front desk adds a provider and issues a token from the chart's "Care team" tab. Maria's page in
 * Spanish. Every state passes axe and fits the screen.
 */
describe('the patient’s side of outside providers', () => {
  let portal: Portal;
  let maria: typeof patients.$inferSelect;

  beforeAll(async () => {
    portal = await startPortal();
    const [account] = await portal.db.select({ id: users.id }).from(users).where(eq(users.username, 'patient'));
    [maria] = (await portal.db.select().from(patients).where(eq(patients.userId, account!.id))) as [typeof patients.$inferSelect];
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'Maria answers a provider’s request, changes her care team and issues a token; the front desk does it from the chart',
    async () => {
      const { page, baseUrl, db } = portal;
      const [adeyemi] = await db.select().from(users).where(eq(users.username, 'dr.adeyemi'));
      await db.insert(outsideAccessRequests).values({
        organizationId: maria.organizationId,
        patientId: maria.id,
        requesterUserId: adeyemi!.id,
        kind: 'non_pcp',
        routedTo: 'patient',
        reason: 'Endocrinology referral',
      });

      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await page.goto(`${baseUrl}/account/sharing`);

      // The request: who asks and why; Maria allows it and shows mental health too.
      const requests = await shows(page.getByRole('region', { name: 'Provider requests' }));
      await shows(requests.getByText('Adaeze Adeyemi, MD (Bayside Family Medicine)', { exact: true }));
      await shows(requests.getByText('Endocrinology referral', { exact: true }));
      await expectAccessibleLayout(page);
      await requests.getByRole('checkbox', { name: 'Mental health', exact: true }).check();
      await requests.getByRole('button', { name: 'Allow Adaeze Adeyemi', exact: true }).click();
      await shows(page.getByText('Adaeze Adeyemi can now see this record. They will get an email.', { exact: true }));
      const [grant] = await db
        .select()
        .from(accessGrants)
        .where(
          and(eq(accessGrants.granteeUserId, adeyemi!.id), eq(accessGrants.patientId, maria.id), eq(accessGrants.kind, 'approved_request')),
        );
      expect(grant?.sensitiveCategories).toEqual(['mental_health']);
      await expectAccessibleLayout(page);

      // The care team: a short search is named at its field; then Dr. Harbor is found by her practice and added.
      const careTeam = page.getByRole('region', { name: 'Care team' });
      await shows(careTeam.getByRole('heading', { level: 3, name: 'Primary care physician' }));
      await careTeam.getByLabel('Find an outside provider', { exact: true }).fill('h');
      await careTeam.getByRole('button', { name: 'Search', exact: true }).click();
      await shows(careTeam.locator('.field__error', { hasText: 'Type at least 2 characters.' }));
      await careTeam.getByLabel('Find an outside provider', { exact: true }).fill('Harbor Ped');
      await careTeam.getByRole('button', { name: 'Search', exact: true }).click();
      await shows(careTeam.getByText(/providers? found\.$/));
      await expectAccessibleLayout(page);
      await careTeam.getByRole('button', { name: 'Add to care team Naomi Harbor', exact: true }).click();
      await shows(careTeam.getByText('Naomi Harbor was added to the care team.', { exact: true }));
      await shows(careTeam.getByText('Naomi Harbor, MD (Harbor Pediatrics)', { exact: true }));
      await expectAccessibleLayout(page);
      await careTeam.getByRole('button', { name: 'Remove Naomi Harbor', exact: true }).click();
      await shows(careTeam.getByText('Remove Naomi Harbor from the care team? They will no longer see this record.', { exact: true }));
      await expectAccessibleLayout(page);
      await careTeam.getByRole('button', { name: 'Yes, remove', exact: true }).click();
      await shows(careTeam.getByText('Naomi Harbor was removed from the care team.', { exact: true }));
      await shows(careTeam.getByText('No outside providers are on the care team.', { exact: true }));

      // A token: the label is required; the code and the MRN are shown once, with what the provider does with them.
      const tokens = page.getByRole('region', { name: 'Tokens for outside providers' });
      await tokens.getByRole('button', { name: 'Issue token', exact: true }).click();
      await shows(tokens.locator('.field__error', { hasText: 'Say who the token is for.' }));
      await tokens.getByLabel('Who is the token for?', { exact: true }).fill('Dr. Rivera, cardiology');
      await tokens.getByRole('button', { name: 'Issue token', exact: true }).click();
      const issued = await shows(tokens.getByRole('region', { name: 'Your new token' }));
      const issuedText = await issued.innerText();
      expect(issuedText).toMatch(/\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b/);
      expect(issuedText).toContain(maria.mrn);
      expect(issuedText).toContain('Validate a token');
      await expectAccessibleLayout(page);
      await issued.getByRole('button', { name: 'Done', exact: true }).click();
      const rivera = tokens.getByRole('listitem').filter({ hasText: 'Dr. Rivera, cardiology' });
      await shows(rivera.getByText('Not used yet', { exact: true }));
      expect(await pageText(page)).not.toMatch(/\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b/);
      await tokens.getByRole('button', { name: 'Revoke Dr. Rivera, cardiology', exact: true }).click();
      await shows(rivera.getByText('Revoked', { exact: true }));
      await expectAccessibleLayout(page);
      await signOut(page);

      // The front desk, from Maria's chart: adds Dr. Harbor and issues a token for her.
      await signInStaff(page, 'frontdesk', baseUrl);
      await page.goto(`${baseUrl}/patients/${maria.id}/chart`);
      const chartNav = await shows(page.getByRole('navigation', { name: 'Chart', exact: true }));
      await chartNav.getByRole('link', { name: 'Care team', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Care team and tokens' }));
      const chartTeam = page.getByRole('region', { name: 'Care team' });
      await chartTeam.getByLabel('Find an outside provider', { exact: true }).fill('Naomi');
      await chartTeam.getByRole('button', { name: 'Search', exact: true }).click();
      await chartTeam.getByRole('button', { name: 'Add to care team Naomi Harbor', exact: true }).click();
      await shows(chartTeam.getByText('Naomi Harbor was added to the care team.', { exact: true }));
      const chartTokens = page.getByRole('region', { name: 'Tokens for outside providers' });
      await chartTokens.getByLabel('Who is the token for?', { exact: true }).fill('Dr. Harbor');
      await chartTokens.getByRole('button', { name: 'Issue token', exact: true }).click();
      await shows(chartTokens.getByRole('region', { name: 'Your new token' }));
      await expectAccessibleLayout(page);
      await signOut(page);
    },
    journeyTimeoutMs * 2,
  );

  it(
    'at e-check-in Maria reviews her care team and removes a provider; the check-in form stays as it was',
    async () => {
      const { page, baseUrl, db } = portal;
      const [department] = await db.select().from(departments).where(eq(departments.organizationId, maria.organizationId)).limit(1);
      const startAt = new Date(Date.now() + 2 * 86400_000);
      const [visit] = await db
        .insert(appointments)
        .values({
          patientId: maria.id,
          organizationId: maria.organizationId,
          departmentId: department!.id,
          startAt,
          endAt: new Date(startAt.getTime() + 30 * 60_000),
          timeZone: department!.timeZone,
          visitType: 'Follow-up visit',
          status: 'scheduled',
        })
        .returning();
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await page.goto(`${baseUrl}/appointments/${visit!.id}/check-in`);
      await shows(page.getByRole('heading', { level: 1, name: 'Check in' }));
      const careTeam = await shows(page.getByRole('region', { name: 'Care team' }));
      await shows(careTeam.getByText(/^Before your visit, check your care team/));
      await shows(careTeam.getByText('Naomi Harbor, MD (Harbor Pediatrics)', { exact: true }));
      await expectAccessibleLayout(page);
      await careTeam.getByRole('button', { name: 'Remove Naomi Harbor', exact: true }).click();
      await careTeam.getByRole('button', { name: 'Yes, remove', exact: true }).click();
      await shows(careTeam.getByText('Naomi Harbor was removed from the care team.', { exact: true }));
      await shows(page.getByRole('form', { name: 'Check in' }));
      await expectAccessibleLayout(page);
      await careTeam.getByLabel('Find an outside provider', { exact: true }).fill('Naomi');
      await careTeam.getByRole('button', { name: 'Search', exact: true }).click();
      await careTeam.getByRole('button', { name: 'Add to care team Naomi Harbor', exact: true }).click();
      await shows(careTeam.getByText('Naomi Harbor was added to the care team.', { exact: true }));
      await signOut(page);
    },
    journeyTimeoutMs,
  );

  it(
    'Maria’s consent center in Spanish',
    async () => {
      const { page, baseUrl } = portal;
      await page.context().clearCookies();
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel('Language', { exact: true }).selectOption('es');
      await page.getByLabel('Nombre de usuario o correo electrónico', { exact: true }).fill('patient');
      await page.getByLabel('Contraseña', { exact: true }).fill(demoPassword);
      await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: /Maria/ }));
      await page.goto(`${baseUrl}/account/sharing`);
      const careTeam = await shows(page.getByRole('region', { name: 'Equipo de atención' }));
      await shows(careTeam.getByText('Naomi Harbor, MD (Harbor Pediatrics)', { exact: true }));
      await shows(page.getByRole('region', { name: 'Tokens para proveedores externos' }));
      const harbor = page
        .getByRole('region', { name: 'Tokens para proveedores externos' })
        .getByRole('listitem')
        .filter({ hasText: 'Dr. Harbor' });
      await shows(harbor.getByText('Sin usar', { exact: true }));
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );
});
