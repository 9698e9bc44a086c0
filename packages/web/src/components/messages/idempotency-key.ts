import { useCallback, useState } from 'react';

/** A random UUID; `crypto.randomUUID` needs a secure context, so plain-HTTP deployments fall back to getRandomValues. */
export function randomKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One `Idempotency-Key` per thing the person means to send: made with the form, reused by every retry of it (a
 * double click, a retry after a lost answer), and renewed only once that send has succeeded.
 */
export function useIdempotencyKey(): { key: string; renew: () => void } {
  const [key, setKey] = useState(randomKey);
  const renew = useCallback(() => setKey(randomKey()), []);
  return { key, renew };
}
