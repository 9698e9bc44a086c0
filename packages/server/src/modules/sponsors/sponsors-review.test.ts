import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildPatient, buildPractice, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
let support: string;
const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const post = (url: string, payload: object, session?: string) => t.app.inject({ method: 'POST', url, payload, headers: headers(session) });
const get = (url: string, session?: string) => t.app.inject({ method: 'GET', url, headers: session ? cookieFor(session) : {} });

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
  support = await signInAs(t.db, await buildUser(t.db, { role: 'support', organizationId: orgId }));
});
afterAll(() => t.close());

describe('review probes: sponsorship ends', () => {
  it('a sponsored user whose sponsorship ended (sponsor moved practice) no longer opens a chart through a token they validated', async () => {
    const practice = await buildPractice(t.db, orgId);
    const sponsor = await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, practiceId: practice.id, mfa: true });
    const nurse = await buildUser(t.db, {
      role: 'sponsored_staff',
      organizationId: orgId,
      practiceId: practice.id,
      sponsorUserId: sponsor.id,
      mfa: true,
    });
    const sponsorSession = await signInAs(t.db, sponsor);
    const nurseSession = await signInAs(t.db, nurse);
    // A patient of nobody in the practice issues a token; the nurse validates it.
    const p = await buildPatient(t.db, orgId, { withAccount: true });
    const patientSession = await signInAs(t.db, p.user!);
    const issued = await post(`/api/patients/${p.patient.id}/provider-tokens`, { label: 'Harbor nurse' }, patientSession);
    expect(issued.statusCode).toBe(201);
    const validated = await post('/api/mypatients/tokens/validate', { token: issued.json().token.code, mrn: p.patient.mrn }, nurseSession);
    expect(validated.statusCode).toBe(200);
    expect((await get(`/api/patients/${p.patient.id}/record/summary`, nurseSession)).statusCode).toBe(200);
    // The sponsor moves practice: support applies it, and the nurse's sponsorship ends ("everyone without an NPI must have a sponsor").
    const change = await post(
      '/api/mypatients/practice-change',
      { newPractice: { name: 'Elsewhere Pediatrics', address: '1 Main St', phone: '617 555 0100', fax: '617 555 0101' }, wasSponsor: true },
      sponsorSession,
    );
    expect(change.statusCode).toBe(201);
    const applied = await post(`/api/support/practice-changes/${change.json().change.id}/apply`, {}, support);
    expect(applied.statusCode).toBe(200);
    expect(applied.json().endedSponsoredUsers.map((u: { userId: string }) => u.userId)).toContain(nurse.id);
    // With no practice and no sponsor, the nurse has no account any more: her session reads nothing (the policy also
    // honours a token grant only while its holder belongs to a practice: access.policy.test.ts).
    expect((await post('/api/mypatients/search', { mrn: p.patient.mrn }, nurseSession)).statusCode).toBe(401);
    const after = await get(`/api/patients/${p.patient.id}/record/summary`, nurseSession);
    expect(after.statusCode).toBe(401);
  });
});
