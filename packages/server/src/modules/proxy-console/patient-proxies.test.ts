import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, auditEvents, proxySetups } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';

/** Staff set-up of guardians and legal representatives from the console (issue 11 §1), with the document. */
let t: TestApp;
let orgId: string;
let desk: { id: string; email: string; token: string };
let clinicianToken: string;
let otherDeskToken: string;

const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const bornYearsAgo = (years: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate() - 7)).toISOString().slice(0, 10);
};
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

const setUp = (token: string | undefined, patientId: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/patients/${patientId}/proxies`, headers: headers(token), payload });
const list = (token: string | undefined, patientId: string) =>
  t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/proxies`, headers: headers(token) });
const upload = (token: string | undefined, patientId: string, grantId: string, bytes: Buffer, type = 'application/pdf') =>
  t.app.inject({
    method: 'POST',
    url: `/api/patients/${patientId}/proxies/${grantId}/document`,
    headers: { ...headers(token), 'content-type': type, 'x-file-name': 'order.pdf' },
    payload: bytes,
  });
const end = (token: string | undefined, patientId: string, grantId: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'DELETE', url: `/api/patients/${patientId}/proxies/${grantId}`, headers: headers(token), payload });

/** An account to set up, and its session. */
async function buildHelper() {
  const user = await buildUser(t.db, { role: 'proxy', organizationId: orgId });
  return { id: user.id, email: user.email, token: await signInAs(t.db, user) };
}

beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db, 'Riverside Health')).organization.id;
  const otherOrgId = (await buildOrganization(t.db)).organization.id;
  const d = await buildUser(t.db, { role: 'front_desk', organizationId: orgId });
  desk = { id: d.id, email: d.email, token: await signInAs(t.db, d) };
  clinicianToken = await signInAs(t.db, await buildUser(t.db, { role: 'clinician', organizationId: orgId }));
  otherDeskToken = await signInAs(t.db, await buildUser(t.db, { role: 'front_desk', organizationId: otherOrgId }));
});
afterAll(() => t.close());

describe('POST /api/patients/:id/proxies', () => {
  it('sets up a legal representative of an adult, shown as document missing, who reads the record past 18', async () => {
    const { patient } = await buildPatient(t.db, orgId, { birthDate: bornYearsAgo(80), withAccount: true });
    const helper = await buildHelper();
    const response = await setUp(desk.token, patient.id, {
      email: helper.email.toUpperCase(),
      relationship: 'legal_representative',
      identityMethod: 'power_of_attorney',
      note: 'Durable POA seen',
    });
    expect(response.statusCode).toBe(201);
    const { proxy } = response.json<{ proxy: { grantId: string } }>();
    expect(proxy).toMatchObject({
      relationship: 'legal_representative',
      level: 'full',
      documentMissing: true,
      setup: { identityMethod: 'power_of_attorney', note: 'Durable POA seen', document: null },
    });
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, proxy.grantId));
    expect(grant).toMatchObject({ granteeUserId: helper.id, grantedBy: desk.id, kind: 'proxy' });
    // A legal representative is not ended by the age rules.
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}/appointments`, headers: headers(helper.token) })).statusCode,
    ).toBe(200);
    const mail = (await t.mail()).find((m) => m.toAddress === helper.email)!;
    expect(mail.subject).toBe('You can now help with someone’s health record');
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'proxy.console.set_up'), eq(auditEvents.patientId, patient.id)));
    expect(event).toMatchObject({ actorUserId: desk.id, outcome: 'success' });
  });

  it('answers 400 for a guardian of an adult, an unknown account, the patient’s own address, or missing fields', async () => {
    const { patient, user } = await buildPatient(t.db, orgId, { birthDate: bornYearsAgo(30), withAccount: true });
    const helper = await buildHelper();
    const base = { email: helper.email, relationship: 'guardian', identityMethod: 'photo_id' };
    expect((await setUp(desk.token, patient.id, base)).json()).toMatchObject({
      error: { code: 'patient_not_minor', field: 'relationship' },
    });
    expect(
      (await setUp(desk.token, patient.id, { ...base, relationship: 'legal_representative', email: 'nobody@example.test' })).json(),
    ).toMatchObject({
      error: { code: 'account_not_found', field: 'email' },
    });
    expect(
      (await setUp(desk.token, patient.id, { ...base, relationship: 'legal_representative', email: user!.email })).json(),
    ).toMatchObject({
      error: { code: 'validation_failed', field: 'email' },
    });
    expect((await setUp(desk.token, patient.id, { ...base, identityMethod: undefined })).json()).toMatchObject({
      error: { field: 'identityMethod' },
    });
    expect((await setUp(desk.token, patient.id, { ...base, relationship: 'invited' })).json()).toMatchObject({
      error: { field: 'relationship' },
    });
    // An end date in the year 10000 (UTC) was a 500 once: now a 400 naming the field.
    const farEnd = await setUp(desk.token, patient.id, {
      ...base,
      relationship: 'legal_representative',
      endsAt: '9999-12-31T23:59:59-23:59',
    });
    expect(farEnd.statusCode).toBe(400);
    expect(farEnd.json()).toMatchObject({ error: { field: 'endsAt' } });
    expect(await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, helper.id))).toHaveLength(0);
  });

  it('answers 401, 403 to a patient and a clinician, 404 to another organization, 409 for a second proxy of the same person', async () => {
    const { patient, user } = await buildPatient(t.db, orgId, { birthDate: bornYearsAgo(6), withAccount: true });
    const helper = await buildHelper();
    const body = { email: helper.email, relationship: 'guardian', identityMethod: 'birth_certificate' };
    expect((await setUp(undefined, patient.id, body)).statusCode).toBe(401);
    expect((await setUp(await signInAs(t.db, user!), patient.id, body)).statusCode).toBe(403);
    expect((await setUp(clinicianToken, patient.id, body)).statusCode).toBe(403);
    expect((await setUp(otherDeskToken, patient.id, body)).statusCode).toBe(404);
    expect((await setUp(desk.token, patient.id, body)).statusCode).toBe(201);
    const again = await setUp(desk.token, patient.id, body);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'proxy_exists' } });
  });

  it('refuses (403) a staff member setting up their own access, as guardian or legal representative, and grants nothing', async () => {
    const { patient } = await buildPatient(t.db, orgId, { birthDate: bornYearsAgo(40) });
    const [self] = await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, desk.id));
    expect(self).toBeUndefined();
    const response = await setUp(desk.token, patient.id, {
      email: desk.email,
      relationship: 'legal_representative',
      identityMethod: 'photo_id',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toMatch(/cannot give yourself access/);
    expect(await t.db.select().from(accessGrants).where(eq(accessGrants.granteeUserId, desk.id))).toEqual([]);
    const record = await t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}/record/summary`, headers: headers(desk.token) });
    expect(record.statusCode).toBe(404);
  });
});

describe('POST /api/patients/:id/proxies after an access that ran out', () => {
  it('closes the ended grant and sets up the new one (201, not 409)', async () => {
    const { patient } = await buildPatient(t.db, orgId, { birthDate: bornYearsAgo(6) });
    const helper = await buildHelper();
    const [old] = await t.db
      .insert(accessGrants)
      .values({
        granteeUserId: helper.id,
        patientId: patient.id,
        kind: 'proxy',
        relationship: 'guardian',
        level: 'full',
        categories: ['demographics'],
        grantedBy: desk.id,
        startsAt: new Date(Date.now() - 10 * 86_400_000),
        endsAt: new Date(Date.now() - 86_400_000),
      })
      .returning();
    const response = await setUp(desk.token, patient.id, { email: helper.email, relationship: 'guardian', identityMethod: 'photo_id' });
    expect(response.statusCode).toBe(201);
    const [closed] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, old!.id));
    expect(closed!.revokedAt).not.toBeNull();
  });
});

describe('GET /api/patients/:id/proxies', () => {
  it('lists every proxy in force with the set-up; 403 to a clinician, 404 to another organization', async () => {
    const { patient } = await buildPatient(t.db, orgId, { birthDate: bornYearsAgo(5) });
    const invited = await buildHelper();
    await t.db.insert(accessGrants).values({
      granteeUserId: invited.id,
      patientId: patient.id,
      kind: 'proxy',
      relationship: 'invited',
      level: 'full',
      categories: ['demographics', 'appointments'],
      grantedBy: desk.id,
    });
    const guardian = await buildHelper();
    await setUp(desk.token, patient.id, { email: guardian.email, relationship: 'guardian', identityMethod: 'photo_id' });
    const response = await list(desk.token, patient.id);
    expect(response.statusCode).toBe(200);
    const { proxies } = response.json<{ proxies: { email: string; setup: unknown; documentMissing: boolean; level: string }[] }>();
    expect(proxies.map((p) => p.email)).toEqual([invited.email, guardian.email]);
    expect(proxies[0]).toMatchObject({ setup: null, level: 'areas', documentMissing: false });
    expect(proxies[1]).toMatchObject({ setup: { identityMethod: 'photo_id' }, documentMissing: false });
    expect((await list(clinicianToken, patient.id)).statusCode).toBe(403);
    expect((await list(otherDeskToken, patient.id)).statusCode).toBe(404);
    expect((await list(undefined, patient.id)).statusCode).toBe(401);
    expect((await list(desk.token, 'x')).statusCode).toBe(400);
  });
});

describe('POST and GET /api/patients/:id/proxies/:grantId/document', () => {
  it('stores a PDF checked by its bytes, clears “document missing”, and serves it to staff as an attachment', async () => {
    const { patient } = await buildPatient(t.db, orgId, { birthDate: bornYearsAgo(70) });
    const helper = await buildHelper();
    const made = await setUp(desk.token, patient.id, {
      email: helper.email,
      relationship: 'legal_representative',
      identityMethod: 'court_order',
    });
    const { grantId } = made.json<{ proxy: { grantId: string } }>().proxy;
    const response = await upload(desk.token, patient.id, grantId, pdf);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      proxy: { documentMissing: false, setup: { document: { name: 'order.pdf', type: 'application/pdf', sizeBytes: pdf.length } } },
    });
    const file = await t.app.inject({
      method: 'GET',
      url: `/api/patients/${patient.id}/proxies/${grantId}/document`,
      headers: headers(desk.token),
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(pdf)).toBe(true);
    const reads = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'proxy.console.document.read'), eq(auditEvents.patientId, patient.id)));
    expect(reads).toHaveLength(1);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/patients/${patient.id}/proxies/${grantId}/document`,
          headers: headers(otherDeskToken),
        })
      ).statusCode,
    ).toBe(404);
  });

  it('refuses HTML sent as a PDF (400), another type (415), more than 5 MB (413), and a patient (403)', async () => {
    const { patient, user } = await buildPatient(t.db, orgId, { birthDate: bornYearsAgo(70), withAccount: true });
    const helper = await buildHelper();
    const made = await setUp(desk.token, patient.id, {
      email: helper.email,
      relationship: 'legal_representative',
      identityMethod: 'court_order',
    });
    const { grantId } = made.json<{ proxy: { grantId: string } }>().proxy;
    const html = await upload(desk.token, patient.id, grantId, Buffer.from('<html><script>alert(1)</script></html>'));
    expect(html.statusCode).toBe(400);
    expect(html.json()).toMatchObject({ error: { code: 'unprocessable_file' } });
    expect((await upload(desk.token, patient.id, grantId, Buffer.from('<svg/>'), 'image/svg+xml')).statusCode).toBe(415);
    const big = Buffer.concat([pdf, Buffer.alloc(5 * 1024 * 1024)]);
    expect((await upload(desk.token, patient.id, grantId, big)).statusCode).toBe(413);
    expect((await upload(await signInAs(t.db, user!), patient.id, grantId, pdf)).statusCode).toBe(403);
    expect((await upload(undefined, patient.id, grantId, pdf)).statusCode).toBe(401);
    const [setup] = await t.db.select().from(proxySetups).where(eq(proxySetups.grantId, grantId));
    expect(setup!.document).toBeNull();
  });
});

describe('DELETE /api/patients/:id/proxies/:grantId', () => {
  it('ends the access with the reason; the proxy’s next request is refused and they are told', async () => {
    const { patient } = await buildPatient(t.db, orgId, { birthDate: bornYearsAgo(8) });
    const helper = await buildHelper();
    const made = await setUp(desk.token, patient.id, { email: helper.email, relationship: 'guardian', identityMethod: 'photo_id' });
    const { grantId } = made.json<{ proxy: { grantId: string } }>().proxy;
    const read = () => t.app.inject({ method: 'GET', url: `/api/patients/${patient.id}/appointments`, headers: headers(helper.token) });
    expect((await read()).statusCode).toBe(200);
    expect((await end(desk.token, patient.id, grantId, {})).json()).toMatchObject({ error: { field: 'reason' } });
    expect((await end(clinicianToken, patient.id, grantId, { reason: 'x' })).statusCode).toBe(403);
    expect((await end(otherDeskToken, patient.id, grantId, { reason: 'x' })).statusCode).toBe(404);
    expect((await end(undefined, patient.id, grantId, { reason: 'x' })).statusCode).toBe(401);
    expect((await end(desk.token, patient.id, grantId, { reason: 'Custody order changed' })).json()).toEqual({ ok: true });
    expect((await read()).statusCode).toBe(404);
    const [grant] = await t.db.select().from(accessGrants).where(eq(accessGrants.id, grantId));
    expect(grant).toMatchObject({ revokedBy: desk.id, revokeReason: 'Custody order changed' });
    expect((await t.mail()).some((m) => m.toAddress === helper.email && m.subject === 'Your access to a health record has ended')).toBe(
      true,
    );
    expect((await end(desk.token, patient.id, grantId, { reason: 'again' })).statusCode).toBe(404);
  });
});
