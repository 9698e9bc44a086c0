/** Test fixtures for the refill tests: an organization with two pools, a PCP, staff, and a patient with prescriptions. */
import { eq } from 'drizzle-orm';
import { departments, users } from '../../db/schema/index.ts';
import {
  buildFhirResource,
  buildOrganization,
  buildPatient,
  buildUser,
  cookieFor,
  signInAs,
  type FhirResourceInput,
} from '../../test/factories.ts';
import { csrfHeaders, type TestApp } from '../../test/test-app.ts';

/**
 * An RxNorm-coded prescription as the importer would store it; `meta` carries security labels (R or V marks it
 * confidential) and `sensitiveCategory` the category the importer would derive.
 */
export async function buildPrescription(
  t: TestApp,
  organizationId: string,
  patientId: string,
  medicine: {
    name: string;
    code: string;
    directions: string;
    status?: string;
    resourceType?: string;
    meta?: object;
    sensitiveCategory?: FhirResourceInput['sensitiveCategory'];
  },
) {
  const status = medicine.status ?? 'active';
  const authoredOn = new Date(Date.now() - 90 * 86_400_000);
  return buildFhirResource(t.db, {
    organizationId,
    patientId,
    code: `http://www.nlm.nih.gov/research/umls/rxnorm|${medicine.code}`,
    status,
    effectiveAt: authoredOn,
    category: 'community',
    ...(medicine.sensitiveCategory ? { sensitiveCategory: medicine.sensitiveCategory } : {}),
    resource: {
      resourceType: medicine.resourceType ?? 'MedicationRequest',
      ...(medicine.meta ? { meta: medicine.meta } : {}),
      status,
      intent: 'order',
      medicationCodeableConcept: {
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: medicine.code, display: medicine.name }],
      },
      subject: { reference: `Patient/${patientId}` },
      authoredOn: authoredOn.toISOString(),
      requester: { display: 'Dr. Previous Prescriber' },
      dosageInstruction: [{ text: medicine.directions }],
    },
  });
}

/** The world of a refill test: the PCP's pool (Internal Medicine), another pool, staff in each, a patient of the PCP. */
export async function buildRefillWorld(t: TestApp) {
  const { organization, department: familyMedicine } = await buildOrganization(t.db);
  const [internalMedicine] = await t.db
    .insert(departments)
    .values({ organizationId: organization.id, name: 'Internal Medicine', specialty: 'internal-medicine', timeZone: 'America/New_York' })
    .returning();
  const org = organization.id;
  const pcp = await buildUser(t.db, { role: 'clinician', organizationId: org, departmentId: internalMedicine!.id });
  await t.db.update(users).set({ displayName: 'Dr. Sarah Chen' }).where(eq(users.id, pcp.id));
  const nurse = await buildUser(t.db, { role: 'nurse', organizationId: org, departmentId: internalMedicine!.id });
  const otherClinician = await buildUser(t.db, { role: 'clinician', organizationId: org, departmentId: familyMedicine.id });
  const { patient, user } = await buildPatient(t.db, org, { withAccount: true, pcpId: pcp.id });
  const other = await buildPatient(t.db, org, { withAccount: true });
  const lisinopril = await buildPrescription(t, org, patient.id, {
    name: 'Lisinopril 10 MG Oral Tablet',
    code: '314076',
    directions: 'Take 1 tablet by mouth daily',
  });
  const metformin = await buildPrescription(t, org, patient.id, {
    name: 'Metformin 500 MG Oral Tablet',
    code: '860975',
    directions: 'Take 1 tablet twice a day',
    status: 'on-hold',
  });
  const stopped = await buildPrescription(t, org, patient.id, {
    name: 'Amoxicillin 500 MG Oral Capsule',
    code: '308191',
    directions: 'Three times a day',
    status: 'stopped',
  });
  const othersMedicine = await buildPrescription(t, org, other.patient.id, {
    name: 'Atorvastatin 20 MG Oral Tablet',
    code: '617312',
    directions: 'Daily',
  });
  return {
    organizationId: org,
    pools: { familyMedicine: familyMedicine.id, internalMedicine: internalMedicine!.id },
    patient: { id: patient.id, userId: user!.id, email: user!.email, token: await signInAs(t.db, user!) },
    other: { id: other.patient.id, userId: other.user!.id, token: await signInAs(t.db, other.user!) },
    pcp: { id: pcp.id, token: await signInAs(t.db, pcp) },
    nurse: { token: await signInAs(t.db, nurse) },
    otherClinician: { token: await signInAs(t.db, otherClinician) },
    medications: { lisinopril: lisinopril.id, metformin: metformin.id, stopped: stopped.id, othersMedicine: othersMedicine.id },
  };
}

/** Requests as the web app sends them. */
export function requester(t: TestApp) {
  return {
    get: (token: string | null, url: string) => t.app.inject({ method: 'GET', url, headers: token ? cookieFor(token) : {} }),
    post: (token: string | null, url: string, payload: unknown, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { ...csrfHeaders, ...(token ? cookieFor(token) : {}), ...headers },
        payload: payload as object,
      }),
  };
}
