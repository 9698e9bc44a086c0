import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/client.ts';
import { createTestDatabase } from '../test/test-database.ts';
import { buildApp } from '../app.ts';
import { cookieFor, signInAs } from '../test/factories.ts';
import { testConfig } from '../test/test-app.ts';
import {
  accessGrants,
  activationCodes,
  appointments,
  appointmentSlots,
  departments,
  fhirResources,
  messages,
  messageTemplates,
  messageThreads,
  organizations,
  patients,
  practices,
  providerRegistrations,
  providerTokens,
  sponsorValidations,
  scheduleTemplates,
  users,
  memberships,
  visitTypes,
} from '../db/schema/index.ts';
import { computeOpenSlots, unitsOf } from '../modules/scheduling/availability.ts';
import { civilDateInZone } from '@portico/shared/zoned-time';
import { isValidNpi } from '@portico/shared';
import { ageInYears } from './zoned-time.ts';
import { hashHumanCode } from '../security/crypto.ts';
import { verifyPassword } from '../security/password.ts';
import { demoActivation, demoPassword, demoSignIns, demoSpanishSpeaker, demoTotpSecret } from './demo-accounts.ts';
import { isDemoSeeded, seedDemoData, type DemoSummary } from './demo-seed.ts';
import { demoProviderToken } from './outside-practice.ts';

const now = new Date('2026-03-02T15:00:00Z');
const dayMs = 86_400_000;

async function freshDatabase(handles: DatabaseHandle[]): Promise<DatabaseHandle> {
  const handle = await createTestDatabase();
  handles.push(handle);
  return handle;
}

/** Local weekday and minutes after midnight of an instant in a zone. */
function localClock(instant: Date, timeZone: string): { weekday: string; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: part('weekday'), minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

describe('seedDemoData', () => {
  const handles: DatabaseHandle[] = [];
  let handle: DatabaseHandle;
  let summary: DemoSummary;

  beforeAll(async () => {
    handle = await freshDatabase(handles);
    summary = await seedDemoData(handle.db, { now });
  });

  afterAll(async () => {
    await Promise.all(handles.map((h) => h.close()));
  });

  it('reports what it wrote', async () => {
    const resourceRows = await handle.db.select({ id: fhirResources.id }).from(fhirResources);
    expect(summary).toMatchObject({ organizations: 1, patients: 39, resources: resourceRows.length });
    expect(summary.departments).toBeGreaterThanOrEqual(3);
    expect(summary.resources).toBeGreaterThan(2000);
    expect(summary.appointments).toBeGreaterThan(30);
  });

  it('creates every demo sign-in with its role, a verified email, the organization and the documented MFA', async () => {
    const [organization] = await handle.db.select().from(organizations);
    for (const signIn of demoSignIns) {
      const [user] = await handle.db.select().from(users).where(eq(users.username, signIn.username));
      expect(user, signIn.username).toBeDefined();
      const held = await handle.db.select().from(memberships).where(eq(memberships.userId, user!.id));
      if (signIn.role === 'patient' || signIn.role === 'proxy') expect(held).toEqual([]);
      else {
        const kind =
          signIn.role === 'support' ? 'support' : ['outside_provider', 'sponsored_staff'].includes(signIn.role) ? 'practice' : 'staff';
        expect(held.map((m) => [m.kind, m.role, m.organizationId])).toEqual([[kind, signIn.role, organization!.id]]);
      }
      expect(user!.emailVerifiedAt).not.toBeNull();
      expect(user!.organizationId).toBe(organization!.id);
      if (signIn.mfa === 'totp') {
        expect(user!.totpSecret).toBe(demoTotpSecret);
        expect(user!.totpEnabledAt).not.toBeNull();
      } else {
        expect(user!.totpSecret).toBeNull();
        expect(user!.totpEnabledAt).toBeNull();
      }
    }
    const [patientUser] = await handle.db.select().from(users).where(eq(users.username, 'patient'));
    expect(await verifyPassword(patientUser!.passwordHash, demoPassword)).toBe(true);
  });

  it('has one patient who reads the portal in Spanish, and everyone else in English', async () => {
    const rows = await handle.db.select({ username: users.username, locale: users.locale }).from(users);
    expect(rows.filter((r) => r.locale === 'es').map((r) => r.username)).toEqual([demoSpanishSpeaker]);
  });

  it('hashes each account password with its own salt', async () => {
    const rows = await handle.db.select({ hash: users.passwordHash }).from(users);
    // Each hash costs start-up time (argon2id): the demo keeps to a couple of dozen accounts (issue 12 §4 added the
    // outside practices' five people).
    expect(rows.length).toBeLessThanOrEqual(25);
    expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
    expect(rows.every((r) => r.hash.startsWith('$argon2id$'))).toBe(true);
  });

  it('has a token Maria issued for Dr. Adeyemi and her open Sponsored User Validation, Dr. Harbor’s done', async () => {
    const [token] = await handle.db.select().from(providerTokens);
    const [maria] = await handle.db.select().from(patients).where(eq(patients.id, token!.patientId));
    expect(maria!.mrn).toBe(demoProviderToken.mrn);
    expect(token!.tokenHash).toBe(hashHumanCode(demoProviderToken.code));
    expect(token!.expiresAt.getTime()).toBeGreaterThan(now.getTime());
    const [okafor] = await handle.db.select().from(users).where(eq(users.username, 'dr.adeyemi'));
    const [harbor] = await handle.db.select().from(users).where(eq(users.username, 'dr.harbor'));
    const rows = await handle.db.select().from(sponsorValidations);
    const open = rows.find((v) => v.sponsorUserId === okafor!.id);
    expect(open!.completedAt).toBeNull();
    expect(open!.dueAt.getTime()).toBeGreaterThan(now.getTime());
    expect(rows.find((v) => v.sponsorUserId === harbor!.id)!.completedAt).not.toBeNull();
  });

  it('has the support team, one pending registration, and Harbor Pediatrics whose partner is the PCP of two children', async () => {
    const [physician] = await handle.db.select().from(users).where(eq(users.username, 'dr.harbor'));
    const [partner] = await handle.db.select().from(users).where(eq(users.username, 'dr.castillo'));
    expect(physician!.npi).toSatisfy((npi: string) => isValidNpi(npi));
    expect(partner!.npi).toSatisfy((npi: string) => isValidNpi(npi));
    const [membership] = await handle.db.select().from(memberships).where(eq(memberships.userId, physician!.id));
    const [practice] = await handle.db.select().from(practices).where(eq(practices.id, membership!.practiceId!));
    expect(practice!.name).toBe('Harbor Pediatrics');
    const [partnership] = await handle.db.select().from(memberships).where(eq(memberships.userId, partner!.id));
    expect(partnership!.practiceId).toBe(practice!.id);
    const theirs = await handle.db.select().from(patients).where(eq(patients.pcpId, partner!.id));
    expect(theirs.map((p) => p.mrn).sort()).toEqual(['100004', '100005']);
    const [nurse] = await handle.db.select().from(users).where(eq(users.username, 'nurse.harbor'));
    const [nurseMembership] = await handle.db.select().from(memberships).where(eq(memberships.userId, nurse!.id));
    expect(nurseMembership).toMatchObject({ role: 'sponsored_staff', sponsorUserId: physician!.id, practiceId: practice!.id });
    expect(nurse!.npi).toBeNull();
    expect(await handle.db.select().from(practices)).toHaveLength(2);
    const waiting = await handle.db.select().from(providerRegistrations).where(eq(providerRegistrations.status, 'pending'));
    expect(waiting).toHaveLength(1);
    expect(isValidNpi(waiting[0]!.npi)).toBe(true);
    const [support] = await handle.db.select().from(users).where(eq(users.username, 'support'));
    const app = await buildApp({ config: testConfig(), database: handle, logger: false });
    const queue = await app.inject({
      method: 'GET',
      url: '/api/support/registrations',
      headers: cookieFor(await signInAs(handle.db, support!)),
    });
    expect(queue.json().registrations.map((r: { id: string }) => r.id)).toEqual([waiting[0]!.id]);
    await app.close();
  });

  it('creates 30 or more patients with unique six-digit MRNs and a PCP each', async () => {
    const rows = await handle.db.select().from(patients);
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(rows.every((p) => /^\d{6}$/.test(p.mrn) && p.pcpId !== null)).toBe(true);
    expect(new Set(rows.map((p) => p.mrn)).size).toBe(rows.length);
    expect(rows.some((p) => p.birthDate > '2008-01-01')).toBe(true);
    expect(rows.some((p) => p.birthDate < '1960-01-01')).toBe(true);
  });

  it('creates Jordan Rivera without an account and with an unredeemed activation code for PORTICO-DEMO', async () => {
    const [jordan] = await handle.db.select().from(patients).where(eq(patients.mrn, '100001'));
    expect(jordan).toMatchObject({ givenName: 'Jordan', familyName: 'Rivera', birthDate: '1990-04-12', userId: null });
    const codes = await handle.db.select().from(activationCodes).where(eq(activationCodes.patientId, jordan!.id));
    expect(codes).toHaveLength(1);
    expect(codes[0]!.codeHash).toBe(hashHumanCode(demoActivation.code));
    expect(codes[0]!.redeemedAt).toBeNull();
    expect(codes[0]!.expiresAt.getTime()).toBe(now.getTime() + 30 * dayMs);
  });

  it('links the patient sign-in to Maria Alvarez, whose PCP is the clinician sign-in', async () => {
    const [patientUser] = await handle.db.select().from(users).where(eq(users.username, 'patient'));
    const [clinician] = await handle.db.select().from(users).where(eq(users.username, 'clinician'));
    const [maria] = await handle.db.select().from(patients).where(eq(patients.userId, patientUser!.id));
    expect(maria).toMatchObject({ givenName: 'Maria', familyName: 'Alvarez', pcpId: clinician!.id });
  });

  it('gives the patient an appointment with their PCP in the next two weeks', async () => {
    const [patientUser] = await handle.db.select().from(users).where(eq(users.username, 'patient'));
    const [maria] = await handle.db.select().from(patients).where(eq(patients.userId, patientUser!.id));
    const upcoming = await handle.db
      .select()
      .from(appointments)
      .where(and(eq(appointments.patientId, maria!.id), eq(appointments.status, 'scheduled'), gte(appointments.startAt, now)));
    const soon = upcoming.filter((a) => a.clinicianId === maria!.pcpId && a.startAt.getTime() < now.getTime() + 14 * dayMs);
    expect(soon.length).toBeGreaterThanOrEqual(1);
  });

  it('gives the patient a rich record with recent out-of-range lab results', async () => {
    const [patientUser] = await handle.db.select().from(users).where(eq(users.username, 'patient'));
    const [maria] = await handle.db.select().from(patients).where(eq(patients.userId, patientUser!.id));
    const rows = await handle.db.select().from(fhirResources).where(eq(fhirResources.patientId, maria!.id));
    const count = (type: string, status?: string) => rows.filter((r) => r.resourceType === type && (!status || r.status === status)).length;
    expect(count('Condition', 'active')).toBeGreaterThanOrEqual(3);
    expect(count('AllergyIntolerance')).toBeGreaterThanOrEqual(2);
    expect(count('MedicationRequest', 'active')).toBeGreaterThanOrEqual(4);
    expect(count('Immunization')).toBeGreaterThanOrEqual(3);
    expect(count('Encounter')).toBeGreaterThanOrEqual(10);
    const labs = rows.filter((r) => r.category === 'laboratory');
    const labTimes = labs.map((r) => r.effectiveAt!.getTime());
    expect(Math.max(...labTimes) - Math.min(...labTimes)).toBeGreaterThan(5 * 365 * dayMs);
    const recentAbnormal = labs.filter((r) => {
      const flag = (r.resource as { interpretation: { coding: { code: string }[] }[] }).interpretation[0]!.coding[0]!.code;
      return flag !== 'N' && r.effectiveAt!.getTime() > now.getTime() - 180 * dayMs;
    });
    expect(recentAbnormal.length).toBeGreaterThanOrEqual(1);
    expect(rows.find((r) => r.code === 'http://loinc.org|4548-4')?.status).toBe('final');
  });

  it('keeps every resource id and patient reference in step with its row', async () => {
    const rows = await handle.db.select().from(fhirResources);
    const mismatched = rows.filter((row) => {
      const resource = row.resource as {
        resourceType: string;
        id: string;
        subject?: { reference: string };
        patient?: { reference: string };
      };
      const reference = resource.subject?.reference ?? resource.patient?.reference;
      return resource.id !== row.id || resource.resourceType !== row.resourceType || reference !== `Patient/${row.patientId}`;
    });
    expect(mismatched).toEqual([]);
    expect(rows.every((row) => row.effectiveAt!.getTime() <= now.getTime() && row.lastUpdated.getTime() <= now.getTime())).toBe(true);
  });

  it('marks sensitive resources with their category, as the importer would', async () => {
    const rows = await handle.db.select().from(fhirResources);
    const sensitive = rows.filter((r) => r.isSensitive);
    expect(sensitive.length).toBeGreaterThan(0);
    expect(sensitive.filter((r) => r.sensitiveCategory === null)).toEqual([]);
    expect(rows.filter((r) => r.sensitiveCategory !== null && !r.isSensitive)).toEqual([]);
  });

  it('gives patients with chronic problems care plans with activities, the conditions they address and goals', async () => {
    const rows = await handle.db.select().from(fhirResources);
    const byId = new Map(rows.map((r) => [r.id, r]));
    type Plan = { status: string; activity: unknown[]; addresses: { reference: string }[]; goal?: { reference: string }[] };
    const plans = rows.filter((r) => r.resourceType === 'CarePlan');
    expect(new Set(plans.map((p) => p.patientId)).size).toBeGreaterThanOrEqual(10);
    for (const plan of plans) {
      const resource = plan.resource as Plan;
      expect(resource.activity.length).toBeGreaterThan(0);
      const targets = [...resource.addresses, ...(resource.goal ?? [])].map((ref) => byId.get(ref.reference.split('/')[1]!));
      expect(targets.every((target) => target?.patientId === plan.patientId)).toBe(true);
      expect(resource.status).toBe(plan.status);
    }
    const goals = rows.filter((r) => r.resourceType === 'Goal');
    expect(goals.length).toBeGreaterThanOrEqual(10);
    expect(goals.some((g) => (g.resource as { target?: unknown[] }).target?.length)).toBe(true);
    const allReports = rows.filter((r) => r.resourceType === 'DiagnosticReport');
    // Besides imaging, one report: the teen's depression screening (the family access demo, issue 11).
    expect(allReports.filter((r) => r.category !== 'RAD').map((r) => r.sensitiveCategory)).toEqual(['mental_health']);
    const reports = allReports.filter((r) => r.category === 'RAD');
    expect(reports.length).toBeGreaterThanOrEqual(3);
    for (const report of reports) {
      const resource = report.resource as { conclusion: string; presentedForm: { contentType: string; data: string }[] };
      expect(report.category).toBe('RAD');
      expect(resource.conclusion.length).toBeGreaterThan(10);
      expect(Buffer.from(resource.presentedForm[0]!.data, 'base64').toString('utf8')).toContain(`IMPRESSION: ${resource.conclusion}`);
    }
  });

  it('links every row recorded at a visit to its Encounter, by encounter_id and by reference, within the same patient', async () => {
    const rows = await handle.db.select().from(fhirResources);
    const encounters = new Map(rows.filter((r) => r.resourceType === 'Encounter').map((r) => [r.id, r]));
    const referenced = (resource: unknown) => {
      const r = resource as { encounter?: { reference: string }; context?: { encounter?: { reference: string }[] } };
      return r.encounter?.reference ?? r.context?.encounter?.[0]?.reference ?? null;
    };
    const wrong = rows.filter((row) => {
      const reference = referenced(row.resource);
      if (reference !== (row.encounterId ? `Encounter/${row.encounterId}` : null)) return true;
      return row.encounterId !== null && encounters.get(row.encounterId)?.patientId !== row.patientId;
    });
    expect(wrong).toEqual([]);
    const atVisits = rows.filter((r) => r.encounterId !== null);
    expect(new Set(atVisits.map((r) => r.resourceType))).toEqual(
      new Set(['Condition', 'MedicationRequest', 'Observation', 'Procedure', 'DiagnosticReport', 'CarePlan', 'DocumentReference']),
    );
  });

  it("shows Maria every section of her health summary and a visit's after-visit information through the API", async () => {
    const [patientUser] = await handle.db.select().from(users).where(eq(users.username, 'patient'));
    const [maria] = await handle.db.select().from(patients).where(eq(patients.userId, patientUser!.id));
    const app = await buildApp({ config: testConfig(), database: handle, logger: false });
    try {
      const headers = cookieFor(await signInAs(handle.db, patientUser!));
      const get = async (path: string) => {
        const response = await app.inject({ method: 'GET', url: `/api/patients/${maria!.id}/record/${path}`, headers });
        expect(response.statusCode, path).toBe(200);
        return response;
      };
      const summary = (await get('summary')).json();
      for (const section of ['problems', 'allergies', 'medications', 'immunizations', 'carePlans', 'goals']) {
        expect(summary[section].length, section).toBeGreaterThan(0);
      }
      expect(summary.carePlans.find((p: { title: string }) => p.title === 'Diabetes self-management plan')).toMatchObject({
        status: 'active',
        activities: expect.arrayContaining(['Follow a diabetes meal plan']),
        addresses: ['Type 2 diabetes mellitus'],
      });
      expect(summary.goals.map((g: { target: string | null }) => g.target)).toContain(
        `Hemoglobin A1c < 7 %, by ${new Date(now.getTime() + 180 * dayMs).toISOString().slice(0, 10)}`,
      );
      expect(summary.medications.filter((m: { current: boolean }) => m.current).length).toBeGreaterThanOrEqual(4);

      const page = (await get('visits?limit=25')).json();
      expect(page.visits).toHaveLength(25);
      expect(page.nextCursor).not.toBeNull();

      const [xray] = await handle.db
        .select()
        .from(fhirResources)
        .where(and(eq(fhirResources.patientId, maria!.id), eq(fhirResources.resourceType, 'DiagnosticReport')));
      const visit = (await get(`visits/${xray!.encounterId}`)).json();
      expect(visit.diagnoses.map((d: { name: string }) => d.name)).toContain('Acute bronchitis');
      expect(visit.procedures.map((p: { name: string }) => p.name)).toContain('Chest X-ray');
      expect(visit.results).toContainEqual({ id: xray!.id, name: 'Chest X-ray (2 views)' });
      expect(visit.vitals.find((v: { name: string }) => v.name === 'Blood pressure')?.value).toMatch(/^\d{2,3}\/\d{2,3}$/);
      expect(visit.medicationsStarted.length).toBeGreaterThan(0);
      expect(visit.afterVisit.carePlans.map((p: { title: string }) => p.title)).toEqual(['Bronchitis recovery plan']);
      expect(visit.afterVisit.notes[0]).toContain('Your chest X-ray showed no pneumonia.');
    } finally {
      await app.close();
    }
  });

  it('gives Maria conversations with her care teams: answered by the demo nurse and clinician, one closed, one with an internal note', async () => {
    const [patientUser] = await handle.db.select().from(users).where(eq(users.username, 'patient'));
    const [maria] = await handle.db.select().from(patients).where(eq(patients.userId, patientUser!.id));
    const staff = await handle.db.select().from(users);
    const idOf = (username: string) => staff.find((u) => u.username === username)!.id;
    const [familyMedicine] = await handle.db.select().from(departments).where(eq(departments.name, 'Family Medicine'));
    const threads = await handle.db.select().from(messageThreads).where(eq(messageThreads.patientId, maria!.id));
    expect(summary.messageThreads).toBeGreaterThanOrEqual(threads.length);
    expect(threads.filter((x) => x.departmentId === familyMedicine!.id).length).toBeGreaterThanOrEqual(3);
    expect(threads.filter((x) => x.status === 'closed')).toHaveLength(1);
    expect(threads.every((x) => x.createdBy === patientUser!.id && x.lastActivityAt.getTime() <= now.getTime())).toBe(true);

    const rows = await handle.db.select().from(messages).orderBy(asc(messages.createdAt));
    const mine = rows.filter((m) => threads.some((x) => x.id === m.threadId));
    const authors = new Set(mine.filter((m) => !m.internal).map((m) => m.authorId));
    expect(authors).toEqual(new Set([patientUser!.id, idOf('nurse'), idOf('clinician')]));
    expect(mine.filter((m) => m.internal).map((m) => m.authorRole)).toEqual(['nurse']);
    for (const thread of threads) {
      const visible = mine.filter((m) => m.threadId === thread.id && !m.internal);
      expect(visible.at(-1)!.createdAt.getTime(), thread.subject).toBe(thread.lastActivityAt.getTime());
      if (thread.status !== 'closed') expect(thread.status).toBe(visible.at(-1)!.authorRole === 'patient' ? 'waiting' : 'answered');
    }
    // Every message sits with its thread's patient.
    const threadPatient = new Map((await handle.db.select().from(messageThreads)).map((x) => [x.id, x.patientId]));
    expect(rows.filter((m) => threadPatient.get(m.threadId) !== m.patientId)).toEqual([]);
  });

  it('shows the demo nurse the Family Medicine pool with several patients and unread threads, and its quick replies, through the API', async () => {
    const [nurse] = await handle.db.select().from(users).where(eq(users.username, 'nurse'));
    const [familyMedicine] = await handle.db.select().from(departments).where(eq(departments.name, 'Family Medicine'));
    const app = await buildApp({ config: testConfig(), database: handle, logger: false });
    try {
      const headers = cookieFor(await signInAs(handle.db, nurse!));
      const pools = (await app.inject({ method: 'GET', url: '/api/inbox/pools', headers })).json();
      const pool = pools.pools.find((p: { departmentId: string }) => p.departmentId === familyMedicine!.id);
      expect(pool.open).toBeGreaterThanOrEqual(3);
      expect(pool.unread).toBeGreaterThanOrEqual(1);
      const list = await app.inject({ method: 'GET', url: `/api/inbox/pools/${familyMedicine!.id}/threads?status=all`, headers });
      expect(list.statusCode).toBe(200);
      const threads = list.json().threads as { patient: { name: string }; status: string }[];
      expect(threads.map((x) => x.patient.name)).toContain('Maria Alvarez');
      expect(new Set(threads.map((x) => x.patient.name)).size).toBeGreaterThanOrEqual(2);
      expect(threads.some((x) => x.status === 'closed')).toBe(true);
      const templates = await app.inject({ method: 'GET', url: `/api/inbox/templates?departmentId=${familyMedicine!.id}`, headers });
      expect(templates.json().templates.length).toBeGreaterThanOrEqual(3);
      const all = await handle.db.select().from(messageTemplates);
      expect(all.some((x) => x.departmentId === null) && all.some((x) => x.departmentId === familyMedicine!.id)).toBe(true);
    } finally {
      await app.close();
    }
  });

  it("books every appointment on a weekday in clinic hours of its department's time zone", async () => {
    const rows = await handle.db.select().from(appointments).orderBy(asc(appointments.startAt));
    const outside = rows.filter((a) => {
      const start = localClock(a.startAt, a.timeZone);
      const end = localClock(a.endAt, a.timeZone);
      return ['Sat', 'Sun'].includes(start.weekday) || start.minutes < 8 * 60 || end.minutes > 17 * 60;
    });
    expect(outside).toEqual([]);
    expect(new Set(rows.map((a) => a.timeZone))).toEqual(new Set(['America/New_York', 'America/Chicago']));
    expect(rows.filter((a) => a.status === 'scheduled').every((a) => a.startAt.getTime() > now.getTime())).toBe(true);
  });

  it('creates the visit types, with the follow-up visit bookable by established patients and its check-in forms', async () => {
    const rows = await handle.db.select().from(visitTypes).orderBy(asc(visitTypes.name));
    expect(summary.visitTypes).toBe(rows.length);
    const byName = new Map(rows.map((t) => [t.name, t]));
    expect(byName.get('New patient visit')).toMatchObject({ durationMinutes: 40, patientBookable: false });
    expect(byName.get('Follow-up visit')).toMatchObject({
      durationMinutes: 20,
      patientBookable: true,
      establishedOnly: true,
      instructions: 'Bring your medications or a list of them.',
      questionnaire: [
        { id: 'symptoms-changed', text: 'Have your symptoms changed since your last visit?', kind: 'yes_no' },
        { id: 'anything-else', text: 'Anything else you want to discuss?', kind: 'text' },
      ],
      consentForms: [
        { id: 'treatment-consent', title: 'Consent to treatment', text: 'I agree to be examined and treated by my care team.' },
      ],
    });
    expect(byName.get('Video visit')).toMatchObject({ durationMinutes: 20, patientBookable: true, video: true });
    expect(byName.get('Annual physical')).toMatchObject({ durationMinutes: 40, patientBookable: true });
    const labelled = await handle.db.select().from(appointments);
    const wrong = labelled.filter((a) => a.visitTypeId !== (byName.get(a.visitType)?.id ?? null));
    expect(wrong).toEqual([]);
    expect(labelled.some((a) => a.visitTypeId !== null)).toBe(true);
  });

  it('gives the PCP weekday hours, 9-12 and 13-17, and lets Maria book a follow-up with her in the next 7 days', async () => {
    const [patientUser] = await handle.db.select().from(users).where(eq(users.username, 'patient'));
    const [maria] = await handle.db.select().from(patients).where(eq(patients.userId, patientUser!.id));
    const [familyMedicine] = await handle.db.select().from(departments).where(eq(departments.name, 'Family Medicine'));
    const templates = await handle.db.select().from(scheduleTemplates).where(eq(scheduleTemplates.clinicianId, maria!.pcpId!));
    expect(summary.scheduleTemplates).toBeGreaterThanOrEqual(templates.length);
    expect(templates.every((t) => t.departmentId === familyMedicine!.id && t.validTo === null)).toBe(true);
    expect(templates.map((t) => `${t.weekday} ${t.startMinute}-${t.endMinute}`).sort()).toEqual(
      [1, 2, 3, 4, 5].flatMap((d) => [`${d} 540-720`, `${d} 780-1020`]).sort(),
    );
    const clinicians = await handle.db.select({ id: memberships.userId }).from(memberships).where(eq(memberships.role, 'clinician'));
    const all = await handle.db.select().from(scheduleTemplates);
    expect(clinicians.every((c) => all.some((t) => t.clinicianId === c.id))).toBe(true);

    // Maria is established with her PCP (completed visits), so the established-only follow-up is hers to book.
    const completed = await handle.db
      .select()
      .from(appointments)
      .where(and(eq(appointments.patientId, maria!.id), eq(appointments.status, 'completed'), eq(appointments.clinicianId, maria!.pcpId!)));
    expect(completed.length).toBeGreaterThan(0);
    const [followUp] = await handle.db.select().from(visitTypes).where(eq(visitTypes.name, 'Follow-up visit'));
    const booked = new Map<string, Set<number>>();
    for (const unit of await handle.db.select().from(appointmentSlots)) {
      booked.set(unit.clinicianId, (booked.get(unit.clinicianId) ?? new Set()).add(unit.unitStart.getTime()));
    }
    const open = computeOpenSlots({
      templates,
      blocks: [],
      bookedUnits: booked,
      visitTypeId: followUp!.id,
      durationMinutes: followUp!.durationMinutes,
      timeZone: familyMedicine!.timeZone,
      from: civilDateInZone(now, familyMedicine!.timeZone),
      days: 7,
      notBefore: new Date(now.getTime() + 2 * 3600_000),
    });
    expect(open.filter((s) => s.startAt.getTime() < now.getTime() + 7 * dayMs).length).toBeGreaterThan(5);
  });

  it("holds every active appointment's 5-minute units in appointment_slots", async () => {
    const active = (await handle.db.select().from(appointments)).filter(
      (a) => a.clinicianId !== null && ['scheduled', 'checked_in', 'arrived'].includes(a.status),
    );
    expect(active.length).toBeGreaterThan(10);
    const units = await handle.db.select().from(appointmentSlots);
    expect(summary.appointmentSlots).toBe(units.length);
    const held = new Set(units.map((u) => `${u.clinicianId}|${u.unitStart.getTime()}`));
    const missing = active.flatMap((a) =>
      unitsOf(a.startAt, a.endAt)
        .map((u) => `${a.clinicianId}|${u.getTime()}`)
        .filter((key) => !held.has(key)),
    );
    expect(missing).toEqual([]);
    const ids = new Set(active.map((a) => a.id));
    expect(units.every((u) => ids.has(u.appointmentId))).toBe(true);
  });

  it('gives the parent guardian access to a 7- and a 15-year-old, the teen’s mental-health result hidden from her', async () => {
    const app = await buildApp({ config: testConfig(), database: handle, logger: false });
    try {
      const [parent] = await handle.db.select().from(users).where(eq(users.username, 'parent'));
      const token = await signInAs(handle.db, parent!);
      const me = (await app.inject({ method: 'GET', url: '/api/me', headers: cookieFor(token) })).json<unknown>();
      const grants = await handle.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, parent!.id));
      expect(grants.map((g) => g.relationship)).toEqual(['guardian', 'guardian']);
      const children = await handle.db
        .select()
        .from(patients)
        .where(
          inArray(
            patients.id,
            grants.map((g) => g.patientId),
          ),
        );
      expect(children.map((c) => ageInYears(c.birthDate, now)).sort((a, b) => a - b)).toEqual([7, 15]);
      expect(JSON.stringify(me)).toContain(children[0]!.id);
      const teen = children.find((c) => ageInYears(c.birthDate, now) === 15)!;
      const [screening] = await handle.db
        .select()
        .from(fhirResources)
        .where(and(eq(fhirResources.patientId, teen.id), eq(fhirResources.sensitiveCategory, 'mental_health')));
      expect(screening?.resourceType).toBe('DiagnosticReport');
      const results = await app.inject({ method: 'GET', url: `/api/patients/${teen.id}/record/results`, headers: cookieFor(token) });
      expect(results.statusCode).toBe(200);
      expect(results.body).not.toContain(screening!.id);
      // The care team sees it.
      const [clinician] = await handle.db.select().from(users).where(eq(users.username, 'dr.nguyen'));
      const staffResults = await app.inject({
        method: 'GET',
        url: `/api/patients/${teen.id}/record/results`,
        headers: cookieFor(await signInAs(handle.db, clinician!)),
      });
      expect(staffResults.body).toContain(screening!.id);
      // One visit her clinician marked confidential (meta.security R): not a sensitive category, hidden from her mother.
      const confidential = await handle.db
        .select()
        .from(fhirResources)
        .where(and(eq(fhirResources.patientId, teen.id), eq(fhirResources.confidential, true)));
      expect(confidential.map((r) => [r.resourceType, r.sensitiveCategory])).toEqual([['Encounter', null]]);
      const visit = confidential[0]!;
      const visits = await app.inject({ method: 'GET', url: `/api/patients/${teen.id}/record/visits`, headers: cookieFor(token) });
      expect(visits.statusCode).toBe(200);
      expect(visits.body).not.toContain(visit.id);
      const detail = await app.inject({
        method: 'GET',
        url: `/api/patients/${teen.id}/record/visits/${visit.id}`,
        headers: cookieFor(token),
      });
      expect(detail.statusCode).toBe(404);
      const staffVisits = await app.inject({
        method: 'GET',
        url: `/api/patients/${teen.id}/record/visits/${visit.id}`,
        headers: cookieFor(await signInAs(handle.db, clinician!)),
      });
      expect(staffVisits.statusCode).toBe(200);
      // Her 7-year-old brother's record has nothing marked confidential to hide: the mother sees all of it.
      const child = children.find((c) => ageInYears(c.birthDate, now) === 7)!;
      const childRows = await handle.db
        .select()
        .from(fhirResources)
        .where(and(eq(fhirResources.patientId, child.id), eq(fhirResources.confidential, true)));
      expect(childRows).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('gives the daughter full access to her father’s record, granted by him, shown on his Sharing and privacy page', async () => {
    const app = await buildApp({ config: testConfig(), database: handle, logger: false });
    try {
      const [daughter] = await handle.db.select().from(users).where(eq(users.username, 'daughter'));
      const [father] = await handle.db.select().from(users).where(eq(users.username, 'robert.okafor'));
      const [record] = await handle.db.select().from(patients).where(eq(patients.userId, father!.id));
      expect(ageInYears(record!.birthDate, now)).toBeGreaterThanOrEqual(80);
      const [grant] = await handle.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, daughter!.id));
      expect(grant).toMatchObject({ patientId: record!.id, relationship: 'invited', grantedBy: father!.id });
      const sharing = await app.inject({
        method: 'GET',
        url: `/api/patients/${record!.id}/sharing`,
        headers: cookieFor(await signInAs(handle.db, father!)),
      });
      expect(sharing.json()).toMatchObject({
        entries: [{ name: 'Grace Okafor', level: 'full', relationship: 'invited', canRevoke: true }],
      });
      const asDaughter = await app.inject({
        method: 'GET',
        url: `/api/patients/${record!.id}/record/results`,
        headers: cookieFor(await signInAs(handle.db, daughter!)),
      });
      expect(asDaughter.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('gives the same patients and ids for the same now, and isDemoSeeded turns true', async () => {
    const second = await freshDatabase(handles);
    expect(await isDemoSeeded(second.db)).toBe(false);
    await seedDemoData(second.db, { now });
    expect(await isDemoSeeded(second.db)).toBe(true);
    const listPatients = (h: DatabaseHandle) =>
      h.db
        .select({
          id: patients.id,
          mrn: patients.mrn,
          givenName: patients.givenName,
          familyName: patients.familyName,
          birthDate: patients.birthDate,
        })
        .from(patients)
        .orderBy(asc(patients.mrn));
    expect(await listPatients(second)).toEqual(await listPatients(handle));
    const listResources = (h: DatabaseHandle) =>
      h.db.select({ id: fhirResources.id, resource: fhirResources.resource }).from(fhirResources).orderBy(asc(fhirResources.id));
    expect(await listResources(second)).toEqual(await listResources(handle));
    const listMessages = (h: DatabaseHandle) => h.db.select().from(messages).orderBy(asc(messages.id));
    expect(await listMessages(second)).toEqual(await listMessages(handle));
    const listThreads = (h: DatabaseHandle) => h.db.select().from(messageThreads).orderBy(asc(messageThreads.id));
    expect(await listThreads(second)).toEqual(await listThreads(handle));
    const listScheduling = async (h: DatabaseHandle) => ({
      visitTypes: await h.db.select().from(visitTypes).orderBy(asc(visitTypes.id)),
      templates: await h.db.select().from(scheduleTemplates).orderBy(asc(scheduleTemplates.id)),
      slots: await h.db.select().from(appointmentSlots).orderBy(asc(appointmentSlots.clinicianId), asc(appointmentSlots.unitStart)),
      appointments: await h.db.select().from(appointments).orderBy(asc(appointments.id)),
    });
    expect(await listScheduling(second)).toEqual(await listScheduling(handle));
  });

  it('refuses a database that already has an organization and leaves it unchanged', async () => {
    const before = await handle.db.select({ id: patients.id }).from(patients);
    await expect(seedDemoData(handle.db, { now })).rejects.toThrow(/already/);
    expect(await handle.db.select({ id: patients.id }).from(patients)).toHaveLength(before.length);
  });

  it('writes nothing when a later insert fails part-way', async () => {
    const clashing = await freshDatabase(handles);
    await clashing.db
      .insert(users)
      .values({ username: 'patient', email: 'someone@example.com', passwordHash: 'x', displayName: 'Someone' });
    await expect(seedDemoData(clashing.db, { now })).rejects.toThrow();
    expect(await clashing.db.select().from(organizations)).toEqual([]);
    expect(await clashing.db.select().from(departments)).toEqual([]);
    expect(await isDemoSeeded(clashing.db)).toBe(false);
  });
});
