import { Secret, TOTP } from 'otpauth';

/** TOTP parameters of RFC 6238 as authenticator apps expect them: SHA-1, 6 digits, 30 s. */
function totpFor(secretBase32: string, label = 'Portico'): TOTP {
  return new TOTP({ issuer: 'Portico', label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

/** A new random 160-bit TOTP secret, base32. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URL an authenticator app imports. */
export function totpUrl(secretBase32: string, label: string): string {
  return totpFor(secretBase32, label).toString();
}

/** The time step a code matches (one step of clock drift either way), or null. */
export function matchTotpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 30_000) + delta;
}

/** The current code for a secret (tests and the demo's README). */
export function currentTotpCode(secretBase32: string, now = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp: now });
}
