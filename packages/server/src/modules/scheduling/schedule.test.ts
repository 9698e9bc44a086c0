import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, appointmentSlots, auditEvents, scheduleBlocks } from '../../db/schema/index.ts';
import { buildOrganization } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { formatCivilDate, civilDateInZone } from '@portico/shared/zoned-time';
import { bookAt, buildScheduleWorld, daysFromNow, requester } from './schedule.fixtures.ts';

let t: TestApp;
let w: Awaited<ReturnType<typeof buildScheduleWorld>>;
let http: ReturnType<typeof requester>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildScheduleWorld(t);
  http = requester(t);
});
afterAll(() => t.close());

type Schedule = {
  timeZone: string;
  days: {
    date: string;
    appointments: { id: string; status: string; checkedInAt: string | null; patient: { id: string; name: string; mrn: string } }[];
    blocks: { id: string }[];
  }[];
};
const localDate = (instant: Date) => formatCivilDate(civilDateInZone(instant, 'America/New_York'));
const statusUrl = (appointmentId: string) => `/api/schedule/appointments/${appointmentId}/status`;

describe('GET /api/schedule', () => {
  it('shows a department’s day in its zone with patient, status and check-in time, and blocked time; audits each patient', async () => {
    const frontDesk = await w.staff('front_desk');
    const p = await w.patient();
    const start = daysFromNow(2, 15);
    const visit = await bookAt(t, w, p.id, start);
    const checkIn = {
      address: '42 Harbor Road, Springfield',
      phone: '617-555-0199',
      emergencyContact: { name: 'Sam Tester', relationship: 'Spouse', phone: '617-555-0100' },
      insurance: { payer: 'Acme Health', memberId: 'M123456', groupNumber: null },
      medicationsReviewed: true,
      allergiesReviewed: true,
      answers: { fever: false, reason: 'Knee pain' },
      consents: [{ formId: 'treat', signedName: 'Alex Tester' }],
    };
    expect((await http.post(p.token, `/api/patients/${p.id}/appointments/${visit.id}/check-in`, checkIn)).statusCode).toBe(201);
    const [block] = await t.db
      .insert(scheduleBlocks)
      .values({ clinicianId: w.clinician.id, startAt: daysFromNow(2, 18), endAt: daysFromNow(2, 19), reason: 'Meeting' })
      .returning();

    const date = localDate(start);
    const response = await http.get(frontDesk.token, `/api/schedule?departmentId=${w.department.id}&from=${date}&days=1`);
    expect(response.statusCode).toBe(200);
    const schedule = response.json<Schedule>();
    expect(schedule.timeZone).toBe('America/New_York');
    expect(schedule.days).toHaveLength(1);
    expect(schedule.days[0]!.date).toBe(date);
    const shown = schedule.days[0]!.appointments.find((a) => a.id === visit.id);
    expect(shown).toMatchObject({ status: 'checked_in', patient: { id: p.id, name: `${p.givenName} ${p.familyName}`, mrn: p.mrn } });
    expect(shown!.checkedInAt).not.toBeNull();
    expect(schedule.days[0]!.blocks.map((b) => b.id)).toContain(block!.id);

    const audits = await t.db
      .select({ action: auditEvents.action, patientId: auditEvents.patientId })
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, frontDesk.id), inArray(auditEvents.action, ['schedule.view', 'schedule.view.patient'])));
    expect(audits).toEqual(
      expect.arrayContaining([
        { action: 'schedule.view', patientId: null },
        { action: 'schedule.view.patient', patientId: p.id },
      ]),
    );
  });

  it('shows a clinician’s week, seven days long', async () => {
    const nurse = await w.staff('nurse');
    const response = await http.get(nurse.token, `/api/schedule?clinicianId=${w.clinician.id}&from=${localDate(daysFromNow(1))}&days=7`);
    expect(response.statusCode).toBe(200);
    expect(response.json<Schedule>().days).toHaveLength(7);
  });

  it('refuses neither or both of department and clinician (400)', async () => {
    const frontDesk = await w.staff('front_desk');
    expect((await http.get(frontDesk.token, `/api/schedule?from=2030-01-01`)).statusCode).toBe(400);
    const both = `/api/schedule?from=2030-01-01&departmentId=${w.department.id}&clinicianId=${w.clinician.id}`;
    expect((await http.get(frontDesk.token, both)).statusCode).toBe(400);
  });

  it('answers 401 without a session, 403 for patients and billing staff, 404 for another organization’s department', async () => {
    const url = `/api/schedule?departmentId=${w.department.id}&from=2030-01-01`;
    expect((await http.get(null, url)).statusCode).toBe(401);
    expect((await http.get((await w.patient()).token, url)).statusCode).toBe(403);
    expect((await http.get((await w.staff('billing')).token, url)).statusCode).toBe(403);
    const elsewhere = await buildOrganization(t.db);
    const outsider = await w.staff('front_desk', elsewhere.organization.id);
    expect((await http.get(outsider.token, url)).statusCode).toBe(404);
    expect((await http.get(outsider.token, `/api/schedule?clinicianId=${w.clinician.id}&from=2030-01-01`)).statusCode).toBe(404);
  });
});

describe('GET /api/schedule/clinicians', () => {
  it("lists the organization's clinicians and nurses with their departments, to staff only", async () => {
    const frontDesk = await w.staff('front_desk');
    const nurse = await w.staff('nurse');
    const answer = (await http.get(frontDesk.token, '/api/schedule/clinicians')).json<{
      clinicians: { id: string; role: string; departmentIds: string[] }[];
    }>();
    expect(answer.clinicians).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: w.clinician.id, role: 'clinician', departmentIds: [w.department.id] }),
        expect.objectContaining({ id: nurse.id, role: 'nurse' }),
      ]),
    );
    expect(answer.clinicians.some((c) => c.id === frontDesk.id)).toBe(false);
    const p = await w.patient();
    expect((await http.get(p.token, '/api/schedule/clinicians')).statusCode).toBe(403);
    expect((await http.get(null, '/api/schedule/clinicians')).statusCode).toBe(401);
  });
});

describe('POST /api/schedule/appointments/:appointmentId/status', () => {
  it('marks arrival and completion (200), then refuses changing a completed visit (409)', async () => {
    const frontDesk = await w.staff('front_desk');
    const p = await w.patient();
    const visit = await bookAt(t, w, p.id, daysFromNow(1, 9));
    expect((await http.post(frontDesk.token, statusUrl(visit.id), { status: 'arrived' })).json()).toEqual({
      id: visit.id,
      status: 'arrived',
    });
    expect((await http.post(frontDesk.token, statusUrl(visit.id), { status: 'completed' })).statusCode).toBe(200);
    expect((await http.post(frontDesk.token, statusUrl(visit.id), { status: 'no_show' })).statusCode).toBe(409);
    const [row] = await t.db.select().from(appointments).where(eq(appointments.id, visit.id));
    expect(row!.status).toBe('completed');
    const audits = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'appointment.status.update'), eq(auditEvents.patientId, p.id)));
    expect(audits.length).toBeGreaterThanOrEqual(2);
  });

  it('cancels (200), freeing the time’s slot rows', async () => {
    const frontDesk = await w.staff('front_desk');
    const p = await w.patient();
    const visit = await bookAt(t, w, p.id, daysFromNow(1, 10));
    expect((await http.post(frontDesk.token, statusUrl(visit.id), { status: 'cancelled' })).statusCode).toBe(200);
    const [row] = await t.db.select().from(appointments).where(eq(appointments.id, visit.id));
    expect(row).toMatchObject({ status: 'cancelled', cancelledBy: frontDesk.id });
    expect(await t.db.select().from(appointmentSlots).where(eq(appointmentSlots.appointmentId, visit.id))).toEqual([]);
  });

  it('refuses statuses set elsewhere (400) and answers 401, 403 for a patient, 404 for another organization', async () => {
    const frontDesk = await w.staff('front_desk');
    const p = await w.patient();
    const visit = await bookAt(t, w, p.id, daysFromNow(1, 11));
    expect((await http.post(frontDesk.token, statusUrl(visit.id), { status: 'checked_in' })).statusCode).toBe(400);
    expect((await http.post(frontDesk.token, statusUrl(visit.id), { status: 'lost' })).statusCode).toBe(400);
    expect((await http.post(null, statusUrl(visit.id), { status: 'arrived' })).statusCode).toBe(401);
    expect((await http.post(p.token, statusUrl(visit.id), { status: 'cancelled' })).statusCode).toBe(403);
    const elsewhere = await buildOrganization(t.db);
    const outsider = await w.staff('front_desk', elsewhere.organization.id);
    expect((await http.post(outsider.token, statusUrl(visit.id), { status: 'cancelled' })).statusCode).toBe(404);
    const [row] = await t.db.select().from(appointments).where(eq(appointments.id, visit.id));
    expect(row!.status).toBe('scheduled');
  });
});
