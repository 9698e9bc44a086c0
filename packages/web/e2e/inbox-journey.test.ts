import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as playwrightRequest, type APIRequestContext, type Page } from 'playwright-core';
import type { MeResponse } from '../src/api/types.ts';
import { demoPassword } from '../../server/src/demo/demo-accounts.ts';
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

/** Maria Alvarez, the `patient` sign-in (demo-plan.ts); Family Medicine is her PCP's office (roster.ts). */
const maria = { name: 'Maria Alvarez', mrn: '100002' };

/** James Whitaker, the `nurse` sign-in: Family Medicine and Endocrinology pools; Sarah Chen (`clinician`): Family Medicine only. */
const pools = { from: 'Family Medicine', to: 'Endocrinology' };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The site's main navigation. */
function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** Maria's phone: an API client with its own cookies, signed in as `patient`, apart from the browser's staff session. */
async function signInPatientApi(baseUrl: string): Promise<{ api: APIRequestContext; patientId: string }> {
  const api = await playwrightRequest.newContext({ baseURL: baseUrl, extraHTTPHeaders: { 'X-Requested-With': 'portico' } });
  const signIn = await api.post('/api/auth/sign-in', { data: { identifier: 'patient', password: demoPassword } });
  expect(signIn.status()).toBe(200);
  const me = (await (await api.get('/api/me')).json()) as MeResponse;
  expect(me.user.patientId).toMatch(uuidPattern);
  return { api, patientId: me.user.patientId! };
}

describe('care-team inbox journey', () => {
  let portal: Portal;
  let patient: { api: APIRequestContext; patientId: string };
  /** The thread Maria starts, which the nurse works and forwards; the second test reads its id. */
  let threadId = '';
  const stamp = Date.now();
  const subject = `Dizzy since the new blood pressure tablets (${stamp})`;
  const question = `Hello,\nI have felt dizzy in the mornings since starting the new tablets.\n  Should I keep taking them? (${stamp})`;
  const replyMarker = `We will call you today. (${stamp})`;
  const note = `Internal: BP log looks low; checking with the endocrine team. (${stamp})`;
  const forwardNote = `Patient also asks about her A1c; please advise. (${stamp})`;

  beforeAll(async () => {
    portal = await startPortal();
    // Maria writes to her PCP's office through the API, so the thread is known whatever demo threads the seed holds.
    patient = await signInPatientApi(portal.baseUrl);
    const recipients = (await (await patient.api.get(`/api/patients/${patient.patientId}/messages/recipients`)).json()) as {
      recipients: { departmentId: string; clinicianId: string | null; label: string }[];
    };
    const careTeam = recipients.recipients.find((r) => r.clinicianId === null && r.label.startsWith(pools.from));
    expect(careTeam, JSON.stringify(recipients)).toBeTruthy();
    const created = await patient.api.post(`/api/patients/${patient.patientId}/messages/threads`, {
      headers: { 'Idempotency-Key': randomUUID() },
      data: {
        departmentId: careTeam!.departmentId,
        clinicianId: null,
        topic: 'medical_question',
        subject,
        body: question,
        attachmentIds: [],
      },
    });
    expect(created.status(), await created.text()).toBe(201);
  });

  afterAll(async () => {
    await patient?.api.dispose();
    await portal?.close();
  });

  it(
    'on a phone, the nurse opens the inbox, assigns a thread to herself, sends a quick reply, adds an internal note and forwards it',
    async () => {
      const { page, baseUrl } = portal;
      await page.setViewportSize({ width: 375, height: 812 });
      await signInStaff(page, 'nurse', baseUrl);

      const callout = await shows(page.getByRole('region', { name: 'Care-team inbox' }));
      await shows(callout.getByText(/\d+ unread threads? in your pools\./));
      await openMainNav(page);
      const inboxLink = mainNav(page).getByRole('link', { name: /^Inbox \d+ unread$/ });
      await shows(inboxLink);
      await expectAccessibleLayout(page);

      await inboxLink.click();
      await shows(page.getByRole('heading', { level: 1, name: 'Inbox' }));
      expect(pathOf(page)).toBe('/inbox');
      const poolTable = await shows(page.getByRole('table', { name: 'Your care-team pools' }));
      await shows(poolTable.getByRole('link', { name: pools.to, exact: true }));
      await expectAccessibleLayout(page);

      await poolTable.getByRole('link', { name: pools.from, exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: new RegExp(`^${pools.from}`) }));
      expect(pathOf(page)).toMatch(/^\/inbox\/pools\/[0-9a-f-]{36}$/);
      const fromPoolPath = pathOf(page);
      expect(await page.getByRole('link', { name: 'Open threads' }).getAttribute('aria-current')).toBe('page');
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: subject, exact: true }) });
      await shows(row);
      const rowText = await row.innerText();
      expect(rowText).toContain('Unread');
      expect(rowText).toContain(maria.name);
      expect(rowText).toContain(maria.mrn);
      expect(rowText).toContain('Medical question');
      expect(rowText).toContain('Message');
      expect(rowText).toContain('Waiting for the care team');
      expect(rowText).toContain('Nobody');
      await shows(page.getByRole('status').filter({ hasText: /^Showing \d+ threads?/ }));
      await expectAccessibleLayout(page);

      await row.getByRole('link', { name: subject, exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: subject }));
      threadId = /^\/inbox\/threads\/([0-9a-f-]{36})$/.exec(pathOf(page))?.[1] ?? '';
      expect(threadId).toMatch(uuidPattern);
      const header = await shows(page.getByRole('region', { name: maria.name, exact: true }));
      expect(await header.innerText()).toContain(maria.mrn);
      expect(await header.getByRole('link', { name: 'Open chart' }).getAttribute('href')).toBe(`/patients/${patient.patientId}/chart`);
      const conversation = page.getByRole('region', { name: 'Conversation' });
      const first = await shows(conversation.getByRole('listitem').first());
      // Message text is text: its line breaks and leading spaces are kept as written.
      expect(await first.locator('.message__body').innerText()).toBe(question);
      await expectAccessibleLayout(page);

      await page.getByRole('button', { name: 'Assign to me', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Assigned to you.' }));
      await shows(page.getByRole('button', { name: 'Unassign', exact: true }));
      await shows(page.getByText(/Assigned to: You \(James Whitaker/));

      // The message box counts characters against the limit as they are typed, and refuses a longer text before sending.
      const message = page.getByRole('textbox', { name: 'Message', exact: true });
      const counter = page.locator('#inbox-reply-body-count');
      expect(await counter.innerText()).toBe('0 of 10,000 characters used.');
      expect((await message.getAttribute('aria-describedby'))?.split(' ')).toContain('inbox-reply-body-count');
      await message.fill('x'.repeat(10_003));
      expect(await message.inputValue()).toHaveLength(10_003);
      await expect.poll(() => counter.innerText()).toBe('3 characters too many: the limit is 10,000.');
      await expect
        .poll(() => page.locator('[aria-live="polite"]').filter({ hasText: '3 characters too many' }).count(), { timeout: 5_000 })
        .toBe(1);
      let sent = 0;
      const countSends = (request: { method(): string; url(): string }) => {
        if (request.method() === 'POST' && request.url().endsWith(`/api/inbox/threads/${threadId}/messages`)) sent += 1;
      };
      page.on('request', countSends);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await shows(page.getByRole('alert').getByRole('link', { name: 'Write at most 10000 characters.' }));
      expect(sent).toBe(0);
      page.off('request', countSends);
      await message.fill('');
      await expectAccessibleLayout(page);

      // A holding quick reply goes out marked as holding: the patient hears their message arrived, the thread stays to do.
      const picker = page.getByRole('combobox', { name: 'Quick reply' });
      await shows(picker);
      await picker.selectOption({ label: 'Message received' });
      await page.getByRole('button', { name: 'Insert quick reply', exact: true }).click();
      const holding = page.getByRole('checkbox', { name: /^Holding reply/ });
      expect(await holding.isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: /^Holding reply sent\./ }));
      expect(await holding.isChecked()).toBe(false);
      await shows(page.getByText('Holding reply sent, full reply owed', { exact: true }));
      const acknowledged = await patient.api.get(`/api/patients/${patient.patientId}/messages/threads/${threadId}`);
      expect(((await acknowledged.json()) as { thread: { status: string } }).thread.status).toBe('acknowledged');
      await page.getByRole('link', { name: `${pools.from} threads` }).click();
      await page.getByRole('link', { name: 'Threads to do' }).click();
      expect(pathOf(page)).toBe(`${fromPoolPath}?status=todo`);
      const toDoRow = await shows(page.getByRole('row').filter({ has: page.getByRole('link', { name: subject, exact: true }) }));
      expect(await toDoRow.innerText()).toContain('Holding reply sent, full reply owed');
      await expectAccessibleLayout(page);
      await toDoRow.getByRole('link', { name: subject, exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: subject }));

      await shows(picker);
      expect(await picker.locator('option').count()).toBeGreaterThan(1);
      await picker.selectOption({ index: 1 });
      await page.getByRole('button', { name: 'Insert quick reply', exact: true }).click();
      const template = await message.inputValue();
      expect(template.trim().length).toBeGreaterThan(0);
      // The cursor waits at the end of the inserted text, so typing carries on from there.
      expect(await message.evaluate((box) => box === document.activeElement)).toBe(true);
      await page.keyboard.type(` ${replyMarker}`);
      expect(await message.inputValue()).toBe(`${template} ${replyMarker}`);
      const sendRequest = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/inbox/threads/${threadId}/messages`));
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      expect((await sendRequest).headers()['idempotency-key']).toMatch(uuidPattern);
      await shows(page.getByRole('status').filter({ hasText: 'Reply sent.' }));
      await shows(conversation.getByText(replyMarker, { exact: false }));
      expect(await message.inputValue()).toBe('');
      await expectAccessibleLayout(page);

      await message.fill(note);
      await page.getByRole('checkbox', { name: 'Internal note (not shown to the patient)' }).check();
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Internal note added.' }));
      const noteItem = conversation.getByRole('listitem').filter({ hasText: note });
      await shows(noteItem.getByText('Internal note — not shown to the patient', { exact: true }));
      await expectAccessibleLayout(page);

      // Maria's own view of the thread has the reply and not the note.
      const patientView = await patient.api.get(`/api/patients/${patient.patientId}/messages/threads/${threadId}`);
      expect(patientView.status()).toBe(200);
      const patientText = await patientView.text();
      expect(patientText).toContain(replyMarker);
      expect(patientText).not.toContain(note);
      // The full reply answered it: out of the to-do, and the patient reads "Answered".
      expect(((await patientView.json()) as { thread: { status: string } }).thread.status).toBe('answered');

      // The nurse hands the thread to the clinician who should answer it; she is sent a notice.
      await page.getByRole('combobox', { name: 'Assign to' }).selectOption({ label: 'Sarah Chen, MD' });
      await page.getByRole('button', { name: 'Assign', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Assigned to Sarah Chen, MD. They get a notice to look at it.' }));
      await shows(page.getByText(/Assigned to: Sarah Chen/));
      await expectAccessibleLayout(page);

      await page.getByRole('combobox', { name: 'Forward to' }).selectOption({ label: pools.to });
      await page.getByRole('textbox', { name: 'Note for the receiving team' }).fill(forwardNote);
      await page.getByRole('button', { name: 'Forward', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: `The thread was forwarded to ${pools.to}.` }));
      expect(pathOf(page)).toBe(fromPoolPath);
      await shows(page.getByRole('heading', { level: 1, name: new RegExp(`^${pools.from}`) }));
      await shows(page.getByRole('status').filter({ hasText: /^Showing \d+ threads?/ }));
      await expect.poll(() => page.getByRole('link', { name: subject, exact: true }).count()).toBe(0);
      await expectAccessibleLayout(page);

      await page.getByRole('link', { name: 'All your pools' }).click();
      await page.getByRole('table', { name: 'Your care-team pools' }).getByRole('link', { name: pools.to, exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: new RegExp(`^${pools.to}`) }));
      await page.getByRole('link', { name: subject, exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: subject }));
      await shows(
        conversation.getByRole('listitem').filter({ hasText: forwardNote }).getByText('Internal note — not shown to the patient'),
      );
      await expectAccessibleLayout(page);

      expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
      await signOut(page);
      await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
    },
    2 * journeyTimeoutMs,
  );

  it(
    'a clinician outside the thread’s pool gets Not found for it, with none of its data',
    async () => {
      const { page, baseUrl, context } = portal;
      expect(threadId, 'the thread the first journey forwarded').toMatch(uuidPattern);
      await context.clearCookies();
      await page.setViewportSize({ width: 375, height: 812 });
      // Sarah Chen belongs to Family Medicine only; the thread now sits in Endocrinology.
      await signInStaff(page, 'clinician', baseUrl);
      await page.goto(`${baseUrl}/inbox/threads/${threadId}`);
      await shows(page.getByRole('heading', { level: 1, name: 'Message thread' }));
      await shows(page.getByRole('alert').filter({ hasText: 'We could not find this thread' }));
      const text = await page.locator('main').innerText();
      expect(text).not.toContain(subject);
      expect(text).not.toContain(maria.mrn);
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );

  it(
    'the clinician denies Maria’s refill request with a reason, replies with an attachment and closes the thread',
    async () => {
      const { page, baseUrl } = portal;
      const base = `/api/patients/${patient.patientId}`;
      const medications = (await (await patient.api.get(`${base}/refills/medications`)).json()) as {
        medications: { id: string; name: string }[];
      };
      const medication = medications.medications[0];
      expect(medication, 'a medication Maria can ask to refill').toBeTruthy();
      const refillNote = `Running low, two tablets left. (${stamp})`;
      const created = await patient.api.post(`${base}/refills`, {
        headers: { 'Idempotency-Key': randomUUID() },
        data: {
          medicationIds: [medication!.id],
          newPharmacy: { name: `Harbor Pharmacy ${stamp}`, address: '1 Harbor Street, Boston, MA 02110', phone: null },
          note: refillNote,
        },
      });
      expect(created.status(), await created.text()).toBe(201);
      const refill = (await created.json()) as { threadId: string };

      // Still signed in as Sarah Chen from the previous test, on a phone.
      await page.goto(`${baseUrl}/inbox/threads/${refill.threadId}`);
      const panel = await shows(page.getByRole('region', { name: 'Refill request' }));
      const panelText = await panel.innerText();
      expect(panelText).toContain(medication!.name);
      expect(panelText).toContain(`Harbor Pharmacy ${stamp}`);
      expect(panelText).toContain(refillNote);
      expect(panelText).toContain('Waiting for a clinician’s decision');
      await shows(panel.getByRole('button', { name: 'Approve refill' }));
      await expectAccessibleLayout(page);

      await panel.getByRole('button', { name: 'Deny', exact: true }).click();
      await shows(page.getByRole('alert').getByRole('link', { name: 'Give the patient a reason.' }));
      const reason = 'Please book a blood pressure check first; we can then renew it.';
      await panel.getByRole('textbox', { name: 'Reason for denying' }).fill(reason);
      await panel.getByRole('button', { name: 'Deny', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Refill denied.' }));
      expect(await panel.innerText()).toContain(reason);
      await expect.poll(() => panel.getByRole('button', { name: 'Approve refill' }).count()).toBe(0);

      // A 1×1 PNG: the server checks the type from the bytes.
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
      await page.getByLabel('Attach files').setInputFiles({ name: 'bp-chart.png', mimeType: 'image/png', buffer: png });
      await shows(page.getByRole('list', { name: 'Attached files' }).getByText('bp-chart.png'));
      await page.getByRole('textbox', { name: 'Message', exact: true }).fill(`Here is the chart we went through. (${stamp})`);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Reply sent.' }));
      const download = page.waitForEvent('download');
      await page.getByRole('region', { name: 'Conversation' }).getByRole('button', { name: 'Download bp-chart.png' }).click();
      expect((await download).suggestedFilename()).toBe('bp-chart.png');
      await expectAccessibleLayout(page);

      await page.getByRole('button', { name: 'Close thread', exact: true }).click();
      const question = await shows(page.getByRole('heading', { level: 3, name: 'Close this thread?' }));
      expect(await question.evaluate((h) => h === document.activeElement)).toBe(true);
      await expectAccessibleLayout(page);
      await page.getByRole('button', { name: 'Yes, close thread' }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Thread closed.' }));
      await shows(page.getByText('This thread is closed, so no more replies or notes can be added.'));
      expect(await page.getByRole('button', { name: 'Send', exact: true }).count()).toBe(0);
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );
});
