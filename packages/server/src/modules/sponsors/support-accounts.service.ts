import type { LockedAccountsResponse } from '@portico/shared';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { organizationFor, type Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps, ClientInfo } from '../auth/auth.deps.ts';
import { requestPasswordReset } from '../auth/password.service.ts';
import { clearAuthFailures } from '../auth/user.repository.ts';
import { findOutsideAccount, listLockedValidations, listPausedAccounts, lockValidation, setValidationDue } from './sponsors.repository.ts';

/**
 * Account help for the support team (issue 12 §1, §3): sponsors locked by a validation past due (with the sponsored
 * users locked with them) and outside accounts paused by repeated sign-in failures; an extension of a validation, the
 * lifting of a pause, a password-reset link. Only the outside accounts of the support member's organization: staff and
 * patients are not theirs (404).
 */

/** The organization whose outside accounts the actor helps; 403 for anyone without the ability. */
function supportOrganization(actor: Actor): string {
  const organizationId = organizationFor(actor, 'support.accounts');
  if (!organizationId) throw forbidden('Account help is the support team’s.');
  return organizationId;
}

/** GET /api/support/accounts/locked: locked sponsors and paused outside accounts; audited. */
export async function listLockedAccounts(deps: AuthDeps, actor: Actor, audit: AuditContext): Promise<LockedAccountsResponse> {
  const organizationId = supportOrganization(actor);
  return deps.db.transaction(async (tx) => {
    const validations = await listLockedValidations(tx, organizationId);
    const paused = await listPausedAccounts(tx, organizationId, new Date());
    await recordAudit(tx, audit, {
      action: 'support.accounts.read',
      outcome: 'success',
      details: { validations: validations.length, paused: paused.length },
    });
    return {
      validations: validations.map((v) => ({
        id: v.id,
        sponsor: { userId: v.sponsorUserId, displayName: v.sponsorName, email: v.sponsorEmail },
        periodStart: v.periodStart,
        dueAt: new Date(v.dueAt).toISOString(),
        sponsoredUsers: v.sponsoredUsers,
      })),
      paused: paused.map((p) => ({
        userId: p.userId,
        displayName: p.displayName,
        email: p.email,
        failures: p.failures,
        lastFailureAt: new Date(p.lastFailureAt).toISOString(),
      })),
    };
  });
}

/**
 * POST /api/support/validations/:id/extend: the due date moves `days` later, counted from the later of the old due
 * date and now (so a locked sponsor gets the days in full); the audit keeps the reason. 404 for another organization's
 * validation, 409 for a completed one.
 */
export async function extendValidation(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  id: string,
  body: { days: number; reason: string },
): Promise<{ id: string; dueAt: string }> {
  const organizationId = supportOrganization(actor);
  return deps.db.transaction(async (tx) => {
    const row = await lockValidation(tx, organizationId, id);
    if (!row) throw notFound('The validation');
    if (row.completedAt) throw new AppError(409, 'validation_not_open', 'This validation is already completed.');
    const from = Math.max(row.dueAt.getTime(), Date.now());
    const dueAt = new Date(from + body.days * 86_400_000);
    await setValidationDue(tx, row.id, dueAt);
    await recordAudit(tx, audit, {
      action: 'support.validation.extend',
      outcome: 'success',
      objectType: 'SponsorValidation',
      objectId: row.id,
      details: { days: body.days, reason: body.reason, previousDueAt: row.dueAt.toISOString(), dueAt: dueAt.toISOString() },
    });
    return { id: row.id, dueAt: dueAt.toISOString() };
  });
}

/** An outside account of the support member's organization, or 404. */
async function outsideAccount(deps: AuthDeps, organizationId: string, userId: string) {
  const account = await findOutsideAccount(deps.db, organizationId, userId);
  if (!account) throw notFound('The account');
  return account;
}

/** POST /api/support/accounts/:userId/unlock-sign-in: the sign-in pause of repeated failures lifts now; audited. */
export async function unlockSignIn(deps: AuthDeps, actor: Actor, audit: AuditContext, userId: string): Promise<void> {
  const organizationId = supportOrganization(actor);
  await deps.db.transaction(async (tx) => {
    const account = await findOutsideAccount(tx, organizationId, userId);
    if (!account) throw notFound('The account');
    await clearAuthFailures(tx, account.id);
    await recordAudit(tx, audit, {
      action: 'support.account.unlock_sign_in',
      outcome: 'success',
      objectType: 'User',
      objectId: account.id,
    });
  });
}

/**
 * POST /api/support/accounts/:userId/password-reset: the user is emailed a reset link through the password reset
 * flow (its limits apply; a disabled account gets none); the support member's request is audited.
 */
export async function sendPasswordReset(deps: AuthDeps, actor: Actor, client: ClientInfo, userId: string): Promise<void> {
  const organizationId = supportOrganization(actor);
  const account = await outsideAccount(deps, organizationId, userId);
  await requestPasswordReset(deps, account.email, client);
  await recordAudit(deps.db, client.audit, {
    action: 'support.account.password_reset',
    outcome: 'success',
    objectType: 'User',
    objectId: account.id,
  });
}
