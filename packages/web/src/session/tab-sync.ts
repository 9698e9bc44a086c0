import { noteRemoteSuccess, onApiSuccess } from '../api/client.ts';
import type { EndReason } from './session-context.ts';

/** What tabs of the portal tell each other: timestamps and sign-out only, never patient data. */
type TabMessage = { type: 'activity'; at: number } | { type: 'ended'; reason: EndReason };

/** A connection to the other open tabs of the portal. */
export interface TabSync {
  /** Tells the other tabs this session ended so they drop their patient data too. */
  announceEnded: (reason: EndReason) => void;
  /** Stops listening. */
  close: () => void;
}

const endReasons: readonly string[] = ['idle', 'expired', 'signed-out'] satisfies EndReason[];

function isEndReason(value: string): value is EndReason {
  return endReasons.includes(value);
}

function readMessage(data: unknown): TabMessage | null {
  if (typeof data !== 'object' || data === null || !('type' in data)) return null;
  if (data.type === 'activity' && 'at' in data && typeof data.at === 'number') return { type: 'activity', at: data.at };
  if (data.type === 'ended' && 'reason' in data && typeof data.reason === 'string' && isEndReason(data.reason)) {
    return { type: 'ended', reason: data.reason };
  }
  return null;
}

/**
 * Keeps the idle timers of several tabs in step (they share one server session) and ends the session in every
 * tab at once. BroadcastChannel is in-memory messaging between same-origin tabs, not browser storage.
 */
export function connectTabSync(onEnded: (reason: EndReason) => void): TabSync {
  if (typeof BroadcastChannel === 'undefined') return { announceEnded: () => undefined, close: () => undefined };
  const channel = new BroadcastChannel('portico-session');
  const post = (message: TabMessage) => channel.postMessage(message);
  const stopSuccess = onApiSuccess((at) => post({ type: 'activity', at }));
  channel.onmessage = (event: MessageEvent<unknown>) => {
    const message = readMessage(event.data);
    if (message?.type === 'activity') noteRemoteSuccess(message.at);
    else if (message?.type === 'ended') onEnded(message.reason);
  };
  return {
    announceEnded: (reason) => post({ type: 'ended', reason }),
    close: () => {
      stopSuccess();
      channel.close();
    },
  };
}
