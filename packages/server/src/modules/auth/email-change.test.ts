import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.ts';
import { buildOrganization, buildUser, cookieFor, signInAs, testPassword } from '../../test/factories.ts';
import { buildTestApp, csrfHeaders, linkTokenFrom, type TestApp } from '../../test/test-app.ts';

let t: TestApp;
let orgId: string;
beforeAll(async () => {
  t = await buildTestApp();
  orgId = (await buildOrganization(t.db)).organization.id;
});
afterAll(() => t.close());

const post = (url: string, token: string | undefined, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: { ...csrfHeaders, ...(token ? cookieFor(token) : {}) }, payload });
const change = (token: string | undefined, payload: object) => post('/api/auth/email/change', token, payload);
const confirm = (linkToken: string) => post('/api/auth/email/confirm', undefined, { token: linkToken });

describe('POST /api/auth/email/change and /api/auth/email/confirm', () => {
  it('changes the address only when the link sent to the new one is opened, and tells the old address twice', async () => {
    const user = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const newEmail = `new-${user.username}@example.test`;
    const response = await change(await signInAs(t.db, user), { password: testPassword, newEmail });
    expect(response.statusCode).toBe(202);
    const [stillOld] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(stillOld?.email).toBe(user.email);

    const mail = await t.mail();
    const link = mail.find((m) => m.toAddress === newEmail);
    expect(link?.text).toContain('/confirm-email-change#token=');
    expect(mail.some((m) => m.toAddress === user.email && /change of your Portico email/.test(m.subject))).toBe(true);

    const linkToken = linkTokenFrom(link!.text);
    expect((await confirm(linkToken)).statusCode).toBe(200);
    const [changed] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(changed?.email).toBe(newEmail);
    expect((await t.mail()).some((m) => m.toAddress === user.email && /was changed/.test(m.subject))).toBe(true);

    const again = await confirm(linkToken);
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('invalid_token');
    const signIn = await post('/api/auth/sign-in', undefined, { identifier: newEmail, password: testPassword });
    expect(signIn.json().status).toBe('signed_in');
  });

  it('answers 400 for a wrong password and changes nothing', async () => {
    const user = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const response = await change(await signInAs(t.db, user), { password: 'not the password at all', newEmail: 'x@example.test' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_credentials', field: 'password' });
    expect((await t.mail()).some((m) => m.toAddress === 'x@example.test')).toBe(false);
  });

  it('answers 409 email_taken when another account has the address, at request and at confirmation', async () => {
    const user = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const other = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const taken = await change(await signInAs(t.db, user), { password: testPassword, newEmail: other.email.toUpperCase() });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'email_taken', field: 'newEmail' });

    const wanted = `race-${user.username}@example.test`;
    expect((await change(await signInAs(t.db, user), { password: testPassword, newEmail: wanted })).statusCode).toBe(202);
    const linkToken = linkTokenFrom((await t.mail()).find((m) => m.toAddress === wanted)!.text);
    await t.db.update(users).set({ email: wanted }).where(eq(users.id, other.id));
    const late = await confirm(linkToken);
    expect(late.statusCode).toBe(409);
    const [unchanged] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(unchanged?.email).toBe(user.email);
  });

  it('answers 401 without a session, 400 for a malformed address, and 400 for a made-up token', async () => {
    expect((await change(undefined, { password: testPassword, newEmail: 'a@example.test' })).statusCode).toBe(401);
    const user = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const malformed = await change(await signInAs(t.db, user), { password: testPassword, newEmail: 'not an email' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.field).toBe('newEmail');
    expect((await confirm('made-up-token-made-up-token-made-up')).json().error.code).toBe('invalid_token');
  });
});

describe('two accounts confirming the same new address at once', () => {
  it('gives the address to exactly one; the other answers 409, never 500', async () => {
    const first = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const second = await buildUser(t.db, { role: 'patient', organizationId: orgId });
    const wanted = `contested-${first.username}@example.test`;
    for (const user of [first, second]) {
      expect((await change(await signInAs(t.db, user), { password: testPassword, newEmail: wanted })).statusCode).toBe(202);
    }
    const tokens = (await t.mail()).filter((m) => m.toAddress === wanted).map((m) => linkTokenFrom(m.text));
    expect(tokens).toHaveLength(2);
    const statuses = (await Promise.all(tokens.map((token) => confirm(token)))).map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 409]);
    const owners = await t.db.select().from(users).where(eq(users.email, wanted));
    expect(owners).toHaveLength(1);
  });
});
