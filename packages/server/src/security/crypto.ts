import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** A 256-bit random secret, base64url (session ids, link tokens: SECURITY.md "Opaque 256-bit"). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 hex of a secret; secrets are stored only as this (SECURITY.md "tokens are stored hashed"). */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compares two hex digests in constant time. */
export function isSameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A numeric one-time code of the given length, uniformly drawn. */
export function generateNumericCode(digits = 6): string {
  return String(randomInt(0, 10 ** digits)).padStart(digits, '0');
}

const codeAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A human-typable code (no 0/O/1/I), grouped in fours: activation and recovery codes. */
export function generateHumanCode(length = 12): string {
  let out = '';
  for (let i = 0; i < length; i++) out += codeAlphabet[randomInt(0, codeAlphabet.length)];
  return out.match(/.{1,4}/g)?.join('-') ?? out;
}

/** Canonical form of a typed code: case, spaces and dashes do not matter to the person typing it. */
export function normalizeHumanCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** The stored form of an activation or recovery code. */
export function hashHumanCode(code: string): string {
  return sha256Hex(normalizeHumanCode(code));
}
