/**
 * Rules the web checks before sending and the server enforces, in plain functions (no zod): the first page load
 * carries them without the schema library.
 */

/** A password's length as the server counts it: code points after NFC normalization. */
export function passwordLength(password: string): number {
  return [...password.normalize('NFC')].length;
}

/** A password's letters and digits only, lower-cased: what the repetition and common-password checks compare. */
export function passwordLetters(password: string): string {
  return password.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** True when the password is one short run of letters and digits repeated (abcabcabc…, 111111111111): guessed first. */
export function isRepeatedPattern(password: string): boolean {
  return /^(.{1,12}?)\1+$/u.test(passwordLetters(password));
}

/** Which of the account's names the password contains: the username (3+ characters), the email or its local part (3+). */
export function accountNameIn(password: string, account: { username?: string; email?: string }): 'username' | 'email' | null {
  const lower = password.toLowerCase();
  const username = account.username?.trim().toLowerCase();
  if (username && username.length >= 3 && lower.includes(username)) return 'username';
  const email = account.email?.trim().toLowerCase();
  const local = email?.split('@')[0];
  if (email && (lower.includes(email) || (local && local.length >= 3 && lower.includes(local)))) return 'email';
  return null;
}

/** A phone number as people type it: 7 to 15 digits (E.164 allows at most 15), at most 40 characters in all. */
export const phoneLimits = { minDigits: 7, maxDigits: 15, maxLength: 40 } as const;

/**
 * True when the text (trimmed) is a phone number: digits with an optional leading +, and spaces, dashes, dots or
 * parentheses between them; 7 to 15 digits. The one rule the web checks before sending and the server enforces.
 */
export function isPhoneNumber(text: string): boolean {
  const phone = text.trim();
  if (phone.length > phoneLimits.maxLength || !/^\+?[0-9 ().-]+$/.test(phone)) return false;
  const digits = phone.replace(/[^0-9]/g, '').length;
  return digits >= phoneLimits.minDigits && digits <= phoneLimits.maxDigits;
}

/**
 * The check digit of a National Provider Identifier's first nine digits (45 CFR 162.406): the Luhn check digit of the
 * nine digits behind the card-issuer prefix 80840, which adds a constant 24 to the Luhn sum (issue 12 §1).
 */
export function npiCheckDigit(firstNine: string): number {
  if (!/^\d{9}$/.test(firstNine)) throw new RangeError('npiCheckDigit takes exactly nine digits');
  let sum = 24;
  // From the right, every other digit is doubled, starting with the rightmost of the nine (the check digit's neighbour).
  for (let i = 0; i < 9; i += 1) {
    const digit = Number(firstNine[8 - i]);
    const doubled = i % 2 === 0 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a value is an NPI: ten digits, the first 1 or 2 (individual or organization), and the check digit right. */
export function isValidNpi(value: string): boolean {
  return /^[12]\d{9}$/.test(value) && npiCheckDigit(value.slice(0, 9)) === Number(value[9]);
}
