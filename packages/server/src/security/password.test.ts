import { describe, expect, it } from 'vitest';
import { checkNewPassword, hashPassword, verifyPassword } from './password.ts';

const noContext = {};

describe('hashPassword', () => {
  it('produces an argon2id hash with the OWASP minimum parameters', async () => {
    const hash = await hashPassword('a long enough passphrase');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('salts every hash, so two hashes of one password differ', async () => {
    const first = await hashPassword('the same passphrase');
    const second = await hashPassword('the same passphrase');
    expect(first).not.toBe(second);
    expect(first.split('$')[4]).not.toBe(second.split('$')[4]);
  });
});

describe('verifyPassword', () => {
  it('accepts the password the hash was made from and refuses any other', async () => {
    const hash = await hashPassword('river stone lantern 7');
    expect(await verifyPassword(hash, 'river stone lantern 7')).toBe(true);
    expect(await verifyPassword(hash, 'river stone lantern 8')).toBe(false);
    expect(await verifyPassword(hash, 'River stone lantern 7')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('treats the composed and decomposed forms of an accented password as one (NFC)', async () => {
    const hash = await hashPassword('caf\u00e9 au lait bien chaud');
    expect(await verifyPassword(hash, 'cafe\u0301 au lait bien chaud')).toBe(true);
  });

  it.each(['', 'not a hash', '$argon2id$v=19$m=19456,t=2,p=1$broken', '$2b$10$abcdefghijklmnopqrstuv'])(
    'answers false for the malformed hash %j',
    async (malformed) => {
      expect(await verifyPassword(malformed, 'anything at all')).toBe(false);
    },
  );
});

describe('checkNewPassword', () => {
  it('refuses 11 characters and accepts 12', () => {
    expect(checkNewPassword('kq7#Vz!pLm2', noContext)).toBe('Use at least 12 characters.');
    expect(checkNewPassword('kq7#Vz!pLm2x', noContext)).toBeNull();
  });

  it('accepts 128 characters and refuses 129', () => {
    const base = 'Tq9!vW2#rL5@'.repeat(11);
    expect(checkNewPassword(base.slice(0, 128), noContext)).toBeNull();
    expect(checkNewPassword(base.slice(0, 129), noContext)).toBe('Use at most 128 characters.');
  });

  it('counts Unicode code points, not UTF-16 units', () => {
    expect(checkNewPassword('😀'.repeat(12), noContext)).toBeNull();
    expect(checkNewPassword('😀'.repeat(11), noContext)).toBe('Use at least 12 characters.');
    expect(checkNewPassword('😀'.repeat(128), noContext)).toBeNull();
    expect(checkNewPassword('😀'.repeat(129), noContext)).toBe('Use at most 128 characters.');
  });

  it('accepts any Unicode without composition rules', () => {
    expect(checkNewPassword('пароль без правил', noContext)).toBeNull();
    expect(checkNewPassword('all lower case words here', noContext)).toBeNull();
  });

  it.each(['Password1234', 'PASSWORD1234', 'password1234', '000000000000'])(
    'refuses the common password %s whatever its case',
    (common) => {
      expect(checkNewPassword(common, noContext)).toBe('This password is too common; choose another.');
    },
  );

  it('refuses a password that contains the username, in any case', () => {
    expect(checkNewPassword('my-JDoe77-secret-words', { username: 'jdoe77' })).toBe('Do not include your username in your password.');
  });

  it('refuses a password that contains the email or its local part', () => {
    const email = 'alex.smith@example.com';
    expect(checkNewPassword('x-alex.smith@example.com-x', { email })).toBe('Do not include your email address in your password.');
    expect(checkNewPassword('Alex.Smith-rides-bikes', { email })).toBe('Do not include your email address in your password.');
  });

  it('ignores usernames and local parts too short to matter', () => {
    expect(checkNewPassword('absolutely fine phrase', { username: 'ab', email: 'ab@example.com' })).toBeNull();
  });

  it("accepts the demo password 'Portico-Demo-2026!'", () => {
    expect(checkNewPassword('Portico-Demo-2026!', noContext)).toBeNull();
    expect(checkNewPassword('Portico-Demo-2026!', { username: 'alex.patient', email: 'alex@example.test' })).toBeNull();
  });
});

describe('checkNewPassword against predictable patterns', () => {
  it('refuses a word repeated with spaces between', () => {
    expect(checkNewPassword('password password password', {})).toMatch(/repeats itself|common/);
  });
  it('refuses a short pattern repeated', () => {
    expect(checkNewPassword('abcabcabcabcabc', {})).toMatch(/repeats itself|common/);
  });
  it('accepts a passphrase of different words', () => {
    expect(checkNewPassword('violet tractor mango seventeen', {})).toBeNull();
  });
});
