import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { resultHolds, users } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { notifyNewResults } from './result-notifications.ts';
import { holdNewResultsForReview, isResultResource } from './result-release.ts';

let t: TestApp;
let org: Awaited<ReturnType<typeof buildOrganization>>;
let clinicianToken: string;
let clinicianId: string;

const day = 86_400_000;
const publicUrl = 'http://localhost:3000';

interface Person {
  patientId: string;
  token: string;
  email: string;
}

/** A patient with a portal account (verified email) and a session. */
async function buildPerson(): Promise<Person> {
  const { patient, user } = await buildPatient(t.db, org.organization.id, { withAccount: true });
  return { patientId: patient.id, token: await signInAs(t.db, user!), email: user!.email };
}

let sequence = 0;

/** A new lab Observation as the importer stores it; newer each call, so it leads the patient's list. */
async function storeLab(patientId: string, name: string, value: number, code = '2345-7') {
  const effectiveAt = new Date(Date.now() - day + sequence++ * 60_000);
  const row = await buildFhirResource(t.db, {
    organizationId: org.organization.id,
    patientId,
    category: 'laboratory',
    code: `http://loinc.org|${code}`,
    effectiveAt,
    status: 'final',
    resource: {
      resourceType: 'Observation',
      status: 'final',
      code: { text: name },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: effectiveAt.toISOString(),
      valueQuantity: { value, unit: 'mg/dL' },
    },
  });
  return row.id;
}

async function storePanel(patientId: string, memberIds: string[]) {
  const row = await buildFhirResource(t.db, {
    organizationId: org.organization.id,
    patientId,
    category: 'LAB',
    effectiveAt: new Date(Date.now() - day + sequence++ * 60_000),
    status: 'final',
    resource: {
      resourceType: 'DiagnosticReport',
      status: 'final',
      code: { text: 'Lipid panel' },
      result: memberIds.map((id) => ({ reference: `Observation/${id}` })),
    },
  });
  return row.id;
}

/** What the importer does once it has stored new results. */
const importFollowUp = (resultIds: string[]) =>
  t.db.transaction(async (tx) => {
    await holdNewResultsForReview(tx, resultIds);
    await notifyNewResults(tx, resultIds, publicUrl);
  });

const get = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: cookieFor(token) });
const post = (token: string, method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>) =>
  t.app.inject({ method, url, headers: { ...csrfHeaders, ...cookieFor(token) }, payload });
const listed = async (token: string, patientId: string): Promise<string[]> =>
  (await get(token, `/api/patients/${patientId}/record/results`)).json<{ results: { id: string }[] }>().results.map((r) => r.id);
const detail = (token: string, patientId: string, resultId: string) => get(token, `/api/patients/${patientId}/record/results/${resultId}`);
const trendIds = async (token: string, patientId: string, resultId: string): Promise<string[]> =>
  (await detail(token, patientId, resultId)).json<{ trend: { points: { id: string }[] } }>().trend.points.map((p) => p.id);
const homeResults = async (token: string, patientId: string): Promise<string[]> =>
  (await get(token, `/api/patients/${patientId}/summary`)).json<{ recentResults: { id: string }[] }>().recentResults.map((r) => r.id);
const mailTo = async (email: string) => (await t.mail()).filter((m) => m.toAddress === email);

beforeAll(async () => {
  t = await buildTestApp({ publicUrl });
  org = await buildOrganization(t.db);
  const clinician = await buildUser(t.db, { role: 'clinician', organizationId: org.organization.id, mfa: true });
  clinicianId = clinician.id;
  clinicianToken = await signInAs(t.db, clinician);
});
afterAll(() => t.close());

describe('isResultResource', () => {
  it('counts DiagnosticReports and non-vital, non-survey, non-social-history Observations as results', () => {
    expect(isResultResource('DiagnosticReport', null)).toBe(true);
    expect(isResultResource('DiagnosticReport', 'LAB')).toBe(true);
    for (const category of ['laboratory', 'imaging', 'procedure', 'exam', null])
      expect(isResultResource('Observation', category)).toBe(true);
    for (const category of ['vital-signs', 'survey', 'social-history']) expect(isResultResource('Observation', category)).toBe(false);
    expect(isResultResource('Condition', 'laboratory')).toBe(false);
  });
});

describe('release of results', () => {
  it('releases a new result at once by default and queues one email that names no test', async () => {
    const person = await buildPerson();
    const first = await storeLab(person.patientId, 'Hemoglobin A1c', 6.1);
    const second = await storeLab(person.patientId, 'Creatinine', 0.9);
    await importFollowUp([first, second]);
    expect(await listed(person.token, person.patientId)).toEqual([second, first]);
    const mail = await mailTo(person.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain(`${publicUrl}/record/results`);
    expect(`${mail[0]!.subject} ${mail[0]!.text}`).not.toMatch(/A1c|Creatinine|6\.1|0\.9/);
  });

  it('holds new results for a patient who chose after_review until a clinician releases them, then emails once', async () => {
    const person = await buildPerson();
    const earlier = await storeLab(person.patientId, 'Glucose', 90);
    const choice = await post(person.token, 'PUT', `/api/patients/${person.patientId}/record/results-release`, { mode: 'after_review' });
    expect(choice.json()).toEqual({ mode: 'after_review' });

    const fresh = await storeLab(person.patientId, 'Glucose', 250);
    await importFollowUp([fresh]);
    expect(await mailTo(person.email)).toEqual([]);
    expect(await listed(person.token, person.patientId)).toEqual([earlier]);
    expect((await detail(person.token, person.patientId, fresh)).statusCode).toBe(404);
    expect(await trendIds(person.token, person.patientId, earlier)).toEqual([earlier]);
    expect(await homeResults(person.token, person.patientId)).toEqual([earlier]);

    const staffView = (await detail(clinicianToken, person.patientId, fresh)).json();
    expect(staffView.result.held).toBe(true);
    expect(staffView.holds).toMatchObject([{ kind: 'patient_preference', reason: null, heldBy: null, heldUntil: null }]);
    expect(await trendIds(clinicianToken, person.patientId, earlier)).toEqual([earlier, fresh]);

    const release = await post(clinicianToken, 'POST', `/api/patients/${person.patientId}/record/results/${fresh}/release`, {});
    expect(release.statusCode).toBe(200);
    expect(await listed(person.token, person.patientId)).toEqual([fresh, earlier]);
    expect((await detail(person.token, person.patientId, fresh)).statusCode).toBe(200);
    expect(await trendIds(person.token, person.patientId, earlier)).toEqual([earlier, fresh]);
    expect(await homeResults(person.token, person.patientId)).toEqual([fresh, earlier]);
    const mail = await mailTo(person.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).not.toMatch(/Glucose|250/);

    // Releasing again ends nothing and sends nothing more.
    await post(clinicianToken, 'POST', `/api/patients/${person.patientId}/record/results/${fresh}/release`, {});
    expect(await mailTo(person.email)).toHaveLength(1);
  });

  it('hides a held panel member inside its report, and releasing the report releases its members', async () => {
    const person = await buildPerson();
    await post(person.token, 'PUT', `/api/patients/${person.patientId}/record/results-release`, { mode: 'after_review' });
    const hdl = await storeLab(person.patientId, 'HDL', 55, '2085-9');
    const ldl = await storeLab(person.patientId, 'LDL', 160, '18262-6');
    const panel = await storePanel(person.patientId, [hdl, ldl]);
    await importFollowUp([hdl, ldl, panel]);
    expect(await listed(person.token, person.patientId)).toEqual([]);
    expect(await listed(clinicianToken, person.patientId)).toEqual([panel]);

    await post(clinicianToken, 'POST', `/api/patients/${person.patientId}/record/results/${panel}/release`, {});
    const report = (await detail(person.token, person.patientId, panel)).json().report;
    expect(report.members.map((m: { id: string }) => m.id)).toEqual([hdl, ldl]);
    expect(await mailTo(person.email)).toHaveLength(1);

    // A clinician hold on one member hides that member inside the visible report, and on its own.
    const hold = await post(clinicianToken, 'POST', `/api/patients/${person.patientId}/record/results/${ldl}/holds`, {
      reason: 'Call the patient first',
      until: new Date(Date.now() + 2 * day).toISOString(),
    });
    expect(hold.statusCode).toBe(201);
    const members = (await detail(person.token, person.patientId, panel)).json().report.members;
    expect(members.map((m: { id: string }) => m.id)).toEqual([hdl]);
    expect((await detail(person.token, person.patientId, ldl)).statusCode).toBe(404);
  });

  it('lets a clinician hold on a report hide its members from the patient everywhere', async () => {
    const person = await buildPerson();
    const member = await storeLab(person.patientId, 'Triglycerides', 400, '2571-8');
    const panel = await storePanel(person.patientId, [member]);
    const until = new Date(Date.now() + day).toISOString();
    await post(clinicianToken, 'POST', `/api/patients/${person.patientId}/record/results/${panel}/holds`, {
      reason: 'Review together',
      until,
    });
    expect(await listed(person.token, person.patientId)).toEqual([]);
    expect((await detail(person.token, person.patientId, member)).statusCode).toBe(404);
    expect(await homeResults(person.token, person.patientId)).toEqual([]);
    expect((await detail(clinicianToken, person.patientId, member)).json().result.held).toBe(true);
  });

  it('ends a clinician hold by itself at its until, and then admits a new one', async () => {
    const person = await buildPerson();
    const result = await storeLab(person.patientId, 'TSH', 2.1, '3016-3');
    await t.db.insert(resultHolds).values({
      resourceId: result,
      patientId: person.patientId,
      kind: 'clinician',
      reason: 'Expired hold',
      heldBy: clinicianId,
      heldUntil: new Date(Date.now() - 60_000),
      createdAt: new Date(Date.now() - 2 * day),
    });
    expect(await listed(person.token, person.patientId)).toEqual([result]);
    expect((await detail(clinicianToken, person.patientId, result)).json()).toMatchObject({ result: { held: false }, holds: [] });

    const again = await post(clinicianToken, 'POST', `/api/patients/${person.patientId}/record/results/${result}/holds`, {
      reason: 'A new reason',
      until: new Date(Date.now() + day).toISOString(),
    });
    expect(again.statusCode).toBe(201);
    expect(await listed(person.token, person.patientId)).toEqual([]);
  });

  it('ends the patient review holds (not a clinician hold) when the patient goes back to immediate release', async () => {
    const person = await buildPerson();
    const url = `/api/patients/${person.patientId}/record/results-release`;
    await post(person.token, 'PUT', url, { mode: 'after_review' });
    const reviewed = await storeLab(person.patientId, 'Ferritin', 30, '2276-4');
    const heldByClinician = await storeLab(person.patientId, 'Vitamin D', 12, '1989-3');
    await importFollowUp([reviewed, heldByClinician]);
    await post(clinicianToken, 'POST', `/api/patients/${person.patientId}/record/results/${heldByClinician}/holds`, {
      reason: 'Discuss supplements',
      until: new Date(Date.now() + day).toISOString(),
    });
    await post(person.token, 'PUT', url, { mode: 'immediate' });
    expect(await listed(person.token, person.patientId)).toEqual([reviewed]);
    const active = await t.db
      .select({ kind: resultHolds.kind })
      .from(resultHolds)
      .where(and(eq(resultHolds.patientId, person.patientId), isNull(resultHolds.releasedAt)));
    expect(active.map((h) => h.kind)).toEqual(['clinician']);
  });
});

describe('notifyNewResults', () => {
  it('emails nobody without a verified address, and nobody about results they cannot see yet', async () => {
    const unverified = await buildPerson();
    await t.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.email, unverified.email));
    const noAccount = (await buildPatient(t.db, org.organization.id)).patient.id;
    const reviewing = await buildPerson();
    await post(reviewing.token, 'PUT', `/api/patients/${reviewing.patientId}/record/results-release`, { mode: 'after_review' });
    const vital = await buildFhirResource(t.db, {
      organizationId: org.organization.id,
      patientId: reviewing.patientId,
      category: 'vital-signs',
      resource: { resourceType: 'Observation', status: 'final', code: { text: 'Heart rate' } },
    });
    const results = [
      await storeLab(unverified.patientId, 'Lipase', 40),
      await storeLab(noAccount, 'Lipase', 41),
      await storeLab(reviewing.patientId, 'Lipase', 42),
      vital.id,
    ];
    const before = (await t.mail()).length;
    await importFollowUp(results);
    expect((await t.mail()).length).toBe(before);
    expect(await t.db.select().from(resultHolds).where(eq(resultHolds.resourceId, vital.id))).toEqual([]);
  });
});
