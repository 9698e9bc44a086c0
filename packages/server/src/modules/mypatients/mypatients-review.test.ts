import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildPatient, buildPractice, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
let provider: string;

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
  const practice = await buildPractice(t.db, orgId);
  provider = await signInAs(
    t.db,
    await buildUser(t.db, { role: 'outside_provider', organizationId: orgId, practiceId: practice.id, mfa: true }),
  );
});
afterAll(() => t.close());

const search = (payload: object) =>
  t.app.inject({ method: 'POST', url: '/api/mypatients/search', headers: { ...csrfHeaders, ...cookieFor(provider) }, payload });

describe('review probes: patient selection', () => {
  it('the given-name prefix is not an oracle: an outside provider cannot spell out the first name of a patient they may not see', async () => {
    // Not the provider's patient: nobody of the practice is the PCP.
    const familyName = `Quarrie${Math.random().toString(36).slice(2, 7)}`;
    await buildPatient(t.db, orgId, { familyName, givenName: 'Noor', birthDate: '2016-07-08' });
    let known = '';
    let searches = 0;
    for (let round = 0; round < 6; round++) {
      let extended = false;
      for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
        searches++;
        const r = await search({ familyName, birthDate: '2016-07-08', givenName: known + letter });
        if (r.statusCode !== 200) break;
        if (r.json().patients.length > 0) {
          known += letter;
          extended = true;
          break;
        }
      }
      if (!extended) break;
    }
    // An exact-name match could be shown as "not authorized"; the first name itself must not be learnable letter by letter.
    expect({ learned: known, searches }).not.toMatchObject({ learned: 'noor' });
  });

  it('date-of-birth enumeration is limited: 400 searches of one family name in a row are not all answered', async () => {
    const familyName = `Verrin${Math.random().toString(36).slice(2, 7)}`;
    await buildPatient(t.db, orgId, { familyName, givenName: 'Ada', birthDate: '2012-03-09' });
    const statuses = new Set<number>();
    let found: string | null = null;
    const start = Date.UTC(2012, 0, 1);
    for (let d = 0; d < 400; d++) {
      const birthDate = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
      const r = await search({ familyName, birthDate });
      statuses.add(r.statusCode);
      if (r.statusCode === 200 && r.json().patients.length > 0) found = birthDate;
    }
    expect(statuses.has(429) || found === null).toBe(true);
  });
});
