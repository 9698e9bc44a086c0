import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Role } from '@portico/shared';
import { appointments, auditEvents, fhirResources, patients } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { withPatientAccess } from '../access/access.service.ts';

let t: TestApp;
let orgA: Awaited<ReturnType<typeof buildOrganization>>;
let orgB: Awaited<ReturnType<typeof buildOrganization>>;
/** The patient most tests read: Marisol Quenneville of organization A, with a portal account. */
let self: { id: string; userId: string };
let bertrandId: string;
let twinInOrgBId: string;
let clinicianAId: string;
let nextVisitId: string;
/** Session tokens by who holds them. */
const tokens: Record<string, string> = {};

const day = 86_400_000;
const labCategory = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] };
const listItemKeys = ['birthDate', 'familyName', 'givenName', 'id', 'mrn', 'pcpName', 'sex'];

/** A laboratory Observation shaped like FHIR R4, stored the way the importer stores it. */
async function insertLab(patientId: string, daysAgo: number, fields: Record<string, unknown>, category = 'laboratory') {
  const effectiveAt = new Date(Date.now() - daysAgo * day);
  const resource = {
    resourceType: 'Observation',
    status: 'final',
    category: [labCategory],
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: effectiveAt.toISOString(),
    ...fields,
  };
  const [row] = await t.db
    .insert(fhirResources)
    .values({
      organizationId: orgA.organization.id,
      patientId,
      resourceType: 'Observation',
      category,
      status: 'final',
      effectiveAt,
      resource,
    })
    .returning();
  return row!.id;
}

async function insertVisit(patientId: string, startsIn: number, status = 'scheduled') {
  const startAt = new Date(Date.now() + startsIn);
  const [row] = await t.db
    .insert(appointments)
    .values({
      patientId,
      organizationId: orgA.organization.id,
      departmentId: orgA.department.id,
      clinicianId: clinicianAId,
      startAt,
      endAt: new Date(startAt.getTime() + 20 * 60_000),
      timeZone: 'America/New_York',
      visitType: 'office_visit',
      status,
    })
    .returning();
  return row!.id;
}

beforeAll(async () => {
  t = await buildTestApp();
  orgA = await buildOrganization(t.db);
  orgB = await buildOrganization(t.db);
  const staff: [string, Role, string][] = [
    ['clinician', 'clinician', orgA.organization.id],
    ['nurse', 'nurse', orgA.organization.id],
    ['front_desk', 'front_desk', orgA.organization.id],
    ['billing', 'billing', orgA.organization.id],
    ['admin', 'admin', orgA.organization.id],
    ['clinician of another organization', 'clinician', orgB.organization.id],
  ];
  for (const [who, role, organizationId] of staff) {
    const user = await buildUser(t.db, { role, organizationId, mfa: true });
    if (who === 'clinician') clinicianAId = user.id;
    tokens[who] = await signInAs(t.db, user);
  }
  const marisol = await buildPatient(t.db, orgA.organization.id, {
    withAccount: true,
    givenName: 'Marisol',
    familyName: 'Quenneville',
    birthDate: '1931-02-03',
    mrn: '7654321',
    pcpId: clinicianAId,
  });
  await t.db
    .update(patients)
    .set({ phone: '+1 555 0100', email: 'marisol@example.test', address: '9 Elm St' })
    .where(eq(patients.id, marisol.patient.id));
  self = { id: marisol.patient.id, userId: marisol.user!.id };
  tokens['the patient themself'] = await signInAs(t.db, marisol.user!);
  const other = await buildPatient(t.db, orgA.organization.id, { withAccount: true });
  tokens['another patient'] = await signInAs(t.db, other.user!);
  bertrandId = (
    await buildPatient(t.db, orgA.organization.id, { givenName: 'Bertrand', familyName: 'Quenneville', birthDate: '1960-07-08' })
  ).patient.id;
  twinInOrgBId = (
    await buildPatient(t.db, orgB.organization.id, {
      givenName: 'Marisol',
      familyName: 'Quenneville',
      birthDate: '1931-02-03',
      mrn: '7654321',
    })
  ).patient.id;

  await insertVisit(self.id, -2 * day, 'completed');
  await insertVisit(self.id, 1 * day, 'cancelled');
  nextVisitId = await insertVisit(self.id, 2 * day);
  await insertVisit(self.id, 9 * day);
  await insertLab(self.id, 3, {
    code: { text: 'Potassium' },
    valueQuantity: { value: 4.1, unit: 'mmol/L' },
    referenceRange: [{ low: { value: 3.5 }, high: { value: 5.1 } }],
  });
  await insertLab(self.id, 2, {
    code: { coding: [{ system: 'http://loinc.org', code: '718-7', display: 'Hemoglobin' }] },
    valueQuantity: { value: 9.8, unit: 'g/dL' },
    referenceRange: [{ low: { value: 12 }, high: { value: 16 } }],
  });
  await insertLab(self.id, 1, {
    code: {
      coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' }],
      text: 'Glucose',
    },
    valueQuantity: { value: 182, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
    referenceRange: [{ low: { value: 70, unit: 'mg/dL' }, high: { value: 99, unit: 'mg/dL' }, text: '70-99 mg/dL' }],
    interpretation: [
      { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'H', display: 'High' }] },
    ],
  });
  await insertLab(self.id, 0, { code: { text: 'Heart rate' }, valueQuantity: { value: 72, unit: '/min' } }, 'vital-signs');
  await insertLab(bertrandId, 0, { code: { text: 'Sodium' }, valueQuantity: { value: 140, unit: 'mmol/L' } });
});
afterAll(() => t.close());

const search = (token: string | null, q: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/api/patients/search',
    headers: { ...csrfHeaders, ...(token ? cookieFor(token) : {}) },
    payload: { q },
  });
const summary = (token: string | null, id: string) =>
  t.app.inject({ method: 'GET', url: `/api/patients/${id}/summary`, headers: token ? cookieFor(token) : {} });
const auditOf = (requestId: string | string[] | number | undefined) =>
  t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.requestId, String(requestId)));
const successCount = async (patientId: string) =>
  (
    await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patientId), eq(auditEvents.outcome, 'success')))
  ).length;
const ids = (body: { patients: { id: string }[] }) => body.patients.map((p) => p.id);

describe('POST /api/patients/search', () => {
  it('finds patients by family-name prefix in any case, only in the caller organization', async () => {
    const response = await search(tokens.clinician!, 'quenn');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(ids(response.json()).sort()).toEqual([bertrandId, self.id].sort());
    expect(ids(response.json())).not.toContain(twinInOrgBId);
  });

  it('finds by "given family", by MRN and by birth date YYYY-MM-DD', async () => {
    for (const q of ['Marisol Quenneville', 'mar quenn', '7654321', '1931-02-03']) {
      const response = await search(tokens.nurse!, q);
      expect(response.statusCode, q).toBe(200);
      expect(ids(response.json()), q).toEqual([self.id]);
    }
  });

  it('answers with the list fields only, never contact details', async () => {
    const [found] = (await search(tokens.front_desk!, '7654321')).json().patients;
    expect(Object.keys(found).sort()).toEqual(listItemKeys);
    expect(found).toEqual({
      id: self.id,
      mrn: '7654321',
      givenName: 'Marisol',
      familyName: 'Quenneville',
      birthDate: '1931-02-03',
      sex: 'female',
      pcpName: 'Test clinician',
    });
  });

  it('treats % and _ as literal characters, not wildcards', async () => {
    expect((await search(tokens.clinician!, '%%')).json()).toEqual({ patients: [], birthDate: null });
    expect((await search(tokens.clinician!, '__')).json()).toEqual({ patients: [], birthDate: null });
  });

  it('writes one patient.search.result audit event per patient returned, in the caller name', async () => {
    const response = await search(tokens.clinician!, 'Quenneville');
    const events = await auditOf(response.headers['x-request-id']);
    const results = events.filter((e) => e.action === 'patient.search.result');
    expect(results.map((e) => e.patientId).sort()).toEqual(ids(response.json()).sort());
    expect(results.every((e) => e.actorUserId === clinicianAId && e.outcome === 'success' && e.objectId === e.patientId)).toBe(true);
    expect(events.filter((e) => e.action === 'patient.search')).toMatchObject([{ outcome: 'success', details: { results: 2 } }]);
  });

  it('answers 400 naming q when it is shorter than 2 characters after trimming', async () => {
    for (const q of ['Q', '  Q  ']) {
      const response = await search(tokens.clinician!, q);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'q' });
    }
  });

  it('answers 401 without a session cookie', async () => {
    const response = await search(null, 'Quenneville');
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
  });

  it('answers 403 to a patient and writes no audit event about other patients', async () => {
    const response = await search(tokens['the patient themself']!, 'Quenneville');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({
      error: { code: 'forbidden', message: expect.any(String), requestId: response.headers['x-request-id'] },
    });
    expect(await auditOf(response.headers['x-request-id'])).toEqual([]);
  });
});

describe('GET /api/patients/:id/summary', () => {
  it('shows the patient their own summary: next booked visit and newest laboratory results with flags', async () => {
    const response = await summary(tokens['the patient themself']!, self.id);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(Object.keys(body.patient).sort()).toEqual(listItemKeys);
    expect(body.patient).toMatchObject({ id: self.id, givenName: 'Marisol', familyName: 'Quenneville', pcpName: 'Test clinician' });
    expect(body.nextAppointment).toMatchObject({
      id: nextVisitId,
      status: 'scheduled',
      timeZone: 'America/New_York',
      visitType: 'office_visit',
      clinicianName: 'Test clinician',
      departmentName: 'Family Medicine',
      locationAddress: '1 Main St',
    });
    expect(body.recentResults.map((r: { name: string }) => r.name)).toEqual(['Glucose', 'Hemoglobin', 'Potassium']);
    expect(body.recentResults[0]).toMatchObject({ value: '182', unit: 'mg/dL', referenceRange: '70-99 mg/dL', flag: 'H' });
    expect(body.recentResults[1]).toMatchObject({ value: '9.8', unit: 'g/dL', referenceRange: '12-16', flag: 'L' });
    expect(body.recentResults[2]).toMatchObject({ value: '4.1', unit: 'mmol/L', referenceRange: '3.5-5.1', flag: null });
  });

  it('audits the read as patient.summary.read with the patient, the actor and the request id', async () => {
    const response = await summary(tokens['the patient themself']!, self.id);
    expect(await auditOf(response.headers['x-request-id'])).toMatchObject([
      {
        action: 'patient.summary.read',
        outcome: 'success',
        patientId: self.id,
        actorUserId: self.userId,
        objectType: 'Patient',
        objectId: self.id,
      },
    ]);
  });

  it('writes the audit event in the read transaction: a read that fails leaves none, one that succeeds leaves one', async () => {
    const requestId = randomUUID();
    const actor = { userId: self.userId, ownPatientId: self.id, memberships: [], grants: [] };
    const request = {
      patientId: self.id,
      action: 'read' as const,
      categories: ['demographics' as const],
      auditAction: 'patient.summary.read',
    };
    await expect(
      withPatientAccess(t.db, actor, { requestId, ipAddress: null, actorUserId: self.userId }, request, async (tx) => {
        await tx.select().from(auditEvents).where(eq(auditEvents.requestId, requestId));
        throw new Error('the read failed');
      }),
    ).rejects.toThrow('the read failed');
    expect(await auditOf(requestId)).toEqual([]);

    const okRequestId = randomUUID();
    const value = await withPatientAccess(t.db, actor, { requestId: okRequestId, ipAddress: null, actorUserId: self.userId }, request, () =>
      Promise.resolve('read'),
    );
    expect(value).toBe('read');
    expect(await auditOf(okRequestId)).toMatchObject([{ outcome: 'success', patientId: self.id }]);
  });

  it('reads the summary without a transaction but never answers it unaudited: an event that cannot be written fails the request', async () => {
    // A trigger that refuses this one kind of event stands in for a failed audit insert (disk full, lost connection).
    await t.db.execute(
      sql.raw(`create function refuse_summary_audit() returns trigger language plpgsql as $$
        begin if new.action = 'patient.summary.read' then raise exception 'audit refused'; end if; return new; end $$;
        create trigger refuse_summary_audit before insert on audit_events for each row execute function refuse_summary_audit();`),
    );
    try {
      const response = await summary(tokens['the patient themself']!, self.id);
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain(self.id);
      expect(response.body).not.toMatch(/Glucose|recentResults|givenName/);
      expect(await auditOf(response.headers['x-request-id'])).toEqual([]);
    } finally {
      await t.db.execute(sql.raw('drop trigger refuse_summary_audit on audit_events; drop function refuse_summary_audit();'));
    }
    expect((await summary(tokens['the patient themself']!, self.id)).statusCode).toBe(200);
  });

  it('answers 404 with no data to another patient, and audits the denial', async () => {
    const before = await successCount(self.id);
    const response = await summary(tokens['another patient']!, self.id);
    expect(response.statusCode).toBe(404);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({
      error: { code: 'not_found', message: 'The patient was not found.', requestId: response.headers['x-request-id'] },
    });
    expect(await auditOf(response.headers['x-request-id'])).toMatchObject([
      { action: 'patient.summary.read', outcome: 'denied', objectId: self.id },
    ]);
    expect(await successCount(self.id)).toBe(before);
  });

  it('answers a nonexistent id and a patient of another organization with the same 404 body', async () => {
    const missing = await summary(tokens.clinician!, randomUUID());
    const hidden = await summary(tokens['clinician of another organization']!, self.id);
    expect(missing.statusCode).toBe(404);
    expect(hidden.statusCode).toBe(404);
    const { requestId: _a, ...missingError } = missing.json().error;
    const { requestId: _b, ...hiddenError } = hidden.json().error;
    expect(missingError).toEqual(hiddenError);
  });

  it('shows front desk of the same organization the visit but no results', async () => {
    const response = await summary(tokens.front_desk!, self.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ patient: { id: self.id }, nextAppointment: { id: nextVisitId }, recentResults: null });
  });

  it('answers 400 for an id that is not a UUID', async () => {
    const response = await summary(tokens.clinician!, '12345');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'id' });
  });

  it('answers 401 without a session cookie', async () => {
    const response = await summary(null, self.id);
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('unauthenticated');
  });
});

describe('patient endpoints, every role against the patient', () => {
  type Row = { who: string; summary: 200 | 404; visit?: boolean; results?: boolean; search: 200 | 403; findsPatient?: boolean };
  const matrix: Row[] = [
    { who: 'the patient themself', summary: 200, visit: true, results: true, search: 403 },
    { who: 'another patient', summary: 404, search: 403 },
    { who: 'clinician', summary: 200, visit: true, results: true, search: 200, findsPatient: true },
    { who: 'nurse', summary: 200, visit: true, results: true, search: 200, findsPatient: true },
    { who: 'front_desk', summary: 200, visit: true, results: false, search: 200, findsPatient: true },
    { who: 'billing', summary: 200, visit: false, results: false, search: 200, findsPatient: true },
    { who: 'admin', summary: 200, visit: false, results: false, search: 200, findsPatient: true },
    { who: 'clinician of another organization', summary: 404, search: 200, findsPatient: false },
  ];

  it.each(matrix)('GET summary as $who → $summary', async (row) => {
    const before = await successCount(self.id);
    const response = await summary(tokens[row.who]!, self.id);
    expect(response.statusCode).toBe(row.summary);
    const events = await auditOf(response.headers['x-request-id']);
    if (row.summary === 404) {
      expect(Object.keys(response.json())).toEqual(['error']);
      expect(response.body).not.toMatch(/Marisol|Quenneville|7654321|1931-02-03/);
      expect(events.map((e) => e.outcome)).toEqual(['denied']);
      expect(await successCount(self.id)).toBe(before);
      return;
    }
    const body = response.json();
    expect(body.patient.id).toBe(self.id);
    expect(body.nextAppointment?.id ?? null).toBe(row.visit ? nextVisitId : null);
    expect(body.recentResults === null ? null : body.recentResults.length).toBe(row.results ? 3 : null);
    expect(events).toMatchObject([{ action: 'patient.summary.read', outcome: 'success', patientId: self.id }]);
  });

  it.each(matrix)('POST search as $who → $search', async (row) => {
    const response = await search(tokens[row.who]!, 'Marisol Quenneville');
    expect(response.statusCode).toBe(row.search);
    if (row.search === 403) {
      expect(Object.keys(response.json())).toEqual(['error']);
      expect(await auditOf(response.headers['x-request-id'])).toEqual([]);
      return;
    }
    expect(ids(response.json()).includes(self.id)).toBe(row.findsPatient);
  });
});
