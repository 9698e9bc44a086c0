import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Role } from '@portico/shared';
import { auditEvents } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';

/** The staff chart's header: name, MRN, age and allergies, audited as a clinical read (issue 10 §5.5). */
let t: TestApp;
let organizationId: string;
const tokens: Record<string, string> = {};
const patients: Record<string, string> = {};

/** The first of the month `monthsAgo` months (and `yearsAgo` years) before this one, UTC: whole months to today. */
function firstOfMonthAgo(yearsAgo: number, monthsAgo: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() - yearsAgo, now.getUTCMonth() - monthsAgo, 1)).toISOString().slice(0, 10);
}

const status = (system: string, code: string) => ({ coding: [{ system: `http://terminology.hl7.org/CodeSystem/${system}`, code }] });
const clinical = (code: string) => status('allergyintolerance-clinical', code);
const verification = (code: string) => status('allergyintolerance-verification', code);

async function allergy(patient: string, fields: Record<string, unknown>) {
  await buildFhirResource(t.db, {
    organizationId,
    patientId: patients[patient]!,
    resource: { resourceType: 'AllergyIntolerance', patient: { reference: `Patient/${patients[patient]}` }, ...fields },
  });
}

beforeAll(async () => {
  t = await buildTestApp();
  const { organization } = await buildOrganization(t.db);
  organizationId = organization.id;
  const other = await buildOrganization(t.db);
  const staff: [string, Role, string][] = [
    ['clinician', 'clinician', organizationId],
    ['nurse', 'nurse', organizationId],
    ['front_desk', 'front_desk', organizationId],
    ['clinician of another organization', 'clinician', other.organization.id],
  ];
  for (const [who, role, org] of staff) tokens[who] = await signInAs(t.db, await buildUser(t.db, { role, organizationId: org, mfa: true }));
  const built = {
    adult: firstOfMonthAgo(40, 0),
    infant: firstOfMonthAgo(0, 5),
    toddler: firstOfMonthAgo(1, 7),
    noneKnown: '1990-04-12',
    nothing: '1990-04-12',
    onlyPast: '1990-04-12',
  };
  for (const [key, birthDate] of Object.entries(built)) {
    const { patient, user } = await buildPatient(t.db, organizationId, { birthDate, withAccount: key === 'adult' });
    patients[key] = patient.id;
    if (user) tokens.patient = await signInAs(t.db, user);
  }
  await allergy('adult', {
    code: { text: 'Penicillin' },
    clinicalStatus: clinical('active'),
    verificationStatus: verification('confirmed'),
    criticality: 'low',
    recordedDate: '2015-01-01',
  });
  await allergy('adult', {
    code: { text: 'Shellfish' },
    clinicalStatus: clinical('active'),
    criticality: 'high',
    recordedDate: '2010-01-01',
  });
  await allergy('adult', { code: { text: 'Latex' }, clinicalStatus: clinical('resolved') });
  await allergy('adult', { code: { text: 'Peanuts' }, verificationStatus: verification('refuted') });
  await allergy('adult', { code: { text: 'Dust' }, verificationStatus: verification('entered-in-error') });
  for (let i = 0; i < 5; i++) await allergy('toddler', { code: { text: `Food ${i}` }, clinicalStatus: clinical('active') });
  await allergy('noneKnown', {
    code: { coding: [{ system: 'http://snomed.info/sct', code: '716186003', display: 'No known allergy' }] },
    clinicalStatus: clinical('active'),
  });
  await allergy('onlyPast', { code: { text: 'Latex' }, clinicalStatus: clinical('resolved') });
});
afterAll(() => t.close());

const header = (who: string | null, patient: string) =>
  t.app.inject({
    method: 'GET',
    url: `/api/patients/${patients[patient] ?? patient}/chart-header`,
    headers: who ? cookieFor(tokens[who]!) : {},
  });
const eventsOf = (response: { headers: Record<string, unknown> }) =>
  t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));

describe('GET /api/patients/:id/chart-header', () => {
  it('gives the patient, their age in years and their active allergies, most critical first, audited as a clinical read', async () => {
    const response = await header('clinician', 'adult');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.patient).toMatchObject({ id: patients.adult, birthDate: firstOfMonthAgo(40, 0) });
    expect(body.age).toEqual({ years: 40, months: 480 });
    expect(body.allergies).toEqual({
      status: 'recorded',
      items: [
        { id: expect.any(String), substance: 'Shellfish', criticality: 'high' },
        { id: expect.any(String), substance: 'Penicillin', criticality: 'low' },
      ],
      more: 0,
    });
    expect(await eventsOf(response)).toMatchObject([
      {
        action: 'patient.chart.header.read',
        outcome: 'success',
        patientId: patients.adult,
        details: { categories: ['demographics', 'clinical'], via: 'organization_staff' },
      },
    ]);
  });

  it('gives an infant’s age in months, and lists five allergies with how many more there are', async () => {
    expect((await header('nurse', 'infant')).json().age).toEqual({ years: 0, months: 5 });
    const toddler = (await header('nurse', 'toddler')).json();
    expect(toddler.age).toEqual({ years: 1, months: 19 });
    expect(toddler.allergies.items).toHaveLength(5);
    expect(toddler.allergies.more).toBe(0);
    await allergy('toddler', { code: { text: 'Food 5' }, clinicalStatus: clinical('active') });
    expect((await header('nurse', 'toddler')).json().allergies).toMatchObject({ status: 'recorded', more: 1 });
  });

  it('says "no known allergies" only when the record says so, and "not recorded" otherwise', async () => {
    expect((await header('clinician', 'noneKnown')).json().allergies).toEqual({ status: 'none_known', items: [], more: 0 });
    expect((await header('clinician', 'nothing')).json().allergies).toEqual({ status: 'not_recorded', items: [], more: 0 });
    expect((await header('clinician', 'onlyPast')).json().allergies).toEqual({ status: 'not_recorded', items: [], more: 0 });
  });

  it('shows front desk the patient and age but no allergies, audited without the clinical category', async () => {
    const response = await header('front_desk', 'adult');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ age: { years: 40 }, allergies: null });
    expect(response.body).not.toContain('Shellfish');
    expect(await eventsOf(response)).toMatchObject([{ action: 'patient.chart.header.read', details: { categories: ['demographics'] } }]);
  });

  it('answers 404 to another organization and for a missing patient, audited as denied, with no patient data', async () => {
    const foreign = await header('clinician of another organization', 'adult');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).not.toContain('Shellfish');
    expect(await eventsOf(foreign)).toMatchObject([{ action: 'patient.chart.header.read', outcome: 'denied' }]);
    expect((await header('clinician', randomUUID())).statusCode).toBe(404);
  });

  it('answers the patient with their own header, 400 for an id that is not a UUID and 401 without a session', async () => {
    expect((await header('patient', 'adult')).statusCode).toBe(200);
    const bad = await header('clinician', 'not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('id');
    expect((await header(null, 'adult')).statusCode).toBe(401);
  });
});
