/** Builds every demo row in memory, deterministically from `now`; demo-seed.ts writes them. */
import type {
  providerTokens,
  sponsorValidations,
  accessGrants,
  activationCodes,
  departments,
  memberships,
  organizations,
  patients,
  practices,
  providerRegistrations,
  staffDepartments,
  users,
} from '../db/schema/index.ts';
import { addCalendarMonths } from '@portico/shared/zoned-time';
import { hashHumanCode } from '../security/crypto.ts';
import { bookUpcoming, pastAppointments, upcomingAppointment } from './appointments.ts';
import { demoActivation, demoSpanishSpeaker, demoTotpSecret } from './demo-accounts.ts';
import { familyGrants, familyNames, familyUsers, planFamily, teenConfidentialVisit, teenScreening } from './family.ts';
import { generateHistory } from './history.ts';
import { buildDemoMessaging, choosePortalPatients, portalUserRow, type DemoMessaging } from './messaging.ts';
import type { AppointmentRow, DepartmentRecord, FhirRow, PatientRecord, SeedContext, StaffRecord } from './model.ts';
import { generatePerson, UniquePool, type PersonSeed } from './people.ts';
import { randomProfile, scriptedProfileForDemoPatient, type ClinicalProfile } from './profile.ts';
import { Random } from './random.ts';
import { demoProviderToken, harborPatientMrns, outsidePeople, planOutsidePractice } from './outside-practice.ts';
import { planPrivacyOffice, privacyOfficer } from './privacy-office.ts';
import { demoDepartments, demoOrganization, demoStaff, staffSignature, type DepartmentKey } from './roster.ts';
import { buildDemoScheduling, type DemoScheduling } from './scheduling.ts';
import { Scheduler } from './visits.ts';
import { civilDateInZone, daysAfter, daysBefore } from './zoned-time.ts';

/** Every row the demo inserts, in insertion order; users lack only their password hash. */
export interface DemoPlan {
  organization: typeof organizations.$inferInsert & { id: string };
  departments: (typeof departments.$inferInsert)[];
  users: Omit<typeof users.$inferInsert, 'passwordHash'>[];
  /** Memberships: what each staff, support and outside-practice user is, in the demo organization. */
  memberships: (typeof memberships.$inferInsert)[];
  /** Outside practices (issue 12), inserted after the users and before the memberships that name them. */
  practices: (typeof practices.$inferInsert)[];
  /** Outside providers' registrations waiting for the support team. */
  providerRegistrations: (typeof providerRegistrations.$inferInsert)[];
  /** Sponsors' Sponsored User Validations of the current period (issue 12 §1). */
  sponsorValidations: (typeof sponsorValidations.$inferInsert)[];
  /** The token a patient issued for an outside provider (issue 12 §2), inserted after the patients. */
  providerTokens: (typeof providerTokens.$inferInsert)[];
  staffDepartments: (typeof staffDepartments.$inferInsert)[];
  patients: (typeof patients.$inferInsert)[];
  activationCodes: (typeof activationCodes.$inferInsert)[];
  /** Family access (issue 11): a parent's guardian proxies for two children, a daughter's full proxy for her father. */
  accessGrants: (typeof accessGrants.$inferInsert)[];
  resources: FhirRow[];
  appointments: AppointmentRow[];
  /** Conversations with the care team and quick replies (issue 4). */
  messaging: DemoMessaging;
  /** Visit types, clinicians' weekly hours and the booked appointments' time units (issue 5). */
  scheduling: DemoScheduling;
}

/** The demo patient behind the `patient` sign-in. */
const demoPatient = {
  givenName: 'Maria',
  familyName: 'Alvarez',
  sex: 'female',
  birthDate: '1978-09-14',
  phone: '(617) 555-0123',
  email: 'patient@demo.portico.local',
  address: '48 Linden Street, Apt 3, Somerville, MA 02143',
} as const satisfies PersonSeed;

/** Jordan Rivera, who has no portal account yet and activates with `demoActivation.code`. */
const activationPatient = {
  givenName: demoActivation.givenName,
  familyName: demoActivation.familyName,
  sex: 'male',
  birthDate: demoActivation.birthDate,
  phone: '(857) 555-0177',
  email: 'jordan.rivera@example.com',
  address: '15 Prospect Street, Cambridge, MA 02139',
} as const satisfies PersonSeed;

/** Ages (years) of the generated patients: children for Pediatrics, adults from 19 to 86. */
const generatedAges = [
  0, 2, 4, 6, 9, 12, 14, 16, 19, 23, 27, 29, 31, 34, 38, 41, 44, 45, 47, 49, 52, 54, 57, 59, 61, 63, 66, 68, 71, 73, 76, 79, 82, 85,
];

/** Generates the whole demo from one `now`: the same instant always gives the same rows. */
export function buildDemoPlan(now: Date): DemoPlan {
  const root = new Random('portico-demo/v1');
  const ids = root.fork('ids');
  const organizationId = ids.uuid();
  const departmentRecords = Object.fromEntries(demoDepartments.map((d) => [d.key, { ...d, id: ids.uuid() }])) as Record<
    DepartmentKey,
    DepartmentRecord
  >;
  const staffRecords: StaffRecord[] = demoStaff.map((s) => ({ ...s, id: ids.uuid(), signature: staffSignature(s) }));
  const byUsername = (username: string): StaffRecord => {
    const staff = staffRecords.find((s) => s.username === username);
    if (!staff) throw new Error(`The demo roster has no ${username}`);
    return staff;
  };
  const inDepartment = (key: DepartmentKey, role: StaffRecord['role']) =>
    staffRecords.filter((s) => s.role === role && s.departments.includes(key));
  const context: SeedContext = {
    now,
    organizationName: demoOrganization.name,
    departments: departmentRecords,
    clinicians: {
      familyMedicine: inDepartment('familyMedicine', 'clinician'),
      cardiology: inDepartment('cardiology', 'clinician'),
      pediatrics: inDepartment('pediatrics', 'clinician'),
      endocrinology: inDepartment('endocrinology', 'clinician'),
    },
  };

  const plan: DemoPlan = {
    // Ages for family access are counted on the calendar of the clinics' zone (issue 11 §1).
    organization: { id: organizationId, ...demoOrganization, timeZone: 'America/New_York', createdAt: daysBefore(now, 900) },
    departments: demoDepartments.map((d) => ({ id: departmentRecords[d.key].id, organizationId, ...omitKey(d) })),
    users: staffRecords.map((s, i) => {
      const createdAt = daysBefore(now, 850 - i * 9);
      return {
        id: s.id,
        organizationId,
        username: s.username,
        email: s.email,
        emailVerifiedAt: createdAt,
        displayName: `${s.givenName} ${s.familyName}`,
        credentials: s.credentials,
        totpSecret: s.hasTotp ? demoTotpSecret : null,
        totpEnabledAt: s.hasTotp ? daysAfter(createdAt, 1) : null,
        passwordChangedAt: createdAt,
        createdAt,
      };
    }),
    memberships: staffRecords.map((s, i) => ({
      userId: s.id,
      kind: 'staff',
      organizationId,
      role: s.role,
      createdAt: daysBefore(now, 850 - i * 9),
    })),
    staffDepartments: staffRecords.flatMap((s) => s.departments.map((key) => ({ userId: s.id, departmentId: departmentRecords[key].id }))),
    practices: [],
    providerRegistrations: [],
    sponsorValidations: [],
    providerTokens: [],
    patients: [],
    activationCodes: [],
    accessGrants: [],
    resources: [],
    appointments: [],
    messaging: { threads: [], messages: [], threadReads: [], templates: [] },
    scheduling: { visitTypes: [], templates: [], slots: [] },
  };

  const pool = new UniquePool();
  for (const person of [demoPatient, activationPatient]) pool.reserve(person.givenName, person.familyName, person.phone);
  for (const s of staffRecords) pool.reserve(s.givenName, s.familyName);
  for (const n of familyNames) pool.reserve(n.givenName, n.familyName);
  pool.reserve(privacyOfficer.givenName, privacyOfficer.familyName);
  for (const p of Object.values(outsidePeople)) pool.reserve(p.givenName, p.familyName);

  const clinician = byUsername('clinician');
  const patientUserId = ids.uuid();
  const scripted: { person: PersonSeed; mrn: string; userId: string | null }[] = [
    { person: activationPatient, mrn: demoActivation.mrn, userId: null },
    { person: demoPatient, mrn: '100002', userId: patientUserId },
  ];
  const familyPcps = [clinician, clinician, byUsername('dr.kowalski'), byUsername('np.brooks'), clinician, byUsername('dr.kowalski')];
  const generated = generatedAges.map((age, index) => {
    const random = root.fork(`person-${index}`);
    const sex = random.chance(0.5) ? ('female' as const) : ('male' as const);
    const child = age < 18;
    const birth = civilDateInZone(daysBefore(now, age * 365.25 + random.int(20, 340)), 'UTC');
    const person = generatePerson(
      random,
      { sex, birth, region: child ? 'illinois' : 'massachusetts', withEmail: !child && random.chance(0.75) },
      pool,
    );
    return { person, mrn: String(100003 + index), userId: null, pcp: child ? byUsername('dr.nguyen') : random.pick(familyPcps) };
  });

  // The family (issue 11) after everyone else, with ids from its own stream, so the others' rows stay as they were.
  const family = planFamily(now, root.fork('family'), 100003 + generatedAges.length);
  const familyEntries = family.patients.map((f) => ({
    person: f.person,
    mrn: f.mrn,
    userId: f.userId,
    pcp: f.pediatric ? byUsername('dr.nguyen') : clinician,
    id: f.id,
  }));
  const entries: { person: PersonSeed; mrn: string; userId: string | null; pcp: StaffRecord; id?: string }[] = [
    ...scripted.map((s) => ({ ...s, pcp: clinician })),
    ...generated,
    ...familyEntries,
  ];
  const records: { record: PatientRecord; userId: string | null; person: PersonSeed }[] = entries.map((entry) => {
    const { person, mrn, userId, pcp } = entry;
    const home = departmentRecords[pcp.departments[0] ?? 'familyMedicine'];
    const record: PatientRecord = {
      id: entry.id ?? ids.uuid(),
      mrn,
      givenName: person.givenName,
      familyName: person.familyName,
      sex: person.sex,
      birthDate: person.birthDate,
      pcp,
      home,
    };
    return { record, userId, person };
  });

  // A few generated patients also have portal accounts, so the care team's inbox holds more than one patient's messages.
  const messagingRandom = root.fork('messaging');
  const portalPatients = choosePortalPatients(records.slice(scripted.length, scripted.length + generated.length), now);
  for (const entry of portalPatients) entry.userId = messagingRandom.uuid();

  const scheduler = new Scheduler();
  const profiles = new Map<string, ClinicalProfile>();
  const demoRecord = records[1]?.record;
  if (!demoRecord) throw new Error('The demo patient is missing');
  for (const { record, userId, person } of records) {
    const random = root.fork(`patient-${record.mrn}`);
    const profile = record === demoRecord ? scriptedProfileForDemoPatient(now) : randomProfile(record, now, random.fork('profile'));
    profiles.set(record.id, profile);
    const nurse = inDepartment(record.home.key, 'nurse')[0] ?? null;
    const history = generateHistory(record, profile, context, scheduler, nurse, random.fork('history'));
    plan.resources.push(...history.rows);
    plan.appointments.push(...pastAppointments(record, history.visits, organizationId, context, scheduler, random.fork('past')));
    plan.patients.push({
      id: record.id,
      organizationId,
      mrn: record.mrn,
      givenName: record.givenName,
      familyName: record.familyName,
      birthDate: record.birthDate,
      sex: record.sex,
      phone: person.phone,
      email: person.email,
      address: person.address,
      pcpId: record.pcp.id,
      userId,
      createdAt: profile.historyStart.getTime() < now.getTime() ? profile.historyStart : now,
    });
  }

  const upcoming = root.fork('upcoming');
  const soon = bookUpcoming(demoRecord, organizationId, context, scheduler, upcoming, {
    kind: 'followUp',
    department: demoRecord.home,
    clinician,
    fromDays: 3,
    toDays: 12,
  });
  if (!soon) throw new Error('No slot for the demo patient in the next two weeks');
  plan.appointments.push(soon);
  const endocrinology = context.clinicians.endocrinology[0];
  if (endocrinology) {
    const video = bookUpcoming(demoRecord, organizationId, context, scheduler, upcoming, {
      kind: 'video',
      department: departmentRecords.endocrinology,
      clinician: endocrinology,
      fromDays: 30,
      toDays: 50,
    });
    if (video) plan.appointments.push(video);
  }
  for (const { record } of records) {
    const profile = profiles.get(record.id);
    if (record === demoRecord || !profile) continue;
    const row = upcomingAppointment(record, profile, organizationId, context, scheduler, upcoming.fork(record.mrn));
    if (row) plan.appointments.push(row);
  }

  plan.users.push({
    id: patientUserId,
    organizationId,
    username: 'patient',
    email: demoPatient.email,
    emailVerifiedAt: daysBefore(now, 1100),
    displayName: `${demoPatient.givenName} ${demoPatient.familyName}`,
    credentials: null,
    totpSecret: null,
    totpEnabledAt: null,
    passwordChangedAt: daysBefore(now, 1100),
    createdAt: daysBefore(now, 1100),
  });
  const portalAccounts = portalPatients.flatMap(({ record, person, userId }) =>
    userId && person.email ? [{ patientId: record.id, userId, email: person.email, record }] : [],
  );
  for (const { userId, email, record } of portalAccounts) {
    const row = portalUserRow({ id: userId, organizationId, email, givenName: record.givenName, familyName: record.familyName }, now);
    plan.users.push(row.username === demoSpanishSpeaker ? { ...row, locale: 'es' } : row);
  }
  plan.users.push(...familyUsers(family, organizationId, now));
  // The privacy office (issue 11 §3) from its own fork, like the family, so the other rows keep their ids.
  const office = planPrivacyOffice(now, root.fork('privacy-office'), organizationId);
  plan.departments.push(office.department);
  plan.users.push(office.user);
  plan.memberships.push(office.membership);
  plan.staffDepartments.push(office.staffDepartment);
  // The support team and two outside practices (issue 12), from their own fork too; Dr. Harbor's partner becomes two
  // children's PCP, and Maria Alvarez has issued a token for Dr. Adeyemi.
  const outside = planOutsidePractice(now, root.fork('outside-practice'), organizationId, plan.organization.timeZone ?? 'UTC');
  plan.users.push(...outside.users);
  plan.memberships.push(...outside.memberships);
  plan.practices.push(...outside.practices);
  plan.providerRegistrations.push(...outside.registrations);
  plan.sponsorValidations.push(...outside.sponsorValidations);
  for (const row of plan.patients) if ((harborPatientMrns as readonly string[]).includes(row.mrn)) row.pcpId = outside.pcpId;
  const tokenIssuedAt = daysBefore(now, 10);
  plan.providerTokens.push({
    organizationId,
    patientId: demoRecord.id,
    tokenHash: hashHumanCode(demoProviderToken.code),
    label: demoProviderToken.label,
    issuedBy: patientUserId,
    createdAt: tokenIssuedAt,
    expiresAt: addCalendarMonths(tokenIssuedAt, 6),
  });
  plan.accessGrants = familyGrants(family, root.fork('family-grants'), byUsername('frontdesk').id, now);
  plan.resources.push(teenScreening(family, root.fork('family-records'), now));
  plan.resources.push(teenConfidentialVisit(family, root.fork('family-confidential'), now));
  plan.messaging = buildDemoMessaging({
    now,
    random: messagingRandom,
    organizationId,
    departments: departmentRecords,
    staff: { clinician, nurse: byUsername('nurse'), frontDesk: byUsername('frontdesk') },
    maria: { patientId: demoRecord.id, userId: patientUserId },
    others: portalAccounts,
  });
  plan.scheduling = buildDemoScheduling({
    now,
    random: root.fork('scheduling'),
    organizationId,
    departments: departmentRecords,
    staff: staffRecords,
    appointments: plan.appointments,
  });
  const jordan = records[0]?.record;
  if (!jordan) throw new Error('The activation patient is missing');
  plan.activationCodes.push({
    id: ids.uuid(),
    patientId: jordan.id,
    codeHash: hashHumanCode(demoActivation.code),
    expiresAt: daysAfter(now, demoActivation.validDays),
    redeemedAt: null,
    createdBy: byUsername('frontdesk').id,
    createdAt: daysBefore(now, 1),
  });
  return plan;
}

function omitKey<T extends { key: unknown }>(value: T): Omit<T, 'key'> {
  const { key: _key, ...rest } = value;
  return rest;
}
