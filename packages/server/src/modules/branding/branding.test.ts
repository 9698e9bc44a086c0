import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { defaultBrandColor } from '@portico/shared';
import { auditEvents, organizationBranding } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { pdfText } from '../../test/pdf-text.ts';
import { buildTestApp, csrfHeaders, type TestApp } from '../../test/test-app.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { jpegOf, pngChunk, pngOf, pngWithScriptInPixels } from './logo.fixtures.ts';

let t: TestApp;
let home: Awaited<ReturnType<typeof buildOrganization>>;
let elsewhere: Awaited<ReturnType<typeof buildOrganization>>;
let admin: { cookie: string };
let adminId: string;
let nurse: { cookie: string };
let otherAdmin: { cookie: string };
let patient: Awaited<ReturnType<typeof buildPatient>>;
let patientCookie: { cookie: string };

beforeAll(async () => {
  t = await buildTestApp();
  // The deployment's organization is the oldest one: built first.
  home = await buildOrganization(t.db, 'Riverside Family Health');
  elsewhere = await buildOrganization(t.db, 'Hillside Clinic');
  const adminUser = await buildUser(t.db, { role: 'admin', organizationId: home.organization.id, mfa: true });
  adminId = adminUser.id;
  admin = cookieFor(await signInAs(t.db, adminUser));
  nurse = cookieFor(await signInAs(t.db, await buildUser(t.db, { role: 'nurse', organizationId: home.organization.id, mfa: true })));
  otherAdmin = cookieFor(await signInAs(t.db, await buildUser(t.db, { role: 'admin', organizationId: elsewhere.organization.id })));
  patient = await buildPatient(t.db, home.organization.id, { withAccount: true, givenName: 'Marisol', familyName: 'Quenneville' });
  patientCookie = cookieFor(await signInAs(t.db, patient.user!));
});
afterAll(() => t.close());

const put = (who: { cookie: string } | null, payload: unknown) =>
  t.app.inject({ method: 'PUT', url: '/api/admin/branding', headers: { ...csrfHeaders, ...(who ?? {}) }, payload: payload as object });
const putLogo = (who: { cookie: string } | null, bytes: Buffer, type: string) =>
  t.app.inject({
    method: 'PUT',
    url: '/api/admin/branding/logo',
    headers: { ...csrfHeaders, ...(who ?? {}), 'content-type': type },
    payload: bytes,
  });
const publicBranding = async () => (await t.app.inject({ method: 'GET', url: '/api/branding' })).json<Record<string, unknown>>();
/** Every Flate-compressed stream of a PDF, inflated, as one text (the page content is where colours are set). */
function contentStreamsOf(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  let out = '';
  for (const match of raw.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
    try {
      out += inflateSync(Buffer.from(match[1]!, 'latin1')).toString('latin1');
    } catch {
      // Not a Flate stream (an image's own encoding): no operators in it.
    }
  }
  return out;
}
const eventsFor = (action: string) => t.db.select().from(auditEvents).where(eq(auditEvents.action, action));

describe('GET /api/branding', () => {
  it('answers without a session with the oldest organization’s name, the default colour and no logo, and nothing else', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/branding' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ name: 'Riverside Family Health', primaryColor: defaultBrandColor, logoUrl: null });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('says nothing about the signed-in person or any patient', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/branding', headers: patientCookie });
    expect(Object.keys(response.json<object>()).sort()).toEqual(['logoUrl', 'name', 'primaryColor']);
    for (const identifying of ['Marisol', 'Quenneville', patient.patient.mrn, patient.user!.email]) {
      expect(response.body).not.toContain(identifying);
    }
  });
});

describe('PUT /api/admin/branding', () => {
  it('lets an administrator set the name and colour, stored in lower case and audited in the same request', async () => {
    const response = await put(admin, { name: '  Riverside Health  ', primaryColor: '#0F766E' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Riverside Health', primaryColor: '#0f766e', logoUrl: null, logo: null });
    expect(await publicBranding()).toEqual({ name: 'Riverside Health', primaryColor: '#0f766e', logoUrl: null });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));
    expect(event).toMatchObject({
      action: 'organization.branding.update',
      outcome: 'success',
      actorUserId: adminId,
      objectType: 'Organization',
      objectId: home.organization.id,
      details: { nameChanged: true, primaryColor: '#0f766e', previousPrimaryColor: defaultBrandColor },
    });
  });

  it('refuses a colour below 4.5:1 against white with a 400 naming the field and both ratios, changing nothing', async () => {
    const before = await eventsFor('organization.branding.update');
    const response = await put(admin, { name: 'Riverside Health', primaryColor: '#7fa7d1' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'validation_failed',
      field: 'primaryColor',
      message:
        'primaryColor: #7fa7d1 has a contrast of 2.51:1 against white; at least 4.5:1 is needed for white text on buttons and for links.',
    });
    expect((await publicBranding()).primaryColor).toBe('#0f766e');
    expect(await eventsFor('organization.branding.update')).toHaveLength(before.length);
  });

  it('takes a colour just above the line and refuses one just below it', async () => {
    // #767676 is the classic grey at 4.54:1; #777777 reaches 4.47:1.
    expect((await put(admin, { name: 'Riverside Health', primaryColor: '#767676' })).statusCode).toBe(200);
    const below = await put(admin, { name: 'Riverside Health', primaryColor: '#777777' });
    expect(below.statusCode).toBe(400);
    expect(below.json().error.message).toContain('4.47:1');
    expect((await put(admin, { name: 'Riverside Health', primaryColor: '#0f766e' })).statusCode).toBe(200);
  });

  it('answers 400 naming the field for a colour not written #rrggbb, and for a blank or multi-line name', async () => {
    for (const primaryColor of ['teal', '#0f766', '#0f766g', 'rgb(15,118,110)', '#0f766e ', '']) {
      const response = await put(admin, { name: 'Riverside Health', primaryColor });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.field).toBe('primaryColor');
    }
    for (const name of ['', '   ', 'Riverside\nHealth', 'x'.repeat(81)]) {
      const response = await put(admin, { name, primaryColor: '#0f766e' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.field).toBe('name');
    }
  });

  it('answers 403 to a nurse and 401 without a session, changing nothing', async () => {
    const nurseAnswer = await put(nurse, { name: 'Nurse Health', primaryColor: '#0b4f8a' });
    expect(nurseAnswer.statusCode).toBe(403);
    expect(nurseAnswer.json().error.code).toBe('forbidden');
    expect((await put(null, { name: 'Anyone Health', primaryColor: '#0b4f8a' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/branding', headers: nurse })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/branding' })).statusCode).toBe(401);
    expect((await publicBranding()).name).toBe('Riverside Health');
  });

  it('changes only the administrator’s own organization; the public branding stays the deployment’s', async () => {
    const response = await put(otherAdmin, { name: 'Hillside Health', primaryColor: '#1a6b7a' });
    expect(response.statusCode).toBe(200);
    const rows = await t.db.select().from(organizationBranding).where(eq(organizationBranding.organizationId, elsewhere.organization.id));
    expect(rows.map((row) => row.displayName)).toEqual(['Hillside Health']);
    expect((await publicBranding()).name).toBe('Riverside Health');
    const own = await t.app.inject({ method: 'GET', url: '/api/admin/branding', headers: otherAdmin });
    expect(own.json()).toMatchObject({ name: 'Hillside Health', primaryColor: '#1a6b7a' });
  });
});

describe('PUT, GET and DELETE the logo', () => {
  it('stores a PNG for an administrator, audited, and serves it publicly with its type, nosniff and a versioned cache', async () => {
    const png = pngOf({ width: 8, height: 6 });
    const response = await putLogo(admin, png, 'image/png');
    expect(response.statusCode).toBe(200);
    expect(response.json().logo).toEqual({ type: 'image/png', sizeBytes: png.length, width: 8, height: 6 });
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.requestId, String(response.headers['x-request-id'])));
    expect(event).toMatchObject({ action: 'organization.logo.update', objectId: home.organization.id, actorUserId: adminId });

    const logoUrl = String((await publicBranding()).logoUrl);
    expect(logoUrl).toMatch(/^\/api\/branding\/logo\?v=[0-9a-f]{16}$/);
    const logo = await t.app.inject({ method: 'GET', url: logoUrl });
    expect(logo.statusCode).toBe(200);
    expect(logo.rawPayload.equals(png)).toBe(true);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.headers['x-content-type-options']).toBe('nosniff');
    expect(logo.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const etag = String(logo.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);

    const unversioned = await t.app.inject({ method: 'GET', url: '/api/branding/logo' });
    expect(unversioned.headers['cache-control']).toBe('public, no-cache');
    const again = await t.app.inject({ method: 'GET', url: '/api/branding/logo', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('serves an administrator their own organization’s logo, never cached, with its ETag and 304', async () => {
    const png = pngOf({ width: 8, height: 6 });
    const logo = await t.app.inject({ method: 'GET', url: '/api/admin/branding/logo', headers: admin });
    expect(logo.statusCode).toBe(200);
    expect(logo.rawPayload.equals(png)).toBe(true);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.headers['x-content-type-options']).toBe('nosniff');
    expect(logo.headers['cache-control']).toBe('no-store');
    const etag = String(logo.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await t.app.inject({ method: 'GET', url: '/api/admin/branding/logo', headers: { ...admin, 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('answers the admin logo with 404 to an administrator whose organization has none, 403 to a nurse and 401 without a session', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/admin/branding/logo', headers: otherAdmin });
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('not_found');
    const nurseAnswer = await t.app.inject({ method: 'GET', url: '/api/admin/branding/logo', headers: nurse });
    expect(nurseAnswer.statusCode).toBe(403);
    expect(nurseAnswer.json().error.code).toBe('forbidden');
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/branding/logo', headers: patientCookie })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/branding/logo' })).statusCode).toBe(401);
  });

  it('answers 400 for a logo version longer than 64 characters, public or admin', async () => {
    const long = 'a'.repeat(65);
    const publicLogo = await t.app.inject({ method: 'GET', url: `/api/branding/logo?v=${long}` });
    expect(publicLogo.statusCode).toBe(400);
    expect(publicLogo.json().error.code).toBe('validation_failed');
    const adminLogo = await t.app.inject({ method: 'GET', url: `/api/admin/branding/logo?v=${long}`, headers: admin });
    expect(adminLogo.statusCode).toBe(400);
    expect(adminLogo.json().error.code).toBe('validation_failed');
  });

  it('takes a JPEG, served as image/jpeg', async () => {
    expect((await putLogo(admin, jpegOf(), 'image/jpeg')).statusCode).toBe(200);
    const logo = await t.app.inject({ method: 'GET', url: '/api/branding/logo' });
    expect(logo.headers['content-type']).toBe('image/jpeg');
    expect(logo.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses SVG: 415 when sent as SVG, 400 naming the logo when its bytes are sent as a PNG', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>');
    const declared = await putLogo(admin, svg, 'image/svg+xml');
    expect(declared.statusCode).toBe(415);
    expect(declared.json().error.code).toBe('unsupported_media_type');
    const disguised = await putLogo(admin, svg, 'image/png');
    expect(disguised.statusCode).toBe(400);
    expect(disguised.json().error).toMatchObject({ code: 'unprocessable_file', field: 'logo' });
  });

  it('refuses HTML and polyglots with 400, keeping the logo it had', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/api/branding/logo' });
    const html = Buffer.from('<!doctype html><script>alert(1)</script>');
    const appended = Buffer.concat([pngOf(), Buffer.from('<html><script>alert(1)</script></html>')]);
    for (const [bytes, type] of [
      [html, 'image/png'],
      [appended, 'image/png'],
      [pngWithScriptInPixels(), 'image/png'],
      [Buffer.concat([jpegOf(), Buffer.from('<script>alert(1)</script>')]), 'image/jpeg'],
    ] as const) {
      const response = await putLogo(admin, bytes, type);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'unprocessable_file', field: 'logo' });
    }
    const after = await t.app.inject({ method: 'GET', url: '/api/branding/logo' });
    expect(after.rawPayload.equals(before.rawPayload)).toBe(true);
  });

  it('stores a PNG without its text chunks', async () => {
    const text = pngChunk('tEXt', Buffer.from('Author\0Someone at home', 'latin1'));
    expect((await putLogo(admin, pngOf({ extra: [text] }), 'image/png')).statusCode).toBe(200);
    const logo = await t.app.inject({ method: 'GET', url: '/api/branding/logo' });
    expect(logo.rawPayload.equals(pngOf())).toBe(true);
  });

  it('answers 413 for a file over 200 KB', async () => {
    const response = await putLogo(admin, Buffer.concat([pngOf(), Buffer.alloc(201 * 1024)]), 'image/png');
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('answers 403 to a nurse and 401 without a session, before reading the file', async () => {
    expect((await putLogo(nurse, pngOf(), 'image/png')).statusCode).toBe(403);
    expect((await putLogo(null, pngOf(), 'image/png')).statusCode).toBe(401);
    const remove = await t.app.inject({ method: 'DELETE', url: '/api/admin/branding/logo', headers: { ...csrfHeaders, ...nurse } });
    expect(remove.statusCode).toBe(403);
  });

  it('answers 401 to removing the logo without a session, keeping the logo and auditing nothing', async () => {
    const before = await t.app.inject({ method: 'GET', url: '/api/branding/logo' });
    expect(before.statusCode).toBe(200);
    const response = await t.app.inject({ method: 'DELETE', url: '/api/admin/branding/logo', headers: csrfHeaders });
    expect(response.statusCode).toBe(401);
    const after = await t.app.inject({ method: 'GET', url: '/api/branding/logo' });
    expect(after.rawPayload.equals(before.rawPayload)).toBe(true);
    expect(await eventsFor('organization.logo.remove')).toHaveLength(0);
  });

  it('removes the logo for an administrator, audited; the logo then answers 404', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: '/api/admin/branding/logo', headers: { ...csrfHeaders, ...admin } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ logo: null, logoUrl: null, name: 'Riverside Health' });
    expect((await publicBranding()).logoUrl).toBeNull();
    const gone = await t.app.inject({ method: 'GET', url: '/api/branding/logo' });
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['cache-control']).toBe('no-store');
    expect(await eventsFor('organization.logo.remove')).toHaveLength(1);
  });
});

describe('the name in emails and on the record PDF', () => {
  it('signs every email with the organization’s name', async () => {
    await enqueueEmail(t.db, { to: 'someone@example.test', subject: 'Something is waiting', text: 'Sign in to read it.' });
    const [message] = (await t.mail()).filter((m) => m.toAddress === 'someone@example.test');
    expect(message!.text).toBe('Sign in to read it.\n\n-- \nRiverside Health');
  });

  it('prints the name in the brand colour and the logo atop the record PDF', async () => {
    expect((await putLogo(admin, pngOf({ width: 40, height: 20 }), 'image/png')).statusCode).toBe(200);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/patients/${patient.patient.id}/record/export`,
      headers: { ...csrfHeaders, ...patientCookie },
      payload: { format: 'pdf', sections: ['problems'] },
    });
    expect(response.statusCode).toBe(200);
    const text = await pdfText(response.rawPayload);
    expect(text.split('\n')[0]).toBe('Riverside Health');
    const raw = response.rawPayload.toString('latin1');
    expect(raw).toMatch(/\/Subtype \/Image/);
    // The teal #0f766e as pdfkit writes a fill colour (15/255, 118/255, 110/255), in the page's content stream.
    expect(contentStreamsOf(response.rawPayload)).toMatch(/0\.05882\d* 0\.46274\d* 0\.43137\d* scn/);
  });
});
