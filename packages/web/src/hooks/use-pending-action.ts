import { useState } from 'react';
import { errorMessage } from '../api/client.ts';

/**
 * One button's action (revoke a link, a token...): `run` does it once at a time, `pending` while it runs (to disable
 * the button), and `problem` is the last failure in words, cleared when it is tried again.
 */
export function usePendingAction(action: () => Promise<void>) {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function run() {
    if (pending) return;
    setPending(true);
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setPending(false);
    }
  }

  return { pending, problem, run };
}
