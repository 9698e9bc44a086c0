import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountNameIn, isPhoneNumber, isRepeatedPattern, passwordLength } from '../rules.ts';
import { phoneNumber } from './common.ts';
import { checkInBodyFor, checkInQuestion } from './scheduling.ts';

describe('isPhoneNumber: a phone number as a patient types it (issue 10 §5)', () => {
  it.each(['617-555-0142', '+1 (617) 555-0142', '617.555.0142', '555-0142', '+44 20 7946 0958', '  6175550142  ', '123456789012345'])(
    'accepts %j',
    (phone) => expect(isPhoneNumber(phone)).toBe(true),
  );

  it.each([
    'abc',
    '',
    '   ',
    '555-014',
    '1234567890123456',
    '617-555-0142 x12',
    '1+617 555 0142',
    '617\n555 0142',
    '６１７５５５０１４２',
    '+',
  ])('refuses %j', (phone) => expect(isPhoneNumber(phone)).toBe(false));

  it('never accepts text with a letter in it, and always accepts 7 to 15 digits', () => {
    fc.assert(fc.property(fc.string(), (text) => !/[a-z]/i.test(text) || !isPhoneNumber(text)));
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{7,15}$/), (digits) => isPhoneNumber(digits)));
  });

  it('names the field in the schema message', () => {
    const result = phoneNumber("the pharmacy's phone number").safeParse('abc');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^Enter the pharmacy's phone number as 7 to 15 digits;/);
  });
});

describe('the password rules the page shows as the person types (the server applies the same ones)', () => {
  it('counts length in code points after NFC, as the server does', () => {
    expect(passwordLength('e\u0301'.repeat(6))).toBe(6);
    expect(passwordLength('😀'.repeat(12))).toBe(12);
  });

  it('finds one short pattern repeated, ignoring case and punctuation', () => {
    expect(isRepeatedPattern('abcabcabcabc')).toBe(true);
    expect(isRepeatedPattern('Abc-abc-abc-abc')).toBe(true);
    expect(isRepeatedPattern('111111111111')).toBe(true);
    expect(isRepeatedPattern('Cobalt-Harbor-Lantern-42')).toBe(false);
  });

  it('finds the username or the email (or its local part) in the password', () => {
    const account = { username: 'jordan.rivera', email: 'jordan.r@example.com' };
    expect(accountNameIn('my-JORDAN.RIVERA-pass', account)).toBe('username');
    expect(accountNameIn('jordan.r-lantern-harbor', account)).toBe('email');
    expect(accountNameIn('Cobalt-Harbor-Lantern-42', account)).toBeNull();
    expect(accountNameIn('ab-lantern-harbor', { username: 'ab' })).toBeNull();
  });
});

describe('checkInBodyFor: one rule for the page and the server', () => {
  const forms = {
    questionnaire: [
      checkInQuestion.parse({ id: 'fever', text: 'Fever?', kind: 'yes_no' }),
      checkInQuestion.parse({ id: 'notes', text: 'Anything else?', kind: 'text', required: false }),
    ],
    consentForms: [{ id: 'treat', title: 'Consent', text: 'I agree.' }],
  };
  const body = {
    address: '42 Harbor Road',
    phone: '617-555-0199',
    emergencyContact: { name: 'Sam', relationship: 'Spouse', phone: '617-555-0100' },
    insurance: { payer: 'Acme', memberId: 'M1', groupNumber: null },
    medicationsReviewed: true,
    allergiesReviewed: true,
    answers: { fever: false } as Record<string, unknown>,
    consents: [{ formId: 'treat', signedName: 'Sam Tester' }],
  };
  const issues = (value: unknown) => {
    const result = checkInBodyFor(forms).safeParse(value);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('makes a question required unless its definition says otherwise', () => {
    expect(forms.questionnaire.map((q) => q.required)).toEqual([true, false]);
  });

  it('accepts the optional question left out or blank', () => {
    expect(issues(body)).toEqual([]);
    expect(issues({ ...body, answers: { fever: true, notes: '  ' } })).toEqual([]);
  });

  it('names every problem by its field: the required answer, the phone, the unsigned form', () => {
    expect(issues({ ...body, phone: 'call me', answers: {}, consents: [] })).toEqual([
      'phone: Enter your phone number as 7 to 15 digits; a leading +, spaces, dashes, dots and parentheses are fine.',
      'answers.fever: Answer this question.',
      'consents.0: Sign this consent form.',
    ]);
    expect(issues({ ...body, answers: { fever: 'no' } })).toEqual(['answers.fever: Answer yes or no.']);
  });
});
