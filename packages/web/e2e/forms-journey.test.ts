import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { appointmentView, schedulingOptionsResponse, slotListResponse } from '@portico/shared';
import { expectAccessibleLayout, journeyTimeoutMs, shows, startPortal, submitSignIn, type Portal } from './harness.ts';

/**
 * The patient's forms say up front what they need (issue 10 §5): e-check-in marks optional questions from the visit
 * type's questionnaire and shows every problem beside its field; the password rules show beside the new-password field
 * before anything is sent, with live feedback as the person types.
 */

/** The follow-up visit type (demo): a required yes/no question and an optional text question. */
const followUp = /^Follow-up/i;
const requiredQuestion = 'Have your symptoms changed since your last visit?';
const optionalQuestion = 'Anything else you want to discuss?';

/** The ids in an element's aria-describedby. */
async function describedBy(locator: Locator): Promise<string[]> {
  return ((await locator.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
}

/** True when the element has focus. */
function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

/** The text of the element the field's aria-describedby points to with `suffix` (its hint, error or rules). */
async function describedText(page: Page, field: Locator, suffix: string): Promise<string> {
  const id = (await describedBy(field)).find((i) => i.endsWith(suffix));
  expect(id, `aria-describedby of the field names its ${suffix}`).toBeDefined();
  return (await page.locator(`[id="${id}"]`).innerText()).trim();
}

/** True when a paste into the field goes through (nothing cancels the paste event). */
function acceptsPaste(field: Locator): Promise<boolean> {
  return field.evaluate((input) => {
    const data = new DataTransfer();
    data.setData('text/plain', 'pasted-from-a-password-manager');
    return input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
}

/** Books the signed-in patient's first open follow-up time within the next six days, through the API; answers its id. */
async function bookFollowUpSoon(page: Page, baseUrl: string): Promise<string> {
  const me = (await (await page.request.get(`${baseUrl}/api/me`)).json()) as { user: { patientId: string } };
  const patientId = me.user.patientId;
  const options = schedulingOptionsResponse.parse(
    await (await page.request.get(`${baseUrl}/api/patients/${patientId}/scheduling/options`)).json(),
  );
  const visitType = options.visitTypes.find((v) => followUp.test(v.name));
  expect(visitType, 'the demo offers a follow-up visit').toBeDefined();
  const soon = Date.now() + 6 * 86_400_000;
  for (const department of visitType!.departments) {
    const query = new URLSearchParams({ visitTypeId: visitType!.id, departmentId: department.id, days: '7' });
    const slots = slotListResponse.parse(
      await (await page.request.get(`${baseUrl}/api/patients/${patientId}/scheduling/slots?${query.toString()}`)).json(),
    );
    const slot = slots.slots.find((s) => Date.parse(s.startAt) > Date.now() + 3_600_000 && Date.parse(s.startAt) < soon);
    if (!slot) continue;
    const booked = await page.request.post(`${baseUrl}/api/patients/${patientId}/appointments`, {
      headers: { 'X-Requested-With': 'portico', 'Idempotency-Key': crypto.randomUUID() },
      data: { visitTypeId: visitType!.id, departmentId: department.id, clinicianId: slot.clinicianId, startAt: slot.startAt },
    });
    expect(booked.status()).toBe(201);
    return appointmentView.parse(await booked.json()).id;
  }
  throw new Error('No open follow-up time in the next six days');
}

describe('patient forms journey', () => {
  let portal: Portal;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    portal = await startPortal();
    portal.page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'e-check-in marks the optional question, checks the phone and the required answer before sending, and shows each problem beside its field',
    async () => {
      const { page, baseUrl } = portal;
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      const appointmentId = await bookFollowUpSoon(page, baseUrl);
      const sent: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/check-in')) sent.push(r.url());
      });

      await page.goto(`${baseUrl}/appointments/${appointmentId}/check-in`);
      const form = await shows(page.getByRole('form', { name: 'Check in' }));
      // Required and optional from the questionnaire: the optional question says so; the required one is required.
      await shows(page.getByText('Answer everything unless it says (optional).'));
      const optional = form.getByLabel(`${optionalQuestion} (optional)`, { exact: true });
      await shows(optional);
      expect(await optional.getAttribute('required')).toBeNull();
      const question = form.getByRole('group', { name: requiredQuestion, exact: true });
      await shows(question);
      for (const radio of await question.getByRole('radio').all()) expect(await radio.getAttribute('required')).not.toBeNull();
      expect(await form.getByLabel('Phone', { exact: true }).getAttribute('required')).not.toBeNull();
      await expectAccessibleLayout(page);

      await form.getByLabel('Home address', { exact: true }).fill('12 Harbor Street\nSpringfield, IL 62701');
      await form.getByLabel('Phone', { exact: true }).fill('call me');
      await form.getByRole('group', { name: 'Emergency contact' }).getByLabel('Name', { exact: true }).fill('Luis Alvarez');
      await form.getByLabel('Relationship to you', { exact: true }).fill('Brother');
      await form.getByLabel('Their phone', { exact: true }).fill('217-555-0199');
      await form.getByLabel('Insurance company', { exact: true }).fill('Acme Health');
      await form.getByLabel('Member ID', { exact: true }).fill('AH123456');
      await form.getByRole('checkbox', { name: 'I have reviewed my medications', exact: true }).check();
      await form.getByRole('checkbox', { name: 'I have reviewed my allergies', exact: true }).check();
      for (const signature of await form.getByLabel(/^Type your full name to sign/).all()) await signature.fill('Maria Alvarez');
      await form.getByRole('button', { name: 'Check in', exact: true }).click();

      // Checked before sending: the summary links to each field, and each field shows its own problem.
      const summary = await shows(page.getByRole('alert').filter({ hasText: 'There is a problem' }));
      const phoneProblem = 'Enter your phone number as 7 to 15 digits. You can use a + at the start, spaces, dashes, dots and brackets.';
      const answerProblem = `Answer: ${requiredQuestion}`;
      expect(await summary.getByRole('link').allInnerTexts()).toEqual([phoneProblem, answerProblem]);
      expect(sent).toEqual([]);
      const phone = form.getByLabel('Phone', { exact: true });
      expect(await phone.getAttribute('aria-invalid')).toBe('true');
      expect(await describedText(page, phone, '-error')).toContain(phoneProblem);
      expect(await question.innerText()).toContain(answerProblem);
      await summary.getByRole('link', { name: answerProblem }).click();
      expect(await isFocused(question.getByRole('radio', { name: 'Yes', exact: true }))).toBe(true);
      await summary.getByRole('link', { name: phoneProblem }).click();
      expect(await isFocused(phone)).toBe(true);
      await expectAccessibleLayout(page);

      // A refusal from the server lands beside its field in the page's words, never as the server's raw message.
      await phone.fill('+1 (217) 555-0142');
      await question.getByRole('radio', { name: 'No', exact: true }).check();
      const questionId = await question.getByRole('radio', { name: 'No', exact: true }).evaluate((r) => (r as HTMLInputElement).name);
      const field = `answers.${questionId.replace(/^check-in-question-/, '')}`;
      await page.route('**/check-in', async (route) => {
        if (route.request().method() !== 'POST') return route.fallback();
        await route.fulfill({
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'validation_failed', message: `${field}: Answer this question.`, field } }),
        });
      });
      await form.getByRole('button', { name: 'Check in', exact: true }).click();
      await shows(summary.getByRole('link', { name: 'Answer this question.' }));
      expect(await question.innerText()).toContain('Answer this question.');
      expect(await page.locator('main').innerText()).not.toContain(`${field}:`);
      await page.unroute('**/check-in');

      // The optional question left empty, the visit is checked in.
      await form.getByRole('button', { name: 'Check in', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'You are checked in' }));
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );

  it(
    'shows the password rules beside the new password before anything is sent, on sign-up, reset and change password, with live feedback and paste allowed',
    async () => {
      const { page, baseUrl, context } = portal;
      await context.clearCookies();
      await page.setViewportSize({ width: 375, height: 812 });
      const rules = ['At least 12 characters (up to 128)', 'Not one short pattern repeated, like abcabcabc'];

      await page.goto(`${baseUrl}/sign-up`);
      await shows(page.getByRole('heading', { level: 1, name: 'Create your account' }));
      const password = page.getByLabel('Password', { exact: true });
      const listed = await describedText(page, password, '-rules');
      for (const rule of rules) expect(listed).toContain(rule);
      expect(listed).toContain('Does not include your username or email address');
      expect(listed).toContain('Not a commonly used password');
      await shows(page.getByText(rules[0]!, { exact: false }).first());
      expect(await acceptsPaste(password)).toBe(true);

      const status = page.locator('[id="signup-password-status"]');
      expect(await status.getAttribute('role')).toBe('status');
      await page.getByLabel('Username', { exact: true }).fill('jordan.rivera');
      await password.fill('abcabcabcabc');
      await shows(status.filter({ hasText: '2 of 3 password rules met' }));
      await password.fill('jordan.rivera-lantern');
      await shows(status.filter({ hasText: '2 of 3 password rules met' }));
      expect(await status.innerText()).toContain('At least 12 characters');
      await password.fill('Cobalt-Harbor-Lantern-42');
      await shows(status.filter({ hasText: '3 of 3 password rules met' }));
      await expectAccessibleLayout(page);

      await page.goto(`${baseUrl}/reset-password#token=not-a-real-token-not-a-real-token`);
      await shows(page.getByRole('heading', { level: 1, name: 'Choose a new password' }));
      const reset = page.getByLabel('New password', { exact: true });
      const resetRules = await describedText(page, reset, '-rules');
      for (const rule of rules) expect(resetRules).toContain(rule);
      expect(await acceptsPaste(reset)).toBe(true);
      await reset.fill('short');
      await shows(page.locator('[id="reset-password-status"]').filter({ hasText: '1 of 2 password rules met' }));
      await expectAccessibleLayout(page);

      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await page.goto(`${baseUrl}/account/security`);
      await shows(page.getByRole('heading', { level: 1, name: 'Security' }));
      const change = page.getByLabel('New password', { exact: true });
      const changeRules = await describedText(page, change, '-rules');
      for (const rule of rules) expect(changeRules).toContain(rule);
      expect(await acceptsPaste(change)).toBe(true);
      await change.fill('my-patient-password');
      await shows(page.locator('[id="change-new-password-status"]').filter({ hasText: '2 of 3 password rules met' }));
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );
});
