import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ScheduleResponse } from '@portico/shared';
import { organizations } from '../../server/src/db/schema/index.ts';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  openMainNav,
  pathOf,
  shows,
  signOut,
  startPortal,
  type Portal,
  signInStaff,
} from './harness.ts';

/** Family Medicine (roster.ts): the demo's busiest department, in America/New_York. */
const department = { name: 'Family Medicine', timeZone: 'America/New_York' };

/** The site's main navigation. */
function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** Today's date (YYYY-MM-DD) in an IANA zone. */
function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The calendar day `days` after a YYYY-MM-DD. */
function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The first day from today, within four weeks, with an appointment the front desk can still mark arrived; read through
 * the browser's own session so the journey does not depend on which days the demo generator filled.
 */
async function firstDayToMarkArrived(page: Page, baseUrl: string, departmentId: string): Promise<string> {
  let from = todayIn(department.timeZone);
  for (let week = 0; week < 4; week += 1) {
    const answer = await page.request.get(`${baseUrl}/api/schedule?departmentId=${departmentId}&from=${from}&days=7`, {
      headers: { 'X-Requested-With': 'portico' },
    });
    expect(answer.status(), await answer.text()).toBe(200);
    const schedule = (await answer.json()) as ScheduleResponse;
    const day = schedule.days.find((d) => d.appointments.some((a) => a.status === 'scheduled' || a.status === 'checked_in'));
    if (day) return day.date;
    from = addDays(from, 7);
  }
  throw new Error(`No ${department.name} appointment to mark arrived in the next four weeks`);
}

describe('staff schedule journey', () => {
  let portal: Portal;
  const stamp = Date.now();
  const visitTypeName = `Travel consult ${stamp}`;
  const blockReason = `Team training ${stamp}`;

  beforeAll(async () => {
    portal = await startPortal();
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'on a phone, the front desk opens the department’s day and week, marks a patient arrived, and adds a visit type and blocked time',
    async () => {
      const { page, baseUrl } = portal;
      await page.setViewportSize({ width: 375, height: 812 });
      await signInStaff(page, 'frontdesk', baseUrl);
      await shows(page.getByRole('link', { name: 'Open today’s schedule' }));
      await expectAccessibleLayout(page);

      await openMainNav(page);
      await mainNav(page).getByRole('link', { name: 'Schedule', exact: true }).click();
      // It opens on her own schedule: the front desk has no clinician schedule, so her first department's (by name).
      await shows(page.getByRole('heading', { level: 1, name: /^Schedule\s*Cardiology/ }));
      expect(pathOf(page)).toBe('/schedule');
      await shows(page.getByRole('heading', { level: 2, name: /Times in / }));
      expect(await page.getByText('Choose a department or a clinician', { exact: false }).count()).toBe(0);
      await expectAccessibleLayout(page);

      await page.getByRole('combobox', { name: 'Schedule of' }).selectOption({ label: department.name });
      await page.getByRole('button', { name: 'Show schedule', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: new RegExp(`^Schedule\\s*${department.name}`) }));
      const departmentId = /^\/schedule\?departmentId=([0-9a-f-]{36})$/.exec(pathOf(page))?.[1] ?? '';
      expect(departmentId).not.toBe('');
      // Times are shown in the department's zone, and the zone is named.
      await shows(page.getByText(new RegExp(`Times in .*\\(${department.timeZone}\\)`)));

      const date = await firstDayToMarkArrived(page, baseUrl, departmentId);
      await page.goto(`${baseUrl}/schedule?departmentId=${departmentId}&date=${date}`);
      const dayTable = await shows(page.getByRole('table', { name: /^Appointments on / }));
      const rows = dayTable.locator('tbody tr');
      expect(await rows.count()).toBeGreaterThan(0);
      const dayText = await dayTable.innerText();
      expect(dayText).toContain('MRN');
      expect(dayText).toMatch(/Scheduled|Checked in online/);
      // Only opaque ids, the date and the view ever reach the URL: no patient names.
      expect(pathOf(page)).toBe(`/schedule?departmentId=${departmentId}&date=${date}`);
      await expectAccessibleLayout(page);

      const dayOrWeek = page.getByRole('navigation', { name: 'Day or week' });
      await dayOrWeek.getByRole('link', { name: 'Week', exact: true }).click();
      const weekTable = await shows(page.getByRole('table', { name: /^Appointments from / }));
      expect(await dayOrWeek.getByRole('link', { name: 'Week', exact: true }).getAttribute('aria-current')).toBe('page');
      expect(pathOf(page)).toBe(`/schedule?departmentId=${departmentId}&date=${date}&view=week`);
      expect(await weekTable.getByRole('rowheader').count()).toBeGreaterThan(0);
      await shows(page.getByRole('link', { name: 'Next week', exact: true }));
      await expectAccessibleLayout(page);

      await dayOrWeek.getByRole('link', { name: 'Day', exact: true }).click();
      const dayAgain = await shows(page.getByRole('table', { name: /^Appointments on / }));
      const row = dayAgain
        .locator('tbody tr')
        .filter({ has: page.getByRole('button', { name: /^Arrived\b/ }) })
        .first();
      const patientName = ((await row.getByRole('rowheader').innerText()).split('\n')[0] ?? '').trim();
      expect(patientName.length).toBeGreaterThan(0);
      await row.getByRole('button', { name: /^Arrived\b/ }).click();
      await shows(page.getByRole('status').filter({ hasText: `${patientName} is now marked Arrived.` }));
      const arrivedRow = dayAgain.locator('tbody tr').filter({ hasText: patientName }).first();
      // The status reads as a word beside its marker, and the row now offers Completed instead of Arrived.
      await expect.poll(() => arrivedRow.locator('td[data-label="Status"]').innerText()).toContain('Arrived');
      await shows(arrivedRow.getByRole('button', { name: /^Completed\b/ }));
      await expectAccessibleLayout(page);

      await page.getByRole('link', { name: 'Set up visit types, weekly hours and blocked time' }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Schedule setup' }));
      expect(pathOf(page)).toBe('/schedule/setup');
      await shows(page.getByRole('heading', { level: 2, name: 'Weekly hours' }));
      await expectAccessibleLayout(page);

      // A visit type with no name and an odd length is refused, with the problems linked from the summary.
      await page.getByRole('textbox', { name: 'Length in minutes' }).fill('7');
      await page.getByRole('button', { name: 'Add visit type', exact: true }).click();
      await shows(page.getByRole('alert').getByRole('link', { name: 'Enter the visit type’s name.' }));
      await page.getByRole('textbox', { name: 'Name', exact: true }).fill(visitTypeName);
      await page.getByRole('textbox', { name: 'Length in minutes' }).fill('30');
      // Scoped to its form: the weekly-hours form lists the demo's own "Video visit" type as a checkbox too.
      await page.getByRole('form', { name: 'Add a visit type' }).getByRole('checkbox', { name: 'Video visit' }).check();
      await page.getByRole('button', { name: 'Add visit type', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: `Visit type “${visitTypeName}” added.` }));
      const visitTypeRow = await shows(
        page.getByRole('table', { name: 'Visit types' }).getByRole('row').filter({ hasText: visitTypeName }),
      );
      expect(await visitTypeRow.innerText()).toContain('30 minutes');
      await expectAccessibleLayout(page);

      const blockForm = page.getByRole('form', { name: 'Block time' });
      await blockForm.getByRole('combobox', { name: 'Clinician' }).selectOption({ index: 1 });
      const blockDay = addDays(todayIn(department.timeZone), 1);
      await (await shows(blockForm.getByLabel('From', { exact: true }))).fill(`${blockDay}T12:00`);
      await blockForm.getByLabel('To', { exact: true }).fill(`${blockDay}T13:00`);
      await blockForm.getByRole('textbox', { name: 'Reason (optional)' }).fill(blockReason);
      await blockForm.getByRole('button', { name: 'Block time', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: /^Time blocked for / }));
      await shows(
        page
          .getByRole('table', { name: /^Blocked time of / })
          .getByRole('row')
          .filter({ hasText: blockReason }),
      );
      await expectAccessibleLayout(page);

      expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
      await signOut(page);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
    },
    2 * journeyTimeoutMs,
  );

  it(
    'a nurse opens on her own department’s schedule, and marks a patient arrived once the organization allows nurses to',
    async () => {
      const { page, baseUrl, context, db } = portal;
      await context.clearCookies();
      await page.setViewportSize({ width: 1280, height: 900 });
      // James Whitaker belongs to Endocrinology and Family Medicine: his schedule page opens on the first by name.
      await signInStaff(page, 'nurse', baseUrl);
      await mainNav(page).getByRole('link', { name: 'Schedule', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: /^Schedule\s*Endocrinology/ }));
      expect(pathOf(page)).toBe('/schedule');
      await expectAccessibleLayout(page);

      await page.getByRole('combobox', { name: 'Schedule of' }).selectOption({ label: department.name });
      await page.getByRole('button', { name: 'Show schedule', exact: true }).click();
      const departmentId = /^\/schedule\?departmentId=([0-9a-f-]{36})$/.exec(pathOf(page))?.[1] ?? '';
      expect(departmentId).not.toBe('');
      const date = await firstDayToMarkArrived(page, baseUrl, departmentId);
      const dayPath = `${baseUrl}/schedule?departmentId=${departmentId}&date=${date}`;
      await page.goto(dayPath);
      const dayTable = await shows(page.getByRole('table', { name: /^Appointments on / }));
      // By default nurses read the schedule but change nothing on it.
      expect(await dayTable.getByRole('button').count()).toBe(0);

      await db.update(organizations).set({ nursesMarkArrival: true });
      try {
        await page.goto(dayPath);
        const table = await shows(page.getByRole('table', { name: /^Appointments on / }));
        const row = table
          .locator('tbody tr')
          .filter({ has: page.getByRole('button', { name: /^Arrived\b/ }) })
          .first();
        await shows(row);
        // Arrival only: completion, no-show and cancellation stay with the front desk.
        expect(await table.getByRole('button', { name: /^(No-show|Cancel|Completed)\b/ }).count()).toBe(0);
        const patientName = ((await row.getByRole('rowheader').innerText()).split('\n')[0] ?? '').trim();
        await row.getByRole('button', { name: /^Arrived\b/ }).click();
        await shows(page.getByRole('status').filter({ hasText: `${patientName} is now marked Arrived.` }));
        const arrivedRow = table.locator('tbody tr').filter({ hasText: patientName }).first();
        await expect.poll(() => arrivedRow.locator('td[data-label="Status"]').innerText()).toContain('Arrived');
        await expectAccessibleLayout(page);
      } finally {
        await db.update(organizations).set({ nursesMarkArrival: false });
      }
    },
    journeyTimeoutMs,
  );
});
