import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '@portico/shared';
import { hasRestrictedConfidentiality } from '@portico/fhir';
import type { Database } from '../db/client.ts';
import {
  activationCodes,
  departments,
  fhirResources,
  memberships,
  organizations,
  patients,
  practices,
  sessions,
  staffDepartments,
  users,
} from '../db/schema/index.ts';
import { generateToken, hashHumanCode, sha256Hex } from '../security/crypto.ts';
import { hashPassword } from '../security/password.ts';
import { generateTotpSecret } from '../modules/auth/totp.ts';

/** The password every factory-made user has. */
export const testPassword = 'correct horse battery staple 42';

let passwordHash: Promise<string> | undefined;
const unique = () => randomBytes(4).toString('hex');

/** An organization with one department. */
export async function buildOrganization(db: Database, name = `Org ${unique()}`) {
  const [org] = await db
    .insert(organizations)
    .values({ name, slug: `org-${unique()}` })
    .returning();
  const [department] = await db
    .insert(departments)
    .values({
      organizationId: org!.id,
      name: 'Family Medicine',
      specialty: 'family-medicine',
      timeZone: 'America/New_York',
      address: '1 Main St',
    })
    .returning();
  return { organization: org!, department: department! };
}

/** The membership a test role stands for; patients and proxies hold none (their access follows from records and grants). */
function membershipKindOf(role: Role): 'staff' | 'practice' | 'support' | null {
  if (role === 'patient' || role === 'proxy') return null;
  if (role === 'outside_provider' || role === 'sponsored_staff') return 'practice';
  return role === 'support' ? 'support' : 'staff';
}

/** An outside practice of an organization (issue 12). */
export async function buildPractice(db: Database, organizationId: string, name = `Practice ${unique()}`) {
  const [practice] = await db.insert(practices).values({ organizationId, name, phone: '+1 555 0150' }).returning();
  return practice!;
}

/**
 * A user holding a role's membership in the organization (none for patients and proxies), email verified; `mfa: true`
 * enrols TOTP. An outside provider or sponsored staff member belongs to `practiceId` (a new practice when absent); a
 * sponsored one is sponsored by `sponsorUserId` (a new physician of the practice when absent).
 */
export async function buildUser(
  db: Database,
  options: {
    role: Role;
    organizationId?: string | null;
    mfa?: boolean;
    departmentId?: string;
    verified?: boolean;
    practiceId?: string;
    sponsorUserId?: string;
  },
): Promise<typeof users.$inferSelect & { role: Role }> {
  passwordHash ??= hashPassword(testPassword);
  const name = `${options.role}-${unique()}`;
  const totpSecret = options.mfa ? generateTotpSecret() : null;
  const [user] = await db
    .insert(users)
    .values({
      organizationId: options.organizationId ?? null,
      username: name,
      email: `${name}@example.test`,
      emailVerifiedAt: options.verified === false ? null : new Date(),
      passwordHash: await passwordHash,
      displayName: `Test ${options.role}`,
      totpSecret,
      totpEnabledAt: totpSecret ? new Date() : null,
    })
    .returning();
  const kind = membershipKindOf(options.role);
  if (kind === 'practice' && options.organizationId) {
    const practiceId = options.practiceId ?? (await buildPractice(db, options.organizationId)).id;
    const sponsorUserId =
      options.role === 'sponsored_staff'
        ? (options.sponsorUserId ??
          (await buildUser(db, { role: 'outside_provider', organizationId: options.organizationId, practiceId })).id)
        : null;
    await db
      .insert(memberships)
      .values({ userId: user!.id, kind, organizationId: options.organizationId, role: options.role, practiceId, sponsorUserId });
  } else if (kind && options.organizationId)
    await db.insert(memberships).values({ userId: user!.id, kind, organizationId: options.organizationId, role: options.role });
  if (options.departmentId) await db.insert(staffDepartments).values({ userId: user!.id, departmentId: options.departmentId });
  return { ...user!, role: options.role };
}

/** A patient of an organization; `withAccount` also creates their portal user. */
export async function buildPatient(
  db: Database,
  organizationId: string,
  options: { withAccount?: boolean; givenName?: string; familyName?: string; birthDate?: string; mrn?: string; pcpId?: string } = {},
) {
  const user = options.withAccount ? await buildUser(db, { role: 'patient', organizationId }) : null;
  const [patient] = await db
    .insert(patients)
    .values({
      organizationId,
      mrn: options.mrn ?? `T${randomBytes(6).toString('hex')}`,
      givenName: options.givenName ?? 'Alex',
      familyName: options.familyName ?? `Tester${unique()}`,
      birthDate: options.birthDate ?? '1980-05-06',
      sex: 'female',
      userId: user?.id ?? null,
      pcpId: options.pcpId ?? null,
    })
    .returning();
  return { patient: patient!, user };
}

/** An activation code for a patient; returns the code as the patient would type it. */
export async function buildActivationCode(db: Database, patientId: string, options: { expiresAt?: Date } = {}) {
  const code = `TEST-${unique().toUpperCase()}`;
  await db
    .insert(activationCodes)
    .values({ patientId, codeHash: hashHumanCode(code), expiresAt: options.expiresAt ?? new Date(Date.now() + 86400_000) });
  return code;
}

/** A fully signed-in session made directly in the database, for tests that are not about sign-in; returns the cookie value. */
export async function signInAs(db: Database, user: { id: string }, options: { idleTimeoutSeconds?: number } = {}) {
  const token = generateToken();
  await db.insert(sessions).values({
    tokenHash: sha256Hex(token),
    userId: user.id,
    state: 'active',
    idleTimeoutSeconds: options.idleTimeoutSeconds ?? 900,
    absoluteExpiresAt: new Date(Date.now() + 12 * 3600_000),
  });
  return token;
}

/** Cookie header for a session token. */
export function cookieFor(token: string): { cookie: string } {
  return { cookie: `portico_session=${token}` };
}

/** What a test says about a stored FHIR resource: the resource and the search columns the importer would derive. */
export interface FhirResourceInput {
  organizationId: string;
  patientId: string | null;
  resource: { resourceType: string; [element: string]: unknown };
  category?: string | null;
  code?: string | null;
  effectiveAt?: Date | null;
  status?: string | null;
  encounterId?: string | null;
  sensitiveCategory?: 'mental_health' | 'substance_use' | 'sexual_reproductive' | 'hiv' | 'genetics' | null;
}

/** A FHIR resource stored as the importer stores it; `resource.id` is the row id. */
export async function buildFhirResource(db: Database, input: FhirResourceInput) {
  const id = randomUUID();
  const [row] = await db
    .insert(fhirResources)
    .values({
      id,
      organizationId: input.organizationId,
      patientId: input.patientId,
      resourceType: input.resource.resourceType,
      category: input.category ?? null,
      code: input.code ?? null,
      effectiveAt: input.effectiveAt ?? null,
      status: input.status ?? null,
      encounterId: input.encounterId ?? null,
      sensitiveCategory: input.sensitiveCategory ?? null,
      isSensitive: Boolean(input.sensitiveCategory),
      // As the importer derives it: meta.security R or V.
      confidential: hasRestrictedConfidentiality(input.resource as unknown as fhir4.Resource),
      resource: { ...input.resource, id },
    })
    .returning();
  return row!;
}
