import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cursorCodec, instantPart, microInstantPart, nullablePart, uuidPart } from './cursor.ts';

const visits = cursorCodec({ at: nullablePart(instantPart), id: uuidPart });
const threads = cursorCodec({ at: microInstantPart, id: uuidPart });
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('cursorCodec', () => {
  it('round-trips typed parts, null included', () => {
    const id = randomUUID();
    const at = new Date('2024-05-06T07:08:09.123Z');
    expect(visits.decode(visits.encode({ at, id }))).toEqual({ at, id });
    expect(visits.decode(visits.encode({ at: null, id }))).toEqual({ at: null, id });
    expect(threads.decode(threads.encode({ at: '2024-05-06T07:08:09.123456Z', id }))).toEqual({ at: '2024-05-06T07:08:09.123456Z', id });
  });

  it.each([
    ['garbage', 'not a cursor!'],
    ['another shape', encode({ a: 1 })],
    ['too few parts', encode([randomUUID()])],
    ['a bad id', encode(['2024-05-06T07:08:09.123Z', 'x'])],
    ['an impossible date', encode(['2024-02-30T00:00:00.000Z', randomUUID()])],
    ['the other list’s precision', encode(['2024-05-06T07:08:09.123456Z', randomUUID()])],
  ])('answers 400 validation_failed naming cursor for %s', (_what, text) => {
    expect(() => visits.decode(text)).toThrow(expect.objectContaining({ statusCode: 400, code: 'validation_failed', field: 'cursor' }));
  });

  it('refuses null where the part is not nullable, and reads no cursor as the first page', () => {
    expect(() => threads.decode(encode([null, randomUUID()]))).toThrow(expect.objectContaining({ field: 'cursor' }));
    expect(threads.decodeOptional(undefined)).toBeNull();
  });

  it('pages limit+1 rows into the page and the position after its last row', () => {
    const rows = [1, 2, 3].map((n) => ({ id: randomUUID(), at: new Date(Date.UTC(2024, 0, n)) }));
    const full = visits.page(rows, 2, (row) => row);
    expect(full.page).toEqual(rows.slice(0, 2));
    expect(visits.decode(full.nextCursor!)).toEqual(rows[1]);
    expect(visits.page(rows, 3, (row) => row)).toEqual({ page: rows, nextCursor: null });
  });
});
