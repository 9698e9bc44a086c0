import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { appointmentView, daySlotsResponse, nextAvailableResponse, scheduleResponse } from '@portico/shared';
import { expectAccessibleLayout, journeyTimeoutMs, pathOf, shows, signInStaff, startPortal, submitSignIn, type Portal } from './harness.ts';

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

/** Opens the header's menu when the navigation is folded into one (a narrow screen); does nothing otherwise. */
async function openMenuIfFolded(page: Page): Promise<void> {
  const menu = mainNav(page).getByRole('button', { name: 'Menu', exact: true });
  if ((await menu.count()) > 0 && (await menu.getAttribute('aria-expanded')) === 'false') await menu.click();
}

/** Signs out from the header (or its menu) and waits for the sign-in page. */
async function signOut(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Sign out', exact: true });
  if (!(await button.isVisible())) await openMenuIfFolded(page);
  await button.click();
  await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
}

/** The calendar day of an instant in an IANA zone, as `YYYY-MM-DD`. */
function dayIn(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** A calendar day (`YYYY-MM-DD`) moved by whole days. */
function addDays(day: string, days: number): string {
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** The first day far enough out to pass the organization's 24-hour change cut-off, so the visit can still be rescheduled. */
function earliestMovable(): string {
  return addDays(dayIn(new Date().toISOString(), clinicTimeZone), 2);
}

/**
 * "Next available": the picker asks the server for the first open day, selects it in the week strip (pressed) and shows
 * its times. Answers that day.
 */
async function chooseNextAvailable(page: Page): Promise<string> {
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/scheduling/next-available'));
  await page.getByRole('button', { name: 'Next available', exact: true }).click();
  const response = await answered;
  expect(response.status()).toBe(200);
  const found = nextAvailableResponse.parse(await response.json());
  expect(found.date, 'an open day within 90 days').not.toBeNull();
  const day = found.date ?? '';
  await shows(page.getByRole('status').filter({ hasText: /^The next open day is/ }));
  await shows(page.locator(`.slot-picker__day[data-date="${day}"][aria-pressed="true"]`));
  await shows(page.getByRole('heading', { level: 2, name: /^Choose a time on / }));
  return day;
}

/**
 * Keeps the chosen day when it is two or more local days ahead (past the cut-off, near enough for e-check-in within 7
 * days); else presses the first open day that is, moving on a week if needed. Then takes the day's first time and waits
 * for the confirm step; answers the time's words.
 */
async function chooseMovableTime(page: Page, chosen: string): Promise<string> {
  const earliest = earliestMovable();
  if (chosen < earliest) {
    let picked = false;
    for (let week = 0; week < 3 && !picked; week += 1) {
      await shows(page.locator('.slot-picker__day:not([disabled])').first());
      const open = await page
        .locator('.slot-picker__day:not([disabled])')
        .evaluateAll((days) => days.map((d) => d.getAttribute('data-date') ?? ''));
      const day = open.find((d) => d >= earliest);
      if (day) {
        await page.locator(`.slot-picker__day[data-date="${day}"]`).click();
        await shows(page.locator(`.slot-picker__day[data-date="${day}"][aria-pressed="true"]`));
        picked = true;
      } else {
        await page.getByRole('button', { name: 'Next week', exact: true }).click();
      }
    }
    expect(picked, `an open day on or after ${earliest}`).toBe(true);
  }
  await shows(page.getByRole('heading', { level: 3, name: /^(Morning|Afternoon|Evening)$/ }).first());
  const time = page.locator('.slot-picker__time').first();
  await shows(time);
  const name = (await time.textContent()) ?? '';
  await expectAccessibleLayout(page);
  await time.click();
  await shows(page.getByRole('heading', { level: 2, name: 'Check and confirm' }));
  return name;
}

/** At 375 px with the text at 200 % (the largest size a person may choose), nothing scrolls sideways. */
async function expectLayoutAtLargeText(page: Page): Promise<void> {
  await page.evaluate(() => {
    document.documentElement.style.fontSize = '200%';
  });
  try {
    await expectAccessibleLayout(page);
  } finally {
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '';
    });
  }
}

describe('patient appointments journey', () => {
  let portal: Portal;
  let files: string;
  const pageErrors: string[] = [];
  const pageUrls: string[] = [];

  /** The last open times the page was given (to take one from under it, as another patient would). */
  let lastDaySlots: { url: string; body: unknown } | null = null;

  beforeAll(async () => {
    portal = await startPortal();
    portal.page.on('response', (response) => {
      if (!new URL(response.url()).pathname.endsWith('/scheduling/day-slots') || !response.ok()) return;
      response
        .json()
        .then((body: unknown) => {
          lastDaySlots = { url: response.url(), body };
        })
        .catch(() => undefined);
    });
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

      await openMenuIfFolded(page);
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

      // Book: a visit type, then "my doctor", then "Next available", a time, and confirm.
      await page.getByRole('link', { name: 'Book an appointment', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Book an appointment' }));
      expect(pathOf(page)).toBe('/appointments/new');
      await page.getByRole('radio', { name: followUp }).first().check();
      const who = await shows(page.getByRole('group', { name: 'Who would you like to see?' }));
      // Her PCP offers follow-ups, so "my doctor" comes first; then a named clinician, then first available.
      const choices = await who.getByRole('radio').evaluateAll((radios) => radios.map((r) => r.id));
      expect(choices).toEqual(['book-who-pcp', 'book-who-named', 'book-who-any']);
      await expectAccessibleLayout(page);
      await who.getByRole('radio', { name: /^My doctor, / }).check();
      await page.getByRole('button', { name: 'Find a time', exact: true }).click();
      await shows(page.getByRole('heading', { level: 2, name: 'Choose a day' }));
      // The week strip: seven day buttons in a group; days with no open time (the clinic's weekends) are disabled.
      const strip = page.locator('.slot-picker__week');
      expect(await strip.getAttribute('role')).toBe('group');
      expect(await strip.locator('.slot-picker__day').count()).toBe(7);
      await shows(page.getByRole('button', { name: /, no open times$/ }).first());
      expect(
        await page
          .getByRole('button', { name: /, no open times$/ })
          .first()
          .isDisabled(),
      ).toBe(true);
      expect(await page.getByRole('button', { name: 'Previous week', exact: true }).isDisabled()).toBe(true);
      await expectAccessibleLayout(page);
      const nextDay = await chooseNextAvailable(page);
      await expectAccessibleLayout(page);
      await expectLayoutAtLargeText(page);
      // A handful of times, not a wall of them: the whole step fits in a few screens on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(4000);
      const firstTime = await chooseMovableTime(page, nextDay);
      expect(firstTime).toMatch(/\d:\d{2}/);
      await expectAccessibleLayout(page);

      // Someone else takes that time while Maria confirms: the booking re-checks it, the page says so plainly and
      // shows the day's times afresh, without the one that went.
      const seen = lastDaySlots;
      expect(seen, 'the times the page offered').not.toBeNull();
      const offeredUrl = new URL(seen!.url);
      const taken = daySlotsResponse.parse(seen!.body).slots[0]!;
      const grab = await page.request.post(`${baseUrl}${offeredUrl.pathname.replace(/\/scheduling\/day-slots$/, '/appointments')}`, {
        headers: { 'X-Requested-With': 'portico', Origin: baseUrl },
        data: {
          visitTypeId: offeredUrl.searchParams.get('visitTypeId'),
          departmentId: offeredUrl.searchParams.get('departmentId'),
          clinicianId: taken.clinicianId,
          startAt: taken.startAt,
        },
      });
      expect(grab.status()).toBe(201);
      const refused = page.waitForResponse((r) => r.request().method() === 'POST' && /\/appointments$/.test(new URL(r.url()).pathname));
      await page.getByRole('button', { name: 'Book this time', exact: true }).click();
      expect((await refused).status()).toBe(409);
      await shows(page.getByRole('alert').filter({ hasText: 'Someone else booked that time a moment ago' }));
      await shows(page.getByRole('heading', { level: 2, name: /^Choose a time on / }));
      // The day's times come again, without the one taken (the same start with another clinician may stay: first
      // available offers each start once, from whoever is free).
      await expect.poll(() => lastDaySlots !== seen).toBe(true);
      const fresh = daySlotsResponse.parse(lastDaySlots!.body).slots;
      expect(fresh.some((slot) => slot.startAt === taken.startAt && slot.clinicianId === taken.clinicianId)).toBe(false);
      await expectAccessibleLayout(page);
      await chooseMovableTime(page, lastDaySlots ? (new URL(lastDaySlots.url).searchParams.get('date') ?? nextDay) : nextDay);
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
      // The same picker: whom (first available this time), a day, a time.
      const rescheduleWho = await shows(page.getByRole('group', { name: 'Who would you like to see?' }));
      await rescheduleWho.getByRole('radio', { name: 'First available', exact: true }).check();
      await expectAccessibleLayout(page);
      await page.getByRole('button', { name: 'Find a time', exact: true }).click();
      await shows(page.getByRole('heading', { level: 2, name: 'Choose a day' }));
      const movedDay = await chooseNextAvailable(page);
      await expectAccessibleLayout(page);
      await chooseMovableTime(page, movedDay);
      await expectAccessibleLayout(page);
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
