import { hiddenOwnerOf } from '../proxies/sharing.service.ts';
import { careTeamLimits, type CareTeamMemberView, type CareTeamResponse, type OutsideProviderView } from '@portico/shared';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../access/access.policy.ts';
import { withAuditedPatientAccess, withPatientRead } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { issuesProviderTokens, managesCareTeam, notAManager, outsideProvidersRequest } from './care-team-access.ts';
import {
  findOutsideProvider,
  findPcp,
  insertOutsideGrant,
  listCareTeam,
  lockOutsideGrant,
  revokeOutsideGrant,
  searchOutsideProviders,
} from './care-team.repository.ts';

type MemberRow = Awaited<ReturnType<typeof listCareTeam>>[number];

function memberViewOf(row: MemberRow): CareTeamMemberView {
  return {
    grantId: row.grantId,
    providerUserId: row.providerUserId,
    name: row.name,
    credentials: row.credentials,
    practiceName: row.practiceName,
    since: row.since.toISOString(),
  };
}

/**
 * GET /api/patients/:id/care-team: the PCP on record (a health-system clinician or an outside provider) and the outside
 * providers on the care team; a `demographics` read, so whoever reads the patient's chart reads it (the patient, a
 * proxy, staff, the outside providers who see the chart), audited.
 */
export function getCareTeam(deps: AuthDeps, actor: Actor, audit: AuditContext, patientId: string): Promise<CareTeamResponse> {
  const now = new Date();
  const request = { patientId, action: 'read' as const, categories: ['demographics' as const], auditAction: 'care_team.read' };
  return withPatientRead(deps.db, actor, audit, request, async (db, grant) => {
    const pcp = await findPcp(db, grant.patient.id);
    const members = await listCareTeam(db, grant.patient, now, { hiddenOwner: hiddenOwnerOf(grant.patient, grant.filter) });
    return {
      pcp: pcp ? { name: pcp.name, credentials: pcp.credentials, practiceName: pcp.practiceName } : null,
      members: members.map(memberViewOf),
      canManage: managesCareTeam(actor, grant.patient, now),
      canIssueTokens: issuesProviderTokens(actor, grant.patient, now),
    };
  });
}

/**
 * GET /api/patients/:id/care-team/directory?q=: the organization's outside providers to add, by a part of their name or
 * practice, or their NPI; for whoever manages the care team. Names, credentials and practices only.
 */
export function searchCareTeamDirectory(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  q: string,
): Promise<OutsideProviderView[]> {
  const request = outsideProvidersRequest(actor, patientId, 'care_team.directory.search');
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
    if (!managesCareTeam(actor, patient)) throw notAManager();
    return searchOutsideProviders(tx, patient.organizationId, q, careTeamLimits.directoryResults);
  });
}

/**
 * POST /api/patients/:id/care-team: puts an outside provider of the organization on the care team: a `care_team` grant
 * reading the chart, with no sensitive category until the patient consents (on the Sharing and privacy page). 404 for
 * someone who is not an outside provider there; 409 when they are on it already.
 */
export async function addCareTeamMember(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  providerUserId: string,
): Promise<CareTeamMemberView> {
  const now = new Date();
  const auditDetails: Record<string, unknown> = { providerUserId };
  const request = outsideProvidersRequest(actor, patientId, 'care_team.add', { auditDetails });
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
    if (!managesCareTeam(actor, patient, now)) throw notAManager();
    if (!(await findOutsideProvider(tx, patient.organizationId, providerUserId))) throw notFound('The provider');
    // Held to the commit: of two racing adds, the second finds the first's grant.
    if (await lockOutsideGrant(tx, providerUserId, patient.id, 'care_team'))
      throw new AppError(409, 'conflict', 'This provider is already on the care team.');
    const grantId = await insertOutsideGrant(tx, {
      kind: 'care_team',
      granteeUserId: providerUserId,
      patientId: patient.id,
      grantedBy: actor.userId,
      startsAt: now,
    });
    auditDetails.grantId = grantId;
    const [row] = await listCareTeam(tx, patient, now, { grantId });
    return memberViewOf(row!);
  });
}

/** DELETE /api/patients/:id/care-team/:grantId: ends a care-team member's access now (the next request is refused). */
export async function removeCareTeamMember(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  grantId: string,
  reason: string | undefined,
): Promise<void> {
  const now = new Date();
  const request = outsideProvidersRequest(actor, patientId, 'care_team.remove', { auditDetails: { grantId } });
  await withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient, _allowed, grant) => {
    if (!managesCareTeam(actor, patient, now)) throw notAManager();
    const revoked = await revokeOutsideGrant(
      tx,
      { grantId, patientId: patient.id, kind: 'care_team', hiddenOwner: hiddenOwnerOf(patient, grant.filter) },
      actor.userId,
      reason?.trim() || null,
      now,
    );
    if (!revoked) throw notFound('That care-team member');
  });
}
