/**
 * Practice changes (issue 12 §1: "If you have switched practices…"): a practice member tells support their old and new
 * practice, a new email if it changed, and whether they were a sponsor; support applies it (the membership moves, the
 * sponsored users of a sponsor lose their sponsor) or declines it. The email itself is not changed here: a provider
 * with an NPI changes their own email in the portal, and a sponsored user gets a new account from their sponsor.
 */
import { endSponsorships } from '../sponsors/sponsors.repository.ts';
import type { PracticeChangeBody, PracticeChangeView, SupportPracticeChangeView } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { AppError, conflict, notFound } from '../../errors.ts';
import type { Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { findPractice, insertPractice } from '../provider-registrations/provider-registrations.repository.ts';
import { decideAudited, practiceOrganization, supportOrganization } from './support-access.ts';
import {
  decidePracticeChange,
  endMembership,
  findLatestPracticeChange,
  findPracticeChange,
  insertMembership,
  insertPracticeChange,
  listPracticeChanges,
  lockActivePracticeMembership,
  lockPracticeChange,
  lockSponsoredMemberships,
  type PracticeChangeRow,
} from './practice-changes.repository.ts';
import { findActivePracticeMembership, searchPractices } from './support.repository.ts';

function viewOf(row: PracticeChangeRow): PracticeChangeView {
  const c = row.change;
  return {
    id: c.id,
    status: c.status as PracticeChangeView['status'],
    oldPractice: c.oldPracticeId && row.oldPracticeName ? { id: c.oldPracticeId, name: row.oldPracticeName } : null,
    newPractice: c.newPracticeId
      ? {
          id: c.newPracticeId,
          name: row.newPracticeName ?? c.newPracticeName ?? '',
          address: row.newPracticeAddress,
          phone: row.newPracticePhone,
          fax: row.newPracticeFax,
        }
      : { id: null, name: c.newPracticeName ?? '', address: c.newPracticeAddress, phone: c.newPracticePhone, fax: c.newPracticeFax },
    newEmail: c.newEmail,
    wasSponsor: c.wasSponsor,
    createdAt: c.createdAt.toISOString(),
    decidedAt: c.decidedAt?.toISOString() ?? null,
    decisionNote: c.decisionNote,
  };
}

function supportViewOf(row: PracticeChangeRow, role: string | null): SupportPracticeChangeView {
  return {
    ...viewOf(row),
    requester: {
      userId: row.change.userId,
      name: row.requesterName,
      credentials: row.requesterCredentials,
      npi: row.requesterNpi,
      email: row.requesterEmail,
      role: role === 'outside_provider' || role === 'sponsored_staff' ? role : null,
    },
  };
}

/** GET /api/mypatients/practices?q=: the organization's practices by name, for the practice change form. */
export async function searchPracticesForMember(deps: AuthDeps, actor: Actor, q: string) {
  const organizationId = practiceOrganization(actor);
  return searchPractices(deps.db, organizationId, q);
}

/** GET /api/mypatients/practice-change: the member's latest request, or null. */
export async function myPracticeChange(deps: AuthDeps, actor: Actor): Promise<PracticeChangeView | null> {
  practiceOrganization(actor);
  const row = await findLatestPracticeChange(deps.db, actor.userId);
  return row ? viewOf(row) : null;
}

/** POST /api/mypatients/practice-change: one pending per member (409 for a second); audited. */
export async function requestPracticeChange(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  body: PracticeChangeBody,
): Promise<PracticeChangeView> {
  const organizationId = practiceOrganization(actor);
  return deps.db.transaction(async (tx) => {
    const membership = await findActivePracticeMembership(tx, actor.userId);
    if (body.newPracticeId) {
      if (!(await findPractice(tx, organizationId, body.newPracticeId)))
        throw new AppError(400, 'validation_failed', 'newPracticeId: No practice of this organization has that id.', 'newPracticeId');
      if (body.newPracticeId === membership?.practiceId)
        throw new AppError(400, 'validation_failed', 'newPracticeId: This is the practice you belong to now.', 'newPracticeId');
    }
    const inserted = await insertPracticeChange(tx, {
      organizationId,
      userId: actor.userId,
      oldPracticeId: membership?.practiceId ?? null,
      newPracticeId: body.newPracticeId ?? null,
      newPracticeName: body.newPractice?.name ?? null,
      newPracticeAddress: body.newPractice?.address ?? null,
      newPracticePhone: body.newPractice?.phone ?? null,
      newPracticeFax: body.newPractice?.fax ?? null,
      newEmail: body.newEmail ?? null,
      wasSponsor: body.wasSponsor,
    });
    if (!inserted) throw conflict('Your earlier practice change is still waiting for the support team.');
    await recordAudit(tx, audit, {
      action: 'practice_change.request',
      outcome: 'success',
      objectType: 'PracticeChangeRequest',
      objectId: inserted.id,
      details: { existingPractice: body.newPracticeId !== undefined, wasSponsor: body.wasSponsor },
    });
    const row = await findLatestPracticeChange(tx, actor.userId);
    if (!row) throw new Error('practice change insert not found');
    return viewOf(row);
  });
}

/** GET /api/support/practice-changes?status=: the organization's queue, oldest first; audited. */
export async function listSupportPracticeChanges(deps: AuthDeps, actor: Actor, audit: AuditContext, status: string) {
  const organizationId = supportOrganization(actor, 'support.requests');
  return deps.db.transaction(async (tx) => {
    const rows = await listPracticeChanges(tx, organizationId, status);
    const roles = await Promise.all(rows.map(async (r) => (await findActivePracticeMembership(tx, r.change.userId))?.role ?? null));
    await recordAudit(tx, audit, {
      action: 'support.practice_changes.read',
      outcome: 'success',
      details: { status, results: rows.length },
    });
    return rows.map((r, i) => supportViewOf(r, roles[i] ?? null));
  });
}

/** A pending change of the organization, locked; 404 and 409 otherwise. */
async function pendingChange(tx: Executor, organizationId: string, id: string) {
  const row = await lockPracticeChange(tx, organizationId, id);
  if (!row) throw notFound('The practice change');
  if (row.status !== 'pending') throw new AppError(409, 'request_not_pending', 'This practice change was already applied or declined.');
  return row;
}

async function currentView(tx: Executor, organizationId: string, id: string, role: string | null) {
  const row = await findPracticeChange(tx, organizationId, id);
  if (!row) throw notFound('The practice change');
  return supportViewOf(row, role);
}

/**
 * POST /api/support/practice-changes/:id/apply, in one transaction: the old membership ends, the described practice is
 * made (or the chosen one used), a membership of it with the same role begins; a sponsor's sponsored users lose their
 * sponsor (their memberships end, since everyone without an NPI must have one) and are listed so support can tell the
 * practice. A sponsored user cannot be moved here: a sponsor at the new practice creates their account.
 */
export async function applyPracticeChange(deps: AuthDeps, actor: Actor, audit: AuditContext, id: string) {
  const organizationId = supportOrganization(actor, 'support.requests');
  const event = { action: 'support.practice_change.apply', objectType: 'PracticeChangeRequest', objectId: id };
  return decideAudited(deps, audit, event, async (tx) => {
    const change = await pendingChange(tx, organizationId, id);
    const membership = await lockActivePracticeMembership(tx, change.userId);
    if (!membership || membership.organizationId !== organizationId)
      throw new AppError(409, 'conflict', 'This person no longer belongs to a practice: decline the change.');
    if (membership.role !== 'outside_provider')
      throw new AppError(
        409,
        'conflict',
        'A sponsored user moves by a new account from a sponsor at the new practice: decline the change and tell them.',
      );
    const now = new Date();
    const newPracticeId =
      change.newPracticeId ??
      (await insertPractice(tx, {
        organizationId,
        name: change.newPracticeName ?? '',
        address: change.newPracticeAddress,
        phone: change.newPracticePhone,
        fax: change.newPracticeFax,
      }));
    // Everyone without an NPI needs a sponsor: those this provider sponsored lose their account as when the sponsor
    // removes them (the membership ends, the account is disabled, its sessions stop), and the answer lists them.
    const sponsored = await lockSponsoredMemberships(tx, change.userId);
    await endSponsorships(
      tx,
      change.userId,
      sponsored.map((s) => s.userId),
      now,
    );
    await endMembership(tx, membership.id, now);
    await insertMembership(tx, {
      userId: change.userId,
      kind: 'practice',
      organizationId,
      role: membership.role,
      practiceId: newPracticeId,
    });
    await decidePracticeChange(tx, change.id, { status: 'applied', decidedBy: actor.userId, decidedAt: now, newPracticeId });
    await recordAudit(tx, audit, {
      ...event,
      outcome: 'success',
      details: {
        userId: change.userId,
        oldPracticeId: membership.practiceId,
        newPracticeId,
        newPractice: change.newPracticeId === null,
        endedSponsoredUserIds: sponsored.map((s) => s.userId),
      },
    });
    return {
      change: await currentView(tx, organizationId, id, membership.role),
      endedSponsoredUsers: sponsored.map((s) => ({ userId: s.userId, name: s.name, email: s.email })),
    };
  });
}

/** POST /api/support/practice-changes/:id/decline: with support's note, which the provider reads. */
export async function declinePracticeChange(deps: AuthDeps, actor: Actor, audit: AuditContext, id: string, note: string) {
  const organizationId = supportOrganization(actor, 'support.requests');
  const event = { action: 'support.practice_change.decline', objectType: 'PracticeChangeRequest', objectId: id };
  return decideAudited(deps, audit, event, async (tx) => {
    const change = await pendingChange(tx, organizationId, id);
    await decidePracticeChange(tx, change.id, { status: 'declined', decidedBy: actor.userId, decidedAt: new Date(), decisionNote: note });
    await recordAudit(tx, audit, { ...event, outcome: 'success', details: { userId: change.userId } });
    const role = (await findActivePracticeMembership(tx, change.userId))?.role ?? null;
    return { change: await currentView(tx, organizationId, id, role) };
  });
}
