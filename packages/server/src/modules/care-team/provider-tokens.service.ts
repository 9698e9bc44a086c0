import { careTeamLimits, type ProviderTokenIssuedResponse, type ProviderTokenView } from '@portico/shared';
import { addCalendarMonths } from '@portico/shared/zoned-time';
import { AppError, notFound } from '../../errors.ts';
import { generateHumanCode, hashHumanCode } from '../../security/crypto.ts';
import type { Actor } from '../access/access.policy.ts';
import { withAuditedPatientAccess } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { hiddenOwnerOf } from '../proxies/sharing.service.ts';
import { issuesProviderTokens, notAManager, outsideProvidersRequest } from './care-team-access.ts';
import {
  countTokensIssuedSince,
  findMrn,
  insertToken,
  listTokens,
  lockPatientTokens,
  revokeOutsideGrant,
  revokeToken,
  type TokenRow,
} from './care-team.repository.ts';

const dayMs = 24 * 3600_000;

/** Where a token stands now: revoked, then redeemed (by whom), then expired, else active. */
function tokenViewOf(row: TokenRow, now: Date): ProviderTokenView {
  const status = row.revokedAt ? 'revoked' : row.redeemedAt ? 'redeemed' : row.expiresAt <= now ? 'expired' : 'active';
  return {
    id: row.id,
    label: row.label,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    status,
    redeemedBy: row.redeemedAt && row.redeemerName !== null ? { name: row.redeemerName, practiceName: row.redeemerPracticeName } : null,
  };
}

/**
 * POST /api/patients/:id/provider-tokens (issue 12 §2): a token for an outside provider, bound to the patient's MRN:
 * a 12-character code shown once here (only its SHA-256 is kept), valid six calendar months from issue. The provider
 * chooses "Validate a token" in MyPatients and enters it with the MRN. Issued by the patient's side or by staff for
 * them (`issuesProviderTokens`); 10 a day per patient (429), counted under a lock so racing requests cannot pass it.
 */
export async function issueProviderToken(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  label: string,
): Promise<ProviderTokenIssuedResponse> {
  const now = new Date();
  const code = generateHumanCode(12);
  const auditDetails: Record<string, unknown> = {};
  const request = outsideProvidersRequest(actor, patientId, 'provider_token.issue', { staffAction: 'read', auditDetails });
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
    if (!issuesProviderTokens(actor, patient, now)) throw notAManager();
    await lockPatientTokens(tx, patient.id);
    if ((await countTokensIssuedSince(tx, patient.id, new Date(now.getTime() - dayMs))) >= careTeamLimits.tokensPerDay)
      throw new AppError(
        429,
        'too_many_requests',
        `This record has had ${careTeamLimits.tokensPerDay} tokens issued in the last 24 hours. Try again tomorrow.`,
      );
    const row = await insertToken(tx, {
      organizationId: patient.organizationId,
      patientId: patient.id,
      tokenHash: hashHumanCode(code),
      label,
      issuedBy: actor.userId,
      createdAt: now,
      expiresAt: addCalendarMonths(now, careTeamLimits.tokenMonths),
    });
    auditDetails.tokenId = row.id;
    const mrn = await findMrn(tx, patient.id);
    return { token: { id: row.id, code, mrn, label: row.label, expiresAt: row.expiresAt.toISOString() } };
  });
}

/**
 * GET /api/patients/:id/provider-tokens: the patient's tokens, newest first, never their codes. A guardian of a 12-17
 * year old does not see the tokens the teen issued (`hiddenOwnerOf`, as for the teen's share links).
 */
export function listProviderTokens(deps: AuthDeps, actor: Actor, audit: AuditContext, patientId: string): Promise<ProviderTokenView[]> {
  const now = new Date();
  const request = outsideProvidersRequest(actor, patientId, 'provider_token.list', { staffAction: 'read' });
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient, _allowed, grant) => {
    if (!issuesProviderTokens(actor, patient, now)) throw notAManager();
    const rows = await listTokens(tx, patient, hiddenOwnerOf(patient, grant.filter));
    return rows.map((row) => tokenViewOf(row, now));
  });
}

/**
 * DELETE /api/patients/:id/provider-tokens/:tokenId: the token no longer validates, and the access it gave a provider
 * who validated it ends now. Revoking a revoked token changes nothing (and answers 200).
 */
export async function revokeProviderToken(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  tokenId: string,
): Promise<ProviderTokenView> {
  const now = new Date();
  const auditDetails: Record<string, unknown> = { tokenId };
  const request = outsideProvidersRequest(actor, patientId, 'provider_token.revoke', { staffAction: 'read', auditDetails });
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient, _allowed, grant) => {
    if (!issuesProviderTokens(actor, patient, now)) throw notAManager();
    const [row] = await listTokens(tx, patient, hiddenOwnerOf(patient, grant.filter), tokenId);
    if (!row) throw notFound('The token');
    const revoked = await revokeToken(tx, row.id, now);
    if (!revoked) return tokenViewOf(row, now);
    if (revoked.grantId)
      auditDetails.grantRevoked = await revokeOutsideGrant(
        tx,
        { grantId: revoked.grantId, patientId: patient.id, kind: 'token' },
        actor.userId,
        'token revoked',
        now,
      );
    return tokenViewOf({ ...row, revokedAt: now }, now);
  });
}
