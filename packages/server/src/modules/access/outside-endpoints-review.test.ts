import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFhirResource, buildOrganization, buildPatient, buildPractice, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
let patientId: string;
let session: string;
let sponsoredSession: string;

const getRoutes = [
  '/activity',
  '/activity/people',
  '/appointments',
  '/care-team',
  '/care-team/directory?q=Dr',
  '/chart-header',
  '/messages/recipients',
  '/messages/threads',
  '/pharmacies',
  '/provider-requests',
  '/provider-tokens',
  '/proxies',
  '/record/results',
  '/record/results-release',
  '/record/summary',
  '/record/visits',
  '/refills',
  '/refills/medications',
  '/scheduling/options',
  '/scheduling/open-days',
  '/share-links',
  '/sharing',
  '/summary',
  '/waitlist/offers',
];
const chart = new Set(['/appointments', '/care-team', '/chart-header', '/record/results', '/record/summary', '/record/visits']);

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
  const practice = await buildPractice(t.db, orgId);
  const pcp = await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, practiceId: practice.id, mfa: true });
  const nurse = await buildUser(t.db, {
    role: 'sponsored_staff',
    organizationId: orgId,
    practiceId: practice.id,
    sponsorUserId: pcp.id,
    mfa: true,
  });
  session = await signInAs(t.db, pcp);
  sponsoredSession = await signInAs(t.db, nurse);
  const p = await buildPatient(t.db, orgId, { pcpId: pcp.id, withAccount: true });
  patientId = p.patient.id;
  const condition = (text: string, extra: object = {}) => ({
    resourceType: 'Condition',
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { text },
    subject: { reference: `Patient/${patientId}` },
    ...extra,
  });
  await buildFhirResource(t.db, { organizationId: orgId, patientId, resource: condition('Asthma plain marker'), status: 'active' });
  await buildFhirResource(t.db, {
    organizationId: orgId,
    patientId,
    resource: condition('SENSITIVEMARKER depression'),
    status: 'active',
    sensitiveCategory: 'mental_health',
  });
  await buildFhirResource(t.db, {
    organizationId: orgId,
    patientId,
    resource: condition('CONFMARKER contraception', {
      meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
    }),
    status: 'active',
  });
});
afterAll(() => t.close());

describe('review probes: what an outside practice reaches', () => {
  for (const who of ['pcp', 'sponsored'] as const)
    it(`${who}: the patient's-side endpoints (home summary, refills, scheduling, waitlist offers) are closed to an outside practice`, async () => {
      const s = who === 'pcp' ? session : sponsoredSession;
      const open: string[] = [];
      const leaks: string[] = [];
      for (const route of getRoutes) {
        const r = await t.app.inject({ method: 'GET', url: `/api/patients/${patientId}${route}`, headers: cookieFor(s) });
        if (r.statusCode === 200 && !chart.has(route)) open.push(`${route} ${r.body.slice(0, 150)}`);
        if (/SENSITIVEMARKER|CONFMARKER/.test(r.body)) leaks.push(route);
      }
      const search = await t.app.inject({
        method: 'POST',
        url: `/api/patients/${patientId}/record/results/search`,
        headers: { ...csrfHeaders, ...cookieFor(s) },
        payload: { q: 'a' },
      });
      if (/SENSITIVEMARKER|CONFMARKER/.test(search.body)) leaks.push('results/search');
      const summary = await t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/record/summary`, headers: cookieFor(s) });
      expect(summary.body).toContain('Asthma plain marker');
      expect(leaks).toEqual([]);
      expect(open).toEqual([]);
    });
});
