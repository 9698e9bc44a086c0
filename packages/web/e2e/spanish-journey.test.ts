import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoPassword } from '../../server/src/demo/demo-accounts.ts';
import { bloodCount, storeBloodCount } from './record-fixtures.ts';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  openMail,
  openMainNav,
  pathOf,
  shows,
  startPortal,
  stepTimeoutMs,
  textScale,
  type Portal,
} from './harness.ts';

/**
 * Issue 10's journey in Spanish at the largest text size on a 375 px phone: Maria chooses Español on the sign-in page,
 * signs in, sets the text to 200 %, books a visit with the picker (visit type, her doctor, "next available", a time),
 * gets the confirmation email in Spanish, reads a panel of results, and writes to her care team. Every state it reaches
 * is drawn at 200 %, fits the screen without sideways scrolling and passes axe; the page stays in Spanish throughout.
 */

const maria = { username: 'patient', email: 'patient@demo.portico.local', firstName: 'Maria', mrn: '100002' };

/** Waits until the page has finished loading what it shows: no "Cargando…" status left. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => ![...document.querySelectorAll('[role="status"], .loading')].some((el) => /Loading|Cargando/.test(el.textContent)),
    undefined,
    { timeout: stepTimeoutMs },
  );
}

/** The state reached is in Spanish, at 200 %, fits 375 px and passes axe. */
async function expectSpanishAtLargeText(page: Page): Promise<void> {
  await settled(page);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
  expect(await textScale(page)).toBe(2);
  await expectAccessibleLayout(page);
}

/** Opens the menu (Menú) and follows a link in it. */
async function goByMenu(page: Page, name: string | RegExp): Promise<void> {
  const nav = await openMainNav(page);
  await nav.getByRole('link', { name, exact: true }).click();
}

describe('Spanish at 200 % on a phone', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
    // A blood count from the lab this morning (test names are the lab's words, not translated).
    await storeBloodCount(portal.db, maria.mrn);
    await portal.page.setViewportSize({ width: 375, height: 812 });
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'Maria signs in in Spanish, sets 200 % text, books with the picker, reads a panel and sends a message',
    async () => {
      const { page, baseUrl } = portal;

      // The language is chosen on the sign-in page, before there is a session.
      await page.goto(`${baseUrl}/sign-in`);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
      await page.getByLabel('Language', { exact: true }).selectOption('es');
      await shows(page.getByRole('heading', { level: 1, name: 'Iniciar sesión' }));
      await page.getByLabel('Nombre de usuario o correo electrónico', { exact: true }).fill(maria.username);
      await page.getByLabel('Contraseña', { exact: true }).fill(demoPassword);
      await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: `Le damos la bienvenida, ${maria.firstName}` }));

      // The text size, on the Display page (Pantalla), through the menu.
      await goByMenu(page, 'Pantalla');
      await shows(page.getByRole('heading', { level: 1, name: /^Pantalla/ }));
      await page.getByRole('radio', { name: /^200\s?%$/ }).check();
      await page.getByRole('button', { name: 'Guardar el tamaño del texto', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: /^Se guardó el tamaño del texto/ }));
      await expectSpanishAtLargeText(page);

      // Book: a visit type, "my doctor", the next open day, its first time, then confirm.
      await goByMenu(page, 'Citas');
      await shows(page.getByRole('heading', { level: 1, name: 'Citas' }));
      await page.getByRole('link', { name: 'Reservar una cita', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Reservar una cita' }));
      await expectSpanishAtLargeText(page);
      await shows(page.getByRole('group', { name: '¿Qué tipo de consulta?' }).getByRole('radio').first());
      await page.getByRole('group', { name: '¿Qué tipo de consulta?' }).getByRole('radio').first().check();
      const who = await shows(page.getByRole('group', { name: '¿Con quién le gustaría atenderse?' }));
      await who.getByRole('radio', { name: /^Mi médico, / }).check();
      await page.getByRole('button', { name: 'Buscar un horario', exact: true }).click();
      await shows(page.getByRole('heading', { level: 2, name: 'Elija un día' }));
      await page.getByRole('button', { name: 'Próximo día disponible', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: /^El próximo día disponible es el / }));
      await shows(page.getByRole('heading', { level: 2, name: /^Elija un horario el / }));
      await shows(page.getByRole('heading', { level: 3, name: /^Por la (mañana|tarde|noche)$/ }).first());
      await expectSpanishAtLargeText(page);
      await page.locator('.slot-picker__time').first().click();
      await shows(page.getByRole('heading', { level: 2, name: 'Revise y confirme' }));
      await expectSpanishAtLargeText(page);
      await page.getByRole('button', { name: 'Reservar este horario', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Su cita está reservada' }));
      await expectSpanishAtLargeText(page);
      const confirmedAt = pathOf(page);

      // The confirmation email is in her language, and says when but nothing clinical.
      const mail = await openMail(page, baseUrl, maria.email, 'Su cita está programada');
      expect(await mail.innerText()).toContain('Su cita está programada.');
      await page.goto(`${baseUrl}${confirmedAt}`);
      await shows(page.getByRole('heading', { level: 1, name: 'Su cita está reservada' }));

      // A panel of results: one row, its three results behind "3 resultados en este panel".
      await goByMenu(page, 'Mi expediente');
      await goByMenu(page, 'Resultados de pruebas');
      await shows(page.getByRole('heading', { level: 1, name: 'Resultados de pruebas' }));
      const panel = page
        .getByRole('table', { name: 'Resultados de pruebas, del más reciente al más antiguo' })
        .getByRole('row')
        .filter({ has: page.getByRole('link', { name: bloodCount.name, exact: true }) });
      await panel.getByText('3 resultados en este panel').click();
      const components = panel.getByRole('listitem');
      await shows(components.first());
      expect(await components.count()).toBe(bloodCount.members.length);
      expect(await components.first().innerText()).toMatch(new RegExp(`^${bloodCount.members[0]}:.*Bajo`, 's'));
      await expectSpanishAtLargeText(page);

      // A message to her care team.
      await goByMenu(page, /^Mensajes(, \d+ sin leer)?$/);
      await shows(page.getByRole('heading', { level: 1, name: 'Mensajes' }));
      await page.getByRole('link', { name: 'Mensaje nuevo', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Mensaje nuevo' }));
      const to = page.getByLabel('Para', { exact: true });
      const pcpTeam = await to.locator('optgroup option').first().getAttribute('value');
      await to.selectOption(pcpTeam ?? '');
      await page.getByLabel('¿De qué se trata?', { exact: true }).selectOption({ label: 'Una pregunta médica' });
      await page.getByLabel('Asunto', { exact: true }).fill('Pregunta sobre mi hemoglobina');
      await page.getByRole('textbox', { name: 'Mensaje', exact: true }).fill('¿Debo repetir el análisis antes de mi cita?');
      await expectSpanishAtLargeText(page);
      await page.getByRole('button', { name: 'Enviar', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Pregunta sobre mi hemoglobina', exact: true }));
      await shows(page.getByRole('status').filter({ hasText: /^Su mensaje se envió\./ }));
      await expectSpanishAtLargeText(page);
    },
    journeyTimeoutMs * 2,
  );
});
