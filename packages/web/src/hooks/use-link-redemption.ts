import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client.ts';
import { useFragmentToken } from '../lib/url-fragment.ts';

/** Where redeeming an emailed link stands. */
export type LinkRedemption = { kind: 'pending' } | { kind: 'done' } | { kind: 'failed'; message: string };

/**
 * Reads the single-use token from the link's fragment and posts it exactly once (even when React runs effects
 * twice in development), for pages that act as soon as the link is opened. `incompleteMessage` (for a link without
 * its token) is read at each render, so it follows the page's language.
 */
export function useLinkRedemption(redeem: (token: string) => Promise<unknown>, incompleteMessage: string): LinkRedemption {
  const token = useFragmentToken();
  const [outcome, setOutcome] = useState<LinkRedemption | null>(token ? { kind: 'pending' } : null);
  const redeemRef = useRef(redeem);
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    redeemRef.current(token).then(
      () => setOutcome({ kind: 'done' }),
      (error: unknown) => setOutcome({ kind: 'failed', message: errorMessage(error) }),
    );
  }, [token]);

  return outcome ?? { kind: 'failed', message: incompleteMessage };
}
