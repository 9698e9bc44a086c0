import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants, auditEvents, patients, shareLinks, users } from '../../db/schema/index.ts';
import { fullProxyCategories } from '../proxies/proxy-access.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, linkTokenFrom, type TestApp } from '../../test/test-app.ts';

/**
 * What keeps "Share my record" from outliving the sharer or sending mail in bulk (issue 11 §2): a link made by a proxy
 * opens only while that proxy still manages the patient's sharing, and the caps on links hold against
 * revoke-and-make-again and against racing requests.
 */
let t: TestApp;

const headers = (token?: string) => ({ ...csrfHeaders, ...(token ? cookieFor(token) : {}) });
const create = (token: string | undefined, patientId: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/patients/${patientId}/share-links`, headers: headers(token), payload });
const list = (token: string | undefined, patientId: string) =>
  t.app.inject({ method: 'GET', url: `/api/patients/${patientId}/share-links`, headers: headers(token) });
const revoke = (token: string | undefined, patientId: string, linkId: string) =>
  t.app.inject({ method: 'DELETE', url: `/api/patients/${patientId}/share-links/${linkId}`, headers: headers(token) });
let ipCounter = 1;
/** Each caller from its own address: the per-address limit is share-links.test.ts's. */
const freshIp = () => `10.1.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;
const open = (token: string, passcode: string) =>
  t.app.inject({ method: 'POST', url: '/api/shared/open', headers: headers(), payload: { token, passcode }, remoteAddress: freshIp() });
const download = (token: string, passcode: string) =>
  t.app.inject({ method: 'POST', url: '/api/shared/download', headers: headers(), payload: { token, passcode }, remoteAddress: freshIp() });

interface Created {
  link: { id: string };
  url: string;
  passcode: string;
}

/** A patient of their own (the caps count per patient), signed in. */
async function freshPatient(birthDate?: string) {
  const organizationId = (await buildOrganization(t.db)).organization.id;
  const p = await buildPatient(t.db, organizationId, { withAccount: true, ...(birthDate ? { birthDate } : {}) });
  return { patientId: p.patient.id, userId: p.user!.id, token: await signInAs(t.db, p.user!), organizationId };
}

/** A full proxy of the patient with a session; `values` sets the grant's relationship and who gave it. */
async function fullProxy(patientId: string, values: Partial<typeof accessGrants.$inferInsert>) {
  const user = await buildUser(t.db, { role: 'proxy', organizationId: null });
  const [grant] = await t.db
    .insert(accessGrants)
    .values({ granteeUserId: user.id, patientId, kind: 'proxy', level: 'full', categories: [...fullProxyCategories], ...values })
    .returning();
  return { userId: user.id, grantId: grant!.id, token: await signInAs(t.db, user) };
}

/** Makes a link as `token` on the patient; returns what opens it. */
async function linkBy(token: string, patientId: string, payload: Record<string, unknown> = {}) {
  const response = await create(token, patientId, { label: 'Dr. Lee', scope: 'summary', expiresInDays: 7, ...payload });
  expect(response.statusCode).toBe(201);
  const body = response.json<Created>();
  return { id: body.link.id, token: linkTokenFrom(body.url), passcode: body.passcode };
}

/** A birth date `years` years before today (UTC), a week off any birthday. */
const yearsAgo = (years: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate() - 7)).toISOString().slice(0, 10);
};

async function eventsOfLink(linkId: string) {
  return t.db.select().from(auditEvents).where(eq(auditEvents.objectId, linkId)).orderBy(desc(auditEvents.id));
}

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('POST /api/patients/:id/share-links, the caps', () => {
  it('answers 429 after 20 links in 24 hours, even if each was revoked at once; older ones do not count', async () => {
    const p = await freshPatient();
    const payload = { label: 'N', scope: 'summary', expiresInDays: 1, recipientEmail: 'same.person@clinic.example' };
    for (let i = 0; i < 20; i++) {
      const made = await create(p.token, p.patientId, payload);
      expect(made.statusCode).toBe(201);
      expect((await revoke(p.token, p.patientId, made.json<Created>().link.id)).statusCode).toBe(200);
    }
    const sent = async () => (await t.mail()).filter((m) => m.toAddress === 'same.person@clinic.example').length;
    const before = await sent();
    const response = await create(p.token, p.patientId, payload);
    expect(response.statusCode).toBe(429);
    expect(response.json()).toMatchObject({
      error: { code: 'too_many_share_links', message: 'This record has had 20 share links made in the last 24 hours. Try again tomorrow.' },
    });
    expect(await sent()).toBe(before);
    await t.db
      .update(shareLinks)
      .set({ createdAt: new Date(Date.now() - 25 * 3_600_000) })
      .where(eq(shareLinks.patientId, p.patientId));
    expect((await create(p.token, p.patientId, payload)).statusCode).toBe(201);
  });

  it('makes exactly 20 links when 25 requests race for the last places', async () => {
    const p = await freshPatient();
    const payload = { label: 'Race', scope: 'summary', expiresInDays: 1 };
    const answers = await Promise.all(Array.from({ length: 25 }, () => create(p.token, p.patientId, payload)));
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(20);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(5);
    expect(await t.db.select().from(shareLinks).where(eq(shareLinks.patientId, p.patientId))).toHaveLength(20);
  });
});

describe('a link made by someone whose access ended', () => {
  /** The open's refusal is the revoked link's: same status, same message, audited as denied with no actor. */
  async function expectRefusedLikeRevoked(link: { id: string; token: string; passcode: string }, patientId: string) {
    const refused = await open(link.token, link.passcode);
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ error: { code: 'not_found', message: 'The shared record was not found.' } });
    const [event] = await eventsOfLink(link.id);
    expect(event).toMatchObject({ outcome: 'denied', actorUserId: null, patientId });
    expect(event!.details).toMatchObject({ via: 'share_link', shareLinkId: link.id, outcome: 'creator_access_ended' });
    const [row] = await t.db.select().from(shareLinks).where(eq(shareLinks.id, link.id));
    expect(row!.revokedAt).toBeInstanceOf(Date);
    expect(row!.openCount).toBe(1);
  }

  it('opens no more once staff end the proxy who made it, and stays revoked if access comes back', async () => {
    const p = await freshPatient();
    const proxy = await fullProxy(p.patientId, { relationship: 'invited', grantedBy: p.userId });
    const link = await linkBy(proxy.token, p.patientId);
    const own = await linkBy(p.token, p.patientId);
    expect((await open(link.token, link.passcode)).statusCode).toBe(200);
    await t.db
      .update(accessGrants)
      .set({ revokedAt: new Date(), revokeReason: 'ended by staff' })
      .where(eq(accessGrants.id, proxy.grantId));
    await expectRefusedLikeRevoked(link, p.patientId);
    // The patient's own link is theirs to keep; a new grant for the same person does not bring the old link back.
    expect((await open(own.token, own.passcode)).statusCode).toBe(200);
    await t.db.insert(accessGrants).values({
      granteeUserId: proxy.userId,
      patientId: p.patientId,
      kind: 'proxy',
      level: 'full',
      relationship: 'invited',
      grantedBy: p.userId,
      categories: [...fullProxyCategories],
    });
    expect((await open(link.token, link.passcode)).statusCode).toBe(404);
  });

  it('downloads nothing once the guardian who made it lost access at the patient’s 18th birthday', async () => {
    const p = await freshPatient(yearsAgo(17));
    const guardian = await fullProxy(p.patientId, { relationship: 'guardian' });
    const link = await linkBy(guardian.token, p.patientId, { scope: 'download' });
    expect((await download(link.token, link.passcode)).statusCode).toBe(200);
    await t.db
      .update(patients)
      .set({ birthDate: yearsAgo(18) })
      .where(eq(patients.id, p.patientId));
    const refused = await download(link.token, link.passcode);
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ error: { code: 'not_found', message: 'The shared record was not found.' } });
    const [event] = await eventsOfLink(link.id);
    expect(event).toMatchObject({ action: 'share_link.download', outcome: 'denied', actorUserId: null });
    expect(event!.details).toMatchObject({ outcome: 'creator_access_ended' });
  });

  it('opens no more once the proxy who made it was revoked from the Sharing page', async () => {
    const p = await freshPatient();
    const proxy = await fullProxy(p.patientId, { relationship: 'invited', grantedBy: p.userId });
    const link = await linkBy(proxy.token, p.patientId);
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/patients/${p.patientId}/sharing/${proxy.grantId}`,
      headers: headers(p.token),
    });
    expect(revoked.statusCode).toBe(200);
    const refused = await open(link.token, link.passcode);
    expect(refused.statusCode).toBe(404);
    expect((await eventsOfLink(link.id))[0]!.details).toMatchObject({ outcome: 'revoked' });
    const listed = (await list(p.token, p.patientId)).json<{ links: { id: string; status: string }[] }>().links;
    expect(listed.find((l) => l.id === link.id)?.status).toBe('revoked');
  });

  it('opens no more once the account of the proxy who made it is disabled', async () => {
    const p = await freshPatient();
    const proxy = await fullProxy(p.patientId, { relationship: 'invited', grantedBy: p.userId });
    const link = await linkBy(proxy.token, p.patientId);
    await t.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, proxy.userId));
    const refused = await open(link.token, link.passcode);
    expect(refused.statusCode).toBe(404);
    expect((await eventsOfLink(link.id))[0]!.details).toMatchObject({ outcome: 'creator_access_ended' });
  });
});
