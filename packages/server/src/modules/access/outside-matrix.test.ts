import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { accessGrants, auditEvents } from '../../db/schema/index.ts';
import { buildFhirResource, buildPatient, buildPractice, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { bookAt, buildScheduleWorld, daysFromNow } from '../scheduling/schedule.fixtures.ts';

/**
 * The generated access matrix of the community-provider portal (issue 12 §4): every way an outside person may reach a
 * patient (the PCP, a partner of the PCP's practice, a sponsor there and the staff they sponsor, a care-team member, an
 * approved non-PCP request, a validated token) and the ways they may not (an expired token, a revoked care-team place,
 * another practice, no relationship) × every endpoint of the read-only chart, and the endpoints no outside person
 * reaches (messages, sharing, activity, refills, billing, writes). Allowed reads answer 200 and are audited with the
 * relationship; everything else answers 404, as for a record that does not exist.
 */
let t: TestApp;
let patientId = '';
let departmentId = '';
const ids: Record<string, string> = {};
const tokens: Record<string, string> = {};

const chartEndpoints = [
  '/record/summary',
  '/record/visits',
  '/record/visits/:visitId',
  '/record/results',
  '/record/results/:resultId',
  '/appointments',
  '/appointments/:appointmentId',
  '/chart-header',
  '/care-team',
] as const;

/**
 * Endpoints of the patient's side that take the patient's id and that no outside person reaches (404, as for a record
 * that does not exist), and the staff console's, refused by ability before any record is looked up (403).
 */
const closedEndpoints = [
  { endpoint: '/messages/threads', status: 404 },
  { endpoint: '/sharing', status: 404 },
  { endpoint: '/activity', status: 404 },
  { endpoint: '/refills', status: 404 },
  { endpoint: '/share-links', status: 404 },
  { endpoint: '/pharmacies', status: 404 },
  { endpoint: '/summary', status: 404 },
  { endpoint: '/refills/medications', status: 404 },
  { endpoint: '/scheduling/options', status: 404 },
  { endpoint: '/waitlist/offers', status: 404 },
  { endpoint: '/proxies', status: 403 },
] as const;

const relationships = [
  { who: 'pcp', via: 'pcp_practice', allowed: true },
  { who: 'practice partner', via: 'pcp_practice', allowed: true },
  { who: 'sponsor (a partner who sponsors staff)', via: 'pcp_practice', allowed: true },
  { who: 'sponsored user', via: 'pcp_practice', allowed: true },
  { who: 'care team', via: 'care_team', allowed: true },
  { who: 'approved request', via: 'approved_request', allowed: true },
  { who: 'valid token', via: 'token', allowed: true },
  { who: 'expired token', via: null, allowed: false },
  { who: 'revoked care team', via: null, allowed: false },
  { who: 'another practice', via: null, allowed: false },
  { who: 'none', via: null, allowed: false },
] as const;

const pathOf = (endpoint: string) =>
  endpoint.replace(':visitId', ids.visit!).replace(':resultId', ids.result!).replace(':appointmentId', ids.appointment!);

beforeAll(async () => {
  t = await buildTestApp();
  const w = await buildScheduleWorld(t);
  const organizationId = w.organization.id;
  departmentId = w.department.id;
  const practice = await buildPractice(t.db, organizationId, 'Harbor Pediatrics');
  const physician = (practiceId = practice.id) => buildUser(t.db, { role: 'outside_provider', organizationId, practiceId, mfa: true });
  const pcp = await physician();
  const partner = await physician();
  const sponsor = await physician();
  const sponsored = await buildUser(t.db, {
    role: 'sponsored_staff',
    organizationId,
    practiceId: practice.id,
    sponsorUserId: sponsor.id,
    mfa: true,
  });
  const elsewhere = await buildPractice(t.db, organizationId, 'Elsewhere Cardiology');
  const [careTeam, approved, validToken, expiredToken, revoked, another, none] = await Promise.all(
    Array.from({ length: 7 }, () => physician(elsewhere.id)),
  );
  const { patient } = await buildPatient(t.db, organizationId, { pcpId: pcp.id });
  patientId = patient.id;

  const grant = (
    granteeUserId: string,
    kind: 'care_team' | 'approved_request' | 'token',
    extra: Partial<typeof accessGrants.$inferInsert> = {},
  ) =>
    t.db.insert(accessGrants).values({
      granteeUserId,
      patientId,
      kind,
      level: 'read',
      categories: ['demographics', 'clinical', 'appointments'],
      grantedBy: w.clinician.id,
      ...extra,
    });
  const day = 86_400_000;
  await grant(careTeam!.id, 'care_team');
  await grant(approved!.id, 'approved_request');
  await grant(validToken!.id, 'token', { endsAt: new Date(Date.now() + 180 * day) });
  await grant(expiredToken!.id, 'token', { startsAt: new Date(Date.now() - 200 * day), endsAt: new Date(Date.now() - day) });
  await grant(revoked!.id, 'care_team', { revokedAt: new Date(), revokedBy: w.clinician.id });

  const people: Record<(typeof relationships)[number]['who'], { id: string }> = {
    pcp,
    'practice partner': partner,
    'sponsor (a partner who sponsors staff)': sponsor,
    'sponsored user': sponsored,
    'care team': careTeam!,
    'approved request': approved!,
    'valid token': validToken!,
    'expired token': expiredToken!,
    'revoked care team': revoked!,
    'another practice': another!,
    none: none!,
  };
  for (const [who, user] of Object.entries(people)) {
    ids[who] = user.id;
    tokens[who] = await signInAs(t.db, user);
  }

  const visitAt = new Date(Date.now() - 30 * day);
  const visit = await buildFhirResource(t.db, {
    organizationId,
    patientId,
    resource: {
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${patientId}` },
      period: { start: visitAt.toISOString(), end: new Date(visitAt.getTime() + 900_000).toISOString() },
    },
    effectiveAt: visitAt,
    status: 'finished',
  });
  ids.visit = visit.id;
  const result = await buildFhirResource(t.db, {
    organizationId,
    patientId,
    resource: {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }], text: 'Glucose' },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: visitAt.toISOString(),
      valueQuantity: { value: 95, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
    },
    category: 'laboratory',
    code: 'http://loinc.org|2345-7',
    effectiveAt: visitAt,
    status: 'final',
    encounterId: visit.id,
  });
  ids.result = result.id;
  ids.appointment = (await bookAt(t, w, patientId, daysFromNow(5))).id;
}, 120_000);
afterAll(() => t.close());

describe('the community-provider portal: every outside relationship × every chart endpoint', () => {
  const cells = relationships.flatMap((r) => chartEndpoints.map((endpoint) => ({ ...r, endpoint, status: r.allowed ? 200 : 404 })));

  it.each(cells)('$who: GET $endpoint → $status', async ({ who, endpoint, status, via }) => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${patientId}${pathOf(endpoint)}`,
      headers: cookieFor(tokens[who]!),
    });
    expect(response.statusCode, response.body).toBe(status);
    const events = await t.db
      .select({ outcome: auditEvents.outcome, details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, ids[who]!), eq(auditEvents.patientId, patientId)));
    // Every attempt, allowed or not, leaves an event naming this patient; an allowed one names the relationship.
    expect(events.length).toBeGreaterThan(0);
    if (via) expect(events.some((e) => e.outcome === 'success' && (e.details as { via?: string } | null)?.via === via)).toBe(true);
  });

  const closed = relationships.flatMap((r) => closedEndpoints.map((c) => ({ ...r, ...c })));

  it.each(closed)('$who: GET $endpoint → $status', async ({ who, endpoint, status }) => {
    const response = await t.app.inject({ method: 'GET', url: `/api/patients/${patientId}${endpoint}`, headers: cookieFor(tokens[who]!) });
    expect(response.statusCode, response.body).toBe(status);
  });

  it.each(relationships)('$who: cannot book, cancel or write for the patient', async ({ who }) => {
    const headers = { ...cookieFor(tokens[who]!), 'x-requested-with': 'portico' };
    const cancel = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${patientId}/appointments/${ids.appointment}/cancel`,
      headers,
      payload: { reason: 'x' },
    });
    expect([403, 404]).toContain(cancel.statusCode);
    const thread = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${patientId}/messages/threads`,
      headers,
      payload: { departmentId, topic: 'medical_question', subject: 'A question', body: 'Is this right?', attachmentIds: [] },
    });
    expect([403, 404], thread.body).toContain(thread.statusCode);
  });
});
