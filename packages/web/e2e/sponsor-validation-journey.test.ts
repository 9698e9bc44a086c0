import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { en } from '@portico/shared/i18n/en';
import { es } from '@portico/shared/i18n/es';
import type { Page } from 'playwright-core';
import { sponsorValidations, users } from '../../server/src/db/schema/index.ts';
import { demoPassword, demoTotpSecret } from '../../server/src/demo/demo-accounts.ts';
import { currentTotpCode } from '../../server/src/modules/auth/totp.ts';
import { expectAccessibleLayout, journeyTimeoutMs, pathOf, shows, signOut, startPortal, submitSignIn, type Portal } from './harness.ts';

/**
 * Issue 12 §1 in a browser: Dr. Adeyemi (demo) misses her Sponsored User Validation (her open validation is moved past
 * due here, as if day 31 had come), and both accounts lock: her sponsored referral coordinator's sign-in is refused with
 * the reason, and she, signed in, sees the locked banner and only the validation page. She keeps the coordinator and
 * completes it; both unlock, and the coordinator signs in. Each state passes axe and fits the page.
 */

const lockedMessage = 'Your account is locked until your sponsor completes the Sponsored User Validation.';
const lockedBanner = "Your account and your sponsored users' accounts are locked until you complete the validation.";

/** The TOTP time step each account last signed in with: a code works once, so a second sign-in waits for the next. */
const usedSteps = new Map<string, number>();

async function unusedCode(username: string): Promise<string> {
  const stepMs = 30_000;
  if (usedSteps.get(username) === Math.floor(Date.now() / stepMs))
    await new Promise((r) => setTimeout(r, stepMs - (Date.now() % stepMs) + 250));
  usedSteps.set(username, Math.floor(Date.now() / stepMs));
  return currentTotpCode(demoTotpSecret);
}

/** The password and authenticator steps of a demo outside account, in English or (chosen on the sign-in page) Spanish. */
async function signInWithCode(portal: Portal, username: string, language: 'en' | 'es' = 'en'): Promise<void> {
  const { page, baseUrl } = portal;
  await page.context().clearCookies();
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel(/^(Language|Idioma)$/).selectOption(language);
  // The page re-renders in the chosen language once its words load: fill the form after that, or the text is lost.
  await shows(page.getByRole('button', { name: language === 'es' ? 'Iniciar sesión' : 'Sign in', exact: true }));
  await page.locator('input[autocomplete="username"]').fill(username);
  await page.locator('input[autocomplete="current-password"]').fill(demoPassword);
  await page.locator('form button[type="submit"]').first().click();
  await page.locator('input[autocomplete="one-time-code"]').fill(await unusedCode(username));
  await page.locator('form button[type="submit"]').first().click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

/** English texts of the sponsors' pages (those without placeholders), which a Spanish page must not show. */
const englishTexts = Object.entries(en)
  .filter(([id, text]) => id.startsWith('sponsors.') && !id.startsWith('sponsors.email.') && !text.includes('{'))
  .map(([, text]) => text);

/** A page of ours in Spanish: its heading is the Spanish one, no English text of the area is on it, and it passes axe. */
async function expectSpanishPage(page: Page, heading: string): Promise<void> {
  await shows(page.getByRole('heading', { level: 1, name: heading }));
  await page.waitForLoadState('networkidle');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
  const text = await page.evaluate(() => document.body.innerText);
  // Whole texts only ("Extend" is not in "Extender").
  const shown = (english: string) => new RegExp(`(?<!\\p{L})${english.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\p{L})`, 'u').test(text);
  expect(englishTexts.filter(shown)).toEqual([]);
  await expectAccessibleLayout(page);
}

describe('Sponsored User Validation: a missed validation locks the sponsor and their sponsored user until it is done', () => {
  let portal: Portal;

  beforeAll(async () => {
    portal = await startPortal();
  });

  afterAll(async () => {
    await portal?.close();
  });

  it(
    'the sponsored user is refused, the sponsor sees the lock and validates, then both are back',
    async () => {
      const { page, baseUrl, db } = portal;
      const [sponsor] = await db.select({ id: users.id }).from(users).where(eq(users.username, 'dr.adeyemi'));
      expect(sponsor, 'Dr. Adeyemi in the demo').toBeDefined();
      // Day 31: the open validation is past due.
      const moved = await db
        .update(sponsorValidations)
        .set({ dueAt: new Date(Date.now() - 60_000) })
        .where(and(eq(sponsorValidations.sponsorUserId, sponsor!.id), isNull(sponsorValidations.completedAt)))
        .returning({ id: sponsorValidations.id });
      expect(moved, 'Dr. Adeyemi’s open validation in the demo').toHaveLength(1);

      // The sponsored coordinator cannot sign in, and is told why.
      await page.goto(`${baseUrl}/sign-in`);
      await submitSignIn(page, 'coord.bayside');
      await shows(page.getByText(lockedMessage));
      await expectAccessibleLayout(page);

      // The sponsor signs in and reaches only the validation, under the locked banner.
      await signInWithCode(portal, 'dr.adeyemi');
      await shows(page.getByRole('heading', { level: 1, name: 'Sponsored User Validation' }));
      await shows(page.getByText(lockedBanner));
      expect(pathOf(page)).toBe('/sponsor/validation');
      await expectAccessibleLayout(page);
      await page.goto(`${baseUrl}/sponsor/users`);
      await shows(page.getByRole('heading', { level: 1, name: 'Sponsored User Validation' }));

      // Submitting without a choice names the person to decide on.
      await page.getByRole('button', { name: 'Complete the validation', exact: true }).click();
      await shows(page.locator('.field__error', { hasText: 'Choose keep or remove for Liam Novak.' }));
      await expectAccessibleLayout(page);

      await page
        .getByRole('group', { name: /Liam Novak/ })
        .getByRole('radio', { name: 'Keep: still works with me', exact: true })
        .check();
      await page.getByRole('button', { name: 'Complete the validation', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Thank you. The validation is complete: 1 user kept, 0 removed.' }));
      await expect.poll(async () => page.getByText(lockedBanner).count()).toBe(0);
      await expectAccessibleLayout(page);
      // The practice's pages are back.
      await page.goto(`${baseUrl}/sponsor/users`);
      await shows(page.getByRole('heading', { level: 1, name: 'Sponsored users' }));
      await shows(page.getByRole('heading', { level: 3, name: 'Liam Novak' }));
      await expectAccessibleLayout(page);
      await signOut(page);

      // The coordinator signs in again.
      await signInWithCode(portal, 'coord.bayside');
      await shows(page.getByRole('heading', { level: 1, name: 'Patient selection' }));
    },
    journeyTimeoutMs,
  );
  it(
    'the support team extends a locked sponsor’s validation (in Spanish); a sponsor invites and removes staff; the pages are Spanish',
    async () => {
      const { page, baseUrl, db } = portal;
      const [sponsor] = await db
        .select({ id: users.id, organizationId: users.organizationId })
        .from(users)
        .where(eq(users.username, 'dr.adeyemi'));
      // An earlier period's validation she never completed: locked again.
      await db.insert(sponsorValidations).values({
        organizationId: sponsor!.organizationId!,
        sponsorUserId: sponsor!.id,
        periodStart: '2020-04-01',
        dueAt: new Date(Date.now() - 3600_000),
      });

      // The support team, in Spanish, finds her under Account help and gives her a week.
      await signInWithCode(portal, 'support', 'es');
      await page.goto(`${baseUrl}/support/accounts`);
      await expectSpanishPage(page, es['sponsors.accounts.title']);
      const card = page.getByRole('listitem').filter({ hasText: 'dr.adeyemi@baysidefamily.example' });
      await shows(card);
      await card.getByLabel(es['sponsors.accounts.reason'], { exact: true }).fill('De vacaciones');
      await card.getByRole('button', { name: es['sponsors.accounts.extend'], exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: /Adaeze Adeyemi/ }));
      await shows(page.getByText(es['sponsors.accounts.noLocked'], { exact: true }));
      await expectSpanishPage(page, es['sponsors.accounts.title']);

      // Her coordinator signs in again.
      await signInWithCode(portal, 'coord.bayside');
      await shows(page.getByRole('heading', { level: 1, name: 'Patient selection' }));

      // She is no longer locked: her pages work, under the banner that says when the validation is due.
      await signInWithCode(portal, 'dr.adeyemi');
      await shows(page.getByRole('heading', { level: 1, name: 'Patient selection' }));
      await shows(page.getByText(/^Complete your Sponsored User Validation by /));
      await expectAccessibleLayout(page);
      await page.getByRole('link', { name: 'Go to the validation', exact: true }).click();
      await shows(page.getByRole('heading', { level: 1, name: 'Sponsored User Validation' }));
      await shows(page.getByText(/^Complete it by /));
      await expectAccessibleLayout(page);

      // Dr. Harbor sponsors a new staff member, then removes them.
      await signInWithCode(portal, 'dr.harbor');
      await page.goto(`${baseUrl}/sponsor/users`);
      await shows(page.getByRole('heading', { level: 1, name: 'Sponsored users' }));
      await shows(page.getByRole('heading', { level: 3, name: 'Grace Oduya' }));
      await page.getByRole('button', { name: 'Sponsor and send the activation email', exact: true }).click();
      await shows(page.locator('.field__error', { hasText: 'Enter their first name.' }));
      await shows(page.locator('.field__error', { hasText: 'Enter their email address, like name@example.com.' }));
      await expectAccessibleLayout(page);
      await page.getByLabel('First name', { exact: true }).fill('Sam');
      await page.getByLabel('Last name', { exact: true }).fill('Rivera');
      await page.getByLabel('Email address', { exact: true }).fill('sam.rivera@harborpediatrics.example');
      await page.getByLabel('Role at the practice', { exact: true }).selectOption('office_manager');
      await page.getByRole('button', { name: 'Sponsor and send the activation email', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'We sent an activation email to sam.rivera@harborpediatrics.example.' }));
      await shows(page.getByRole('heading', { level: 3, name: 'Sam Rivera' }));
      await shows(page.getByText('Waiting for them to activate the account').first());
      await expectAccessibleLayout(page);
      await page.getByRole('button', { name: 'Remove Sam Rivera', exact: true }).click();
      await page.getByRole('button', { name: 'Yes, remove Sam Rivera', exact: true }).click();
      await shows(page.getByRole('status').filter({ hasText: 'Sam Rivera was removed. Their account is disabled.' }));
      await expect.poll(async () => page.getByRole('heading', { level: 3, name: 'Sam Rivera' }).count()).toBe(0);
      await expectAccessibleLayout(page);

      // The sponsor's pages in Spanish.
      await signInWithCode(portal, 'dr.harbor', 'es');
      await page.goto(`${baseUrl}/sponsor/users`);
      await expectSpanishPage(page, es['sponsors.title']);
      await page.goto(`${baseUrl}/sponsor/validation`);
      await expectSpanishPage(page, es['sponsors.validation.title']);
    },
    journeyTimeoutMs * 2,
  );
});
