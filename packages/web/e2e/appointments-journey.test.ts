import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appointmentView, scheduleResponse } from '@portico/shared';
import { demoTotpSecret } from '../../server/src/demo/demo-accounts.ts';
import { currentTotpCode } from '../../server/src/modules/auth/totp.ts';
import { expectAccessibleLayout, journeyTimeoutMs, pathOf, shows, startPortal, submitSignIn, type Portal } from './harness.ts';

/** Maria Alvarez, the `patient` sign-in (demo-accounts.ts). */
const maria = { givenName: 'Maria', familyName: 'Alvarez' };
/** The follow-up visit type the demo offers patients to book. */
const followUp = /^Follow-up/i;
/** The zone of Family Medicine, where Maria books. */
const clinicTimeZone = 'America/New_York';

/** The site's main navigation. */
function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** Signs out from the header and waits for the sign-in page. */
async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
}

/** Signs in as a staff member with the demo authenticator code. */
async function signInStaff(page: Page, username: string): Promise<void> {
  await submitSignIn(page, username);
  await page.getByLabel('Authenticator code', { exact: true }).fill(currentTotpCode(demoTotpSecret));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await shows(page.getByRole('heading', { level: 1, name: 'Find a patient' }));
}

/** The calendar day of an instant in an IANA zone, as `YYYY-MM-DD`. */
function dayIn(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/**
 * Chooses the first open time two or more local days ahead and waits for the confirm step: far enough out to pass the
 * organization's 24-hour change cutoff (so the visit can still be rescheduled) and near enough for e-check-in (7 days).
 */
async function chooseFirstTime(page: Page): Promise<string> {
  await shows(page.getByRole('status').filter({ hasText: /^Open times from/ }));
  await shows(page.locator('.slot-picker__day').first());
  const today = dayIn(new Date().toISOString(), clinicTimeZone);
  const [year = 0, month = 1, day = 1] = today.split('-').map(Number);
  const earliest = new Date(Date.UTC(year, month - 1, day + 2)).toISOString().slice(0, 10);
  const ids = await page.locator('.slot-picker__day h3').evaluateAll((headings) => headings.map((h) => h.id));
  const dayId = ids.find((id) => id.replace(/^slot-day-/, '') >= earliest);
  expect(dayId, `an open day on or after ${earliest}`).toBeDefined();
  const time = page
    .locator('.slot-picker__day', { has: page.locator(`h3[id="${dayId}"]`) })
    .locator('.slot-picker__time')
    .first();
  await shows(time);
  const name = (await time.textContent()) ?? '';
  await expectAccessibleLayout(page);
  await time.click();
  await shows(page.getByRole('heading', { level: 2, name: 'Check and confirm' }));
  return name;
}

describe('patient appointments journey', () => {
  let portal: Portal;
  let files: string;
  const pageErrors: string[] = [];
  const pageUrls: string[] = [];

  beforeAll(async () => {
    portal = await startPortal();
    files = mkdtempSync(path.join(os.tmpdir(), 'portico-appointments-'));
    portal.page.on('pageerror', (error) => pageErrors.push(error.message));
    portal.page.on('framenavigated', (frame) => {
      if (frame === portal.page.mainFrame()) pageUrls.push(frame.url());
    });
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    if (files) rmSync(files, { recursive: true, force: true });
    await portal?.close();
  });

  it(
    'Maria books a follow-up, adds it to her calendar, moves it, checks in online, and the front desk sees her checked in',
    async () => {
      const { page, baseUrl } = portal;
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));

      await mainNav(page).getByRole('link', { name: 'Appointments', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Appointments' }));
      expect(pathOf(page)).toBe('/appointments');
      await shows(page.getByRole('heading', { level: 2, name: 'Upcoming' }));
      await shows(
        page
          .getByRole('status')
          .filter({ hasText: /^Showing \d+ appointments?|^You have no upcoming/ })
          .first(),
      );
      await expectAccessibleLayout(page);

      // Book: a visit type, where and with whom, a time, then confirm.
      await page.getByRole('link', { name: 'Book an appointment', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Book an appointment' }));
      expect(pathOf(page)).toBe('/appointments/new');
      await page.getByRole('radio', { name: followUp }).first().check();
      // Maria is established in more than one clinic (her PCP's and Endocrinology), so she may be asked where.
      const where = page.getByRole('group', { name: 'Where?' });
      if ((await where.count()) > 0) await where.getByRole('radio', { name: 'Family Medicine', exact: true }).check();
      await shows(page.getByLabel('Who would you like to see?'));
      expect(await page.getByLabel('Who would you like to see?').locator('option').first().textContent()).toBe('Any clinician');
      await expectAccessibleLayout(page);
      await page.getByRole('button', { name: 'Find a time', exact: true }).click();
      await shows(page.getByRole('heading', { level: 2, name: 'Choose a time' }));
      // Every time names its zone; the picker pages on by two weeks.
      await shows(page.getByRole('button', { name: 'Later times', exact: true }));
      const firstTime = await chooseFirstTime(page);
      expect(firstTime).toMatch(/\d:\d{2}/);
      await expectAccessibleLayout(page);
      const booked = page.waitForResponse((r) => r.request().method() === 'POST' && /\/appointments$/.test(new URL(r.url()).pathname));
      await page.getByRole('button', { name: 'Book this time', exact: true }).click();
      const bookedResponse = await booked;
      expect(bookedResponse.status()).toBe(201);
      expect(bookedResponse.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
      await shows(page.getByRole('heading', { level: 1, name: 'Your appointment is booked' }));
      expect(pathOf(page)).toMatch(/^\/appointments\/[0-9a-f-]{36}\/confirmed$/);
      await expectAccessibleLayout(page);

      // Add to calendar: an .ics file with the event and its start.
      const downloadEvent = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Add to calendar', exact: true }).click();
      const download = await downloadEvent;
      expect(download.suggestedFilename()).toMatch(/\.ics$/);
      const ics = path.join(files, 'appointment.ics');
      await download.saveAs(ics);
      const calendar = readFileSync(ics, 'utf8');
      expect(calendar).toContain('BEGIN:VEVENT');
      expect(calendar).toMatch(/^DTSTART[:;]/m);
      expect(calendar).not.toContain(maria.familyName);

      // The appointment's page: directions carry the address only; then reschedule to another time.
      await page.getByRole('link', { name: 'See this appointment', exact: true }).click();
      await shows(page.getByRole('heading', { level: 2, name: 'What you can do' }));
      const directions = page.getByRole('link', { name: /^Directions/ });
      if ((await directions.count()) > 0) {
        const href = (await directions.getAttribute('href')) ?? '';
        expect(href).not.toContain(maria.familyName);
        expect(href).not.toMatch(/appointment|follow/i);
      }
      await expectAccessibleLayout(page);
      await page.getByRole('link', { name: 'Reschedule', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Reschedule' }));
      await chooseFirstTime(page);
      const moved = page.waitForResponse((r) => r.request().method() === 'POST' && /\/reschedule$/.test(new URL(r.url()).pathname));
      await page.getByRole('button', { name: 'Move my appointment', exact: true }).click();
      const movedResponse = await moved;
      expect(movedResponse.status()).toBe(201);
      expect(movedResponse.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
      const appointment = appointmentView.parse(await movedResponse.json());
      await shows(page.getByRole('heading', { level: 1, name: 'Your appointment has moved' }));
      await expectAccessibleLayout(page);

      // E-check-in: details, reviews, the questionnaire and the consent signature.
      await page.getByRole('link', { name: 'See this appointment', exact: true }).click();
      await page.getByRole('link', { name: 'Check in', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Check in' }));
      expect(pathOf(page)).toBe(`/appointments/${appointment.id}/check-in`);
      const form = await shows(page.getByRole('form', { name: 'Check in' }));
      await form.getByLabel('Home address', { exact: true }).fill('12 Harbor Street\nSpringfield, IL 62701');
      await form.getByLabel('Phone', { exact: true }).fill('217-555-0142');
      await form.getByRole('group', { name: 'Emergency contact' }).getByLabel('Name', { exact: true }).fill('Luis Alvarez');
      await form.getByLabel('Relationship to you', { exact: true }).fill('Brother');
      await form.getByLabel('Their phone', { exact: true }).fill('217-555-0199');
      await form.getByLabel('Insurance company', { exact: true }).fill('Acme Health');
      await form.getByLabel('Member ID', { exact: true }).fill('AH123456');
      // A first try without the reviews: the error summary names them.
      await form.getByRole('button', { name: 'Check in', exact: true }).click();
      const summary = await shows(page.getByRole('alert').filter({ hasText: 'There is a problem' }));
      await shows(summary.getByRole('link', { name: 'Review your medications.' }));
      await expectAccessibleLayout(page);
      await form.getByRole('checkbox', { name: 'I have reviewed my medications', exact: true }).check();
      await form.getByRole('checkbox', { name: 'I have reviewed my allergies', exact: true }).check();
      const questions = form.getByRole('group', { name: 'Questions before your visit' });
      if ((await questions.count()) > 0) {
        for (const no of await questions.getByRole('radio', { name: 'No', exact: true }).all()) await no.check();
        for (const text of await questions.getByRole('textbox').all()) await text.fill('Nothing new since my last visit.');
      }
      const signatures = await form.getByLabel(/^Type your full name to sign/).all();
      expect(signatures.length).toBeGreaterThan(0);
      for (const signature of signatures) await signature.fill(`${maria.givenName} ${maria.familyName}`);
      await form.getByRole('button', { name: 'Check in', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'You are checked in' }));
      await expectAccessibleLayout(page);

      // No page the patient opened carried anything but opaque ids.
      for (const url of pageUrls) {
        expect(url).not.toContain(maria.familyName);
        expect(new URL(url).search).toBe('');
      }
      await signOut(page);

      // The front desk sees her checked in on the department's schedule for that day.
      await page.setViewportSize({ width: 1280, height: 900 });
      await signInStaff(page, 'frontdesk');
      const day = dayIn(appointment.startAt, appointment.timeZone);
      const schedule = await page.request.get(
        `${baseUrl}/api/schedule?${new URLSearchParams({ departmentId: appointment.location.id, from: day, days: '1' }).toString()}`,
      );
      expect(schedule.status()).toBe(200);
      const listed = scheduleResponse
        .parse(await schedule.json())
        .days.flatMap((d) => d.appointments)
        .find((a) => a.id === appointment.id);
      expect(listed?.status).toBe('checked_in');
      expect(listed?.checkedInAt).not.toBeNull();

      await page.goto(`${baseUrl}/schedule?departmentId=${appointment.location.id}&date=${day}`);
      await shows(page.getByRole('heading', { level: 1, name: /^Schedule/ }));
      const patientRow = page.getByRole('row').filter({ hasText: maria.familyName });
      await shows(patientRow.filter({ hasText: 'Checked in online' }).first());
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs * 2,
  );
});
