import { describe, expect, it } from 'vitest';
import {
  attachmentText,
  bloodPressureText,
  conceptCode,
  conditionAbatement,
  encounterClassText,
  goalTargetText,
  referenceTarget,
  roundedText,
} from './display-more.ts';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** UTF-8 bytes of text, without Node or DOM globals (this package is typed for neither). */
function utf8(text: string): number[] {
  const escaped = encodeURIComponent(text);
  const bytes: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    if (escaped[i] === '%') {
      bytes.push(parseInt(escaped.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(escaped.charCodeAt(i));
  }
  return bytes;
}

/** Base64 (RFC 4648) of bytes or of a string's UTF-8. */
function base64(input: number[] | string): string {
  const bytes = typeof input === 'string' ? utf8(input) : input;
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = bytes.slice(i, i + 3);
    const n = (a << 16) | (b << 8) | c;
    const chars = [18, 12, 6, 0].map((shift) => alphabet[(n >> shift) & 63]);
    const kept = bytes.length - i >= 3 ? 4 : bytes.length - i + 1;
    out += chars.slice(0, kept).join('') + '='.repeat(4 - kept);
  }
  return out;
}

describe('referenceTarget', () => {
  it('reads relative, absolute, versioned and urn:uuid references; not contained or logical ones', () => {
    expect(referenceTarget({ reference: 'Practitioner/abc-1' })).toEqual({ type: 'Practitioner', id: 'abc-1' });
    expect(referenceTarget({ reference: 'https://ehr.example/fhir/Patient/42/_history/3' })).toEqual({ type: 'Patient', id: '42' });
    expect(referenceTarget({ reference: 'urn:uuid:0E4F2A1C-1111-4222-8333-444455556666' })).toEqual({
      type: null,
      id: '0e4f2a1c-1111-4222-8333-444455556666',
    });
    expect(referenceTarget({ reference: '#med1' })).toBeNull();
    expect(referenceTarget({ identifier: { value: 'x' } })).toBeNull();
    expect(referenceTarget(undefined)).toBeNull();
  });
});

describe('encounterClassText and conceptCode', () => {
  it('names v3 ActCode classes, else uses the display or code', () => {
    expect(encounterClassText({ code: 'EMER' })).toBe('emergency');
    expect(encounterClassText({ code: 'XYZ', display: 'Something' })).toBe('Something');
    expect(encounterClassText({ code: 'XYZ' })).toBe('XYZ');
    expect(encounterClassText(undefined)).toBeNull();
    expect(conceptCode({ coding: [{ display: 'no code' }, { code: 'Active' }] })).toBe('active');
  });

  it('dates an abatement period by its end, else its start', () => {
    expect(conditionAbatement({ abatementPeriod: { start: '2020', end: '2021' } })).toBe('2021');
    expect(conditionAbatement({ abatementPeriod: { start: '2020' } })).toBe('2020');
    expect(conditionAbatement({})).toBeNull();
  });
});

describe('goalTargetText', () => {
  it('writes measure, value and due date; ranges, strings and several targets', () => {
    expect(
      goalTargetText([{ measure: { text: 'HbA1c' }, detailQuantity: { value: 7, comparator: '<', unit: '%' }, dueDate: '2026-06-01' }]),
    ).toBe('HbA1c < 7 %, by 2026-06-01');
    expect(
      goalTargetText([{ measure: { text: 'Weight' }, detailRange: { low: { value: 60, unit: 'kg' }, high: { value: 70, unit: 'kg' } } }]),
    ).toBe('Weight: 60 kg to 70 kg');
    expect(goalTargetText([{ detailString: 'Walk to the mailbox' }, { dueDuration: { value: 3, unit: 'months' } }])).toBe(
      'Walk to the mailbox; within 3 months',
    );
    expect(goalTargetText([{}])).toBeNull();
    expect(goalTargetText(undefined)).toBeNull();
  });
});

describe('bloodPressureText and roundedText', () => {
  it('needs both components and rounds to whole mmHg', () => {
    const systolic = { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 119.5 } };
    const diastolic = { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 80.4 } };
    expect(bloodPressureText([diastolic, systolic])).toBe('120/80');
    expect(bloodPressureText([systolic])).toBeNull();
    expect(roundedText(0.1 + 0.2, 2)).toBe('0.3');
    expect(roundedText(72.63598)).toBe('72.6');
  });
});

describe('attachmentText', () => {
  it('decodes text/plain base64 as UTF-8, trimmed', () => {
    expect(attachmentText({ contentType: 'text/plain; charset=utf-8', data: base64('  Héllo – 你好 🙂\n') })).toBe('Héllo – 你好 🙂');
  });

  it('cuts long text at maxChars without breaking a character', () => {
    const text = attachmentText({ contentType: 'text/plain', data: base64('é'.repeat(50)) }, 10);
    expect(text).toBe('é'.repeat(10));
  });

  it('answers null for other types, URLs only, bad base64 and bytes that are not UTF-8', () => {
    expect(attachmentText({ contentType: 'application/pdf', data: base64('x') })).toBeNull();
    expect(attachmentText({ contentType: 'text/plain', url: 'https://example.org/a.txt' })).toBeNull();
    expect(attachmentText({ contentType: 'text/plain', data: 'not base64!' })).toBeNull();
    expect(attachmentText({ contentType: 'text/plain', data: base64([0xff, 0xfe, 0x41]) })).toBeNull();
    expect(attachmentText({ contentType: 'text/plain', data: base64('   ') })).toBeNull();
  });
});
