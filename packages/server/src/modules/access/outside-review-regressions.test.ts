import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants } from '../../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { buildFhirResource, buildOrganization, buildPatient, buildPractice, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { buildOutsideProvider, buildProxyOf } from '../care-team/care-team.fixtures.ts';

/** Attacks from the hostile review of issue 12 that held; kept as regression tests. */
let t: TestApp;
let orgId: string;
const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const yearsAgo = (years: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate() - 7)).toISOString().slice(0, 10);
};

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
});
afterAll(() => t.close());

describe('passing probes (issue 12 review)', () => {
  it('one token raced by 10 providers is redeemed exactly once', async () => {
    const p = await buildPatient(t.db, orgId, { withAccount: true });
    const issued = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${p.patient.id}/provider-tokens`,
      headers: headers(await signInAs(t.db, p.user!)),
      payload: { label: 'Dr. Race' },
    });
    const code = issued.json().token.code as string;
    const sessions = await Promise.all(Array.from({ length: 10 }, async () => signInAs(t.db, await buildOutsideProvider(t.db, orgId))));
    const answers = await Promise.all(
      sessions.map((s) =>
        t.app.inject({
          method: 'POST',
          url: '/api/mypatients/tokens/validate',
          headers: headers(s),
          payload: { token: code, mrn: p.patient.mrn },
        }),
      ),
    );
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    const grants = await t.db.select().from(accessGrants).where(eq(accessGrants.patientId, p.patient.id));
    expect(grants.filter((g) => g.kind === 'token')).toHaveLength(1);
  });

  it('wrong MRN, unknown, expired-like and other-organization tokens get the same answer', async () => {
    const other = (await buildOrganization(t.db)).organization.id;
    const q = await buildPatient(t.db, other, { withAccount: true });
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${q.patient.id}/provider-tokens`,
      headers: headers(await signInAs(t.db, q.user!)),
      payload: { label: 'x' },
    });
    const p = await buildPatient(t.db, orgId, { withAccount: true });
    const own = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${p.patient.id}/provider-tokens`,
      headers: headers(await signInAs(t.db, p.user!)),
      payload: { label: 'x' },
    });
    const s = await signInAs(t.db, await buildOutsideProvider(t.db, orgId));
    const bodies = [
      { token: foreign.json().token.code, mrn: q.patient.mrn },
      { token: own.json().token.code, mrn: 'NOPE' },
      { token: 'AAAA-BBBB-CCCC', mrn: p.patient.mrn },
    ];
    const answers = [];
    for (const b of bodies)
      answers.push(await t.app.inject({ method: 'POST', url: '/api/mypatients/tokens/validate', headers: headers(s), payload: b }));
    const shapes = answers.map((a) => `${a.statusCode} ${a.json().error.code} ${a.json().error.message}`);
    expect(new Set(shapes).size).toBe(1);
  });

  it('support reads no chart; the outside practice sees no sensitive or confidential row on any patient endpoint', async () => {
    const practice = await buildPractice(t.db, orgId);
    const pcp = await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, practiceId: practice.id, mfa: true });
    const session = await signInAs(t.db, pcp);
    const support = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: orgId }));
    const { patient } = await buildPatient(t.db, orgId, { pcpId: pcp.id });
    const condition = (text: string, extra: object = {}) => ({
      resourceType: 'Condition',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      code: { text },
      subject: { reference: `Patient/${patient.id}` },
      ...extra,
    });
    await buildFhirResource(t.db, {
      organizationId: orgId,
      patientId: patient.id,
      resource: condition('SENSITIVEMARKER'),
      sensitiveCategory: 'hiv',
    });
    await buildFhirResource(t.db, {
      organizationId: orgId,
      patientId: patient.id,
      resource: condition('CONFMARKER', {
        meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'V' }] },
      }),
    });
    for (const route of [
      '/record/summary',
      '/summary',
      '/chart-header',
      '/record/visits',
      '/record/results',
      '/refills/medications',
      '/care-team',
    ]) {
      const r = await t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}${route}`, headers: cookieFor(session) });
      expect(r.body).not.toMatch(/SENSITIVEMARKER|CONFMARKER/);
      const s = await t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}${route}`, headers: cookieFor(support) });
      expect([403, 404]).toContain(s.statusCode);
    }
  });

  it('the teen’s token and its provider stay hidden from the guardian in tokens, sharing and activity', async () => {
    const teen = await buildPatient(t.db, orgId, { withAccount: true, birthDate: yearsAgo(15) });
    const teenSession = await signInAs(t.db, teen.user!);
    const guardian = await buildProxyOf(t.db, orgId, teen.patient.id, { relationship: 'guardian' });
    const guardianSession = await signInAs(t.db, guardian.user);
    const counsellor = await buildOutsideProvider(t.db, orgId, { name: 'Dr. Hidden Counsellor', practiceName: 'Youth Clinic Zeta' });
    const counsellorSession = await signInAs(t.db, counsellor);
    const issued = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${teen.patient.id}/provider-tokens`,
      headers: headers(teenSession),
      payload: { label: 'My counsellor' },
    });
    const v = await t.app.inject({
      method: 'POST',
      url: '/api/mypatients/tokens/validate',
      headers: headers(counsellorSession),
      payload: { token: issued.json().token.code, mrn: teen.patient.mrn },
    });
    expect(v.statusCode).toBe(200);
    await t.app.inject({ method: 'GET', url: `/api/patients/${teen.patient.id}/record/summary`, headers: cookieFor(counsellorSession) });
    for (const route of ['/provider-tokens', '/sharing', '/activity', '/activity/people', '/care-team']) {
      const r = await t.app.inject({ method: 'GET', url: `/api/patients/${teen.patient.id}${route}`, headers: cookieFor(guardianSession) });
      expect(r.body).not.toMatch(/My counsellor|Hidden Counsellor|Youth Clinic Zeta/);
    }
  });

  it('new state-changing routes refuse a request without the CSRF header', async () => {
    const s = await signInAs(t.db, await buildOutsideProvider(t.db, orgId));
    for (const url of ['/api/mypatients/tokens/validate', '/api/mypatients/requests', '/api/support/error-reports', '/api/sponsor/users']) {
      const r = await t.app.inject({ method: 'POST', url, headers: cookieFor(s), payload: {} });
      expect(r.statusCode).toBe(403);
    }
  });
});

let fzProvider = '';
let fzSupport = '';
let fzPatientSession = '';
let fzPatientId = '';
beforeAll(async () => {
  const practice = await buildPractice(t.db, orgId);
  fzProvider = await signInAs(
    t.db,
    await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, practiceId: practice.id, mfa: true }),
  );
  fzSupport = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: orgId }));
  const p = await buildPatient(t.db, orgId, { withAccount: true });
  fzPatientId = p.patient.id;
  fzPatientSession = await signInAs(t.db, p.user!);
});

const weird: unknown[] = [
  null,
  [],
  [1, 2],
  'x',
  1e308,
  -1,
  true,
  { __proto__: { a: 1 } },
  '\uD800',
  'a'.repeat(100_000),
  '+010000-01-01T00:00:00Z',
  '10000-01-01',
  '0000-01-01',
  '2026-02-30',
  '２０２６-01-01',
  { $gt: '' },
];

function bodies(base: Record<string, unknown>): unknown[] {
  const out: unknown[] = [null, [], 'str', 42, {}];
  for (const key of Object.keys(base)) for (const w of weird) out.push({ ...base, [key]: w });
  return out;
}

const cases: { url: string; method: 'POST' | 'GET' | 'DELETE'; base: Record<string, unknown>; who: () => string }[] = [
  {
    url: '/api/mypatients/search',
    method: 'POST',
    base: { familyName: 'Smith', birthDate: '2015-01-01', givenName: 'A', mrn: 'X' },
    who: () => fzProvider,
  },
  {
    url: '/api/mypatients/requests',
    method: 'POST',
    base: { patientId: randomUUID(), kind: 'non_pcp', reason: 'r' },
    who: () => fzProvider,
  },
  { url: '/api/mypatients/tokens/validate', method: 'POST', base: { token: 'AAAA-BBBB-CCCC', mrn: 'M1' }, who: () => fzProvider },
  {
    url: '/api/mypatients/practice-change',
    method: 'POST',
    base: { newPractice: { name: 'n', address: 'a', phone: '617 555 0100', fax: '617 555 0101' }, wasSponsor: false, newEmail: 'a@b.test' },
    who: () => fzProvider,
  },
  {
    url: '/api/support/error-reports',
    method: 'POST',
    base: { page: '/mypatients', description: 'd', screenshot: 'iVBORw0KGgo=' },
    who: () => fzProvider,
  },
  {
    url: '/api/sponsor/users',
    method: 'POST',
    base: { givenName: 'a', familyName: 'b', email: 'x@y.test', title: 'registered_nurse' },
    who: () => fzProvider,
  },
  { url: '/api/sponsor/validation', method: 'POST', base: { decisions: [{ userId: randomUUID(), keep: true }] }, who: () => fzProvider },
  {
    url: `/api/support/access-requests/${randomUUID()}/approve-pcp`,
    method: 'POST',
    base: { confirmedBy: 'Mom', confirmedAt: '2026-01-01T00:00:00Z', physicianUserId: randomUUID() },
    who: () => fzSupport,
  },
  { url: `/api/support/access-requests/${randomUUID()}/deny`, method: 'POST', base: { note: 'n' }, who: () => fzSupport },
  { url: `/api/support/validations/${randomUUID()}/extend`, method: 'POST', base: { days: 5, reason: 'r' }, who: () => fzSupport },
];

describe('passing probes: fuzz for 500s', () => {
  for (const c of cases)
    it(`never answers 5xx: ${c.method} ${c.url.replace(/[0-9a-f-]{36}/, ':id')}`, async () => {
      const bad: string[] = [];
      for (const body of bodies(c.base)) {
        const r = await t.app.inject({ method: c.method, url: c.url, headers: headers(c.who()), payload: JSON.stringify(body) });
        if (r.statusCode >= 500) bad.push(`${r.statusCode} ${JSON.stringify(body).slice(0, 120)}`);
      }
      expect(bad).toEqual([]);
    });

  it('never answers 5xx to weird query strings', async () => {
    const bad: string[] = [];
    const urls = [
      `/api/patients/${'PID'}/care-team/directory?q=`,
      '/api/mypatients/practices?q=',
      '/api/support/audit-report?from=2026-01-01&to=2026-01-31&cursor=',
      '/api/support/audit-report.csv?from=2026-01-01&to=2026-01-31&x=',
      '/api/support/access-requests?kind=pcp&status=',
      '/api/support/error-reports?status=',
      '/api/support/practice-changes?status=',
    ];
    const values = [
      '%00',
      '%ZZ',
      'a'.repeat(5000),
      '%F0%9F%92%A9',
      '%ED%A0%80',
      '[]',
      'pending&status=open',
      '%27%22',
      'eyJhdCI6IngiLCJpZCI6MX0',
    ];
    for (const u of urls)
      for (const v of values) {
        const url = u.replace('PID', fzPatientId) + v;
        const who = u.includes('support/') ? fzSupport : u.includes('care-team') ? fzPatientSession : fzProvider;
        const r = await t.app.inject({ method: 'GET', url, headers: cookieFor(who) });
        if (r.statusCode >= 500) bad.push(`${r.statusCode} ${url.slice(0, 150)}`);
      }
    expect(bad).toEqual([]);
  });
});
