import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  expectAccessibleLayout,
  expectNoAxeViolations,
  journeyTimeoutMs,
  openMail,
  pathOf,
  shows,
  startPortal,
  submitSignIn,
  type Portal,
  openMainNav,
  signOut as signOutFromHeader,
  signInStaff,
} from './harness.ts';

/** Maria Alvarez, the `patient` sign-in; her PCP is Dr. Sarah Chen of Family Medicine (demo-accounts.ts). */
const maria = {
  email: 'patient@demo.portico.local',
  pcp: /Sarah Chen.*\(Family Medicine\)/,
  pcpDepartment: /Family Medicine/,
  pcpCareTeam: 'Family Medicine care team',
};
/** James Whitaker, RN, the `nurse` sign-in, in the Family Medicine pool. */
const nurse = { name: 'James Whitaker', role: 'Nurse' };

/** A subject that would run script or break markup if it were ever treated as HTML; it must show as written. */
const naughtySubject = `<script>alert(1)</script> & "quotes"`;
const messageBody = 'Hello,\nMy home blood pressure readings have been higher this week.\n\n  Should I change anything?';
const replySubject = 'Your care team replied in Portico';

/** The smallest well-formed PDF: one empty page, with a correct cross-reference table. */
function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let text = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(text, 'latin1'));
    text += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(text, 'latin1');
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  text += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}

/** Signs out from the header and waits for the sign-in page. */
async function signOut(page: Page): Promise<void> {
  await signOutFromHeader(page);
  await shows(page.getByRole('heading', { level: 1, name: 'Sign in' }));
}

describe('patient messaging journey', () => {
  let portal: Portal;
  let files: string;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const pageUrls: string[] = [];
  const requestUrls: string[] = [];

  beforeAll(async () => {
    portal = await startPortal();
    files = mkdtempSync(path.join(os.tmpdir(), 'portico-messaging-'));
    portal.page.on('pageerror', (error) => pageErrors.push(error.message));
    portal.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    portal.page.on('framenavigated', (frame) => {
      if (frame === portal.page.mainFrame()) pageUrls.push(frame.url());
    });
    portal.page.on('request', (request) => requestUrls.push(request.url()));
  });

  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  afterAll(async () => {
    if (files) rmSync(files, { recursive: true, force: true });
    await portal?.close();
  });

  it(
    'Maria writes to her care team with a PDF, the nurse replies from the inbox, Maria reads it, and the email says nothing of either',
    async () => {
      const { page, baseUrl } = portal;
      const pdf = minimalPdf();
      const pdfPath = path.join(files, 'lab-letter.pdf');
      writeFileSync(pdfPath, pdf);

      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));

      // The demo gives Maria some conversations already; some may be unread. The badge is read once the list has
      // loaded (the list keeps the badge in step), not while its count may still be on its way.
      await (await openMainNav(page)).getByRole('link', { name: /^Messages(, \d+ unread)?$/ }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Messages' }));
      expect(pathOf(page)).toBe('/messages');
      await shows(page.getByRole('link', { name: 'Request a refill', exact: true }));
      await shows(page.getByRole('status').filter({ hasText: /^Showing \d+ conversations?/ }));
      const messagesLink = await shows((await openMainNav(page)).getByRole('link', { name: /^Messages(, \d+ unread)?$/ }));
      const unreadBefore = Number(/, (\d+) unread$/.exec((await messagesLink.getAttribute('aria-label')) ?? '')?.[1] ?? 0);
      await expectAccessibleLayout(page);
      // The phone's menu, opened to read the badge, closes with Escape before the page is used again.
      await page.keyboard.press('Escape');

      await page.getByRole('link', { name: 'New message', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'New message' }));
      expect(pathOf(page)).toBe('/messages/new');
      await shows(page.getByText(/^Messages are not for emergencies\. If this is an emergency, call 911/));
      const form = await shows(page.getByRole('form', { name: 'New message' }));
      // The notice is on the page before the form, and the form's description reads it out again.
      const description = await form.evaluate((f) =>
        (f.getAttribute('aria-describedby') ?? '')
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' '),
      );
      expect(description).toContain('If this is an emergency, call 911');
      const noticeFirst = await form.evaluate((f) => {
        const first = document.getElementById((f.getAttribute('aria-describedby') ?? '').split(/\s+/)[0] ?? '');
        return first !== null && (first.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      });
      expect(noticeFirst, 'the emergency notice comes before the form').toBe(true);

      const to = page.getByLabel('To', { exact: true });
      const pcp = to.locator('optgroup[label="Your primary care provider"] option');
      expect(await pcp.allInnerTexts()).toContainEqual(expect.stringMatching(maria.pcp));
      await to.selectOption({ label: maria.pcpCareTeam });
      await page.getByLabel('What is it about?', { exact: true }).selectOption({ label: 'A medical question' });
      await page.getByLabel('Subject', { exact: true }).fill(naughtySubject);
      await page.getByRole('textbox', { name: 'Message', exact: true }).fill(messageBody);
      await shows(page.getByText(`${messageBody.length} of 10,000 characters used.`));

      await page.getByLabel('Attach files (optional)', { exact: true }).setInputFiles(pdfPath);
      await shows(page.getByRole('status').filter({ hasText: 'lab-letter.pdf is attached.' }));
      await shows(page.getByRole('list', { name: 'Attached files' }).getByRole('button', { name: 'Remove lab-letter.pdf' }));
      await expectAccessibleLayout(page);

      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const subjectHeading = await shows(page.getByRole('heading', { level: 1, name: naughtySubject, exact: true }));
      const threadPath = pathOf(page);
      expect(threadPath).toMatch(/^\/messages\/[0-9a-f-]{36}$/);
      const threadId = threadPath.slice('/messages/'.length);
      expect(await subjectHeading.innerText()).toBe(naughtySubject);
      await shows(page.getByRole('status').filter({ hasText: 'Your message was sent.' }));
      const mine = await shows(page.getByRole('article', { name: /^You,/ }));
      // Line breaks and leading spaces survive: the text is shown as written, not reflowed.
      expect(await mine.innerText()).toContain(messageBody);
      await shows(page.getByText('Waiting for your care team', { exact: true }));

      const downloadEvent = page.waitForEvent('download');
      await mine.getByRole('button', { name: /^Download lab-letter\.pdf/ }).click();
      const download = await downloadEvent;
      expect(download.suggestedFilename()).toBe('lab-letter.pdf');
      const saved = path.join(files, 'downloaded.pdf');
      await download.saveAs(saved);
      expect(readFileSync(saved).equals(pdf)).toBe(true);
      await expectAccessibleLayout(page);
      expect(dialogs).toEqual([]);
      expect(await page.locator('main script').count()).toBe(0);
      await signOut(page);

      // The nurse answers from the care team's inbox.
      await page.setViewportSize({ width: 1280, height: 900 });
      await signInStaff(page, 'nurse');
      await (await openMainNav(page)).getByRole('link', { name: /^Inbox/ }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Inbox' }));
      await page.getByRole('table', { name: 'Your care-team pools' }).getByRole('link', { name: maria.pcpDepartment }).first().click();
      await page.getByRole('link', { name: naughtySubject, exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: naughtySubject, exact: true }));
      expect(pathOf(page)).toBe(`/inbox/threads/${threadId}`);
      await shows(page.getByRole('button', { name: /lab-letter\.pdf/ }));
      const reply = `Thank you. Please keep a log of your readings for two weeks and bring it to your visit. (${Date.now()})`;
      await page.getByRole('textbox', { name: 'Message', exact: true }).fill(reply);
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Reply sent' }));
      await shows(page.getByText(reply).first());
      expect(dialogs).toEqual([]);
      await signOut(page);

      // Maria sees that something is unread, and reads the reply with who wrote it.
      await page.setViewportSize({ width: 375, height: 812 });
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await (await openMainNav(page)).getByRole('link', { name: `Messages, ${unreadBefore + 1} unread`, exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Messages' }));
      const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: naughtySubject, exact: true }) });
      await shows(item);
      const itemText = await item.innerText();
      expect(itemText).toContain('Unread');
      expect(itemText).toContain('Status: Answered');
      expect(itemText).toMatch(maria.pcpDepartment);
      await expectAccessibleLayout(page);

      await item.getByRole('link', { name: naughtySubject, exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: naughtySubject, exact: true }));
      const answer = await shows(page.getByRole('article', { name: new RegExp(`^${nurse.name}, ${nurse.role},`) }));
      expect(await answer.innerText()).toContain(reply);
      expect(await answer.innerText()).toContain(`${nurse.name}, ${nurse.role}`);
      await shows(page.getByRole('heading', { level: 2, name: 'Reply' }));
      await shows(
        (await openMainNav(page)).getByRole('link', {
          name: unreadBefore === 0 ? 'Messages' : `Messages, ${unreadBefore} unread`,
          exact: true,
        }),
      );
      await expectAccessibleLayout(page);
      expect(dialogs).toEqual([]);

      // The notification says only that there is a reply: neither the subject nor the reply's words.
      const mail = await openMail(page, baseUrl, maria.email, replySubject);
      const mailText = await mail.innerText();
      expect(mailText).not.toContain(reply);
      expect(mailText).not.toContain('alert(1)');
      expect(mailText).not.toContain('blood pressure');
      for (const text of await page.locator('article.mail').allInnerTexts()) {
        expect(text).not.toContain('alert(1)');
        expect(text).not.toContain(reply);
        expect(text).not.toContain('lab-letter');
      }

      for (const url of [...pageUrls, ...requestUrls]) {
        const decoded = decodeURIComponent(url);
        expect(decoded, url).not.toContain('alert(1)');
        expect(decoded, url).not.toContain('blood pressure');
      }
      await page.goto(`${baseUrl}/messages`);
      await shows(page.getByRole('heading', { level: 1, name: 'Messages' }));
      expect(await page.evaluate(() => [localStorage.length, sessionStorage.length])).toEqual([0, 0]);
      await signOut(page);
    },
    journeyTimeoutMs * 2,
  );

  it(
    'on a phone, Maria asks for a refill at a new pharmacy, sees it waiting, and chooses to be texted about replies',
    async () => {
      const { page, baseUrl, context } = portal;
      await context.clearCookies();
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));

      await page.getByRole('link', { name: 'Request a refill', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Request a refill' }));
      expect(pathOf(page)).toBe('/messages/refills/new');
      const medicines = await shows(page.getByRole('group', { name: 'Medications to refill' }));
      await shows(medicines.getByRole('checkbox').first());
      await expectAccessibleLayout(page);

      // Sending nothing names each problem in the summary, and its links lead to the inputs.
      await page.getByRole('button', { name: 'Send request', exact: true }).click();
      const summary = await shows(page.getByRole('alert').filter({ hasText: 'There is a problem' }));
      await summary.getByRole('link', { name: 'Choose at least one medication.' }).click();
      expect(
        await medicines
          .getByRole('checkbox')
          .first()
          .evaluate((input) => input === document.activeElement),
      ).toBe(true);
      await expectNoAxeViolations(page);

      const firstMedicine = medicines.getByRole('checkbox').first();
      const medicineName = await firstMedicine.evaluate((input) => (input as HTMLInputElement).labels?.[0]?.textContent?.trim() ?? '');
      expect(medicineName).not.toBe('');
      await firstMedicine.check();
      const pharmacy = page.getByRole('group', { name: 'Pharmacy' });
      await pharmacy.getByRole('radio', { name: 'Add a pharmacy', exact: true }).check();
      await page.getByLabel('Pharmacy name', { exact: true }).fill('Corner Drug & Co.');
      await page.getByLabel('Address', { exact: true }).fill('12 Main Street\nSpringfield');
      // A phone that is not a phone number is caught before sending, and shown beside its field.
      const refillPosts: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/refills')) refillPosts.push(r.url());
      });
      const pharmacyPhone = page.getByLabel('Phone number (optional)', { exact: true });
      await pharmacyPhone.fill('abc');
      await page.getByRole('button', { name: 'Send request', exact: true }).click();
      const phoneProblem =
        'Enter the pharmacy’s phone number as 7 to 15 digits. You can use a + at the start, spaces, dashes, dots and brackets.';
      await shows(page.getByRole('alert').filter({ hasText: 'There is a problem' }).getByRole('link', { name: phoneProblem }));
      expect(await pharmacyPhone.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('[id="refill-pharmacy-phone-error"]').innerText()).toContain(phoneProblem);
      expect(refillPosts).toEqual([]);
      await pharmacyPhone.fill('555-0100');
      await page.getByLabel('Note for your care team (optional)', { exact: true }).fill('About a week left.');
      await expectAccessibleLayout(page);
      await page.getByRole('button', { name: 'Send request', exact: true }).click();

      await shows(page.getByRole('heading', { level: 1, name: 'Refill requests' }));
      expect(pathOf(page)).toBe('/messages/refills');
      await shows(page.getByRole('status').filter({ hasText: 'Your refill request was sent.' }));
      const card = page.getByRole('listitem').filter({ hasText: 'Corner Drug & Co.' }).first();
      const cardText = await (await shows(card)).innerText();
      expect(cardText).toContain(medicineName);
      expect(cardText).toContain('Waiting for a decision');
      expect(cardText).toContain('Corner Drug & Co.');
      await expectAccessibleLayout(page);

      await card.getByRole('link', { name: /^See the conversation/ }).click();
      await shows(page.getByRole('heading', { level: 2, name: 'Refill request' }));
      expect(pathOf(page)).toMatch(/^\/messages\/[0-9a-f-]{36}$/);
      await expectAccessibleLayout(page);

      await (await openMainNav(page)).getByRole('link', { name: 'Account', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Security' }));
      await page.getByRole('link', { name: 'notification settings', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Notifications' }));
      expect(pathOf(page)).toBe('/account/notifications');
      const replies = await shows(page.getByRole('group', { name: 'Replies' }));
      expect(await replies.getByRole('checkbox', { name: 'Email', exact: true }).isChecked()).toBe(true);
      await expectAccessibleLayout(page);
      await replies.getByRole('checkbox', { name: 'Text message', exact: true }).check();
      // Texts need a mobile number: her number on file is offered; without one (or with a wrong one) the page says so beside the field.
      const mobile = page.getByLabel('Mobile number for text messages', { exact: true });
      const onFile = await mobile.inputValue();
      expect(onFile).toMatch(/\d{3}.*\d{4}/);
      await mobile.fill('');
      await page.getByRole('button', { name: 'Save choices', exact: true }).click();
      const noNumber = 'Enter your mobile number to get text messages.';
      await shows(page.getByRole('alert').filter({ hasText: 'There is a problem' }).getByRole('link', { name: noNumber }));
      expect(await mobile.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('[id="notify-mobile-phone-error"]').innerText()).toContain(noNumber);
      await mobile.fill('abc');
      await page.getByRole('button', { name: 'Save choices', exact: true }).click();
      await shows(page.locator('[id="notify-mobile-phone-error"]').filter({ hasText: 'Enter your mobile number as 7 to 15 digits.' }));
      await expectNoAxeViolations(page);
      await mobile.fill(onFile);
      await page.getByRole('button', { name: 'Save choices', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Saved.' }));
      await expectAccessibleLayout(page);

      await page.reload();
      await shows(page.getByRole('heading', { level: 1, name: 'Notifications' }));
      const again = await shows(page.getByRole('group', { name: 'Replies' }));
      await shows(again.getByRole('checkbox', { name: 'Text message', exact: true }));
      expect(await again.getByRole('checkbox', { name: 'Text message', exact: true }).isChecked()).toBe(true);
      await signOut(page);
    },
    journeyTimeoutMs,
  );

  it(
    'a closed conversation offers a follow-up; a file that claims to be a PDF but is a web page is refused with a visible error, and so is a text file',
    async () => {
      const { page, baseUrl, context } = portal;
      await context.clearCookies();
      await page.setViewportSize({ width: 375, height: 812 });
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'patient');
      await shows(page.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));

      // A closed conversation has no reply box; it offers a new message that follows it, without putting it in the URL.
      await (await openMainNav(page)).getByRole('link', { name: /^Messages/ }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Messages' }));
      const closed = page.getByRole('listitem').filter({ hasText: 'Status: Closed' }).first();
      const closedSubject = await (await shows(closed.getByRole('link'))).innerText();
      await closed.getByRole('link').click();
      await shows(page.getByRole('heading', { level: 1, name: closedSubject, exact: true }));
      await shows(page.getByRole('heading', { level: 2, name: 'This conversation is closed' }));
      expect(await page.getByRole('heading', { level: 2, name: 'Reply', exact: true }).count()).toBe(0);
      await expectAccessibleLayout(page);
      await page.getByRole('link', { name: 'Start a new message about this', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'New message' }));
      expect(pathOf(page)).toBe('/messages/new');
      await shows(page.getByText('This message follows up an earlier conversation', { exact: false }));
      await expect.poll(() => page.getByLabel('Subject', { exact: true }).inputValue()).toBe(`Follow-up: ${closedSubject}`);
      await expectAccessibleLayout(page);

      const fakePath = path.join(files, 'scan.pdf');
      writeFileSync(fakePath, '<!doctype html><html><body><script>alert(1)</script>Not a PDF</body></html>\n');
      const picker = page.getByLabel('Attach files (optional)', { exact: true });
      await picker.setInputFiles(fakePath);
      const refused = await shows(page.getByRole('alert').filter({ hasText: 'scan.pdf was not attached.' }));
      expect(await refused.isVisible()).toBe(true);
      expect(await page.getByRole('list', { name: 'Attached files' }).count()).toBe(0);
      expect(await picker.getAttribute('aria-invalid')).toBe('true');
      await expectAccessibleLayout(page);

      // The browser refuses a type it knows is not allowed before sending anything.
      const uploadsBefore = requestUrls.filter((url) => url.endsWith('/messages/attachments')).length;
      await picker.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('just some notes') });
      await shows(page.getByRole('alert').filter({ hasText: 'notes.txt was not added: only PDF, JPEG and PNG files can be attached.' }));
      expect(requestUrls.filter((url) => url.endsWith('/messages/attachments')).length).toBe(uploadsBefore);
      expect(dialogs).toEqual([]);
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );
});
