import { isTeen } from '../access/ages.ts';
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
  type RowFilter,
  type Via,
} from '../access/access.policy.ts';
import { findPatientRef, loadActor } from '../access/access.repository.ts';
import { Refusal, withAuditedPatientAccess } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import {
  isAccountEnabled,
  listActiveLinks,
  revokeLink,
  revokeLinksCreatedBy,
  type ShareLinkRow,
} from '../share-links/share-links.repository.ts';
import { accessEndedEmail } from './proxy-emails.ts';
import { proxyAccessOf } from './proxy-access.ts';
import {
  cancelInvitationsSentBy,
  findMailbox,
  findPatientMailContext,
  listInvitations,
  listSharingGrants,
  revokeGrant,
  setSensitiveCategories,
  type SharingGrantRow,
} from './proxies.repository.ts';

type SharingKind = SharingEntryView['kind'];

/**
 * The relationships that manage the patient's sharing: the patient and their proxies. Staff who read a patient's
 * settings (clinicians, nurses) do not read whom the patient shared with: they get the 404 of any record out of reach.
 */
const sharingManagers: readonly Via[] = ['own_record', 'proxy'];

/** Whether a reader allowed through `via` may see and manage the patient's sharing (`sharingManagers`). */
export function managesSharing(via: Via): boolean {
  return sharingManagers.includes(via);
}

/**
 * The account whose sharing the reader may not see: a 12-17 year old's own, for a reader whose row filter hides what
 * the teen keeps private (`seesConfidential` false: their guardian). The links, invitations and grants the teen made
 * are left out of that reader's lists and answer 404 to them. Null when nothing is hidden.
 */
export function hiddenOwnerOf(patient: PatientRef, filter: RowFilter): string | null {
  return filter.seesConfidential ? null : patient.userId;
}

/**
 * Whether an account may still manage the patient's sharing, by the one policy: the patient themself always; anyone
 * else (a proxy) only while `decide` still lets them write the patient's settings. What a proxy shared (a link, an
 * invitation) is checked with this when used, so a revoked proxy, a guardian past the patient's 18th birthday, a proxy
 * staff ended or a disabled account shares nothing any more.
 */
export async function mayStillManageSharing(tx: Executor, patientId: string, userId: string, now: Date): Promise<boolean> {
  const [patient] = await findPatientRef(tx, patientId);
  if (!patient) return false;
  if (patient.userId !== null && patient.userId === userId) return true;
  if (!(await isAccountEnabled(tx, userId))) return false;
  return decide(await loadActor(tx, userId), patient, 'write', 'preferences', now).allow;
}

/** The 404 every record out of reach gets, for a reader the policy allows but who does not manage sharing. */
export const notASharingManager = (): Refusal => new Refusal('denied', 'sharing_patient_and_proxies_only', notFound('The patient'));

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

/**
 * GET /api/patients/:id/sharing: everyone besides the care team's staff who can see the record, and the invitations;
 * for the patient and their proxies only (`managesSharing`), without what a teen made for their guardian (`hiddenOwnerOf`).
 */
export function getSharing(deps: AuthDeps, actor: Actor, audit: AuditContext, patientId: string): Promise<SharingResponse> {
  const now = new Date();
  const request = { patientId, action: 'read' as const, categories: ['preferences' as const], auditAction: 'sharing.read' };
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient, _allowed, grant) => {
    if (!managesSharing(grant.via)) throw notASharingManager();
    const mayWrite = decide(actor, patient, 'write', 'preferences', now).allow;
    const hidden = hiddenOwnerOf(patient, grant.filter);
    const grants = await listSharingGrants(tx, patient.id, now, undefined, hidden);
    const invitations = await listInvitations(tx, patient.id, hidden);
    const links = await listActiveLinks(tx, patient.id, now, hidden);
    return {
      entries: [
        ...grants.flatMap((row) => entryOf(row, patient, mayWrite, now) ?? []),
        ...links.map((row) => shareLinkEntryOf(row, mayWrite)),
      ],
      invitations: invitations.map((row) => invitationViewOf(row, now)),
    };
  });
}

/** A grant in force on the patient, as the page lists it to a reader not shown what `hidden` granted, or 404. */
async function listedGrant(tx: Executor, patient: PatientRef, grantId: string, now: Date, hidden: string | null) {
  const [row] = await listSharingGrants(tx, patient.id, now, grantId, hidden);
  const entry = row ? entryOf(row, patient, true, now) : null;
  if (!row || !entry) throw notFound('That access');
  return { row, entry };
}

/** Why a proxy's share links end with their access (the revocation's audit event names it with the links). */
export const creatorAccessEnded = 'creator access ended';

/**
 * DELETE /api/patients/:id/sharing/:grantId: ends the access now (the grant is read with every request, so the next
 * one is refused), keeps who and why, and tells the person, in their language, without saying whose record it was.
 * A proxy's share links and waiting invitations on the patient end with it, in the same transaction: what they shared
 * must not outlive their access.
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
  const auditDetails: Record<string, unknown> = { grantId };
  const request = {
    patientId,
    action: 'write' as const,
    categories: ['preferences' as const],
    auditAction: 'sharing.revoke',
    auditDetails,
  };
  await withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient, _allowed, grant) => {
    if (!managesSharing(grant.via)) throw notASharingManager();
    const hidden = hiddenOwnerOf(patient, grant.filter);
    // A share link's id is an entry's id too: revoked here like from its own list (the next open is refused).
    if ((await revokeLink(tx, patient.id, grantId, actor.userId, now, hidden)) !== 'missing') return;
    const { row, entry } = await listedGrant(tx, patient, grantId, now, hidden);
    if (!entry.canRevoke) throw new AppError(403, 'not_revocable', 'This access was set up by the care team. Contact them to end it.');
    const revoked = await revokeGrant(tx, grantId, actor.userId, reason?.trim() || null, now);
    if (!revoked) throw notFound('That access');
    if (row.kind === 'proxy' && row.granteeUserId) {
      // The event is written after this work, so it names what ended with the access.
      auditDetails.revokedShareLinks = await revokeLinksCreatedBy(tx, patient.id, row.granteeUserId, actor.userId, now);
      auditDetails.cancelledInvitations = await cancelInvitationsSentBy(tx, patient.id, row.granteeUserId);
      auditDetails.endedReason = creatorAccessEnded;
    }
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
 * for a patient without an account of their own (a child), and never for their own access nor for a grant they gave.
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
    if (!managesSharing(grant.via)) throw notASharingManager();
    const { row } = await listedGrant(tx, patient, grantId, now, hiddenOwnerOf(patient, grant.filter));
    // Not for themself, nor for a grant they gave (a second account of theirs would be themself again).
    const ownAccess = grant.via !== 'own_record' && (row.granteeUserId === actor.userId || row.grantedBy === actor.userId);
    // Nor for a 12-17 year old, whose sensitive categories are hidden from the guardian themself (issue 11 §1).
    const teenByProxy = grant.via !== 'own_record' && isTeen(patient, now);
    if (ownAccess || teenByProxy || (grant.via !== 'own_record' && patient.userId !== null))
      throw new AppError(403, 'own_consent', 'Only the patient can choose which sensitive information you may see.');
    await setSensitiveCategories(tx, grantId, chosen);
    const entry = entryOf({ ...row, sensitiveCategories: chosen }, patient, true, now);
    if (!entry) throw notFound('That access');
    return entry;
  });
}
