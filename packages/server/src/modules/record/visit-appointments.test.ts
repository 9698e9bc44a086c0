import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitItem } from '@portico/shared';
import { and, eq } from 'drizzle-orm';
import { accessGrants, appointments, auditEvents } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';

/**
 * Visits and past appointments name one encounter once (issue 10 §4): a visit that was a booked appointment says which,
 * so the record links it instead of listing it as something else. Medicines read as a patient says them.
 */
let t: TestApp;
let patientId = '';
const tokens: Record<'patient' | 'clinician' | 'careTeam', string> = { patient: '', clinician: '', careTeam: '' };
type Stored = 'booked' | 'bookedVisit' | 'walkIn' | 'later' | 'named' | 'namedVisit' | 'metformin' | 'epinephrine';
/** Stored ids by name (filled in before the tests read them). */
const ids = {} as Record<Stored, string>;
const day = 86_400_000;
const minute = 60_000;
const rxnorm = 'http://www.nlm.nih.gov/research/umls/rxnorm';

beforeAll(async () => {
  t = await buildTestApp();
  const { organization, department } = await buildOrganization(t.db);
  const { patient, user } = await buildPatient(t.db, organization.id, { withAccount: true });
  patientId = patient.id;
  const clinician = await buildUser(t.db, { role: 'clinician', organizationId: organization.id, mfa: true, departmentId: department.id });
  // A provider of an outside practice of the patient's organization (not the PCP's): their care-team place is theirs.
  const outside = await buildUser(t.db, { role: 'outside_provider', organizationId: organization.id, mfa: true });
  await t.db.insert(accessGrants).values({
    granteeUserId: outside.id,
    patientId,
    kind: 'care_team',
    level: 'read',
    categories: ['demographics', 'clinical'],
    reason: 'cardiology',
  });
  tokens.patient = await signInAs(t.db, user!);
  tokens.clinician = await signInAs(t.db, clinician);
  tokens.careTeam = await signInAs(t.db, outside);

  const now = Date.now();
  const at = (daysAgo: number, minutes = 0) => new Date(now - daysAgo * day + minutes * minute);
  const appointment = async (start: Date, status: string) => {
    const [row] = await t.db
      .insert(appointments)
      .values({
        patientId,
        organizationId: organization.id,
        departmentId: department.id,
        clinicianId: clinician.id,
        startAt: start,
        endAt: new Date(start.getTime() + 20 * minute),
        timeZone: 'America/New_York',
        visitType: 'Follow-up visit',
        status,
      })
      .returning({ id: appointments.id });
    return row!.id;
  };
  const encounter = async (start: Date, fields: Record<string, unknown> = {}) => {
    const row = await buildFhirResource(t.db, {
      organizationId: organization.id,
      patientId,
      effectiveAt: start,
      status: 'finished',
      resource: {
        resourceType: 'Encounter',
        status: 'finished',
        class: { code: 'AMB' },
        type: [{ text: 'Follow-up visit' }],
        subject: { reference: `Patient/${patientId}` },
        period: { start: start.toISOString(), end: new Date(start.getTime() + 20 * minute).toISOString() },
        ...fields,
      },
    });
    return row.id;
  };

  // Booked and seen: the encounter opened 7 minutes after the booked start.
  ids.booked = await appointment(at(10), 'completed');
  ids.bookedVisit = await encounter(at(10, 7));
  // A cancelled booking at the same time as a walk-in visit: not the same thing.
  await appointment(at(20), 'cancelled');
  ids.walkIn = await encounter(at(20));
  // A visit three hours from the nearest booking: not that booking.
  await appointment(at(30), 'completed');
  ids.later = await encounter(at(30, 180));
  // A visit whose Encounter names its appointment, booked the day before it happened (a reschedule the EHR recorded).
  ids.named = await appointment(at(41), 'completed');
  ids.namedVisit = await encounter(at(40), { appointment: [{ reference: `Appointment/${ids.named}` }] });

  ids.metformin = (
    await buildFhirResource(t.db, {
      organizationId: organization.id,
      patientId,
      status: 'active',
      effectiveAt: at(10, 7),
      encounterId: ids.bookedVisit,
      code: `${rxnorm}|860975`,
      resource: {
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: {
          coding: [{ system: rxnorm, code: '860975', display: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet' }],
          text: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet',
        },
        subject: { reference: `Patient/${patientId}` },
        encounter: { reference: `Encounter/${ids.bookedVisit}` },
        authoredOn: at(10, 7).toISOString(),
        dosageInstruction: [{ text: 'Take 1 tablet by mouth daily with the evening meal' }],
      },
    })
  ).id;
  ids.epinephrine = (
    await buildFhirResource(t.db, {
      organizationId: organization.id,
      patientId,
      status: 'active',
      effectiveAt: at(300),
      code: `${rxnorm}|1870230`,
      resource: {
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        medicationCodeableConcept: {
          coding: [{ system: rxnorm, code: '1870230', display: 'NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector' }],
        },
        subject: { reference: `Patient/${patientId}` },
        authoredOn: at(300).toISOString(),
      },
    })
  ).id;
});
afterAll(() => t.close());

async function visitsSeenBy(who: keyof typeof tokens): Promise<VisitItem[]> {
  const response = await t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/record/visits`, headers: cookieFor(tokens[who]) });
  expect(response.statusCode).toBe(200);
  return response.json<{ visits: VisitItem[] }>().visits;
}

const appointmentOf = (visits: VisitItem[], id: string) => visits.find((v) => v.id === id)?.appointmentId;

describe('visits that were booked appointments', () => {
  it('names the booked appointment a visit was, and no appointment for a walk-in, a cancelled booking or one hours away', async () => {
    const visits = await visitsSeenBy('patient');
    expect(appointmentOf(visits, ids.bookedVisit)).toBe(ids.booked);
    expect(appointmentOf(visits, ids.walkIn)).toBeNull();
    expect(appointmentOf(visits, ids.later)).toBeNull();
    expect(appointmentOf(visits, ids.namedVisit)).toBe(ids.named);
    expect(appointmentOf(await visitsSeenBy('clinician'), ids.bookedVisit)).toBe(ids.booked);
  });

  it('names it on the visit page too', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${patientId}/record/visits/${ids.bookedVisit}`,
      headers: cookieFor(tokens.patient),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().visit.appointmentId).toBe(ids.booked);
  });

  it('names no appointment to a reader who may not see the patient’s appointments', async () => {
    const visits = await visitsSeenBy('careTeam');
    expect(visits.map((v) => v.id)).toContain(ids.bookedVisit);
    expect(visits.every((v) => v.appointmentId === null)).toBe(true);
  });

  it('records the appointments category in the audit event exactly when the visits carried appointment ids', async () => {
    const categoriesOf = async (who: keyof typeof tokens) => {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/patients/${patientId}/record/visits`,
        headers: cookieFor(tokens[who]),
      });
      const [event] = await t.db
        .select({ details: auditEvents.details })
        .from(auditEvents)
        .where(and(eq(auditEvents.requestId, response.headers['x-request-id'] as string), eq(auditEvents.action, 'record.visits.read')));
      return (event?.details as { categories?: string[] } | undefined)?.categories;
    };
    expect(await categoriesOf('patient')).toEqual(['clinical', 'appointments']);
    expect(await categoriesOf('careTeam')).toEqual(['clinical']);
  });
});

describe('medication names', () => {
  it('reads medicines as ingredient, strength and form in the summary, with the coded name beside them, never a code', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${patientId}/record/summary`,
      headers: cookieFor(tokens.patient),
    });
    expect(response.statusCode).toBe(200);
    const medications: { id: string; name: string; codedName: string | null }[] = response.json().medications;
    expect(medications.find((m) => m.id === ids.metformin)).toMatchObject({
      name: 'Metformin 500 mg extended-release oral tablet',
      codedName: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet',
    });
    expect(medications.find((m) => m.id === ids.epinephrine)).toMatchObject({
      name: 'Epinephrine 1 mg/mL auto-injector, 0.3 mL',
      codedName: 'NDA020800 0.3 ML Epinephrine 1 MG/ML Auto-Injector',
    });
    expect(medications.map((m) => m.name).join(' ')).not.toMatch(/NDA\d|1870230|860975/);
  });

  it('reads them the same way on the visit page and in the refill choices', async () => {
    const visit = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${patientId}/record/visits/${ids.bookedVisit}`,
      headers: cookieFor(tokens.patient),
    });
    expect(visit.json().medicationsStarted).toEqual([
      {
        id: ids.metformin,
        name: 'Metformin 500 mg extended-release oral tablet',
        codedName: '24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet',
        directions: 'Take 1 tablet by mouth daily with the evening meal',
      },
    ]);
    const refills = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${patientId}/refills/medications`,
      headers: cookieFor(tokens.patient),
    });
    expect(refills.statusCode).toBe(200);
    const names = refills
      .json()
      .medications.map((m: { name: string }) => m.name)
      .sort();
    expect(names).toEqual(['Epinephrine 1 mg/mL auto-injector, 0.3 mL', 'Metformin 500 mg extended-release oral tablet']);
  });
});
