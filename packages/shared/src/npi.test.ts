import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidNpi, npiCheckDigit } from './rules.ts';

/** Luhn over a whole digit string, computed the textbook way, to check npiCheckDigit against. */
function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((c, i) => {
    const d = Number(c) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return sum % 10 === 0;
}

const nineDigits = fc.stringMatching(/^[12]\d{8}$/);

describe('NPI check digit (Luhn with the 80840 prefix)', () => {
  it('accepts the example NPI of the CMS standard, 1234567893, and refuses its neighbours', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    expect(isValidNpi('1234567893')).toBe(true);
    for (const wrong of ['1234567890', '1234567894', '1234567839', '2234567893']) expect(isValidNpi(wrong), wrong).toBe(false);
  });

  it('refuses anything that is not ten digits starting with 1 or 2', () => {
    for (const bad of ['', '123456789', '12345678931', '3234567890', '123456789a', ' 1234567893', '１２３４５６７８９３', '12345-67893'])
      expect(isValidNpi(bad), JSON.stringify(bad)).toBe(false);
    expect(() => npiCheckDigit('12345678')).toThrow(RangeError);
  });

  it('agrees with textbook Luhn over 80840 followed by the ten digits', () => {
    fc.assert(
      fc.property(nineDigits, (nine) => {
        const npi = `${nine}${npiCheckDigit(nine)}`;
        expect(isValidNpi(npi)).toBe(true);
        expect(luhnValid(`80840${npi}`)).toBe(true);
      }),
    );
  });

  it('catches every single-digit error and every adjacent transposition but 09/90', () => {
    fc.assert(
      fc.property(nineDigits, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 9 }), (nine, position, step) => {
        const npi = `${nine}${npiCheckDigit(nine)}`;
        const digits = [...npi];
        const changed = [...digits];
        changed[position] = String((Number(digits[position]) + (step === 0 ? 1 : step)) % 10);
        expect(isValidNpi(changed.join(''))).toBe(false);
        const swapped = [...digits];
        const a = swapped[position - 1]!;
        const b = swapped[position]!;
        if (position > 1 && a !== b && !((a === '0' && b === '9') || (a === '9' && b === '0'))) {
          [swapped[position - 1], swapped[position]] = [b, a];
          expect(isValidNpi(swapped.join(''))).toBe(false);
        }
      }),
    );
  });
});
