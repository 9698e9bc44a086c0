import { and, isNull, lt } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.ts';
import { messageAttachments } from '../../db/schema/index.ts';
import type { AttachmentStore } from './attachment-store.ts';
import { startPeriodicJob } from '../../lib/periodic-job.ts';

/** How long an upload may wait to be sent before it is removed. */
export const unsentUploadHours = 24;

/**
 * Removes uploads never attached to a message within a day: the row first (so no one can fetch a half-removed file),
 * then the file. Answers how many were removed. Safe to run from several processes: each row is deleted once.
 */
export async function sweepUnsentAttachments(db: Database, store: AttachmentStore, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - unsentUploadHours * 3_600_000);
  const removed = await db
    .delete(messageAttachments)
    .where(and(isNull(messageAttachments.messageId), lt(messageAttachments.createdAt, cutoff)))
    .returning({ storageKey: messageAttachments.storageKey });
  for (const { storageKey } of removed) await store.remove(storageKey);
  return removed.length;
}

/** Runs the sweep every hour beside the HTTP server; `stop` waits for a sweep in progress. */
export function startAttachmentSweeper(db: Database, store: AttachmentStore, log: FastifyBaseLogger, intervalMs = 3_600_000) {
  return startPeriodicJob({
    run: () => sweepUnsentAttachments(db, store),
    onDone: (count) => {
      if (count > 0) log.info({ count }, 'removed unsent uploads');
    },
    log,
    failure: 'sweeping unsent uploads failed; will retry',
    intervalMs,
  });
}
