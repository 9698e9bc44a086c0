/**
 * Who may open their own portal account (issue 11 §1): a patient from their organization's teen account age (12 or 13,
 * `organizations.teen_account_age`), counted on the organization's calendar day, as the policy counts every age rule.
 * A younger patient's record is reached through a parent or guardian.
 */
import { AppError } from '../../errors.ts';
import { ageOn, dayInZone } from '../access/access.policy.ts';

/** Whether a patient born on `birthDate` is old enough for their own account at `now`, in the organization's zone. */
export function isOldEnoughForOwnAccount(birthDate: string, rules: { teenAccountAge: number; timeZone: string }, now: Date): boolean {
  return ageOn(birthDate, dayInZone(now, rules.timeZone)) >= rules.teenAccountAge;
}

/**
 * The refusal a too-young patient gets once their details matched: it names the age and the organization, which is no
 * more than the person typed (a non-match says patient_not_matched, so nobody learns a record exists from it).
 */
export function tooYoungForAccount(teenAccountAge: number, organizationName: string): AppError {
  return new AppError(
    400,
    'too_young_for_account',
    `Patients can have their own portal account from age ${teenAccountAge} at ${organizationName}. Until then, a parent or guardian can ask for access to your record.`,
  );
}
