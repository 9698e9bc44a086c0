import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, organizations, patients } from '../../db/schema/index.ts';
import { buildFhirResource, buildUser, signInAs, type FhirResourceInput } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { dayInZone } from '../access/access.policy.ts';
import { fullProxyCategories } from '../proxies/proxy-access.ts';
import { bookAt, buildScheduleWorld, daysFromNow, requester } from './schedule.fixtures.ts';

/**
 * Issue 11 §1 on the e-check-in form: the medications and allergies to review are record reads under the reader's row
 * filter. A guardian of a 15-year-old does not see those marked confidential (meta.security R) or of a sensitive
 * category; the teen sees them all.
 */
let t: TestApp;
let w: Awaited<ReturnType<typeof buildScheduleWorld>>;
let http: ReturnType<typeof requester>;
const zone = 'America/Los_Angeles';
const restricted = { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] };

/** A birth date `years` years and about half a year before today in the organization's zone: that age, far from a birthday. */
function birthDate(years: number): string {
  const [y, m, d] = dayInZone(new Date(), zone).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y - years, m - 1, d - 180)).toISOString().slice(0, 10);
}

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildScheduleWorld(t);
  http = requester(t);
  await t.db.update(organizations).set({ timeZone: zone }).where(eq(organizations.id, w.organization.id));
});
afterAll(() => t.close());

const checkInUrl = (patientId: string, appointmentId: string) => `/api/patients/${patientId}/appointments/${appointmentId}/check-in`;

async function medication(
  patientId: string,
  name: string,
  marks: { meta?: object; sensitiveCategory?: FhirResourceInput['sensitiveCategory'] },
) {
  return buildFhirResource(t.db, {
    organizationId: w.organization.id,
    patientId,
    status: 'active',
    ...(marks.sensitiveCategory ? { sensitiveCategory: marks.sensitiveCategory } : {}),
    resource: {
      resourceType: 'MedicationRequest',
      ...(marks.meta ? { meta: marks.meta } : {}),
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { text: name },
      dosageInstruction: [{ text: 'Once a day' }],
    },
  });
}

async function allergy(
  patientId: string,
  substance: string,
  marks: { meta?: object; sensitiveCategory?: FhirResourceInput['sensitiveCategory'] },
) {
  return buildFhirResource(t.db, {
    organizationId: w.organization.id,
    patientId,
    ...(marks.sensitiveCategory ? { sensitiveCategory: marks.sensitiveCategory } : {}),
    resource: {
      resourceType: 'AllergyIntolerance',
      ...(marks.meta ? { meta: marks.meta } : {}),
      clinicalStatus: { coding: [{ code: 'active' }] },
      code: { text: substance },
      reaction: [{ manifestation: [{ text: 'Hives' }] }],
    },
  });
}

describe('GET /api/patients/:id/appointments/:appointmentId/check-in under the row filter', () => {
  it('leaves confidential and sensitive medications and allergies out of the guardian’s form; the teen sees them (200)', async () => {
    const p = await w.patient();
    await t.db
      .update(patients)
      .set({ birthDate: birthDate(15) })
      .where(eq(patients.id, p.id));
    const user = await buildUser(t.db, { role: 'proxy', organizationId: w.organization.id });
    await t.db.insert(accessGrants).values({
      granteeUserId: user.id,
      patientId: p.id,
      kind: 'proxy',
      relationship: 'guardian',
      level: 'full',
      categories: [...fullProxyCategories],
      sensitiveCategories: ['mental_health', 'substance_use', 'sexual_reproductive', 'hiv', 'genetics'],
      grantedBy: w.clinician.id,
    });
    const guardian = await signInAs(t.db, user);
    await medication(p.id, 'Lisinopril', {});
    await medication(p.id, 'Norethindrone', { meta: restricted });
    await medication(p.id, 'Emtricitabine', { sensitiveCategory: 'hiv' });
    await allergy(p.id, 'Penicillin', {});
    await allergy(p.id, 'Latex', { meta: restricted });
    await allergy(p.id, 'Naltrexone', { sensitiveCategory: 'substance_use' });
    const visit = await bookAt(t, w, p.id, daysFromNow(3));

    const names = async (token: string) => {
      const response = await http.get(token, checkInUrl(p.id, visit.id));
      expect(response.statusCode).toBe(200);
      const form = response.json<{ medications: { name: string }[]; allergies: { substance: string }[] }>();
      return { medications: form.medications.map((m) => m.name).sort(), allergies: form.allergies.map((a) => a.substance).sort() };
    };
    expect(await names(guardian)).toEqual({ medications: ['Lisinopril'], allergies: ['Penicillin'] });
    expect(await names(p.token)).toEqual({
      medications: ['Emtricitabine', 'Lisinopril', 'Norethindrone'],
      allergies: ['Latex', 'Naltrexone', 'Penicillin'],
    });
  });
});
