import { useCallback, useRef } from 'react';

/** A random UUID; `crypto.randomUUID` needs a secure context, so plain-HTTP deployments fall back to getRandomValues. */
function randomKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One `Idempotency-Key` per draft. `keyFor(payload)` answers the same key while the draft is sent unchanged (a double
 * click, a retry after a lost answer: the server answers the first send again and writes nothing twice) and a new key
 * once the draft has changed, since the server refuses a key reused with another body. `sent()` starts a new draft.
 */
export function useDraftKey(): { keyFor: (payload: unknown) => string; sent: () => void } {
  const last = useRef<{ key: string; payload: string } | null>(null);
  const keyFor = useCallback((payload: unknown) => {
    const serialized = JSON.stringify(payload);
    if (last.current?.payload !== serialized) last.current = { key: randomKey(), payload: serialized };
    return last.current.key;
  }, []);
  const sent = useCallback(() => {
    last.current = null;
  }, []);
  return { keyFor, sent };
}
