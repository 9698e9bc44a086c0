import type { Executor } from '../../db/client.ts';
import { genesisHash, hashAuditEvent } from './audit.hash.ts';
import { readAuditPage } from './audit.repository.ts';

/** The verifier's verdict: how many events it checked and the first one that does not fit, if any. */
export interface ChainVerdict {
  checked: number;
  firstBrokenId: number | null;
  reason: string | null;
}

/** Walks the whole chain recomputing every hash; a changed, removed or inserted row shows up as a break. */
export async function verifyAuditChain(db: Executor, pageSize = 2000): Promise<ChainVerdict> {
  let prevHash = genesisHash;
  let afterId = 0;
  let checked = 0;
  for (;;) {
    const page = await readAuditPage(db, afterId, pageSize);
    for (const row of page) {
      if (row.prevHash !== prevHash) return { checked, firstBrokenId: row.id, reason: 'link to the previous event does not match' };
      if (hashAuditEvent(prevHash, row) !== row.hash) return { checked, firstBrokenId: row.id, reason: 'content does not match its hash' };
      prevHash = row.hash;
      afterId = row.id;
      checked++;
    }
    if (page.length < pageSize) return { checked, firstBrokenId: null, reason: null };
  }
}
