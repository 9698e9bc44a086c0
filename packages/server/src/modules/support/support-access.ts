import type { Ability } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { AppError, forbidden } from '../../errors.ts';
import { organizationFor, type Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';

/** The organization whose support queue the actor works (`support.requests`, `support.audit`); 403 for anyone else. */
export function supportOrganization(actor: Actor, ability: Extract<Ability, `support.${string}`>): string {
  const organizationId = organizationFor(actor, ability);
  if (!organizationId) throw forbidden('This is the support team’s console.');
  return organizationId;
}

/** The organization of the actor's outside practice (`practice.patients`); 403 for anyone who is not a practice member. */
export function practiceOrganization(actor: Actor): string {
  const organizationId = organizationFor(actor, 'practice.patients');
  if (!organizationId) throw forbidden('This is for the members of an outside practice.');
  return organizationId;
}

/**
 * Runs a support decision in one transaction and nudges the mail after the commit; a refusal (404, 409, 400) rolls the
 * work back and is audited on its own, so a refused attempt stays in the trail.
 */
export async function decideAudited<T>(
  deps: AuthDeps,
  audit: AuditContext,
  event: { action: string; objectType: string; objectId: string },
  work: (tx: Executor) => Promise<T>,
): Promise<T> {
  try {
    const result = await deps.db.transaction(work);
    deps.kickMail();
    return result;
  } catch (error) {
    if (error instanceof AppError) {
      await recordAudit(deps.db, audit, {
        ...event,
        outcome: error.statusCode === 404 ? 'denied' : 'failure',
        details: { reason: error.code },
      });
    }
    throw error;
  }
}
