import { z } from 'zod';
import { isoDateTime, uuid } from './common.ts';
import { sensitiveCategoryNames } from './proxies.ts';

/**
 * The patient's side of outside providers (issue 12 §2): the care team (outside providers who see the record while they
 * are on it), requests from outside providers waiting for the patient's answer, and tokens the patient issues for a
 * provider to validate in MyPatients.
 */

/** Limits of the patient's side of outside providers. */
export const careTeamLimits = {
  /** Matches the directory search answers at most. */
  directoryResults: 20,
  /** Tokens issued for one patient in 24 hours at most. */
  tokensPerDay: 10,
  /** A token works this many calendar months after issue ("tokens expire six months after being issued"). */
  tokenMonths: 6,
  labelMaxLength: 200,
  noteMaxLength: 1000,
} as const;

/** An outside provider as the patient's side sees them: a name, credentials, their practice; nothing else. */
export const outsideProviderView = z.object({
  providerUserId: uuid,
  name: z.string(),
  credentials: z.string().nullable(),
  practiceName: z.string().nullable(),
});
export type OutsideProviderView = z.infer<typeof outsideProviderView>;

/** One outside provider on the care team, since when. */
export const careTeamMemberView = outsideProviderView.extend({ grantId: uuid, since: isoDateTime });
export type CareTeamMemberView = z.infer<typeof careTeamMemberView>;

/** GET /api/patients/:id/care-team: the primary care physician on record and the outside providers on the care team. */
export const careTeamResponse = z.object({
  pcp: z.object({ name: z.string(), credentials: z.string().nullable(), practiceName: z.string().nullable() }).nullable(),
  members: z.array(careTeamMemberView),
  /** Whether the reader may add and remove members (the patient's side, or staff at scheduling and check-in). */
  canManage: z.boolean(),
  /** Whether the reader may issue, list and revoke tokens for outside providers (those who manage it, and administrators). */
  canIssueTokens: z.boolean(),
});
export type CareTeamResponse = z.infer<typeof careTeamResponse>;

/** GET /api/patients/:id/care-team/directory?q=: a name, an NPI or a practice name. */
export const careTeamDirectoryQuery = z.object({
  q: z.string().trim().min(2, 'Type at least 2 characters of a name, an NPI or a practice.').max(100, 'Use at most 100 characters.'),
});
export const careTeamDirectoryResponse = z.object({ providers: z.array(outsideProviderView) });
export type CareTeamDirectoryResponse = z.infer<typeof careTeamDirectoryResponse>;

/** POST /api/patients/:id/care-team */
export const careTeamAddBody = z.object({ providerUserId: uuid });
export const careTeamAddResponse = z.object({ member: careTeamMemberView });

/** DELETE /api/patients/:id/care-team/:grantId (optional body: why, kept with the grant). */
export const careTeamRemoveBody = z.object({ reason: z.string().trim().max(500, 'Use at most 500 characters.').optional() });

/** A non-PCP request from an outside provider waiting for the patient's (or guardian's) answer. */
export const providerRequestView = z.object({
  id: uuid,
  providerName: z.string(),
  credentials: z.string().nullable(),
  practiceName: z.string().nullable(),
  /** The provider's words: why they ask. */
  reason: z.string().nullable(),
  createdAt: isoDateTime,
});
export type ProviderRequestView = z.infer<typeof providerRequestView>;

/** GET /api/patients/:id/provider-requests */
export const providerRequestsResponse = z.object({ requests: z.array(providerRequestView) });
export type ProviderRequestsResponse = z.infer<typeof providerRequestsResponse>;

/** POST .../provider-requests/:requestId/approve: the sensitive categories the patient consents to show this provider. */
export const providerRequestApproveBody = z.object({
  sensitiveCategories: z.array(z.enum(sensitiveCategoryNames)).max(sensitiveCategoryNames.length).optional(),
});
export type ProviderRequestApproveBody = z.infer<typeof providerRequestApproveBody>;

/** POST .../provider-requests/:requestId/deny */
export const providerRequestDenyBody = z.object({
  note: z.string().trim().max(careTeamLimits.noteMaxLength, 'Use at most 1000 characters.').optional(),
});

/** POST /api/patients/:id/provider-tokens: who the token is for, in the issuer's words. */
export const providerTokenBody = z.object({
  label: z.string().trim().min(1, 'Say who the token is for.').max(careTeamLimits.labelMaxLength, 'Use at most 200 characters.'),
});
export type ProviderTokenBody = z.infer<typeof providerTokenBody>;

/** A token just issued: the code is shown this once (only its hash is kept), with the MRN the provider enters beside it. */
export const providerTokenIssuedResponse = z.object({
  token: z.object({ id: uuid, code: z.string(), mrn: z.string(), label: z.string(), expiresAt: isoDateTime }),
});
export type ProviderTokenIssuedResponse = z.infer<typeof providerTokenIssuedResponse>;

/** Where a token stands. */
export const providerTokenStatuses = ['active', 'redeemed', 'expired', 'revoked'] as const;

/** A token as the patient's list shows it (never its code); a redeemed one names who validated it. */
export const providerTokenView = z.object({
  id: uuid,
  label: z.string(),
  createdAt: isoDateTime,
  expiresAt: isoDateTime,
  status: z.enum(providerTokenStatuses),
  redeemedBy: z.object({ name: z.string(), practiceName: z.string().nullable() }).nullable(),
});
export type ProviderTokenView = z.infer<typeof providerTokenView>;

/** DELETE /api/patients/:id/provider-tokens/:tokenId: the token as it now stands. */
export const providerTokenRevokedResponse = z.object({ token: providerTokenView });

/** GET /api/patients/:id/provider-tokens: newest first. */
export const providerTokensResponse = z.object({ tokens: z.array(providerTokenView) });
export type ProviderTokensResponse = z.infer<typeof providerTokensResponse>;
