import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { buildOutsideProvider, buildOutsideRequest, buildProxyOf } from '../care-team/care-team.fixtures.ts';

let t: TestApp;
let orgId: string;
const yearsAgo = (years: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate() - 7)).toISOString().slice(0, 10);
};
const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
});
afterAll(() => t.close());

describe('review probes: care team and tokens', () => {
  it('a validated token cannot be reached by guessing MRNs: after 5 wrong MRNs the token is locked (SECURITY.md)', async () => {
    const p = await buildPatient(t.db, orgId, { withAccount: true });
    const patientSession = await signInAs(t.db, p.user!);
    const issued = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${p.patient.id}/provider-tokens`,
      headers: headers(patientSession),
      payload: { label: 'Dr. Lee' },
    });
    expect(issued.statusCode).toBe(201);
    const code = issued.json().token.code as string;
    // Someone who holds the token (a forwarded invitation) but not the MRN tries MRNs, from two accounts.
    const a = await signInAs(t.db, await buildOutsideProvider(t.db, orgId));
    const b = await signInAs(t.db, await buildOutsideProvider(t.db, orgId));
    for (let i = 0; i < 4; i++)
      for (const who of [a, b]) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/api/mypatients/tokens/validate',
          headers: headers(who),
          payload: { token: code, mrn: `WRONG${i}${who.slice(0, 4)}` },
        });
        expect(r.statusCode).toBe(400);
      }
    // 8 wrong MRNs for this one token: it must be locked now, even with the right MRN.
    const right = await t.app.inject({
      method: 'POST',
      url: '/api/mypatients/tokens/validate',
      headers: headers(a),
      payload: { token: code, mrn: p.patient.mrn },
    });
    expect(right.statusCode).not.toBe(200);
  });

  it('a guardian cannot consent, for a 12-17 year old, to sensitive categories he himself may not see (approve with sensitiveCategories)', async () => {
    // A 15-year-old without a portal account of their own, and their guardian.
    const teen = await buildPatient(t.db, orgId, { birthDate: yearsAgo(15) });
    const guardian = await buildProxyOf(t.db, orgId, teen.patient.id, { relationship: 'guardian' });
    const guardianSession = await signInAs(t.db, guardian.user);
    const provider = await buildOutsideProvider(t.db, orgId);
    const request = await buildOutsideRequest(t.db, { organizationId: orgId, patientId: teen.patient.id, requesterUserId: provider.id });
    // The guardian's own row filter hides every sensitive category of a teen.
    const sharing = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${teen.patient.id}/provider-requests/${request.id}/approve`,
      headers: headers(guardianSession),
      payload: { sensitiveCategories: ['sexual_reproductive', 'mental_health'] },
    });
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, provider.id));
    expect(grant?.sensitiveCategories ?? []).toEqual([]);
    expect(sharing.statusCode).toBe(403);
  });

  it('a guardian cannot consent, for a 12-17 year old, to sensitive categories for a care-team provider staff added (sharing page)', async () => {
    const teen = await buildPatient(t.db, orgId, { birthDate: yearsAgo(15) });
    const guardian = await buildProxyOf(t.db, orgId, teen.patient.id, { relationship: 'guardian' });
    const guardianSession = await signInAs(t.db, guardian.user);
    const frontDesk = await signInAs(t.db, await buildUser(t.db, { role: 'front_desk', organizationId: orgId }));
    const provider = await buildOutsideProvider(t.db, orgId);
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${teen.patient.id}/care-team`,
      headers: headers(frontDesk),
      payload: { providerUserId: provider.id },
    });
    expect(added.statusCode).toBe(201);
    const consent = await t.app.inject({
      method: 'PUT',
      url: `/api/patients/${teen.patient.id}/sharing/${added.json().member.grantId}/sensitive`,
      headers: headers(guardianSession),
      payload: { categories: ['sexual_reproductive', 'mental_health'] },
    });
    expect(consent.statusCode).toBe(403);
  });

  it('a teen’s guardian does not see, nor remove, the outside provider the teen put on the care team (as for the teen’s tokens)', async () => {
    const teen = await buildPatient(t.db, orgId, { withAccount: true, birthDate: yearsAgo(15) });
    const teenSession = await signInAs(t.db, teen.user!);
    const guardian = await buildProxyOf(t.db, orgId, teen.patient.id, { relationship: 'guardian' });
    const guardianSession = await signInAs(t.db, guardian.user);
    const counsellor = await buildOutsideProvider(t.db, orgId, { name: 'Dr. Teen Counsellor', practiceName: 'Youth Sexual Health Clinic' });
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${teen.patient.id}/care-team`,
      headers: headers(teenSession),
      payload: { providerUserId: counsellor.id },
    });
    expect(added.statusCode).toBe(201);
    const seen = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${teen.patient.id}/care-team`,
      headers: cookieFor(guardianSession),
    });
    expect(seen.statusCode).toBe(200);
    expect(JSON.stringify(seen.json())).not.toContain('Youth Sexual Health Clinic');
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/patients/${teen.patient.id}/care-team/${added.json().member.grantId}`,
      headers: headers(guardianSession),
    });
    expect(removed.statusCode).toBe(404);
  });
  it('a token issued by a proxy dies with the proxy’s access (as share links and invitations do): revoked proxy, token refused', async () => {
    const p = await buildPatient(t.db, orgId, { withAccount: true });
    const patientSession = await signInAs(t.db, p.user!);
    const proxy = await buildProxyOf(t.db, orgId, p.patient.id, { relationship: 'invited', grantedBy: p.user!.id });
    const proxySession = await signInAs(t.db, proxy.user);
    const issued = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${p.patient.id}/provider-tokens`,
      headers: headers(proxySession),
      payload: { label: 'A friend of mine' },
    });
    expect(issued.statusCode).toBe(201);
    // The patient ends the proxy's access from Sharing and privacy.
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/patients/${p.patient.id}/sharing/${proxy.grantId}`,
      headers: headers(patientSession),
    });
    expect(revoked.statusCode).toBe(200);
    // The ex-proxy hands the token (and the MRN they were shown) to a provider.
    const provider = await signInAs(t.db, await buildOutsideProvider(t.db, orgId));
    const v = await t.app.inject({
      method: 'POST',
      url: '/api/mypatients/tokens/validate',
      headers: headers(provider),
      payload: { token: issued.json().token.code, mrn: issued.json().token.mrn },
    });
    expect(v.statusCode).toBe(400);
  });
});
