import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '@portico/shared/i18n/en';
import {
  expectAccessibleLayout,
  journeyTimeoutMs,
  openMail,
  pathOf,
  shows,
  startPortal,
  startSecondBrowser,
  submitSignIn,
  type Portal,
  type SecondBrowser,
} from './harness.ts';

/**
 * Issue 11 §1-2: Maria (the demo `patient`) invites Robert Okafor, a demo adult who acts for no one yet, from the Sharing
 * and privacy page, to see her appointments only (and cancels a second invitation sent by mistake). Robert opens the
 * emailed link in his own browser, signs in from the invitation, gets Maria's date of birth wrong once, then right; he
 * is switched to her record, told so on every page, sees only the section she chose, and may not manage her sharing.
 * Maria shares one sensitive category with him, then stops sharing; Robert's next step tells him he no longer has
 * access, and his own record is back. Then a parent switches between her two children. Every new page passes axe and
 * fits its width.
 */

/** Maria Alvarez's date of birth in the demo data (demo-plan.ts). */
const mariaBirthDate = '1978-09-14';
/** Robert Okafor's account in the demo's family (demo/family.ts): an adult with his own record, nobody's proxy. */
const robert = { username: 'robert.okafor', email: 'robert.okafor@example.com' };

describe('family access journey', () => {
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
    'a patient invites a proxy by email, the proxy accepts with the date of birth and sees the record, then loses it when revoked',
    async () => {
      const { page: maria, baseUrl } = portal;
      const { page: proxy } = second;

      // Maria opens Sharing and privacy from the Account section of the navigation.
      await maria.goto(`${baseUrl}/sign-in`);
      await submitSignIn(maria, 'patient');
      await shows(maria.getByRole('heading', { level: 1, name: /Welcome, Maria/ }));
      await maria.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account', exact: true }).click();
      await maria.getByRole('link', { name: 'Sharing and privacy', exact: true }).click();
      await shows(maria.getByRole('heading', { level: 1, name: 'Sharing and privacy' }));
      await shows(maria.getByText('No one besides the care team can see this record.'));
      await expectAccessibleLayout(maria);

      // An empty invitation: each problem beside its field, and in the summary.
      await maria.getByRole('button', { name: 'Send invitation', exact: true }).click();
      await shows(maria.locator('.field__error', { hasText: 'Enter their email address, like name@example.com.' }));
      await shows(maria.locator('.field__error', { hasText: 'Enter their name.' }));
      await shows(maria.locator('.field__error', { hasText: 'Choose at least one part.' }));
      await expectAccessibleLayout(maria);

      await maria.getByLabel('Their email address', { exact: true }).fill(robert.email);
      await maria.getByLabel('Their name', { exact: true }).fill('Robert, my neighbour');
      await maria.getByRole('checkbox', { name: 'Appointments', exact: true }).check();
      await maria.getByRole('button', { name: 'Send invitation', exact: true }).click();
      await shows(maria.getByRole('status').filter({ hasText: `We sent an invitation to ${robert.email}.` }));
      await shows(maria.getByRole('heading', { level: 2, name: 'Invitations waiting for an answer' }));
      await shows(maria.getByRole('button', { name: 'Cancel the invitation to Robert, my neighbour', exact: true }));
      await expectAccessibleLayout(maria);

      // A second invitation, sent by mistake, is cancelled.
      await maria.getByLabel('Their email address', { exact: true }).fill('someone.else@example.com');
      await maria.getByLabel('Their name', { exact: true }).fill('Someone else');
      await maria.getByRole('radio', { name: 'Everything', exact: true }).check();
      await maria.getByRole('button', { name: 'Send invitation', exact: true }).click();
      await maria.getByRole('button', { name: 'Cancel the invitation to Someone else', exact: true }).click();
      await shows(maria.getByRole('status').filter({ hasText: 'The invitation to Someone else is cancelled.' }));
      expect(await maria.getByRole('button', { name: 'Cancel the invitation to Someone else', exact: true }).count()).toBe(0);

      // The email carries the link, its token in the fragment.
      const mail = await openMail(proxy, baseUrl, robert.email, en['notify.proxyInvitation.subject']);
      const link = /\S+\/proxy-invitation#token=[\w-]+/.exec(await mail.innerText())?.[0];
      expect(link).toBeDefined();

      // Robert, signed out, opens it: what it offers, and sign in first. The token leaves the address bar at once.
      await proxy.goto(link ?? '');
      await shows(proxy.getByRole('heading', { level: 1, name: 'Family access invitation' }));
      await shows(proxy.getByText('Robert, my neighbour', { exact: true }));
      await expect.poll(() => new URL(proxy.url()).hash).toBe('');
      await expectAccessibleLayout(proxy);
      await proxy.getByRole('link', { name: 'Sign in to accept', exact: true }).click();
      await shows(proxy.getByRole('heading', { level: 1, name: 'Sign in' }));
      await submitSignIn(proxy, robert.username);
      await shows(proxy.getByRole('heading', { level: 1, name: 'Family access invitation' }));
      expect(pathOf(proxy)).toBe('/proxy-invitation');

      // A wrong date of birth first: the error sits by the field; then the right one.
      const birthDate = proxy.getByLabel('The patient’s date of birth', { exact: true });
      await birthDate.fill('1980-01-01');
      await proxy.getByRole('button', { name: 'Accept invitation', exact: true }).click();
      await shows(proxy.locator('.field__error', { hasText: /does not match/ }));
      await expectAccessibleLayout(proxy);
      await birthDate.fill(mariaBirthDate);
      await proxy.getByRole('button', { name: 'Accept invitation', exact: true }).click();

      // Home, as Maria's proxy: the banner says whose record it is; only the appointments section is offered.
      await proxy.waitForURL(`${baseUrl}/`);
      await shows(proxy.getByText('You are viewing Maria Alvarez’s record.', { exact: true }));
      const nav = proxy.getByRole('navigation', { name: 'Main' });
      await shows(nav.getByRole('link', { name: 'Appointments', exact: true }));
      expect(await nav.getByRole('link', { name: /^(My record|Record)$/ }).count()).toBe(0);
      expect(await nav.getByRole('link', { name: /^Messages/ }).count()).toBe(0);
      const switcher = proxy.getByLabel('Show the record of', { exact: true });
      await shows(switcher);
      expect(await switcher.locator('option').allTextContents()).toEqual(['Robert Okafor (you)', 'Maria Alvarez']);
      await expectAccessibleLayout(proxy);
      await nav.getByRole('link', { name: 'Appointments', exact: true }).click();
      await shows(proxy.getByRole('heading', { level: 1, name: 'Appointments' }));
      await shows(proxy.getByText('You are viewing Maria Alvarez’s record.', { exact: true }));
      await expectAccessibleLayout(proxy);

      // Her sharing settings are not his to manage with appointments only; the page says so.
      await nav.getByRole('link', { name: 'Account', exact: true }).click();
      await proxy.getByRole('link', { name: 'Sharing and privacy', exact: true }).click();
      await shows(proxy.getByRole('heading', { level: 1, name: 'Sharing and privacy' }));
      await shows(proxy.getByText(/^Only Maria Alvarez, or someone with full access to their record/));
      expect(await proxy.getByRole('button', { name: 'Send invitation' }).count()).toBe(0);
      await expectAccessibleLayout(proxy);

      // Maria sees Robert in the list, with what he can see, and shares her mental health information with him.
      await maria.reload();
      await shows(maria.getByRole('heading', { level: 1, name: 'Sharing and privacy' }));
      const stop = maria.getByRole('button', { name: /^Stop sharing with / });
      await shows(stop);
      await shows(maria.locator('dd', { hasText: /^Appointments$/ }));
      await shows(maria.locator('dd', { hasText: /^None shared$/ }));
      await shows(maria.getByText(/42 CFR Part 2/));
      await expectAccessibleLayout(maria);
      await maria.getByRole('checkbox', { name: 'Mental health', exact: true }).check();
      await maria.getByRole('button', { name: /^Save choices for / }).click();
      await shows(maria.getByRole('status').filter({ hasText: /^Your choices for .+ are saved\.$/ }));
      await shows(maria.locator('dd', { hasText: /^Mental health$/ }));
      expect(await maria.locator('dd', { hasText: /^None shared$/ }).count()).toBe(0);
      await stop.click();
      await shows(maria.getByRole('heading', { name: /^Stop sharing with .+\?$/ }));
      await maria.getByLabel('Reason (optional)', { exact: true }).fill('He moved away.');
      await expectAccessibleLayout(maria);
      await maria.getByRole('button', { name: 'Yes, stop sharing', exact: true }).click();
      await shows(maria.getByRole('status').filter({ hasText: /can no longer see the record\.$/ }));
      await shows(maria.getByText('No one besides the care team can see this record.'));

      // Robert's next step: the app says he no longer acts for Maria, and shows his own record again.
      await nav.getByRole('link', { name: 'Home', exact: true }).click();
      await shows(proxy.getByRole('alert').filter({ hasText: 'You no longer have access to Maria Alvarez’s record.' }));
      expect(await proxy.getByText('You are viewing Maria Alvarez’s record.', { exact: true }).count()).toBe(0);
      await shows(nav.getByRole('link', { name: 'My record', exact: true }));
      expect(await proxy.getByLabel('Show the record of', { exact: true }).count()).toBe(0);
      await expectAccessibleLayout(proxy);
    },
    journeyTimeoutMs * 2,
  );

  it(
    'someone without an account opens one from the invitation, with the patient’s date of birth, and signs in as her proxy',
    async () => {
      const { page: maria, baseUrl } = portal;
      const { page: carer } = second;
      const email = 'carer.nguyen@example.com';
      await maria.goto(`${baseUrl}/account/sharing`);
      await shows(maria.getByRole('heading', { level: 1, name: 'Sharing and privacy' }));
      await maria.getByLabel('Their email address', { exact: true }).fill(email);
      await maria.getByLabel('Their name', { exact: true }).fill('Lan, my carer');
      await maria.getByRole('radio', { name: 'Everything', exact: true }).check();
      await maria.getByRole('button', { name: 'Send invitation', exact: true }).click();
      await shows(maria.getByRole('status').filter({ hasText: `We sent an invitation to ${email}.` }));

      const mail = await openMail(carer, baseUrl, email, en['notify.proxyInvitation.subject']);
      const link = /\S+\/proxy-invitation#token=[\w-]+/.exec(await mail.innerText())?.[0];
      await carer.context().clearCookies();
      await carer.goto(link ?? '');
      await shows(carer.getByRole('heading', { level: 2, name: 'Open an account to accept' }));
      // Nothing filled: each problem by its field.
      await carer.getByRole('button', { name: 'Open my account and accept', exact: true }).click();
      await shows(carer.locator('.field__error', { hasText: 'Enter your first name.' }));
      await shows(carer.locator('.field__error', { hasText: 'Choose a username.' }));
      await expectAccessibleLayout(carer);
      await carer.getByLabel('Your first name', { exact: true }).fill('Lan');
      await carer.getByLabel('Your last name', { exact: true }).fill('Nguyen');
      await carer.getByLabel('Username', { exact: true }).fill('lan.nguyen');
      await carer.getByLabel('Password', { exact: true }).fill('Harbor-Lantern-Cobalt-58');
      await carer.getByLabel('Confirm password', { exact: true }).fill('Harbor-Lantern-Cobalt-58');
      await carer.getByLabel('The patient’s date of birth', { exact: true }).fill(mariaBirthDate);
      await carer.getByRole('button', { name: 'Open my account and accept', exact: true }).click();

      // Signed in with the new account, she is Maria's proxy at once: no record of her own, so Maria's is shown.
      await shows(carer.getByRole('status').filter({ hasText: /^Your account is ready and the invitation is accepted\./ }));
      await submitSignIn(carer, 'lan.nguyen', 'Harbor-Lantern-Cobalt-58');
      await shows(carer.getByText('You are viewing Maria Alvarez’s record.', { exact: true }));
      await shows(carer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Messages/ }));
      await expectAccessibleLayout(carer);
    },
    journeyTimeoutMs * 2,
  );

  it(
    'a parent switches between her two children from the header; the teen’s mental-health screening stays hidden',
    async () => {
      const { page, baseUrl } = portal;
      await page.context().clearCookies();
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'parent');
      await shows(page.getByText('You are viewing Leo Alvarez’s record.', { exact: true }));
      // The home speaks of Leo's record, never of "your" messages or results.
      await shows(page.getByRole('link', { name: 'Read Leo’s messages', exact: true }));
      await shows(page.getByRole('link', { name: 'See all Leo’s test results', exact: true }));
      expect(await page.locator('main').innerText()).not.toMatch(/\byour (messages|care team|test results|refill)/i);
      const switcher = page.getByLabel('Show the record of', { exact: true });
      expect(await switcher.locator('option').allTextContents()).toEqual(['Leo Alvarez', 'Sofia Alvarez']);

      const openResults = async () => {
        const nav = page.getByRole('navigation', { name: 'Main' });
        await nav.getByRole('link', { name: 'Record', exact: true }).click();
        await page.getByRole('navigation', { name: 'In Record' }).getByRole('link', { name: 'Test results', exact: true }).click();
        await shows(page.getByRole('heading', { level: 1, name: 'Test results' }));
        await page.waitForFunction(() => !document.body.textContent.includes('Loading test results'));
      };

      // Sofia (15): her results, without the depression screening, a mental-health result hidden from her mother.
      await switcher.selectOption({ label: 'Sofia Alvarez' });
      await page.getByRole('button', { name: 'Switch', exact: true }).click();
      await shows(page.getByText('You are viewing Sofia Alvarez’s record.', { exact: true }));
      expect(pathOf(page)).toBe('/');
      await openResults();
      expect(await page.locator('main').innerText()).not.toMatch(/PHQ|Depression|Patient Health Questionnaire/i);
      await expectAccessibleLayout(page);

      // Nor her visit to the adolescent clinic, which her clinician marked confidential (meta.security R).
      await page.getByRole('navigation', { name: 'In Record' }).getByRole('link', { name: 'Visits', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Visits' }));
      await page.waitForFunction(() => !document.body.textContent.includes('Loading visits'));
      expect(await page.locator('main').innerText()).not.toMatch(/Adolescent/i);

      // Back to Leo (7): his own results, from his record, not his sister's cached ones.
      await switcher.selectOption({ label: 'Leo Alvarez' });
      await page.getByRole('button', { name: 'Switch', exact: true }).click();
      await shows(page.getByText('You are viewing Leo Alvarez’s record.', { exact: true }));
      await openResults();
      await shows(page.getByRole('main').getByText('Hemoglobin', { exact: true }).first());

      // She writes to Leo's care team for him: the message says who sent it and for whom.
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: /^Messages/ })
        .click();
      await page.getByRole('link', { name: 'New message', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'New message' }));
      // Keeping a thread private from parents is the teen's own choice: never offered to a parent.
      expect(await page.getByRole('checkbox', { name: 'Keep this private from my parents' }).count()).toBe(0);
      const to = page.getByLabel('To', { exact: true });
      await to.selectOption((await to.locator('option:not([value=""])').first().getAttribute('value')) ?? '');
      await page.getByLabel('What is it about?', { exact: true }).selectOption({ label: 'A medical question' });
      await page.getByLabel('Subject', { exact: true }).fill('Leo’s cough');
      await page.getByRole('textbox', { name: 'Message', exact: true }).fill('He has coughed at night for a week.');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Leo’s cough', exact: true }));
      await shows(page.getByRole('article', { name: /^You, for Leo Alvarez,/ }));
      await expectAccessibleLayout(page);
    },
    journeyTimeoutMs,
  );
});
