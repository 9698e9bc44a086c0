import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { patients, users } from '../../server/src/db/schema/index.ts';
import { demoPassword, demoTotpSecret } from '../../server/src/demo/demo-accounts.ts';
import { demoProviderToken } from '../../server/src/demo/outside-practice.ts';
import { currentTotpCode } from '../../server/src/modules/auth/totp.ts';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  pageText,
  pathOf,
  shows,
  startPortal,
  startSecondBrowser,
  submitSignIn,
  type Portal,
  type SecondBrowser,
} from './harness.ts';

/**
 * Issue 12 §2 in a browser: Harbor Pediatrics' sponsored nurse (sponsored by Dr. Harbor, whose practice partner is the
 * PCP of Malik Fernandes) finds Malik by name and date of birth and opens his read-only chart; searches Maria Alvarez
 * by MRN and is told "Not authorized", and requests non-PCP access; Maria allows it on her Sharing and privacy page
 * ("Provider requests"); the nurse's "My requests" then names her, and her chart opens. In Spanish, Dr. Adeyemi is
 * refused a patient, validates the token the patient issued (a wrong MRN first, refused without saying which part),
 * and opens the chart. Each state passes axe and fits the page.
 */

/** Signs an outside-practice member in with the demo password and authenticator code; they land on patient selection. */
async function signInProvider(portal: Portal, username: string): Promise<void> {
  const { page, baseUrl } = portal;
  await page.goto(`${baseUrl}/sign-in`);
  await submitSignIn(page, username);
  await page.getByLabel('Authenticator code', { exact: true }).fill(currentTotpCode(demoTotpSecret));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await shows(page.getByRole('heading', { level: 1, name: 'Patient selection' }));
}

/** The same in Spanish: the language is chosen on the sign-in page, before there is a session. */
async function signInProviderInSpanish(portal: Portal, username: string): Promise<void> {
  const { page, baseUrl } = portal;
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Language', { exact: true }).selectOption('es');
  await page.getByLabel('Nombre de usuario o correo electrónico', { exact: true }).fill(username);
  await page.getByLabel('Contraseña', { exact: true }).fill(demoPassword);
  await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
  await page.getByLabel('Código de la aplicación de autenticación', { exact: true }).fill(currentTotpCode(demoTotpSecret));
  await page.getByRole('button', { name: 'Verificar', exact: true }).click();
  await shows(page.getByRole('heading', { level: 1, name: 'Selección de pacientes' }));
}

describe('MyPatients: a sponsored user finds patients, asks for access and opens the chart', () => {
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
    'the nurse opens a practice patient’s chart, is refused Maria’s, requests non-PCP access, Maria approves, the nurse opens it',
    async () => {
      const { page, baseUrl, db } = portal;
      const mariaPage = second.page;
      const [malik] = await db.select().from(patients).where(eq(patients.mrn, '100004'));
      const [mariaAccount] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'patient'));
      const [maria] = await db.select().from(patients).where(eq(patients.userId, mariaAccount!.id));
      expect(malik, 'a Harbor Pediatrics patient in the demo').toBeDefined();
      expect(maria, 'Maria Alvarez in the demo').toBeDefined();

      await signInProvider(portal, 'nurse.harbor');
      await shows(page.getByRole('link', { name: 'Validate a token', exact: true }));
      await shows(page.getByRole('heading', { level: 2, name: 'My requests' }));
      await expectAccessibleLayout(page);

      // By name and date of birth: a missing date is named at its field, then Malik is found and his chart opens.
      await page.getByLabel('Last name', { exact: true }).fill(malik!.familyName);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await shows(page.locator('.field__error', { hasText: 'Enter the patient’s date of birth.' }));
      await page.getByLabel('First name (optional)', { exact: true }).fill(malik!.givenName.slice(0, 3));
      await page.getByLabel('Date of birth', { exact: true }).fill(malik!.birthDate);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const malikLink = page.getByRole('link', { name: `${malik!.familyName}, ${malik!.givenName}`, exact: true });
      await shows(malikLink);
      await shows(page.getByRole('cell', { name: malik!.mrn, exact: true }));
      await shows(page.getByRole('cell', { name: 'Your practice is the PCP', exact: true }));
      await expectAccessibleLayout(page);
      await malikLink.click();
      await shows(page.getByRole('heading', { level: 1, name: 'Health summary' }));
      expect(pathOf(page)).toBe(`/patients/${malik!.id}/chart`);
      const chartNav = page.getByRole('navigation', { name: 'Chart', exact: true });
      for (const name of ['Health summary', 'Visits', 'Test results', 'Appointments', 'Care team'])
        await shows(chartNav.getByRole('link', { name, exact: true }));
      expect(await chartNav.getByRole('link', { name: 'Family access' }).count()).toBe(0);
      await expectAccessibleLayout(page);
      await chartNav.getByRole('link', { name: 'Test results', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Test results' }));
      await chartNav.getByRole('link', { name: 'Appointments', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Upcoming appointments' }));
      await expectAccessibleLayout(page);

      // By MRN: Maria is not the practice's patient, so nothing about her shows but "Not authorized" and the two requests.
      await page.goto(`${baseUrl}/`);
      await shows(page.getByRole('heading', { level: 1, name: 'Patient selection' }));
      await page.getByRole('radio', { name: 'MRN', exact: true }).check();
      await page.getByLabel('Medical record number (MRN)', { exact: true }).fill(maria!.mrn);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await shows(page.getByRole('heading', { level: 3, name: 'Not authorized' }));
      await shows(page.getByRole('button', { name: 'Request PCP access', exact: true }));
      await shows(page.getByText(/It takes 2-3 business days\./));
      const nonPcp = await shows(page.getByRole('button', { name: 'Request non-PCP access', exact: true }));
      expect(await pageText(page)).not.toContain(maria!.familyName);
      await expectAccessibleLayout(page);
      await page.getByLabel('Why you need the record (optional)', { exact: true }).fill('Endocrinology referral');
      await nonPcp.click();
      await shows(page.getByText('Non-PCP access requested. You will get an email when access is granted.', { exact: true }));
      const requests = page.getByRole('region', { name: 'Your access requests, newest first' });
      await shows(requests.getByRole('cell', { name: 'Waiting', exact: true }));
      await shows(requests.getByText('Not shown until access is granted', { exact: true }));
      await expectAccessibleLayout(page);

      // Maria approves it in her portal, on Sharing and privacy ("Provider requests"), in her own browser.
      await mariaPage.goto(`${baseUrl}/sign-in`);
      await submitSignIn(mariaPage, 'patient');
      await shows(mariaPage.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await mariaPage.goto(`${baseUrl}/account/sharing`);
      const asked = await shows(mariaPage.getByRole('region', { name: 'Provider requests' }));
      await shows(asked.getByText('Endocrinology referral', { exact: true }));
      await expectAccessibleLayout(mariaPage);
      await asked.getByRole('button', { name: 'Allow Grace Oduya', exact: true }).click();
      await shows(mariaPage.getByText('Grace Oduya can now see this record. They will get an email.', { exact: true }));

      // The nurse's list now names Maria, granted, and her chart opens from it.
      await page.reload();
      await shows(page.getByRole('heading', { level: 1, name: 'Patient selection' }));
      await shows(requests.getByRole('cell', { name: 'Granted', exact: true }));
      const mariaLink = requests.getByRole('link', { name: `${maria!.familyName}, ${maria!.givenName}`, exact: true });
      await shows(mariaLink);
      await expectAccessibleLayout(page);
      await mariaLink.click();
      await shows(page.getByRole('heading', { level: 1, name: 'Health summary' }));
      expect(pathOf(page)).toBe(`/patients/${maria!.id}/chart`);
      await shows(page.locator('.chart-header__name', { hasText: maria!.familyName }));
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs * 2,
  );

  it(
    'in Spanish, Dr. Adeyemi is refused a patient out of reach, validates the token Maria issued and opens the chart',
    async () => {
      const { page, db } = portal;
      const [patient] = await db.select().from(patients).where(eq(patients.mrn, demoProviderToken.mrn));
      expect(patient, 'the patient of the demo token').toBeDefined();
      // On a phone: the longer Spanish words must still fit 375 px.
      await page.context().clearCookies();
      await page.setViewportSize({ width: 375, height: 812 });
      await signInProviderInSpanish(portal, 'dr.adeyemi');
      await expectAccessibleLayout(page);

      // Before the token: "No autorizado", with both requests explained in Spanish.
      await page.getByRole('radio', { name: 'MRN', exact: true }).check();
      await page.getByLabel('Número de expediente médico (MRN)', { exact: true }).fill(demoProviderToken.mrn);
      await page.getByRole('button', { name: 'Buscar', exact: true }).click();
      await shows(page.getByRole('heading', { level: 3, name: 'No autorizado' }));
      await shows(page.getByRole('button', { name: 'Solicitar acceso como PCP', exact: true }));
      await shows(page.getByRole('button', { name: 'Solicitar acceso sin ser PCP', exact: true }));
      await expectAccessibleLayout(page);

      // A wrong MRN is refused without saying which part was wrong; the right pair opens the chart.
      await page.getByRole('link', { name: 'Validar un token', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Validar un token' }));
      await page.getByLabel('Token de acceso', { exact: true }).fill(demoProviderToken.code.toLowerCase());
      await page.getByLabel('MRN', { exact: true }).fill('999999');
      await page.getByRole('button', { name: 'Enviar', exact: true }).click();
      await shows(page.getByText('Este token y este MRN no coinciden con un token válido.').first());
      await expectAccessibleLayout(page);
      await page.getByLabel('MRN', { exact: true }).fill(demoProviderToken.mrn);
      await page.getByRole('button', { name: 'Enviar', exact: true }).click();
      await shows(page.getByText(/^El token está validado\./));
      await expectAccessibleLayout(page);
      await page.getByRole('link', { name: 'Abrir el expediente', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Resumen de salud' }));
      expect(pathOf(page)).toBe(`/patients/${patient!.id}/chart`);
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );
});
