import { readFileSync } from 'node:fs';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { accountNameIn, isRepeatedPattern, limits, passwordLength, passwordLetters } from '@portico/shared';

/** argon2id (Algorithm.Argon2id = 2; a const enum we cannot import under verbatimModuleSyntax) with OWASP's minimum profile (m=19 MiB, t=2, p=1); each hash gets its own random salt. */
const argonOptions = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with argon2id and a unique salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password.normalize('NFC'), argonOptions);
}

/** Checks a password against its argon2id hash; false on any malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFC'));
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when the account does not exist so timing does not tell. */
let decoyHash: Promise<string> | undefined;
/** Spends the same time as a real verification, for unknown accounts. */
export async function verifyDecoy(password: string): Promise<void> {
  decoyHash ??= hashPassword('decoy-password-for-timing-only');
  await verifyPassword(await decoyHash, password);
}

let commonPasswords: Set<string> | undefined;
function loadCommonPasswords(): Set<string> {
  const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
  return new Set(
    text
      .split('\n')
      .map((l) => l.trim().toLowerCase())
      .filter((l) => l && !l.startsWith('#')),
  );
}

/** Why a new password is refused, or null when it is acceptable (NIST SP 800-63B 5.1.1.2; SECURITY.md). */
export function checkNewPassword(password: string, context: { username?: string; email?: string }): string | null {
  // The length, repetition and account-name rules are shared with the page, which shows them as the person types.
  const length = passwordLength(password);
  if (length < limits.passwordMinLength) return `Use at least ${limits.passwordMinLength} characters.`;
  if (length > limits.passwordMaxLength) return `Use at most ${limits.passwordMaxLength} characters.`;
  commonPasswords ??= loadCommonPasswords();
  if (commonPasswords.has(password.toLowerCase())) return 'This password is too common; choose another.';
  if (isRepeatedPattern(password) || commonPasswords.has(passwordLetters(password))) {
    return 'This password repeats itself or is a common password; choose something less predictable.';
  }
  const named = accountNameIn(password, context);
  if (named === 'username') return 'Do not include your username in your password.';
  if (named === 'email') return 'Do not include your email address in your password.';
  return null;
}
