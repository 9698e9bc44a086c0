import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildPatient, buildPractice, buildUser, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { auditOf, supportClient } from './support-test-helpers.ts';

let t: TestApp;
let orgId: string;
let practiceId: string;
let otherPracticeId: string;
let foreignPracticeId: string;
let pcpId: string;
let nurseId: string;
let otherDoctorId: string;
let patientId: string;
let mrn: string;
let support: string;
let otherSupport: string;
let clinician: string;
let pcp: string;
let client: ReturnType<typeof supportClient>;

const today = new Date().toISOString().slice(0, 10);
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const period = `from=${yesterday}&to=${tomorrow}`;

beforeAll(async () => {
  t = await buildTestApp();
  client = supportClient(t);
  orgId = (await buildOrganization(t.db)).organization.id;
  const otherOrgId = (await buildOrganization(t.db)).organization.id;
  const practice = await buildPractice(t.db, orgId, 'Harbor Pediatrics');
  practiceId = practice.id;
  otherPracticeId = (await buildPractice(t.db, orgId)).id;
  foreignPracticeId = (await buildPractice(t.db, otherOrgId)).id;
  const doctor = await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, practiceId, mfa: true });
  pcpId = doctor.id;
  pcp = await signInAs(t.db, doctor);
  const nurse = await buildUser(t.db, { role: 'sponsored_staff', organizationId: orgId, practiceId, sponsorUserId: pcpId, mfa: true });
  nurseId = nurse.id;
  const otherDoctor = await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, practiceId: otherPracticeId, mfa: true });
  otherDoctorId = otherDoctor.id;
  // A name a spreadsheet would run as a formula: the CSV must defuse it.
  const { patient } = await buildPatient(t.db, orgId, { pcpId, givenName: '=SUM(1,2)', familyName: 'Tester' });
  patientId = patient.id;
  mrn = patient.mrn;
  const { patient: theirs } = await buildPatient(t.db, orgId, { pcpId: otherDoctorId });
  for (const [session, id] of [
    [pcp, patientId],
    [await signInAs(t.db, nurse), patientId],
    [await signInAs(t.db, otherDoctor), theirs.id],
  ] as const) {
    expect((await client.get(`/api/patients/${id}/record/summary`, session)).statusCode).toBe(200);
  }
  support = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: orgId }));
  otherSupport = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: otherOrgId }));
  clinician = await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: orgId }));
});
afterAll(() => t.close());

type Entry = { who: { userId: string; role: string; practiceName: string | null }; patient: { id: string; mrn: string } };

describe('GET /api/support/audit-report', () => {
  it('lists who of a practice opened which patient, newest first, and audits the read with each patient shown', async () => {
    const response = await client.get(`/api/support/audit-report?practiceId=${practiceId}&${period}`, support);
    expect(response.statusCode).toBe(200);
    const entries = response.json<{ entries: Entry[] }>().entries;
    expect(new Set(entries.map((e) => e.who.userId))).toEqual(new Set([pcpId, nurseId]));
    expect(entries[0]!.who.userId).toBe(nurseId);
    expect(entries.every((e) => e.patient.mrn === mrn && e.who.practiceName === 'Harbor Pediatrics')).toBe(true);
    expect(entries.find((e) => e.who.userId === nurseId)!.who.role).toBe('sponsored_staff');
    const reads = await auditOf(t.db, 'support.audit_report.patient.read', patientId);
    expect(reads.length).toBeGreaterThan(0);
    expect(await auditOf(t.db, 'support.audit_report.read')).not.toHaveLength(0);
  });

  it('narrows to one user, and pages with a cursor', async () => {
    const one = await client.get(`/api/support/audit-report?userId=${otherDoctorId}&${period}`, support);
    expect(one.json<{ entries: Entry[] }>().entries.map((e) => e.who.userId)).toEqual(expect.arrayContaining([otherDoctorId]));
    expect(one.json<{ entries: Entry[] }>().entries.every((e) => e.who.userId === otherDoctorId)).toBe(true);
    const bad = await client.get(`/api/support/audit-report?${period}&cursor=nonsense`, support);
    expect(bad.statusCode).toBe(400);
  });

  it('answers 400 for a period over 366 days, an end before the start, and a missing date', async () => {
    expect((await client.get('/api/support/audit-report?from=2025-01-01&to=2026-01-02', support)).statusCode).toBe(400);
    expect((await client.get('/api/support/audit-report?from=2025-01-01&to=2026-01-01', support)).statusCode).toBe(200);
    expect((await client.get(`/api/support/audit-report?from=${tomorrow}&to=${yesterday}`, support)).statusCode).toBe(400);
    expect((await client.get(`/api/support/audit-report?from=${today}`, support)).statusCode).toBe(400);
  });

  it('answers 401, 403 to a clinician and a provider, and 404 for another organization’s practice', async () => {
    expect((await client.get(`/api/support/audit-report?${period}`)).statusCode).toBe(401);
    expect((await client.get(`/api/support/audit-report?${period}`, clinician)).statusCode).toBe(403);
    expect((await client.get(`/api/support/audit-report?${period}`, pcp)).statusCode).toBe(403);
    expect((await client.get(`/api/support/audit-report?practiceId=${foreignPracticeId}&${period}`, support)).statusCode).toBe(404);
    expect((await client.get(`/api/support/audit-report?practiceId=${practiceId}&${period}`, otherSupport)).statusCode).toBe(404);
  });
});

describe('GET /api/support/practices', () => {
  it('lists the organization’s practices with their members for the report’s filters', async () => {
    const response = await client.get('/api/support/practices', support);
    expect(response.statusCode).toBe(200);
    const practices = response.json<{ practices: { id: string; members: { userId: string; role: string }[] }[] }>().practices;
    const harbor = practices.find((p) => p.id === practiceId);
    expect(harbor?.members.map((m) => m.userId).sort()).toEqual([pcpId, nurseId].sort());
    expect(practices.map((p) => p.id)).not.toContain(foreignPracticeId);
  });

  it('answers 401 without a session and 403 to a provider', async () => {
    expect((await client.get('/api/support/practices')).statusCode).toBe(401);
    expect((await client.get('/api/support/practices', pcp)).statusCode).toBe(403);
  });
});

describe('GET /api/support/audit-report.csv', () => {
  it('downloads the report as an attachment with formula cells defused', async () => {
    const response = await client.get(`/api/support/audit-report.csv?practiceId=${practiceId}&${period}`, support);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-report-/);
    const lines = response.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('When,When (UTC),Who,Role,Practice,Patient,MRN,What');
    expect(lines).toHaveLength(3);
    // The name starts with = (a formula) and holds a comma: prefixed with ' and quoted.
    expect(lines[1]).toContain(`,"'=SUM(1,2) Tester",${mrn},`);
    expect(response.body).not.toMatch(/,"?=SUM/);
    expect(await auditOf(t.db, 'support.audit_report.download')).toHaveLength(1);
  });

  it('answers 400 for a bad period and 403 to a provider', async () => {
    expect((await client.get('/api/support/audit-report.csv?from=2020-01-01&to=2026-01-01', support)).statusCode).toBe(400);
    expect((await client.get(`/api/support/audit-report.csv?${period}`, pcp)).statusCode).toBe(403);
  });
});
