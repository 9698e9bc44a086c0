import {
  sensitiveCategoryNames,
  sharingKinds,
  type SensitiveCategoryName,
  type SharingEntryView,
  type SharingResponse,
} from '@portico/shared';
import type { SensitiveCategory } from '@portico/fhir';
import type { Executor } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import {
  dayInZone,
  decide,
  grantAccess,
  proxyAgeBand,
  type Actor,
  type ActorGrant,
  type DataCategory,
  type GrantKind,
  type PatientRef,
} from '../access/access.policy.ts';
import { withAuditedPatientAccess, withPatientAccess } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { listActiveLinks, revokeLink, type ShareLinkRow } from '../share-links/share-links.repository.ts';
import { accessEndedEmail } from './proxy-emails.ts';
import { proxyAccessOf } from './proxy-access.ts';
import {
  findMailbox,
  findPatientMailContext,
  listInvitations,
  listSharingGrants,
  revokeGrant,
  setSensitiveCategories,
  type SharingGrantRow,
} from './proxies.repository.ts';

type SharingKind = SharingEntryView['kind'];

function isSharingKind(kind: string): kind is SharingKind {
  return (sharingKinds as readonly string[]).includes(kind);
}

function isSensitiveName(category: string): category is SensitiveCategoryName {
  return (sensitiveCategoryNames as readonly string[]).includes(category);
}

/** The policy's view of a stored grant. */
function actorGrantOf(row: SharingGrantRow, patientId: string): ActorGrant {
  return {
    id: row.id,
    patientId,
    kind: row.kind as GrantKind,
    level: row.level as ActorGrant['level'],
    categories: row.categories as DataCategory[],
    sensitiveCategories: row.sensitiveCategories as SensitiveCategory[],
    grantedBy: row.grantedBy,
    relationship: row.relationship,
  };
}

/**
 * Whether the reader may revoke this entry from the page: they may change the patient's settings, and it is not a
 * staff matter: a legal representative, or a guardian of a minor, is ended by the care team (issue 11 §1).
 */
function isRevocable(row: SharingGrantRow, patient: PatientRef, mayWrite: boolean, today: string): boolean {
  if (!mayWrite || row.relationship === 'legal_representative') return false;
  return !(row.relationship === 'guardian' && proxyAgeBand(patient.birthDate, today) !== 'adult');
}

/**
 * One line of the Sharing and privacy page, or null for a grant that gives nothing now (a guardian's proxy past the
 * patient's 18th birthday, which the patient did not grant again).
 */
function entryOf(row: SharingGrantRow, patient: PatientRef, mayWrite: boolean, now: Date): SharingEntryView | null {
  if (!isSharingKind(row.kind)) return null;
  const today = dayInZone(now, patient.timeZone);
  if (row.kind === 'proxy' && grantAccess(actorGrantOf(row, patient.id), patient, today) === undefined) return null;
  const { level, areas } = proxyAccessOf(row.categories);
  return {
    grantId: row.id,
    kind: row.kind,
    relationship: row.kind === 'proxy' ? ((row.relationship as SharingEntryView['relationship']) ?? null) : null,
    name: row.granteeName ?? row.granteeAppId ?? '',
    level,
    areas,
    sensitiveCategories: row.sensitiveCategories.filter(isSensitiveName),
    limitedByAge: row.kind === 'proxy' && proxyAgeBand(patient.birthDate, today) === 'teen',
    since: row.startsAt.toISOString(),
    until: row.endsAt?.toISOString() ?? null,
    canRevoke: isRevocable(row, patient, mayWrite, today),
  };
}

/** An active share link as a line of the page (issue 11 §2): its label, the record read-only, until it expires. */
function shareLinkEntryOf(row: ShareLinkRow, mayWrite: boolean): SharingEntryView {
  return {
    grantId: row.id,
    kind: 'share_link',
    relationship: null,
    name: row.label,
    level: 'areas',
    areas: ['record'],
    sensitiveCategories: [],
    limitedByAge: false,
    since: row.createdAt.toISOString(),
    until: row.expiresAt.toISOString(),
    canRevoke: mayWrite,
  };
}

/** The invitation as the list shows it: a pending one past its date reads as expired. */
export function invitationViewOf(row: Awaited<ReturnType<typeof listInvitations>>[number], now: Date) {
  const status = row.status === 'pending' && row.expiresAt <= now ? 'expired' : row.status;
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    level: row.level as 'full' | 'areas',
    areas: row.areas as ('record' | 'appointments' | 'messages' | 'billing')[],
    status: status as 'pending' | 'accepted' | 'expired' | 'cancelled' | 'locked',
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

/** GET /api/patients/:id/sharing: everyone besides the care team's staff who can see the record, and the invitations. */
export function getSharing(deps: AuthDeps, actor: Actor, audit: AuditContext, patientId: string): Promise<SharingResponse> {
  const now = new Date();
  const request = { patientId, action: 'read' as const, categories: ['preferences' as const], auditAction: 'sharing.read' };
  return withPatientAccess(deps.db, actor, audit, request, async (tx, { patient }) => {
    const mayWrite = decide(actor, patient, 'write', 'preferences', now).allow;
    const [grants, invitations] = [await listSharingGrants(tx, patient.id, now), await listInvitations(tx, patient.id)];
    const links = await listActiveLinks(tx, patient.id, now);
    return {
      entries: [
        ...grants.flatMap((row) => entryOf(row, patient, mayWrite, now) ?? []),
        ...links.map((row) => shareLinkEntryOf(row, mayWrite)),
      ],
      invitations: invitations.map((row) => invitationViewOf(row, now)),
    };
  });
}

/** A grant in force on the patient, as the page lists it, or 404. */
async function listedGrant(tx: Executor, patient: PatientRef, grantId: string, now: Date) {
  const [row] = await listSharingGrants(tx, patient.id, now, grantId);
  const entry = row ? entryOf(row, patient, true, now) : null;
  if (!row || !entry) throw notFound('That access');
  return { row, entry };
}

/**
 * DELETE /api/patients/:id/sharing/:grantId: ends the access now (the grant is read with every request, so the next
 * one is refused), keeps who and why, and tells the person, in their language, without saying whose record it was.
 */
export async function revokeSharing(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  grantId: string,
  reason: string | undefined,
): Promise<void> {
  const now = new Date();
  const request = {
    patientId,
    action: 'write' as const,
    categories: ['preferences' as const],
    auditAction: 'sharing.revoke',
    auditDetails: { grantId },
  };
  await withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
    // A share link's id is an entry's id too: revoked here like from its own list (the next open is refused).
    if ((await revokeLink(tx, patient.id, grantId, actor.userId, now)) !== 'missing') return;
    const { row, entry } = await listedGrant(tx, patient, grantId, now);
    if (!entry.canRevoke) throw new AppError(403, 'not_revocable', 'This access was set up by the care team. Contact them to end it.');
    const revoked = await revokeGrant(tx, grantId, actor.userId, reason?.trim() || null, now);
    if (!revoked) throw notFound('That access');
    const mailbox = row.granteeUserId ? await findMailbox(tx, row.granteeUserId) : null;
    const context = await findPatientMailContext(tx, patient.id);
    if (mailbox && context)
      await enqueueEmail(tx, accessEndedEmail(mailbox.email, context.organizationName, mailbox.locale), `grant-revoked:${grantId}`);
  });
  deps.kickMail();
}

/**
 * PUT /api/patients/:id/sharing/:grantId/sensitive: the sensitive categories shared with this person (default none;
 * 42 CFR Part 2 substance-use records only when chosen here). The consent is the patient's: a proxy may give it only
 * for a patient without an account of their own (a child), and never for their own access.
 */
export function setSensitiveSharing(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  grantId: string,
  categories: readonly SensitiveCategoryName[],
): Promise<SharingEntryView> {
  const now = new Date();
  const chosen = sensitiveCategoryNames.filter((c) => categories.includes(c));
  const request = {
    patientId,
    action: 'write' as const,
    categories: ['preferences' as const],
    auditAction: 'sharing.sensitive.update',
    auditDetails: { grantId, categories: chosen },
  };
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient, _allowed, grant) => {
    const { row } = await listedGrant(tx, patient, grantId, now);
    if (row.granteeUserId === actor.userId || (grant.via !== 'own_record' && patient.userId !== null))
      throw new AppError(403, 'own_consent', 'Only the patient can choose which sensitive information you may see.');
    await setSensitiveCategories(tx, grantId, chosen);
    const entry = entryOf({ ...row, sensitiveCategories: chosen }, patient, true, now);
    if (!entry) throw notFound('That access');
    return entry;
  });
}
