import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents } from '../../db/schema/index.ts';
import { buildOrganization, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { buildClinic } from './appointments.fixtures.ts';

let t: TestApp;
let clinic: Awaited<ReturnType<typeof buildClinic>>;
let desk: { cookie: string };
let clinicianCookie: { cookie: string };

beforeAll(async () => {
  t = await buildTestApp();
  clinic = await buildClinic(t.db);
  desk = cookieFor(await signInAs(t.db, await buildUser(t.db, { role: 'front_desk', organizationId: clinic.organization.id })));
  clinicianCookie = cookieFor(await signInAs(t.db, clinic.clinician));
});
afterAll(() => t.close());

const visitType = {
  name: 'Blood pressure check',
  durationMinutes: 15,
  patientBookable: true,
  establishedOnly: false,
  video: false,
  instructions: null,
  questionnaire: [{ id: 'q1', text: 'Any dizziness?', kind: 'yes_no' }],
  consentForms: [],
  active: true,
};

describe('POST and PUT /api/schedule/visit-types', () => {
  it('lets front desk create and update a visit type, audited', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/schedule/visit-types',
      headers: { ...desk, ...csrfHeaders },
      payload: visitType,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Blood pressure check', durationMinutes: 15, questionnaire: visitType.questionnaire });
    const updated = await t.app.inject({
      method: 'PUT',
      url: `/api/schedule/visit-types/${created.json().id}`,
      headers: { ...desk, ...csrfHeaders },
      payload: { ...visitType, active: false },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().active).toBe(false);
    const events = await t.db.select().from(auditEvents).where(eq(auditEvents.objectId, created.json().id));
    expect(events.map((e) => e.action).sort()).toEqual(['visit_type.create', 'visit_type.update']);
    const list = await t.app.inject({ method: 'GET', url: '/api/schedule/visit-types', headers: desk });
    expect(list.json().visitTypes.map((v: { name: string }) => v.name)).toContain('Blood pressure check');
  });

  it('answers 400 for a length not in 5-minute steps and a blank name', async () => {
    for (const payload of [
      { ...visitType, durationMinutes: 17 },
      { ...visitType, name: ' ' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/schedule/visit-types', headers: { ...desk, ...csrfHeaders }, payload });
      expect(res.statusCode).toBe(400);
    }
  });

  it('answers 403 to a clinician and 401 without a session', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/schedule/visit-types',
      headers: { ...clinicianCookie, ...csrfHeaders },
      payload: { ...visitType, name: 'Other' },
    });
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/schedule/visit-types' })).statusCode).toBe(401);
  });

  it('answers 404 for another organization’s visit type', async () => {
    const elsewhere = await buildOrganization(t.db);
    const other = cookieFor(await signInAs(t.db, await buildUser(t.db, { role: 'admin', organizationId: elsewhere.organization.id })));
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/schedule/visit-types/${clinic.visitTypes.video.id}`,
      headers: { ...other, ...csrfHeaders },
      payload: visitType,
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('templates and blocks', () => {
  const template = () => ({
    clinicianId: clinic.clinician.id,
    departmentId: clinic.department.id,
    weekday: 6,
    startMinute: 540,
    endMinute: 600,
    visitTypeIds: [clinic.visitTypes.video.id],
    validFrom: '2026-01-01',
    validTo: null,
  });

  it('creates, lists and deletes a template; creates and deletes a block', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/schedule/templates',
      headers: { ...desk, ...csrfHeaders },
      payload: template(),
    });
    expect(created.statusCode).toBe(201);
    const list = await t.app.inject({ method: 'GET', url: `/api/schedule/templates?clinicianId=${clinic.clinician.id}`, headers: desk });
    expect(list.json().templates.map((x: { id: string }) => x.id)).toContain(created.json().id);
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/schedule/templates/${created.json().id}`,
      headers: { ...desk, ...csrfHeaders },
    });
    expect(removed.statusCode).toBe(200);

    const block = await t.app.inject({
      method: 'POST',
      url: '/api/schedule/blocks',
      headers: { ...desk, ...csrfHeaders },
      payload: { clinicianId: clinic.clinician.id, startAt: '2027-01-04T14:00:00Z', endAt: '2027-01-04T15:00:00Z', reason: 'Training' },
    });
    expect(block.statusCode).toBe(201);
    const gone = await t.app.inject({
      method: 'DELETE',
      url: `/api/schedule/blocks/${block.json().id}`,
      headers: { ...desk, ...csrfHeaders },
    });
    expect(gone.statusCode).toBe(200);
  });

  it('answers 400 for hours that run backwards, off 5-minute steps, or another organization’s visit type', async () => {
    const elsewhere = await buildOrganization(t.db);
    const cases = [
      { ...template(), startMinute: 600, endMinute: 540 },
      { ...template(), startMinute: 542 },
      { ...template(), departmentId: elsewhere.department.id },
      { ...template(), visitTypeIds: [elsewhere.department.id] },
    ];
    for (const payload of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/api/schedule/templates', headers: { ...desk, ...csrfHeaders }, payload });
      expect(res.statusCode).toBe(400);
    }
    const block = await t.app.inject({
      method: 'POST',
      url: '/api/schedule/blocks',
      headers: { ...desk, ...csrfHeaders },
      payload: { clinicianId: clinic.clinician.id, startAt: '2027-01-04T15:00:00Z', endAt: '2027-01-04T14:00:00Z' },
    });
    expect(block.statusCode).toBe(400);
  });

  it('answers 403 to a clinician', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/schedule/templates',
      headers: { ...clinicianCookie, ...csrfHeaders },
      payload: template(),
    });
    expect(res.statusCode).toBe(403);
  });
});
