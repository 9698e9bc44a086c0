/**
 * An organization's portal rules (issue 11 §1, issue 10 §5.7, issue 12 §2): from what age a patient may open their own
 * account (12 or 13), whether nurses mark patients arrived, and who decides outside providers' non-PCP requests. Administrators (`organization.settings`) read and change their own
 * organization's; every change is audited in the same transaction, with what it replaced.
 */
import type { PortalRules } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { forbidden, notFound } from '../../errors.ts';
import { organizationFor, type Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { findPortalRules, savePortalRules } from './portal-rules.repository.ts';

/** The organization whose rules the actor keeps (administrators: `organization.settings`), or 403. */
function organizationOf(actor: Actor): string {
  const organizationId = organizationFor(actor, 'organization.settings');
  if (organizationId === null) throw forbidden('Only an administrator can change the organization’s portal rules.');
  return organizationId;
}

/** GET /api/admin/portal-rules: the administrator's own organization's rules. */
export async function getPortalRules(db: Database, actor: Actor): Promise<PortalRules> {
  const row = await findPortalRules(db, organizationOf(actor));
  if (!row) throw notFound('The organization');
  return { teenAccountAge: row.teenAccountAge, nursesMarkArrival: row.nursesMarkArrival, nonPcpRequestsTo: row.nonPcpRequestsTo };
}

/**
 * PUT /api/admin/portal-rules: every rule, audited with the previous values. They apply from the next request: the
 * sign-up reads the age when it checks, and a nurse's abilities are read with the session on every request.
 */
export async function changePortalRules(db: Database, actor: Actor, audit: AuditContext, rules: PortalRules): Promise<PortalRules> {
  const organizationId = organizationOf(actor);
  await db.transaction(async (tx) => {
    const before = await findPortalRules(tx, organizationId, true);
    if (!before) throw notFound('The organization');
    await savePortalRules(tx, organizationId, rules);
    await recordAudit(tx, audit, {
      action: 'organization.settings.update',
      outcome: 'success',
      objectType: 'Organization',
      objectId: organizationId,
      details: {
        teenAccountAge: rules.teenAccountAge,
        previousTeenAccountAge: before.teenAccountAge,
        nursesMarkArrival: rules.nursesMarkArrival,
        previousNursesMarkArrival: before.nursesMarkArrival,
        nonPcpRequestsTo: rules.nonPcpRequestsTo,
        previousNonPcpRequestsTo: before.nonPcpRequestsTo,
      },
    });
  });
  return getPortalRules(db, actor);
}
