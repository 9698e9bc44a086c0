import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointments, auditEvents, departments, organizations, staffDepartments } from '../../db/schema/index.ts';
import { buildOrganization, buildUser, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { bookAt, buildScheduleWorld, daysFromNow, requester } from './schedule.fixtures.ts';

/** Issue 10 §5.6 and §5.7: the schedule opens on the reader's own, and nurses mark arrival where allowed. */
let t: TestApp;
let w: Awaited<ReturnType<typeof buildScheduleWorld>>;
let http: ReturnType<typeof requester>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildScheduleWorld(t);
  http = requester(t);
});
afterAll(() => t.close());

const statusUrl = (appointmentId: string) => `/api/schedule/appointments/${appointmentId}/status`;
const allowNurses = (on: boolean, organizationId = w.organization.id) =>
  t.db.update(organizations).set({ nursesMarkArrival: on }).where(eq(organizations.id, organizationId));
const abilitiesOf = async (token: string) => (await http.get(token, '/api/me')).json<{ user: { abilities: string[] } }>().user.abilities;

describe('GET /api/schedule/own', () => {
  it('opens a clinician on their own schedule', async () => {
    const token = await signInAs(t.db, w.clinician);
    const response = await http.get(token, '/api/schedule/own');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ owner: { kind: 'clinician', id: w.clinician.id } });
  });

  it('opens a nurse or the front desk on their first department by name, and someone in none on nothing', async () => {
    const [aardvark] = await t.db
      .insert(departments)
      .values({ organizationId: w.organization.id, name: 'Aardvark Clinic', specialty: 'x', timeZone: 'America/Chicago' })
      .returning();
    const frontDesk = await w.staff('front_desk');
    expect((await http.get(frontDesk.token, '/api/schedule/own')).json()).toEqual({
      owner: { kind: 'department', id: w.department.id },
    });
    await t.db.insert(staffDepartments).values({ userId: frontDesk.id, departmentId: aardvark!.id });
    expect((await http.get(frontDesk.token, '/api/schedule/own')).json()).toEqual({ owner: { kind: 'department', id: aardvark!.id } });
    const nurse = await w.staff('nurse');
    expect((await http.get(nurse.token, '/api/schedule/own')).json()).toEqual({ owner: { kind: 'department', id: w.department.id } });
    const loner = await buildUser(t.db, { role: 'nurse', organizationId: w.organization.id });
    expect((await http.get(await signInAs(t.db, loner), '/api/schedule/own')).json()).toEqual({ owner: null });
  });

  it('answers 403 to a patient and to billing staff, and 401 without a session', async () => {
    expect((await http.get((await w.patient()).token, '/api/schedule/own')).statusCode).toBe(403);
    expect((await http.get((await w.staff('billing')).token, '/api/schedule/own')).statusCode).toBe(403);
    expect((await http.get(null, '/api/schedule/own')).statusCode).toBe(401);
  });
});

describe('POST /api/schedule/appointments/:appointmentId/status by a nurse', () => {
  it('refuses a nurse arrival (403) while the organization has not allowed it, the default', async () => {
    const nurse = await w.staff('nurse');
    const p = await w.patient();
    const visit = await bookAt(t, w, p.id, daysFromNow(3, 9));
    expect(await abilitiesOf(nurse.token)).not.toContain('schedule.arrive');
    const response = await http.post(nurse.token, statusUrl(visit.id), { status: 'arrived' });
    expect(response.statusCode).toBe(403);
    expect((await t.db.select().from(appointments).where(eq(appointments.id, visit.id)))[0]!.status).toBe('scheduled');
  });

  it('lets a nurse mark arrival where the organization allows it, audited, and nothing else', async () => {
    await allowNurses(true);
    try {
      const nurse = await w.staff('nurse');
      const p = await w.patient();
      const visit = await bookAt(t, w, p.id, daysFromNow(3, 10));
      expect(await abilitiesOf(nurse.token)).toContain('schedule.arrive');
      const response = await http.post(nurse.token, statusUrl(visit.id), { status: 'arrived' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ id: visit.id, status: 'arrived' });
      const audits = await t.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'appointment.status.update'), eq(auditEvents.actorUserId, nurse.id)));
      expect(audits).toMatchObject([{ outcome: 'success', patientId: p.id, details: { appointmentId: visit.id, status: 'arrived' } }]);
      for (const status of ['completed', 'no_show', 'cancelled']) {
        expect((await http.post(nurse.token, statusUrl(visit.id), { status })).statusCode, status).toBe(403);
      }
      const clinician = await signInAs(t.db, w.clinician);
      expect(await abilitiesOf(clinician)).not.toContain('schedule.arrive');
      const other = await bookAt(t, w, p.id, daysFromNow(3, 11));
      expect((await http.post(clinician, statusUrl(other.id), { status: 'arrived' })).statusCode).toBe(403);
    } finally {
      await allowNurses(false);
    }
  });

  it('answers 404 to a nurse of another organization that allows it, 400 for a bad status and 401 without a session', async () => {
    const elsewhere = await buildOrganization(t.db);
    await allowNurses(true, elsewhere.organization.id);
    const outsider = await w.staff('nurse', elsewhere.organization.id);
    const p = await w.patient();
    const visit = await bookAt(t, w, p.id, daysFromNow(3, 12));
    expect((await http.post(outsider.token, statusUrl(visit.id), { status: 'arrived' })).statusCode).toBe(404);
    const frontDesk = await w.staff('front_desk');
    expect((await http.post(frontDesk.token, statusUrl(visit.id), { status: 'here' })).statusCode).toBe(400);
    expect((await http.post(null, statusUrl(visit.id), { status: 'arrived' })).statusCode).toBe(401);
    expect((await http.post(frontDesk.token, statusUrl(visit.id), { status: 'arrived' })).statusCode).toBe(200);
  });
});
