import { z } from 'zod';
import { errorCodes } from '../errors.ts';
import { limits } from '../limits.ts';

/** A calendar date, `YYYY-MM-DD`, checked to be a real day. */
export const isoDate = z.iso.date();

/** A UTC instant as an ISO 8601 string. */
export const isoDateTime = z.iso.datetime({ offset: true });

/** Random UUID ids (SECURITY.md: ids are not guessable). */
export const uuid = z.uuid();

/** Path parameters of routes that take one id. */
export const idParams = z.object({ id: uuid });

/** A person's name part: trimmed, non-empty, bounded. */
export const namePart = z.string().trim().min(1).max(limits.nameMaxLength);

/** Email address as typed; the server normalises case for lookups. */
export const email = z.email().max(limits.emailMaxLength);

/** A password: 12 to 128 characters (code points, as the server's policy counts them) of any Unicode (NIST SP 800-63B 5.1.1.2); no composition rules. */
export const password = z
  .string()
  .max(limits.passwordMaxLength * 2, `Use at most ${limits.passwordMaxLength} characters.`)
  .refine((p) => [...p].length >= limits.passwordMinLength, `Use at least ${limits.passwordMinLength} characters.`)
  .refine((p) => [...p].length <= limits.passwordMaxLength, `Use at most ${limits.passwordMaxLength} characters.`);

/** A password's length as the server counts it: code points after NFC normalization. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFC')].length;
}

/** A password's letters and digits only, lower-cased: what the repetition and common-password checks compare. */
export function passwordLetters(password: string): string {
  return password.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** True when the password is one short run of letters and digits repeated (abcabcabc…, 111111111111): guessed first. */
export function isRepeatedPattern(password: string): boolean {
  return /^(.{1,12}?)\1+$/u.test(passwordLetters(password));
}

/** Which of the account's names the password contains: the username (3+ characters), the email or its local part (3+). */
export function accountNameIn(password: string, account: { username?: string; email?: string }): 'username' | 'email' | null {
  const lower = password.toLowerCase();
  const username = account.username?.trim().toLowerCase();
  if (username && username.length >= 3 && lower.includes(username)) return 'username';
  const email = account.email?.trim().toLowerCase();
  const local = email?.split('@')[0];
  if (email && (lower.includes(email) || (local && local.length >= 3 && lower.includes(local)))) return 'email';
  return null;
}

/** A phone number as people type it: 7 to 15 digits (E.164 allows at most 15), at most 40 characters in all. */
export const phoneLimits = { minDigits: 7, maxDigits: 15, maxLength: 40 } as const;

/**
 * True when the text (trimmed) is a phone number: digits with an optional leading +, and spaces, dashes, dots or
 * parentheses between them; 7 to 15 digits. The one rule the web checks before sending and the server enforces.
 */
export function isPhoneNumber(text: string): boolean {
  const phone = text.trim();
  if (phone.length > phoneLimits.maxLength || !/^\+?[0-9 ().-]+$/.test(phone)) return false;
  const digits = phone.replace(/[^0-9]/g, '').length;
  return digits >= phoneLimits.minDigits && digits <= phoneLimits.maxDigits;
}

/**
 * A phone number a person enters, trimmed and checked with isPhoneNumber; the message names the field (`what`, e.g.
 * "the pharmacy's phone number"), and the web shows its own words for it (error-text.ts).
 */
export function phoneNumber(what: string) {
  return z
    .string()
    .trim()
    .refine(isPhoneNumber, {
      error: `Enter ${what} as ${phoneLimits.minDigits} to ${phoneLimits.maxDigits} digits; a leading +, spaces, dashes, dots and parentheses are fine.`,
    });
}

/** The error body every `/api` route declares for its 4xx and 5xx answers. */
export const errorResponse = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    requestId: z.string().optional(),
    field: z.string().optional(),
  }),
});

/** An empty successful answer body. */
export const okResponse = z.object({ ok: z.literal(true) });
