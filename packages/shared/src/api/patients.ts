import { z } from 'zod';
import { locales, type Locale } from '../i18n/locales.ts';
import { isoDate, isoDateTime, uuid } from './common.ts';

/** What a search result shows of a patient. */
export const patientListItem = z.object({
  id: uuid,
  mrn: z.string(),
  givenName: z.string(),
  familyName: z.string(),
  birthDate: isoDate,
  sex: z.string().nullable(),
  pcpName: z.string().nullable(),
});

/**
 * POST /api/patients/search: a name, an MRN or a birth date typed as people write it in `locale` (readTypedDate; the
 * signed-in person's language when absent); a body, so no patient data sits in a URL. A date that does not exist
 * (2/30/1990) answers 400 naming `q`.
 */
export const patientSearchBody = z.object({
  q: z.string().trim().min(2, 'Type at least 2 characters.').max(100),
  locale: z.enum(locales).optional(),
});

/** The answer to a patient search, with the birth date the text was read as when it was read as one. */
export const patientSearchResponse = z.object({ patients: z.array(patientListItem), birthDate: isoDate.nullable() });

/** Month names and abbreviations people type, English and Spanish (accents removed, lower case), by month number. */
const monthWords: Readonly<Record<string, number>> = Object.fromEntries(
  [
    ['january', 'jan', 'enero', 'ene'],
    ['february', 'feb', 'febrero'],
    ['march', 'mar', 'marzo'],
    ['april', 'apr', 'abril', 'abr'],
    ['may', 'mayo'],
    ['june', 'jun', 'junio'],
    ['july', 'jul', 'julio'],
    ['august', 'aug', 'agosto', 'ago'],
    ['september', 'sep', 'sept', 'septiembre', 'setiembre', 'set'],
    ['october', 'oct', 'octubre'],
    ['november', 'nov', 'noviembre'],
    ['december', 'dec', 'diciembre', 'dic'],
  ].flatMap((words, index) => words.map((word) => [word, index + 1] as const)),
);

/** A two-digit year as the most recent such year not after `thisYear` (birth dates lie in the past). */
function fullYear(digits: string, thisYear: number): number {
  if (digits.length === 4) return Number(digits);
  const year = 2000 + Number(digits);
  return year > thisYear ? year - 100 : year;
}

/** YYYY-MM-DD of a real calendar day, or null (2/30, 13/1, day 0). */
function calendarDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/**
 * What a typed search text says as a date, the way people write dates in the locale (issue 10 §5.4): `date` with the
 * day (YYYY-MM-DD), `not_a_day` when it is shaped like a date but names no real day (2/30/1990), or `not_a_date`.
 * Every locale reads 1990-04-12 and month names of either language (April 12 1990, 12 de abril de 1990, Apr 12, 1990);
 * all-number dates follow the locale: month first in English (4/12/1990, 04-12-1990), day first in Spanish
 * (12/4/1990, 12-04-1990). Two-digit years are the most recent such year.
 */
export function readTypedDate(
  text: string,
  locale: Locale,
  today: Date = new Date(),
): { kind: 'date'; date: string } | { kind: 'not_a_day' } | { kind: 'not_a_date' } {
  const thisYear = today.getUTCFullYear();
  const answer = (year: number, month: number, day: number) => {
    const date = calendarDay(year, month, day);
    return date ? ({ kind: 'date', date } as const) : ({ kind: 'not_a_day' } as const);
  };
  const plain = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(plain);
  if (iso) return answer(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const numeric = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(plain);
  if (numeric) {
    const [first, second] = [Number(numeric[1]), Number(numeric[2])];
    const year = fullYear(numeric[3]!, thisYear);
    return locale === 'es' ? answer(year, second, first) : answer(year, first, second);
  }
  // Words: one month name and two numbers (day and year), in any order; "de", commas, dots and ordinals are left out.
  const words = plain
    .replace(/[,.]/g, ' ')
    .split(/\s+/)
    .filter((word) => word !== '' && word !== 'de' && word !== 'del' && word !== 'the' && word !== 'of');
  if (words.length !== 3) return { kind: 'not_a_date' };
  const months = words.filter((word) => Object.hasOwn(monthWords, word));
  const numbers = words.map((word) => /^(\d{1,4})(?:st|nd|rd|th|o|a|º|ª)?$/.exec(word)?.[1]).filter((n) => n !== undefined);
  if (months.length !== 1 || numbers.length !== 2) return { kind: 'not_a_date' };
  const month = monthWords[months[0]!]!;
  const [a, b] = numbers as [string, string];
  const yearFirst = a.length === 4 || (a.length > 2 && b.length <= 2);
  const [dayDigits, yearDigits] = yearFirst ? [b, a] : [a, b];
  if (dayDigits.length > 2 || (yearDigits.length !== 4 && yearDigits.length !== 2)) return { kind: 'not_a_date' };
  return answer(fullYear(yearDigits, thisYear), month, Number(dayDigits));
}

/** A patient's age on a day: whole years, and whole months in all (what an infant's age is given in). */
export const patientAge = z.object({ years: z.number().int(), months: z.number().int() });

/** The chart header's allergy line: a short list of active allergies, "no known allergies", or nothing recorded. */
export const chartAllergies = z.object({
  /** recorded: `items` lists active ones; none_known: a "no known allergy" statement; not_recorded: neither. */
  status: z.enum(['recorded', 'none_known', 'not_recorded']),
  /** At most five, highest criticality first. */
  items: z.array(z.object({ id: uuid, substance: z.string(), criticality: z.string().nullable() })),
  /** How many more active allergies the record holds than `items` lists. */
  more: z.number().int(),
});

/**
 * GET /api/patients/:id/chart-header: whom a staff chart is of (name, MRN, birth date, sex), their age today and their
 * allergies; audited as a clinical read. `allergies` is null for readers who do not see clinical data (front desk).
 */
export const chartHeaderResponse = z.object({
  patient: patientListItem,
  age: patientAge,
  allergies: chartAllergies.nullable(),
});
/** The staff chart's header. */
export type ChartHeader = z.infer<typeof chartHeaderResponse>;

/** An appointment as the home page shows it. */
export const appointmentSummary = z.object({
  id: uuid,
  startAt: isoDateTime,
  endAt: isoDateTime,
  timeZone: z.string(),
  visitType: z.string(),
  status: z.string(),
  clinicianName: z.string().nullable(),
  departmentName: z.string(),
  locationAddress: z.string().nullable(),
});

/** A lab result line as the home page shows it. */
export const resultSummary = z.object({
  id: uuid,
  name: z.string(),
  value: z.string(),
  unit: z.string().nullable(),
  referenceRange: z.string().nullable(),
  /** H, L or null when in range or unknown. */
  flag: z.enum(['H', 'L']).nullable(),
  effectiveAt: isoDateTime,
});

/** How far back a result counts as new on the patient's home page. */
export const homeNewResultDays = 30;

/** A visit whose online check-in is open and not done yet: a form for the patient to fill in. */
export const homeCheckInDue = z.object({
  appointmentId: uuid,
  startAt: isoDateTime,
  timeZone: z.string(),
  visitType: z.string(),
});

/**
 * What waits for the patient, as counts and dates only (nothing clinical beyond the summary's own fields): unread
 * conversations, results of the last `homeNewResultDays` days, refill requests not decided yet, the check-ins they can
 * fill in now (soonest first, at most 5), and where the next visit's check-in stands (`not_open` until 7 days before).
 */
export const homeAttention = z.object({
  unreadMessages: z.number().int().nonnegative(),
  newResults: z.number().int().nonnegative(),
  openRefills: z.number().int().nonnegative(),
  checkInsDue: z.array(homeCheckInDue),
  nextCheckIn: z.object({ state: z.enum(['open', 'done', 'not_open']), opensAt: isoDateTime }).nullable(),
});

/** GET /api/patients/:id/summary: the home page's view of one patient. */
export const patientSummaryResponse = z.object({
  patient: patientListItem,
  nextAppointment: appointmentSummary.nullable(),
  /** Null when the caller's role does not see clinical data (front desk, billing). */
  recentResults: z.array(resultSummary).nullable(),
  /** The patient's own dashboard; null for anyone else reading the summary (staff see their own tools). */
  attention: homeAttention.nullable(),
});
/** Patient summary. */
export type PatientSummary = z.infer<typeof patientSummaryResponse>;
/** What waits for the patient on their home page. */
export type HomeAttention = z.infer<typeof homeAttention>;
