import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client.ts';
import { useFragmentToken } from '../lib/url-fragment.ts';

/** Where redeeming an emailed link stands. */
export type LinkRedemption = { kind: 'pending' } | { kind: 'done' } | { kind: 'failed'; message: string };

/**
 * Reads the single-use token from the link's fragment and posts it exactly once (even when React runs effects
 * twice in development), for pages that act as soon as the link is opened.
 */
export function useLinkRedemption(redeem: (token: string) => Promise<unknown>, incompleteMessage: string): LinkRedemption {
  const token = useFragmentToken();
  const [outcome, setOutcome] = useState<LinkRedemption>(token ? { kind: 'pending' } : { kind: 'failed', message: incompleteMessage });
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

  return outcome;
}
