import { describe, expect, it } from 'vitest';
import { accessBodyOf, accessFieldIds, accessFieldOf, checkAccessDraft, emptyAccessDraft } from './access-draft.ts';

/** A translator that answers the id, so a test reads which message a problem carries. */
const t = ((id: string) => id) as Parameters<typeof checkAccessDraft>[0];
const now = new Date(2026, 11, 7, 10, 0);

describe('checkAccessDraft', () => {
  it('asks for the identity method, an area when areas are chosen, and an end date after today', () => {
    const ids = accessFieldIds('f');
    expect(checkAccessDraft(t, emptyAccessDraft, 'f', now)).toEqual([{ id: ids.identity, message: 'proxies.errors.identityRequired' }]);
    const problems = checkAccessDraft(
      t,
      { ...emptyAccessDraft, identityMethod: 'photo_id', level: 'areas', endsOn: '2026-12-07' },
      'f',
      now,
    );
    expect(problems).toEqual([
      { id: ids.areas, message: 'proxies.errors.areaRequired' },
      { id: ids.endsOn, message: 'proxies.errors.endsAtPast' },
    ]);
  });

  it('accepts a full draft with a future end date', () => {
    expect(checkAccessDraft(t, { ...emptyAccessDraft, identityMethod: 'court_order', endsOn: '2026-12-08' }, 'f', now)).toEqual([]);
  });
});

describe('accessBodyOf', () => {
  it('sends no areas for full access, the chosen ones in order otherwise, the end of the chosen day, and a trimmed note', () => {
    expect(accessBodyOf({ ...emptyAccessDraft, identityMethod: 'photo_id', areas: ['billing'] })).toEqual({
      identityMethod: 'photo_id',
      level: 'full',
      areas: [],
    });
    const body = accessBodyOf({
      identityMethod: 'other',
      level: 'areas',
      areas: ['messages', 'record'],
      endsOn: '2027-01-31',
      note: '  saw the order  ',
    });
    expect(body).toMatchObject({ level: 'areas', areas: ['record', 'messages'], note: 'saw the order' });
    expect(new Date(body.endsAt!).getDate()).toBe(31);
  });

  it('maps the server’s field names to the form’s fields', () => {
    const ids = accessFieldIds('f');
    expect(accessFieldOf('f', 'identityMethod')).toBe(ids.identity);
    expect(accessFieldOf('f', 'endsAt')).toBe(ids.endsOn);
    expect(accessFieldOf('f', 'email')).toBeNull();
  });
});
