/**
 * The demo's community-provider side (issue 12 §1, §3): the support team's `support` sign-in, one registration waiting
 * for it, and an outside practice, Harbor Pediatrics, whose physician `dr.harbor` is the PCP of two demo children. From
 * its own random fork, so the rest of the demo keeps its rows and ids.
 */
import { npiCheckDigit } from '@portico/shared';
import type { memberships, practices, providerRegistrations, users } from '../db/schema/index.ts';
import { demoTotpSecret } from './demo-accounts.ts';
import type { Random } from './random.ts';
import { daysAfter, daysBefore } from './zoned-time.ts';

/** An NPI from its first nine digits: the check digit appended (45 CFR 162.406). */
function npiOf(firstNine: string): string {
  return `${firstNine}${npiCheckDigit(firstNine)}`;
}

/** The support team member and the outside physician, named so that no generated patient shares the names. */
export const outsidePeople = {
  support: { username: 'support', email: 'support@demo.portico.local', givenName: 'Tomas', familyName: 'Lindqvist' },
  physician: {
    username: 'dr.harbor',
    email: 'dr.harbor@harborpediatrics.example',
    givenName: 'Naomi',
    familyName: 'Harbor',
    npi: npiOf('198765432'),
  },
} as const;

/** The demo children whose PCP is Dr. Harbor, by MRN (two of the generated pediatric patients). */
export const harborPatientMrns = ['100004', '100005'] as const;

/** The rows of the outside practice and the support team. */
export interface DemoOutsidePractice {
  users: Omit<typeof users.$inferInsert, 'passwordHash'>[];
  practices: (typeof practices.$inferInsert)[];
  memberships: (typeof memberships.$inferInsert)[];
  registrations: (typeof providerRegistrations.$inferInsert)[];
  /** The physician's user id: the PCP of `harborPatientMrns`. */
  physicianId: string;
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

/** The support sign-in, Harbor Pediatrics with its physician, and a pending registration from another practice. */
export function planOutsidePractice(now: Date, random: Random, organizationId: string): DemoOutsidePractice {
  const supportId = random.uuid();
  const physicianId = random.uuid();
  const practiceId = random.uuid();
  const supportSince = daysBefore(now, 380);
  const physicianSince = daysBefore(now, 200);
  const { support, physician } = outsidePeople;
  return {
    users: [
      { ...account(supportId, organizationId, support, supportSince), credentials: null },
      { ...account(physicianId, organizationId, physician, physicianSince), credentials: 'MD', npi: physician.npi },
    ],
    practices: [
      {
        id: practiceId,
        organizationId,
        name: 'Harbor Pediatrics',
        address: '300 Atlantic Avenue, Suite 210, Boston, MA 02110',
        phone: '(617) 555-0140',
        fax: '(617) 555-0141',
        createdAt: daysBefore(now, 210),
      },
    ],
    memberships: [
      { userId: supportId, kind: 'support', organizationId, role: 'support', createdAt: supportSince },
      { userId: physicianId, kind: 'practice', organizationId, role: 'outside_provider', practiceId, createdAt: physicianSince },
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
    physicianId,
  };
}
