import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Role } from '@portico/shared';
import { appointments, departments, staffDepartments, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { csrfHeaders, type TestApp } from '../../test/test-app.ts';

/** A person of the messaging test world: their user id, display name and session. */
export interface Person {
  id: string;
  name: string;
  token: string;
}

/** A patient with a portal account, signed in. */
export interface PatientPerson extends Person {
  patientId: string;
}

/**
 * The test world for the patient side of messaging: organization A with Family Medicine (Dr. Sarah Chen, the patient's
 * PCP, and nurse Nora Diaz) and Cardiology (Dr. Omar Haddad, seen at a past visit); Dermatology, where the patient has
 * only a future and a cancelled visit; organization B; the patient, a second patient, and staff outside the pools.
 */
export interface MessagingWorld {
  orgA: string;
  orgB: string;
  familyMedicine: string;
  cardiology: string;
  dermatology: string;
  orgBDepartment: string;
  pcp: Person;
  nurse: Person;
  cardiologist: Person;
  dermatologist: Person;
  /** A clinician of organization A in no pool of the patient. */
  outsider: Person;
  /** A clinician of organization B. */
  foreignClinician: Person;
  patient: PatientPerson;
  otherPatient: PatientPerson;
}

async function person(t: TestApp, role: Role, organizationId: string, name: string, credentials: string | null, departmentId?: string) {
  const user = await buildUser(t.db, { role, organizationId, mfa: role !== 'patient', ...(departmentId ? { departmentId } : {}) });
  await t.db.update(users).set({ displayName: name, credentials }).where(eq(users.id, user.id));
  return { id: user.id, name, token: await signInAs(t.db, user) };
}

async function department(t: TestApp, organizationId: string, name: string) {
  const [row] = await t.db
    .insert(departments)
    .values({ organizationId, name, specialty: name.toLowerCase(), timeZone: 'America/New_York' })
    .returning();
  return row!.id;
}

async function visit(
  t: TestApp,
  input: { patientId: string; organizationId: string; departmentId: string; clinicianId: string; daysFromNow: number; status: string },
) {
  const startAt = new Date(Date.now() + input.daysFromNow * 86_400_000);
  await t.db.insert(appointments).values({
    patientId: input.patientId,
    organizationId: input.organizationId,
    departmentId: input.departmentId,
    clinicianId: input.clinicianId,
    startAt,
    endAt: new Date(startAt.getTime() + 1_800_000),
    timeZone: 'America/New_York',
    visitType: 'office',
    status: input.status,
  });
}

/** Builds the world on a test app's database. */
export async function buildMessagingWorld(t: TestApp): Promise<MessagingWorld> {
  const a = await buildOrganization(t.db);
  const b = await buildOrganization(t.db);
  const orgA = a.organization.id;
  const familyMedicine = a.department.id;
  const cardiology = await department(t, orgA, 'Cardiology');
  const dermatology = await department(t, orgA, 'Dermatology');
  const pcp = await person(t, 'clinician', orgA, 'Sarah Chen', 'MD', familyMedicine);
  const nurse = await person(t, 'nurse', orgA, 'Nora Diaz', 'RN', familyMedicine);
  const cardiologist = await person(t, 'clinician', orgA, 'Omar Haddad', 'DO', cardiology);
  const dermatologist = await person(t, 'clinician', orgA, 'Dana Park', 'MD', dermatology);
  const outsider = await person(t, 'clinician', orgA, 'Olga Out', 'MD', await department(t, orgA, 'Radiology'));
  const foreignClinician = await person(t, 'clinician', b.organization.id, 'Fred Far', 'MD', b.department.id);

  const built = await buildPatient(t.db, orgA, { withAccount: true, pcpId: pcp.id, givenName: 'Maria' });
  await t.db.update(users).set({ displayName: 'Maria Lopez' }).where(eq(users.id, built.user!.id));
  const patient = { id: built.user!.id, name: 'Maria Lopez', token: await signInAs(t.db, built.user!), patientId: built.patient.id };
  const other = await buildPatient(t.db, orgA, { withAccount: true });
  const otherPatient = { id: other.user!.id, name: 'Test patient', token: await signInAs(t.db, other.user!), patientId: other.patient.id };

  const visits = [
    { departmentId: cardiology, clinicianId: cardiologist.id, daysFromNow: -40, status: 'completed' },
    { departmentId: cardiology, clinicianId: cardiologist.id, daysFromNow: -10, status: 'completed' },
    { departmentId: familyMedicine, clinicianId: pcp.id, daysFromNow: -5, status: 'completed' },
    { departmentId: familyMedicine, clinicianId: nurse.id, daysFromNow: -3, status: 'arrived' },
    { departmentId: dermatology, clinicianId: dermatologist.id, daysFromNow: 7, status: 'scheduled' },
    { departmentId: dermatology, clinicianId: dermatologist.id, daysFromNow: -2, status: 'cancelled' },
  ];
  for (const v of visits) await visit(t, { ...v, patientId: patient.patientId, organizationId: orgA });

  return {
    orgA,
    orgB: b.organization.id,
    familyMedicine,
    cardiology,
    dermatology,
    orgBDepartment: b.department.id,
    pcp,
    nurse,
    cardiologist,
    dermatologist,
    outsider,
    foreignClinician,
    patient,
    otherPatient,
  };
}

/** Adds a staff member to a pool. */
export async function joinPool(t: TestApp, userId: string, departmentId: string): Promise<void> {
  await t.db.insert(staffDepartments).values({ userId, departmentId });
}

/** Request helpers bound to a test app: who is a Person (or null for no session). */
export function requestsFor(t: TestApp) {
  const headersOf = (who: Person | null) => (who ? cookieFor(who.token) : {});
  return {
    get: (who: Person | null, url: string) => t.app.inject({ method: 'GET', url, headers: headersOf(who) }),
    post: (who: Person | null, url: string, payload: object, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...csrfHeaders, ...headersOf(who), ...headers },
        payload: payload as Record<string, unknown>,
      }),
    upload: (who: Person | null, url: string, bytes: Buffer, contentType: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...csrfHeaders, ...headersOf(who), 'content-type': contentType, ...headers },
        payload: bytes,
      }),
  };
}

/** A new thread body for the patient's PCP office, with a fresh subject. */
export function newThread(world: MessagingWorld, overrides: Record<string, unknown> = {}) {
  return {
    departmentId: world.familyMedicine,
    clinicianId: world.pcp.id,
    topic: 'medical_question',
    subject: `Question ${randomUUID().slice(0, 8)}`,
    body: 'My knee hurts when I climb stairs.',
    ...overrides,
  };
}

/** Small valid files of each allowed type, and impostors. */
export const sampleFiles = {
  pdf: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  png: Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from('\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0'),
  ]),
  jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0\x01\x01'), Buffer.from([0xff, 0xd9])]),
  html: Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'),
};
