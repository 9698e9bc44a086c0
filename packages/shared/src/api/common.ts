import { z } from 'zod';
import { errorCodes } from '../errors.ts';
import { limits } from '../limits.ts';
import { isPhoneNumber, phoneLimits } from '../rules.ts';

/** A calendar date, `YYYY-MM-DD`, checked to be a real day. */
export const isoDate = z.iso.date();

/** A UTC instant as an ISO 8601 string. */
export const isoDateTime = z.iso.datetime({ offset: true });

/**
 * The years a date or time someone types (a filter, an end date) may fall in: wide enough for any record, narrow
 * enough that every day and instant in it converts exactly (JavaScript reads the years 0-99 as 1900-1999, and
 * PostgreSQL refuses the year 10000 a day after 9999-12-31 is). Outside it the answer is a 400 naming the field.
 */
export const inputYears = { min: 1900, max: 2199 } as const;
const inYears = (year: number) => year >= inputYears.min && year <= inputYears.max;
const yearsMessage = `Enter a date between the years ${inputYears.min} and ${inputYears.max}.`;

/** A calendar date someone typed: isoDate within `inputYears`. */
export const inputDate = isoDate.refine((day) => inYears(Number(day.slice(0, 4))), { error: yearsMessage });

/** An instant someone typed: isoDateTime within `inputYears`, counted in UTC. */
export const inputDateTime = isoDateTime.refine((instant) => inYears(new Date(instant).getUTCFullYear()), { error: yearsMessage });

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
