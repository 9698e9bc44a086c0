/**
 * The demo's community-provider side (issue 12 §4): the support team's `support` sign-in, one registration waiting for
 * it, and two outside practices: Harbor Pediatrics, where `dr.harbor` sponsors a nurse and her partner is the PCP of two
 * demo children, and Bayside Family Medicine, whose `dr.adeyemi` has a Sponsored User Validation due and a token from
 * a patient. From its own random fork, so the rest of the demo keeps its rows and ids.
 */
import { npiCheckDigit } from '@portico/shared';
import type { memberships, practices, providerRegistrations, sponsorValidations, users } from '../db/schema/index.ts';
import { demoTotpSecret } from './demo-accounts.ts';
import type { Random } from './random.ts';
import {
  addDays,
  civilDateInZone,
  daysAfter,
  daysBefore,
  formatCivilDate,
  parseCivilDate,
  zonedTimeToUtc,
  type CivilDate,
} from './zoned-time.ts';

/** An NPI from its first nine digits: the check digit appended (45 CFR 162.406). */
function npiOf(firstNine: string): string {
  return `${firstNine}${npiCheckDigit(firstNine)}`;
}

/** The support team and the outside practices' people, named so that no generated patient shares the names. */
export const outsidePeople = {
  support: { username: 'support', email: 'support@demo.portico.local', givenName: 'Tomas', familyName: 'Lindqvist' },
  /** A pediatrician of Harbor Pediatrics who sponsors its nurse; her partner is the PCP of two demo children. */
  physician: {
    username: 'dr.harbor',
    email: 'dr.harbor@harborpediatrics.example',
    givenName: 'Naomi',
    familyName: 'Harbor',
    npi: npiOf('198765432'),
  },
  /** Dr. Harbor's practice partner, the PCP on the record of `harborPatientMrns`. */
  partner: {
    username: 'dr.castillo',
    email: 'dr.castillo@harborpediatrics.example',
    givenName: 'Elena',
    familyName: 'Castillo',
    npi: npiOf('176543210'),
  },
  /** Harbor Pediatrics' nurse, sponsored by Dr. Harbor (no NPI). */
  nurse: { username: 'nurse.harbor', email: 'grace.oduya@harborpediatrics.example', givenName: 'Grace', familyName: 'Oduya' },
  /** The physician of a second practice, whose Sponsored User Validation is due in the current period. */
  sponsor: {
    username: 'dr.adeyemi',
    email: 'dr.adeyemi@baysidefamily.example',
    givenName: 'Adaeze',
    familyName: 'Adeyemi',
    npi: npiOf('154321098'),
  },
  /** Bayside Family Medicine's referral coordinator, sponsored by Dr. Adeyemi. */
  coordinator: { username: 'coord.bayside', email: 'liam.novak@baysidefamily.example', givenName: 'Liam', familyName: 'Novak' },
} as const;

/** The demo children whose PCP is Dr. Castillo, Dr. Harbor's partner, by MRN (two of the generated pediatric patients). */
export const harborPatientMrns = ['100004', '100005'] as const;

/**
 * The token Maria Alvarez issued for Dr. Adeyemi (issue 12 §2): printed at start so that `dr.adeyemi` can choose "Validate
 * a token" with it and the MRN. Letters and digits of the human-code alphabet only.
 */
export const demoProviderToken = { code: 'MYPT-BAYS-2829', mrn: '100002', label: 'Dr. Adaeze Adeyemi, Bayside Family Medicine' } as const;

/** The rows of the outside practices and the support team. */
export interface DemoOutsidePractice {
  users: Omit<typeof users.$inferInsert, 'passwordHash'>[];
  practices: (typeof practices.$inferInsert)[];
  memberships: (typeof memberships.$inferInsert)[];
  registrations: (typeof providerRegistrations.$inferInsert)[];
  sponsorValidations: (typeof sponsorValidations.$inferInsert)[];
  /** The partner's user id: the PCP of `harborPatientMrns`. */
  pcpId: string;
}

/** A sign-in with TOTP like the documented staff sign-ins. */
function account(
  id: string,
  organizationId: string,
  person: { username: string; email: string; givenName: string; familyName: string },
  createdAt: Date,
) {
  return {
    id,
    organizationId,
    username: person.username,
    email: person.email,
    emailVerifiedAt: createdAt,
    displayName: `${person.givenName} ${person.familyName}`,
    totpSecret: demoTotpSecret,
    totpEnabledAt: daysAfter(createdAt, 1),
    passwordChangedAt: createdAt,
    createdAt,
  };
}

/**
 * The first day of the Sponsored User Validation period `now` falls in (April 1 or October 1 in the zone), and its due
 * instant, 30 days later at midnight there.
 */
function validationPeriod(now: Date, timeZone: string): { start: string; dueAt: Date } {
  const today = civilDateInZone(now, timeZone);
  const start: CivilDate =
    today.month >= 10
      ? { year: today.year, month: 10, day: 1 }
      : today.month >= 4
        ? { year: today.year, month: 4, day: 1 }
        : { year: today.year - 1, month: 10, day: 1 };
  return { start: formatCivilDate(start), dueAt: zonedTimeToUtc(addDays(start, 30), 0, timeZone) };
}

/**
 * The support sign-in; Harbor Pediatrics (Dr. Harbor, her partner Dr. Castillo, their sponsored nurse); Bayside Family
 * Medicine (Dr. Adeyemi and a sponsored coordinator, her validation due: within the period's 30 days, or, past them, as
 * support extended it two weeks from now); a pending registration from a third practice.
 */
export function planOutsidePractice(now: Date, random: Random, organizationId: string, timeZone: string): DemoOutsidePractice {
  const [supportId, physicianId, practiceId, partnerId, nurseId, sponsorId, coordinatorId, baysideId] = Array.from({ length: 8 }, () =>
    random.uuid(),
  ) as [string, string, string, string, string, string, string, string];
  const supportSince = daysBefore(now, 380);
  const physicianSince = daysBefore(now, 200);
  const { support, physician, partner, nurse, sponsor, coordinator } = outsidePeople;
  const practiceMember = (
    userId: string,
    practice: string,
    role: 'outside_provider' | 'sponsored_staff',
    createdAt: Date,
    sponsorUserId?: string,
  ) => ({
    userId,
    kind: 'practice',
    organizationId,
    role,
    practiceId: practice,
    sponsorUserId: sponsorUserId ?? null,
    createdAt,
  });
  const period = validationPeriod(now, timeZone);
  const due = period.dueAt.getTime() > now.getTime() ? period.dueAt : daysAfter(now, 14);
  return {
    users: [
      { ...account(supportId, organizationId, support, supportSince), credentials: null },
      { ...account(physicianId, organizationId, physician, physicianSince), credentials: 'MD', npi: physician.npi },
      { ...account(partnerId, organizationId, partner, daysBefore(now, 400)), credentials: 'MD', npi: partner.npi },
      { ...account(nurseId, organizationId, nurse, daysBefore(now, 300)), credentials: 'RN' },
      { ...account(sponsorId, organizationId, sponsor, daysBefore(now, 500)), credentials: 'MD', npi: sponsor.npi },
      { ...account(coordinatorId, organizationId, coordinator, daysBefore(now, 450)), credentials: null },
    ],
    practices: [
      {
        id: practiceId,
        organizationId,
        name: 'Harbor Pediatrics',
        address: '300 Atlantic Avenue, Suite 210, Boston, MA 02110',
        phone: '(617) 555-0140',
        fax: '(617) 555-0141',
        createdAt: daysBefore(now, 410),
      },
      {
        id: baysideId,
        organizationId,
        name: 'Bayside Family Medicine',
        address: '85 Shore Road, Quincy, MA 02169',
        phone: '(617) 555-0170',
        fax: '(617) 555-0171',
        createdAt: daysBefore(now, 510),
      },
    ],
    memberships: [
      { userId: supportId, kind: 'support', organizationId, role: 'support', createdAt: supportSince },
      practiceMember(physicianId, practiceId, 'outside_provider', physicianSince),
      practiceMember(partnerId, practiceId, 'outside_provider', daysBefore(now, 400)),
      practiceMember(nurseId, practiceId, 'sponsored_staff', daysBefore(now, 300), physicianId),
      practiceMember(sponsorId, baysideId, 'outside_provider', daysBefore(now, 500)),
      practiceMember(coordinatorId, baysideId, 'sponsored_staff', daysBefore(now, 450), sponsorId),
    ],
    sponsorValidations: [
      // Dr. Harbor did this period's validation on its third day; Dr. Adeyemi's is open.
      {
        organizationId,
        sponsorUserId: physicianId,
        periodStart: period.start,
        dueAt: period.dueAt,
        notifiedAt: zonedTimeToUtc(parseCivilDate(period.start), 8 * 60, timeZone),
        completedAt: zonedTimeToUtc(addDays(parseCivilDate(period.start), 2), 10 * 60, timeZone),
        completedBy: physicianId,
      },
      {
        organizationId,
        sponsorUserId: sponsorId,
        periodStart: period.start,
        dueAt: due,
        notifiedAt: zonedTimeToUtc(parseCivilDate(period.start), 8 * 60, timeZone),
      },
    ],
    registrations: [
      {
        id: random.uuid(),
        organizationId,
        givenName: 'Samuel',
        familyName: 'Whitfield',
        credentials: 'DO',
        npi: npiOf('112233445'),
        email: 'samuel.whitfield@northshorefamily.example',
        phone: '(978) 555-0160',
        fax: '(978) 555-0161',
        practiceName: 'North Shore Family Practice',
        practiceAddress: '12 Elm Street, Salem, MA 01970',
        practicePhone: '(978) 555-0162',
        practiceFax: '(978) 555-0161',
        createdAt: daysBefore(now, 1),
      },
    ],
    pcpId: partnerId,
  };
}
