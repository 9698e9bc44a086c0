import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, auditEvents, organizations } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { proxyCategoriesOf } from './proxy-access.ts';

/**
 * The endpoint matrix of family access (SECURITY.md: every route that takes an id, each relationship against what it
 * may and may not reach): every proxy relationship × level × age band, against the Sharing page (settings), the
 * results (record) and the appointments. Allowed reads are audited on behalf of the patient.
 */
let t: TestApp;
let orgId: string;
let staffId: string;

const relationships = ['guardian', 'legal_representative', 'invited'] as const;
const levels = [
  { level: 'full', categories: proxyCategoriesOf('full', []) },
  { level: 'areas: appointments', categories: proxyCategoriesOf('areas', ['appointments']) },
] as const;
/** Ages kept a week off any birthday, whatever day the test runs. */
const bands = [
  { band: 'under 12', years: 7 },
  { band: '12-17', years: 15 },
  { band: '18 and over', years: 30 },
] as const;

const cases = relationships.flatMap((relationship) =>
  levels.flatMap(({ level, categories }) =>
    bands.map(({ band, years }) => {
      // Staff set up guardians and legal representatives; the patient grants an invited proxy (so it outlives 18). A
      // guardian's access ends at 18; a legal representative (guardianship or power of attorney of an adult) does not.
      const ended = band === '18 and over' && relationship === 'guardian';
      const full = level === 'full';
      return {
        relationship,
        level,
        categories,
        band,
        years,
        sharing: !ended && full ? 200 : 404,
        results: !ended && full ? 200 : 404,
        appointments: ended ? 404 : 200,
      };
    }),
  ),
);

beforeAll(async () => {
  t = await buildTestApp();
  const { organization } = await buildOrganization(t.db);
  orgId = organization.id;
  await t.db.update(organizations).set({ timeZone: 'America/Los_Angeles' }).where(eq(organizations.id, orgId));
  staffId = (await buildUser(t.db, { role: 'front_desk', organizationId: orgId })).id;
});
afterAll(() => t.close());

describe('proxy endpoints, every relationship, level and age band', () => {
  it.each(cases)('$relationship, $level, patient $band → sharing $sharing, results $results, appointments $appointments', async (c) => {
    const d = new Date();
    const birthDate = new Date(Date.UTC(d.getUTCFullYear() - c.years, d.getUTCMonth(), d.getUTCDate() - 7)).toISOString().slice(0, 10);
    const { patient, user } = await buildPatient(t.db, orgId, { birthDate, withAccount: true });
    const proxy = await buildUser(t.db, { role: 'proxy', organizationId: orgId });
    await t.db.insert(accessGrants).values({
      granteeUserId: proxy.id,
      patientId: patient.id,
      kind: 'proxy',
      relationship: c.relationship,
      level: 'full',
      categories: [...c.categories],
      grantedBy: c.relationship === 'invited' ? user!.id : staffId,
    });
    const headers = cookieFor(await signInAs(t.db, proxy));
    const get = (path: string) => t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}${path}`, headers });
    expect((await get('/sharing')).statusCode).toBe(c.sharing);
    expect((await get('/record/results')).statusCode).toBe(c.results);
    expect((await get('/appointments')).statusCode).toBe(c.appointments);
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, proxy.id), eq(auditEvents.outcome, 'success')));
    for (const event of events) {
      expect(event.onBehalfOfUserId).toBe(user!.id);
      expect(event.details).toMatchObject({ via: 'proxy' });
    }
    expect(events.length > 0).toBe(c.appointments === 200);
  });
});

/** The proxy console's patient routes, each role against a patient of its organization and of another (issue 11 §1). */
describe('proxy console endpoints, every role', () => {
  const roles = [
    { role: 'front_desk', own: 200, other: 404 },
    { role: 'admin', own: 200, other: 404 },
    { role: 'clinician', own: 403, other: 403 },
    { role: 'nurse', own: 403, other: 403 },
    { role: 'billing', own: 403, other: 403 },
  ] as const;

  it.each(roles)('$role → own organization $own, another $other', async (c) => {
    const { patient } = await buildPatient(t.db, orgId, { birthDate: '2015-01-15' });
    const other = await buildOrganization(t.db);
    const { patient: foreign } = await buildPatient(t.db, other.organization.id, { birthDate: '2015-01-15' });
    const headers = cookieFor(await signInAs(t.db, await buildUser(t.db, { role: c.role, organizationId: orgId })));
    const get = (id: string) => t.app.inject({ method: 'GET', url: `/api/patients/${id}/proxies`, headers });
    expect((await get(patient.id)).statusCode).toBe(c.own);
    expect((await get(foreign.id)).statusCode).toBe(c.other);
    const queue = await t.app.inject({ method: 'GET', url: '/api/proxy-console/requests', headers });
    expect(queue.statusCode).toBe(c.own === 200 ? 200 : 403);
  });

  it('a patient and a proxy get 403 from the console, even on a record they can see', async () => {
    const { patient, user } = await buildPatient(t.db, orgId, { birthDate: '2015-01-15', withAccount: true });
    const proxy = await buildUser(t.db, { role: 'proxy', organizationId: orgId });
    await t.db.insert(accessGrants).values({
      granteeUserId: proxy.id,
      patientId: patient.id,
      kind: 'proxy',
      relationship: 'guardian',
      level: 'full',
      categories: proxyCategoriesOf('full', []),
      grantedBy: staffId,
    });
    for (const who of [user!, proxy]) {
      const headers = cookieFor(await signInAs(t.db, who));
      expect((await t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}/proxies`, headers })).statusCode).toBe(403);
    }
  });
});
