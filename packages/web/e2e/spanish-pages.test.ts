import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { es } from '@portico/shared/i18n/es';
import { localeNames } from '@portico/shared/i18n';
import { demoSpanishSpeaker, demoTotpSecret } from '../../server/src/demo/demo-accounts.ts';
import { currentTotpCode } from '../../server/src/modules/auth/totp.ts';
import { demoPassword } from '../../server/src/demo/demo-accounts.ts';
import { journeyTimeoutMs, shows, startPortal, type Portal } from './harness.ts';

/**
 * Issue 10: a page renders no string that is not in the catalogue. Every page is opened in Spanish, and every word
 * on it (text, aria-label, title, placeholder, alt) must come from the Spanish catalogue, from Intl's Spanish dates,
 * or from the data the page was sent (words found in its API answers: names, results, message bodies). An English
 * word written into a component shows up as a word in none of them.
 */

/** Words of a parsed ICU message: its literal text, in every plural and select branch. */
function literalWords(elements: MessageFormatElement[], into: Set<string>): void {
  for (const element of elements) {
    if (element.type === TYPE.literal) for (const word of wordsOf(element.value)) into.add(word);
    else if (element.type === TYPE.tag) literalWords(element.children, into);
    else if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) literalWords(option.value, into);
    }
  }
}

function wordsOf(text: string): string[] {
  return (text.match(/\p{L}{2,}/gu) ?? []).map((word) => word.toLowerCase());
}

/** Words Intl writes for Spanish dates and times: month and weekday names, a. m. / p. m., zone abbreviations. */
function intlSpanishWords(): Set<string> {
  const words = new Set<string>();
  const add = (text: string) => wordsOf(text).forEach((word) => words.add(word));
  for (let month = 0; month < 12; month++) {
    const date = new Date(Date.UTC(2026, month, 15, 15));
    for (const style of ['long', 'short'] as const) add(new Intl.DateTimeFormat('es-US', { month: style }).format(date));
    add(new Intl.DateTimeFormat('es-US', { dateStyle: 'full', timeStyle: 'full', timeZone: 'America/New_York' }).format(date));
    add(new Intl.DateTimeFormat('es-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/Chicago' }).format(date));
  }
  for (let day = 0; day < 7; day++) {
    const date = new Date(Date.UTC(2026, 0, 4 + day, 15));
    for (const style of ['long', 'short'] as const) add(new Intl.DateTimeFormat('es-US', { weekday: style }).format(date));
  }
  for (const zone of ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'UTC']) {
    for (const month of [0, 6]) {
      add(
        new Intl.DateTimeFormat('es-US', { timeZone: zone, timeZoneName: 'short', hour: 'numeric' }).format(
          new Date(Date.UTC(2026, month, 15)),
        ),
      );
    }
  }
  return words;
}

/** Proper names the interface writes in every language: the product, browsers and systems (the sessions list). */
const properNames = ['portico', 'chrome', 'firefox', 'safari', 'edge', 'windows', 'ios', 'android', 'macos', 'linux'];
const allowed = new Set<string>([...intlSpanishWords(), ...Object.values(localeNames).flatMap(wordsOf), ...properNames]);
for (const message of Object.values(es)) literalWords(parse(message), allowed);

/** Every string value in a JSON answer, as words: what the page was sent is data, not interface text. */
function collectDataWords(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') for (const word of wordsOf(value)) into.add(word);
  else if (Array.isArray(value)) for (const item of value) collectDataWords(item, into);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) collectDataWords(item, into);
}

/** The page's interface text: text nodes and labelling attributes, leaving out what is marked translate="no". */
async function interfaceTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const skipped = (element: Element | null) => element?.closest('[translate="no"], script, style, noscript, template') != null;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!skipped(node.parentElement) && node.textContent?.trim()) texts.push(node.textContent.trim());
    }
    for (const element of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (skipped(element)) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = element.getAttribute(name);
        if (value?.trim()) texts.push(value.trim());
      }
    }
    texts.push(document.title);
    return texts;
  });
}

describe('every page in Spanish', () => {
  let portal: Portal;
  const dataWords = new Set<string>();

  beforeAll(async () => {
    portal = await startPortal();
    portal.page.on('response', (response: Response) => {
      if (!response.url().includes('/api/') || !(response.headers()['content-type'] ?? '').includes('json')) return;
      void response
        .json()
        .then((body: unknown) => collectDataWords(body, dataWords))
        .catch(() => undefined);
    });
  });

  afterAll(async () => {
    await portal?.close();
  });

  /** Opens a page, waits for its heading and its data, and fails naming the words that are in no catalogue. */
  /** Signs a staff, support or outside account in with Spanish chosen on the sign-in page, and its second factor. */
  async function signInStaffInSpanish(username: string): Promise<void> {
    const { page, baseUrl } = portal;
    await page.context().clearCookies();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(/^(Language|Idioma)$/).selectOption('es');
    // The page re-renders in Spanish once its words load: fill the form after that, or the text is lost.
    await shows(page.getByRole('button', { name: 'Iniciar sesión', exact: true }));
    await page.locator('input[autocomplete="username"]').fill(username);
    await page.locator('input[autocomplete="current-password"]').fill(demoPassword);
    await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
    await page.locator('input[autocomplete="one-time-code"]').fill(currentTotpCode(demoTotpSecret));
    await page.locator('form button[type="submit"]').first().click();
    await page.waitForURL(`${baseUrl}/`);
  }

  async function expectSpanish(path: string): Promise<void> {
    const { page, baseUrl } = portal;
    await page.goto(`${baseUrl}${path}`);
    await shows(page.getByRole('heading', { level: 1 }).first());
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('es');
    const strays = new Map<string, string>();
    for (const text of await interfaceTexts(page)) {
      for (const word of wordsOf(text)) if (!allowed.has(word) && !dataWords.has(word)) strays.set(word, text.slice(0, 80));
    }
    expect({ path, notInTheCatalogue: Object.fromEntries(strays) }).toEqual({ path, notInTheCatalogue: {} });
  }

  it(
    'the sign-in page switches to Spanish from its language menu, and a Spanish-speaking patient’s pages are all Spanish',
    async () => {
      const { page, baseUrl } = portal;
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel('Language', { exact: true }).selectOption('es');
      await shows(page.getByRole('heading', { level: 1, name: 'Iniciar sesión' }));
      await expectSpanish('/sign-in');
      await expectSpanish('/forgot-password');
      await expectSpanish('/sign-up');
      await expectSpanish('/no-such-page');
      await expectSpanish('/proxy-invitation');

      await page.goto(`${baseUrl}/sign-in`);
      await page.locator('input[autocomplete="username"]').fill(demoSpanishSpeaker);
      await page.locator('input[autocomplete="current-password"]').fill(demoPassword);
      await page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
      await page.waitForURL(`${baseUrl}/`);
      for (const path of [
        '/',
        '/record',
        '/record/visits',
        '/record/results',
        '/record/download',
        '/messages',
        '/messages/new',
        '/messages/refills',
        '/appointments',
        '/appointments/new',
        '/account/security',
        '/account/notifications',
        '/account/sharing',
        '/account/activity',
      ]) {
        await expectSpanish(path);
      }
    },
    journeyTimeoutMs * 2,
  );

  it(
    'a nurse who chooses Spanish sees the staff pages in Spanish',
    async () => {
      await signInStaffInSpanish('nurse');
      for (const path of ['/', '/inbox', '/schedule']) await expectSpanish(path);
    },
    journeyTimeoutMs * 2,
  );

  it(
    'an administrator who chooses Spanish sees the Portal rules page in Spanish',
    async () => {
      await signInStaffInSpanish('admin');
      await expectSpanish('/admin/portal-rules');
      await shows(portal.page.getByRole('radio', { name: '12 años', exact: true }));
    },
    journeyTimeoutMs * 2,
  );
  it(
    'MyPatients (a sponsored nurse, a sponsor) and the support console are in Spanish',
    async () => {
      await signInStaffInSpanish('nurse.harbor');
      for (const path of ['/', '/mypatients/validate-token', '/mypatients/practice-change', '/support/report']) await expectSpanish(path);
      await signInStaffInSpanish('dr.harbor');
      await expectSpanish('/sponsor/users');
      await signInStaffInSpanish('support');
      for (const path of ['/support', '/support/accounts', '/support/registrations']) await expectSpanish(path);
    },
    journeyTimeoutMs * 3,
  );
});
