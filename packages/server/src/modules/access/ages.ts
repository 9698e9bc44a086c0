import { civilDateInZone, formatCivilDate } from '@portico/shared/zoned-time';

/**
 * Ages as the policy counts them (issue 11 §1): whole years on a calendar day, the day being the patient's
 * organization's, so a birthday begins at local midnight there. `decide`, the scope SQL and the age job agree on it.
 */

/** Whole years between a birth date and a day (both YYYY-MM-DD, UTC calendar). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** Today's UTC calendar day (displays that have no zone of their own). */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * The calendar day (YYYY-MM-DD) in a zone: the day the policy computes a patient's age on is their organization's, so
 * a birthday begins at local midnight (the scope SQL uses the same day: `now at time zone organizations.time_zone`).
 */
export function dayInZone(now: Date, timeZone: string): string {
  return formatCivilDate(civilDateInZone(now, timeZone));
}

/** Where a patient's age puts a guardian's access (issue 11 §1): full under 12, limited from 12 to 17, ended at 18. */
export type ProxyAgeBand = 'child' | 'teen' | 'adult';

/** The age band of a patient born on `birthDate`, on `today` (their organization's calendar day). */
export function proxyAgeBand(birthDate: string, today: string): ProxyAgeBand {
  const age = ageOn(birthDate, today);
  return age < 12 ? 'child' : age < 18 ? 'teen' : 'adult';
}

/** Whether the patient is 12-17 on their organization's calendar day (`now`): the band a guardian's access is limited in. */
export function isTeen(patient: { birthDate: string; timeZone: string }, now: Date = new Date()): boolean {
  return proxyAgeBand(patient.birthDate, dayInZone(now, patient.timeZone)) === 'teen';
}
