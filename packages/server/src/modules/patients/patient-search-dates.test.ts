import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents, users } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

/** Patient search by a birth date typed as people write it in their language (issue 10 §5.4). */
let t: TestApp;
const tokens: Record<string, string> = {};
/** Born 12 April 1990; `december` was born 4 December 1990 (what 4/12/1990 means in Spanish). */
let april: string;
let december: string;

beforeAll(async () => {
  t = await buildTestApp();
  const { organization } = await buildOrganization(t.db);
  april = (await buildPatient(t.db, organization.id, { givenName: 'Abril', familyName: 'Ortega', birthDate: '1990-04-12' })).patient.id;
  december = (await buildPatient(t.db, organization.id, { givenName: 'Diciembre', familyName: 'Ortega', birthDate: '1990-12-04' })).patient
    .id;
  for (const [who, locale] of [
    ['english', 'en'],
    ['spanish', 'es'],
  ] as const) {
    const user = await buildUser(t.db, { role: 'clinician', organizationId: organization.id, mfa: true });
    await t.db.update(users).set({ locale }).where(eq(users.id, user.id));
    tokens[who] = await signInAs(t.db, user);
  }
  const patient = await buildPatient(t.db, organization.id, { withAccount: true });
  tokens.patient = await signInAs(t.db, patient.user!);
});
afterAll(() => t.close());

const search = (who: string | null, payload: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/patients/search',
    headers: { ...csrfHeaders, ...(who ? cookieFor(tokens[who]!) : {}) },
    payload,
  });
const found = (body: { patients: { id: string }[] }) => body.patients.map((p) => p.id);

describe('POST /api/patients/search by a typed birth date', () => {
  it.each(['4/12/1990', '04/12/1990', '1990-04-12', 'April 12 1990', 'April 12, 1990'])(
    'finds the April birthday from %s in English, and says which day it read',
    async (q) => {
      const response = await search('english', { q, locale: 'en' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ patients: [expect.objectContaining({ id: april })], birthDate: '1990-04-12' });
    },
  );

  it.each(['12/4/1990', '12-04-1990', '12 de abril de 1990', '1990-04-12'])('finds the April birthday from %s in Spanish', async (q) => {
    const response = await search('spanish', { q, locale: 'es' });
    expect(response.statusCode).toBe(200);
    expect(found(response.json())).toEqual([april]);
  });

  it('reads all-number dates in the language of the search, else in the signed-in person’s', async () => {
    expect(found((await search('english', { q: '4/12/1990', locale: 'es' })).json())).toEqual([december]);
    expect(found((await search('spanish', { q: '4/12/1990' })).json())).toEqual([december]);
    expect(found((await search('english', { q: '4/12/1990' })).json())).toEqual([april]);
  });

  it('still searches names and MRNs, with no birth date read', async () => {
    const response = await search('english', { q: 'Ortega', locale: 'en' });
    expect(response.json().birthDate).toBeNull();
    expect(found(response.json()).sort()).toEqual([april, december].sort());
  });

  it('audits each patient found, as any search', async () => {
    const response = await search('english', { q: 'April 12 1990', locale: 'en' });
    const events = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));
    expect(events.map((e) => [e.action, e.patientId])).toEqual([
      ['patient.search', null],
      ['patient.search.result', april],
    ]);
  });

  it('answers 400 naming q for a date that does not exist, and for an unknown locale', async () => {
    const response = await search('english', { q: '2/30/1990', locale: 'en' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'q' });
    expect((await search('english', { q: '4/12/1990', locale: 'fr' })).json().error.field).toBe('locale');
  });

  it('answers 401 without a session and 403 to a patient', async () => {
    expect((await search(null, { q: '4/12/1990' })).statusCode).toBe(401);
    expect((await search('patient', { q: '4/12/1990' })).statusCode).toBe(403);
  });
});
