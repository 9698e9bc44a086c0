import type { AddressedThreads } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { countAddressedThreads, listAddressedThreads } from './inbox.repository.ts';
import { inboxFilterOf, inboxOrganizationOf, toInboxSummary } from './inbox.service.ts';

/** How many addressed threads the home page lists; the counts cover them all. */
const addressedListLimit = 50;

/**
 * GET /api/inbox/mine (issue 10 §5.2): what is addressed to the caller (threads assigned to them or naming them as the
 * clinician the patient wrote to, in their pools, not closed), unread first, with counts. A list of patients, audited as
 * the pool lists are: one event for the listing and one per patient shown.
 */
export async function listAddressedThreadsFor(db: Database, actor: Actor, audit: AuditContext): Promise<AddressedThreads> {
  const organizationId = inboxOrganizationOf(actor);
  const to = { reader: actor, organizationId, filter: inboxFilterOf(actor, organizationId) };
  return db.transaction(async (tx) => {
    const rows = await listAddressedThreads(tx, to, addressedListLimit);
    const counts = await countAddressedThreads(tx, to);
    const patientIds = [...new Set(rows.map((r) => r.patientId))];
    await recordAudit(tx, audit, [
      { action: 'inbox.thread.mine', outcome: 'success', details: { threads: rows.length, ...counts } },
      ...patientIds.map((patientId) => ({
        action: 'inbox.thread.mine.patient',
        outcome: 'success' as const,
        patientId,
        objectType: 'Patient',
        objectId: patientId,
        details: { threads: rows.filter((r) => r.patientId === patientId).map((r) => r.id) },
      })),
    ]);
    return { threads: rows.map(toInboxSummary), counts };
  });
}
