/**
 * The demo's family access (issue 11 §1): a parent who acts for two children (7 and 15), and an adult daughter with
 * full access to her elderly father's record, which he granted her himself. Everything from its own random fork, so
 * the rest of the demo keeps its rows and ids.
 */
import type { accessGrants, users } from '../db/schema/index.ts';
import { fullProxyCategories } from '../modules/proxies/proxy-access.ts';
import { codeable, patientRef, toRow } from './clinical.ts';
import { systems } from './codes-medications.ts';
import type { FhirRow } from './model.ts';
import type { PersonSeed } from './people.ts';
import type { Random } from './random.ts';
import { civilDateInZone, daysBefore, fhirDateTime, formatCivilDate } from './zoned-time.ts';

/** A scripted family member with a record: who, their MRN, and how old they are at `now`. */
export interface FamilyPatient {
  key: 'leo' | 'sofia' | 'robert';
  person: PersonSeed;
  mrn: string;
  id: string;
  /** The portal account of the patient themself (Robert), or null (the children). */
  userId: string | null;
  /** Seen in Pediatrics (the children) or Family Medicine. */
  pediatric: boolean;
}

/** The demo's family: records, accounts and proxy grants. */
export interface DemoFamily {
  patients: FamilyPatient[];
  parentUserId: string;
  daughterUserId: string;
}

/** A birth date `years` (and some days) before `now`, far from a birthday so the age band holds for months. */
function birthDate(now: Date, years: number, days: number): string {
  return formatCivilDate(civilDateInZone(daysBefore(now, years * 365.25 + days), 'UTC'));
}

/** Names the pool must keep for the family (reserved before the generated patients are named). */
export const familyNames: readonly { givenName: string; familyName: string }[] = [
  { givenName: 'Ana', familyName: 'Alvarez' },
  { givenName: 'Leo', familyName: 'Alvarez' },
  { givenName: 'Sofia', familyName: 'Alvarez' },
  { givenName: 'Robert', familyName: 'Okafor' },
  { givenName: 'Grace', familyName: 'Okafor' },
];

/** Draws the family's ids and birth dates; MRNs follow `firstMrn`. */
export function planFamily(now: Date, random: Random, firstMrn: number): DemoFamily {
  const home = '22 Elm Street, Evanston, IL 60201';
  const patients: FamilyPatient[] = [
    {
      key: 'leo',
      person: {
        givenName: 'Leo',
        familyName: 'Alvarez',
        sex: 'male',
        birthDate: birthDate(now, 7, 120),
        phone: '(847) 555-0131',
        email: null,
        address: home,
      },
      mrn: String(firstMrn),
      id: random.uuid(),
      userId: null,
      pediatric: true,
    },
    {
      key: 'sofia',
      person: {
        givenName: 'Sofia',
        familyName: 'Alvarez',
        sex: 'female',
        birthDate: birthDate(now, 15, 200),
        phone: '(847) 555-0131',
        email: null,
        address: home,
      },
      mrn: String(firstMrn + 1),
      id: random.uuid(),
      userId: null,
      pediatric: true,
    },
    {
      key: 'robert',
      person: {
        givenName: 'Robert',
        familyName: 'Okafor',
        sex: 'male',
        birthDate: birthDate(now, 84, 60),
        phone: '(617) 555-0166',
        email: 'robert.okafor@example.com',
        address: '9 Chestnut Avenue, Arlington, MA 02474',
      },
      mrn: String(firstMrn + 2),
      id: random.uuid(),
      userId: random.uuid(),
      pediatric: false,
    },
  ];
  return { patients, parentUserId: random.uuid(), daughterUserId: random.uuid() };
}

/** A family patient by key. */
function member(family: DemoFamily, key: FamilyPatient['key']): FamilyPatient {
  const found = family.patients.find((p) => p.key === key);
  if (!found) throw new Error(`The demo family has no ${key}`);
  return found;
}

/** The accounts: Ana (`parent`), Grace (`daughter`) and Robert's own. */
export function familyUsers(family: DemoFamily, organizationId: string, now: Date): Omit<typeof users.$inferInsert, 'passwordHash'>[] {
  const account = (id: string, username: string, email: string, displayName: string, days: number) => {
    const createdAt = daysBefore(now, days);
    return {
      id,
      organizationId,
      username,
      email,
      emailVerifiedAt: createdAt,
      displayName,
      credentials: null,
      totpSecret: null,
      totpEnabledAt: null,
      passwordChangedAt: createdAt,
      createdAt,
    };
  };
  const robert = member(family, 'robert');
  return [
    account(family.parentUserId, 'parent', 'parent@demo.portico.local', 'Ana Alvarez', 700),
    account(family.daughterUserId, 'daughter', 'daughter@demo.portico.local', 'Grace Okafor', 300),
    account(robert.userId!, 'robert.okafor', robert.person.email!, 'Robert Okafor', 320),
  ];
}

/**
 * The proxy grants: Ana is the guardian of both children (set up by the front desk: staff set guardians up), and Grace
 * acts for her father with full access, granted by him (so his age never ends it).
 */
export function familyGrants(family: DemoFamily, random: Random, frontDeskId: string, now: Date): (typeof accessGrants.$inferInsert)[] {
  const robert = member(family, 'robert');
  const guardian = (child: FamilyPatient, days: number) => ({
    id: random.uuid(),
    granteeUserId: family.parentUserId,
    patientId: child.id,
    kind: 'proxy',
    relationship: 'guardian',
    level: 'full',
    categories: [...fullProxyCategories],
    reason: 'mother',
    grantedBy: frontDeskId,
    startsAt: daysBefore(now, days),
    createdAt: daysBefore(now, days),
  });
  return [
    guardian(member(family, 'leo'), 690),
    guardian(member(family, 'sofia'), 690),
    {
      id: random.uuid(),
      granteeUserId: family.daughterUserId,
      patientId: robert.id,
      kind: 'proxy',
      relationship: 'invited',
      level: 'full',
      categories: [...fullProxyCategories],
      reason: null,
      grantedBy: robert.userId,
      startsAt: daysBefore(now, 290),
      createdAt: daysBefore(now, 290),
    },
  ];
}

/**
 * Sofia's depression screening (PHQ-9 modified for teens, LOINC 89204-2), reported as a result: mental health, so
 * hidden from her mother now that she is 15 (issue 11 demo).
 */
export function teenScreening(family: DemoFamily, random: Random, now: Date): FhirRow {
  const sofia = member(family, 'sofia');
  const at = daysBefore(now, 24);
  const resource = {
    resourceType: 'DiagnosticReport',
    id: random.uuid(),
    status: 'final',
    category: [codeable('http://terminology.hl7.org/CodeSystem/v2-0074', 'OTH', 'Other')],
    code: codeable(
      systems.loinc,
      '89204-2',
      'Patient Health Questionnaire-9: Modified for Teens total score',
      'Depression screening (PHQ-A)',
    ),
    subject: patientRef(sofia.id),
    effectiveDateTime: fhirDateTime(at),
    issued: fhirDateTime(at),
    conclusion: 'Score 11: moderate symptoms. Counseling follow-up arranged with Sofia.',
  };
  return toRow(resource, {
    patientId: sofia.id,
    category: 'OTH',
    code: `${systems.loinc}|89204-2`,
    effectiveAt: at,
    status: 'final',
    isSensitive: true,
    lastUpdated: at,
    encounterId: null,
  });
}

/** The HL7 v3 Confidentiality label "restricted", as an EHR sets it on what a clinician marked confidential. */
const restrictedLabel = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  code: 'R',
  display: 'restricted',
};

/**
 * Sofia's visit to the adolescent clinic, which her clinician marked confidential (meta.security R): hidden from her
 * mother now that she is 15, shown to her and to the care team (issue 11 demo).
 */
export function teenConfidentialVisit(family: DemoFamily, random: Random, now: Date): FhirRow {
  const sofia = member(family, 'sofia');
  const start = daysBefore(now, 40);
  const end = new Date(start.getTime() + 30 * 60_000);
  const resource = {
    resourceType: 'Encounter',
    id: random.uuid(),
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    type: [codeable(systems.snomed, '185347001', 'Encounter for problem (procedure)', 'Adolescent clinic visit')],
    subject: patientRef(sofia.id),
    period: { start: fhirDateTime(start), end: fhirDateTime(end) },
    location: [{ location: { display: 'Adolescent Clinic' } }],
  };
  const row = toRow(resource, {
    patientId: sofia.id,
    category: 'AMB',
    code: `${systems.snomed}|185347001`,
    effectiveAt: start,
    status: 'finished',
    isSensitive: false,
    lastUpdated: end,
    encounterId: null,
  });
  const stored = row.resource as { meta: Record<string, unknown> };
  return { ...row, resource: { ...stored, meta: { ...stored.meta, security: [restrictedLabel] } } };
}
