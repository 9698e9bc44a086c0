import {
  accessRequestKinds,
  type AccessRequestBody,
  type AccessRequestKind,
  type MyAccessRequestView,
  type MyPatientMatch,
  type MyPatientsSearchBody,
  type TokenValidationBody,
} from '@portico/shared';
import { advisoryXactLock, type Database, type Executor } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { hashHumanCode, isSameDigest, sha256Hex } from '../../security/crypto.ts';
import { issuesProviderTokens } from '../care-team/care-team-access.ts';
import { decide, organizationFor, type Actor, type PatientRef } from '../access/access.policy.ts';
import { findPatientRef, loadActor } from '../access/access.repository.ts';
import { patientScopeSql } from '../access/access.scope.ts';
import { recordAudit, type AuditContext, type AuditEntry } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { countAuthFailures, insertAuthFailure } from '../auth/user.repository.ts';
import { enqueueEmail, signedEmail } from '../mail/mail.service.ts';
import {
  countRequestsSince,
  findPendingRequest,
  findRequestRouting,
  insertRequest,
  insertTokenGrant,
  listPatientDeciders,
  listRequestsOf,
  lockTokenByHash,
  revokeToken,
  markTokenRedeemed,
  searchMatches,
  type MatchRow,
  type RequestRow,
} from './mypatients.repository.ts';

/** The most matches a patient selection search shows. */
export const searchLimit = 20;
/** Access requests one provider may send a day (a day = the last 24 hours). */
export const requestsPerDay = 20;
/** Failed token validations one provider may make an hour before validation pauses. */
export const failedValidationsPerHour = 10;

const hourMs = 3600_000;
const dayMs = 24 * hourMs;

/** The organization whose patients the actor's practice membership reaches; 403 for anyone else (staff, patients, support). */
function practiceOrganization(actor: Actor): string {
  const organizationId = organizationFor(actor, 'practice.patients');
  if (!organizationId) throw forbidden('Patient selection is for outside providers and their practice staff.');
  return organizationId;
}

function isRequestKind(kind: string): kind is AccessRequestKind {
  return (accessRequestKinds as readonly string[]).includes(kind);
}

/** The policy's view of a match. */
function refOf(row: MatchRow): PatientRef {
  return {
    id: row.id,
    organizationId: row.organizationId,
    birthDate: row.birthDate,
    userId: row.userId,
    timeZone: row.timeZone,
    pcpId: row.pcpId,
  };
}

/**
 * What a match shows: name, birth date, MRN and the relationship when the scope SQL lets the actor read the chart (the
 * relationship named by the policy); otherwise only the opaque id and the actor's own waiting requests.
 */
function matchOf(actor: Actor, row: MatchRow): MyPatientMatch {
  const decision = row.authorized ? decide(actor, refOf(row), 'read', 'clinical') : null;
  if (decision?.allow)
    return {
      patientId: row.id,
      authorized: true,
      givenName: row.givenName,
      familyName: row.familyName,
      birthDate: row.birthDate,
      mrn: row.mrn,
      via: decision.via,
    };
  return { patientId: row.id, authorized: false, pending: row.pending.filter(isRequestKind) };
}

/**
 * POST /api/mypatients/search (issue 12 §2, "Patient selection"): the organization's patients matching the MRN, or the
 * family name and birth date (and the given name's beginning), at most 20, whether the actor may open each computed by
 * the scope SQL in the same statement. A patient out of reach shows nothing the provider did not type. One audited
 * event with counts (never the terms), and one `patient.search.result` per patient shown by name, as staff search does,
 * so it reads in the patient's "who has seen my record".
 */
export async function searchMyPatients(db: Database, actor: Actor, audit: AuditContext, body: MyPatientsSearchBody) {
  const organizationId = practiceOrganization(actor);
  const scope = patientScopeSql(actor, 'read', 'clinical');
  const key = `mypatients_search:${actor.userId}`;
  const outcome = await db.transaction(async (tx) => {
    await advisoryXactLock(tx, key);
    if ((await countAuthFailures(tx, key, new Date(Date.now() - hourMs))).total >= searchesPerHour) {
      await recordAudit(tx, audit, { action: 'mypatients.search', outcome: 'failure', details: { reason: 'too_many_searches' } });
      return null;
    }
    await insertAuthFailure(tx, key, 'mypatients_search');
    const rows = await searchMatches(tx, organizationId, body, scope, actor.userId, searchLimit);
    const matches = rows.map((row) => matchOf(actor, row));
    const shown = matches.flatMap((m) => (m.authorized ? [m] : []));
    await recordAudit(tx, audit, [
      {
        action: 'mypatients.search',
        outcome: 'success',
        details: { by: body.mrn !== undefined ? 'mrn' : 'name', results: matches.length, authorized: shown.length },
      },
      ...shown.map((m): AuditEntry => ({
        action: 'patient.search.result',
        outcome: 'success',
        patientId: m.patientId,
        objectType: 'Patient',
        objectId: m.patientId,
        details: { via: m.via },
      })),
    ]);
    return { patients: matches };
  });
  if (!outcome) throw tooManySearches();
  return outcome;
}

/** Searches a provider may make an hour: a busy office's day, not a walk through birth dates (counted like failures). */
const searchesPerHour = 120;

const tooManySearches = () =>
  new AppError(429, 'too_many_requests', `You searched ${searchesPerHour} times in the last hour, the most an hour. Try again later.`);

/** A request as the API shows it. */
function requestViewOf(row: RequestRow) {
  return {
    id: row.id,
    kind: row.kind as AccessRequestKind,
    status: row.status as MyAccessRequestView['status'],
    routedTo: row.routedTo as MyAccessRequestView['routedTo'],
    createdAt: row.createdAt.toISOString(),
  };
}

const alreadyAuthorized = () =>
  new AppError(409, 'already_authorized', 'You can already open this patient’s chart. Search for the patient again to open it.');

const tooManyRequests = () =>
  new AppError(
    429,
    'too_many_requests',
    `You have sent ${requestsPerDay} access requests in the last 24 hours, the most a day. Try again tomorrow, or contact the support team.`,
  );

/**
 * Tells the patient's side that a provider asked to see the record: the patient's own account and each guardian with
 * full access who may still manage the patient's sharing (the policy's word), in their own language, with no name and
 * nothing clinical: only that a request waits and where to answer it.
 */
async function emailDeciders(tx: Executor, publicUrl: string, patient: PatientRef, organizationName: string, requestId: string) {
  const now = new Date();
  for (const decider of await listPatientDeciders(tx, patient.id)) {
    if (decider.userId !== patient.userId && !decide(await loadActor(tx, decider.userId), patient, 'write', 'preferences', now).allow)
      continue;
    const t = translatorFor(decider.locale);
    await enqueueEmail(
      tx,
      signedEmail(
        {
          to: decider.email,
          subject: t('notify.providerAccessRequest.subject'),
          text: t('notify.providerAccessRequest.text', { organization: organizationName, link: `${publicUrl}/account/sharing` }),
        },
        organizationName,
      ),
      `provider_request:${requestId}:${decider.userId}`,
    );
  }
}

/**
 * POST /api/mypatients/requests (issue 12 §2): "Request PCP access" (a task for the support team, who confirm the PCP
 * with the family and update it) or "Request non-PCP access" (to the patient or guardian, or to support, as the
 * organization chose; the patient's side is emailed). 404 for a patient of another organization; 409 when the actor may
 * already open the chart; a second request of a kind still waiting answers the first; 20 new requests a day at most.
 * Serialised per provider, so the limit holds under concurrent clicks. Audited, refusals too.
 */
export async function requestAccess(deps: AuthDeps, actor: Actor, audit: AuditContext, body: AccessRequestBody) {
  const organizationId = practiceOrganization(actor);
  const event = { action: 'outside_request.create', objectType: 'Patient', objectId: body.patientId };
  try {
    const request = await deps.db.transaction(async (tx) => {
      await advisoryXactLock(tx, `mypatients_requests:${actor.userId}`);
      const [patient] = await findPatientRef(tx, body.patientId);
      if (!patient || patient.organizationId !== organizationId) throw notFound('The patient');
      if (decide(actor, patient, 'read', 'clinical').allow) throw alreadyAuthorized();
      const waiting = await findPendingRequest(tx, actor.userId, patient.id, body.kind);
      if (waiting) {
        await recordAudit(tx, audit, {
          ...event,
          outcome: 'success',
          patientId: patient.id,
          details: { requestId: waiting.id, kind: body.kind, existing: true },
        });
        return waiting;
      }
      if ((await countRequestsSince(tx, actor.userId, new Date(Date.now() - dayMs))) >= requestsPerDay) throw tooManyRequests();
      const routing = await findRequestRouting(tx, organizationId);
      const routedTo = body.kind === 'pcp' ? 'support' : routing?.nonPcpRequestsTo === 'support' ? 'support' : 'patient';
      const inserted = await insertRequest(tx, {
        organizationId,
        patientId: patient.id,
        requesterUserId: actor.userId,
        kind: body.kind,
        routedTo,
        reason: body.reason ? body.reason : null,
      });
      // Another session of the same provider won the race to the unique index: its request is the answer.
      const row = inserted ?? (await findPendingRequest(tx, actor.userId, patient.id, body.kind));
      if (!row) throw new Error('the waiting request vanished');
      if (inserted && routedTo === 'patient') await emailDeciders(tx, deps.config.publicUrl, patient, routing?.name ?? '', row.id);
      await recordAudit(tx, audit, {
        ...event,
        outcome: 'success',
        patientId: patient.id,
        details: { requestId: row.id, kind: body.kind, routedTo, existing: !inserted },
      });
      return row;
    });
    deps.kickMail();
    return requestViewOf(request);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await recordAudit(deps.db, audit, {
      ...event,
      outcome: error.statusCode === 404 ? 'denied' : 'failure',
      details: { reason: error.code, kind: body.kind },
    });
    throw error;
  }
}

/**
 * GET /api/mypatients/requests: the actor's own requests, newest first, with the patient's name only where the actor
 * may now open the chart (the scope SQL, in the same statement); for the others, only the request itself. Audited.
 */
export async function listMyRequests(db: Database, actor: Actor, audit: AuditContext): Promise<MyAccessRequestView[]> {
  practiceOrganization(actor);
  const scope = patientScopeSql(actor, 'read', 'clinical');
  return db.transaction(async (tx) => {
    const rows = await listRequestsOf(tx, actor.userId, scope);
    await recordAudit(tx, audit, {
      action: 'mypatients.requests.read',
      outcome: 'success',
      details: { results: rows.length, named: rows.filter((r) => r.authorized).length },
    });
    return rows.map((row) => ({
      ...requestViewOf(row),
      patientId: row.patientId,
      decidedAt: row.decidedAt?.toISOString() ?? null,
      patient: row.authorized ? { givenName: row.givenName, familyName: row.familyName } : null,
    }));
  });
}

const tokenInvalid = () => new AppError(400, 'token_invalid', 'This token and MRN do not match a valid token.');

const tooManyFailures = () =>
  new AppError(
    429,
    'too_many_requests',
    `${failedValidationsPerHour} tokens did not match in the last hour, so validation is paused. Try again in an hour, or contact the support team.`,
  );

type Validation = { ok: true; patientId: string } | { ok: false; answer: AppError };

/** Wrong MRNs typed with one token, by anyone, before it stops working (SECURITY.md: five wrong tries lock a secret). */
const wrongMrnsPerToken = 5;

/**
 * Whether whoever issued the token still has a say over the patient's outside providers (the patient, a proxy who
 * still acts for them, staff who may still issue tokens): a proxy's token dies with the proxy's access.
 */
async function issuerStillShares(tx: Executor, token: { patientId: string; issuedBy: string }, now: Date): Promise<boolean> {
  const [patient] = await findPatientRef(tx, token.patientId);
  return patient !== undefined && issuesProviderTokens(await loadActor(tx, token.issuedBy), patient, now);
}

/**
 * POST /api/mypatients/tokens/validate (issue 12 §2, "Validate a token"): a token the patient issued, with the MRN it is
 * bound to. When the hash matches a token of the actor's organization for the patient with exactly that MRN, neither
 * expired, revoked nor redeemed, one transaction makes the provider a `token` grant (the chart, read-only, until the
 * token expires, granted by its issuer), marks the token redeemed and audits it. Every failure gets the same answer;
 * ten an hour pause validation (counted in auth_failures under an advisory lock per provider, so racing requests
 * cannot exceed it).
 */
export async function validateToken(deps: AuthDeps, actor: Actor, audit: AuditContext, body: TokenValidationBody): Promise<string> {
  const organizationId = practiceOrganization(actor);
  const key = `provider_token:${actor.userId}`;
  const action = 'access_grant.token.redeem';
  const outcome = await deps.db.transaction(async (tx): Promise<Validation> => {
    await advisoryXactLock(tx, key);
    const now = new Date();
    if ((await countAuthFailures(tx, key, new Date(now.getTime() - hourMs))).total >= failedValidationsPerHour) {
      await recordAudit(tx, audit, { action, outcome: 'failure', details: { reason: 'too_many_failures' } });
      return { ok: false, answer: tooManyFailures() };
    }
    const token = await lockTokenByHash(tx, hashHumanCode(body.token));
    const reason = !token
      ? 'unknown'
      : token.organizationId !== organizationId
        ? 'other_organization'
        : !isSameDigest(sha256Hex(token.mrn), sha256Hex(body.mrn))
          ? 'mrn_mismatch'
          : token.revokedAt
            ? 'revoked'
            : token.redeemedAt
              ? 'redeemed'
              : token.expiresAt <= now
                ? 'expired'
                : (await issuerStillShares(tx, token, now))
                  ? null
                  : 'issuer_lost_access';
    if (!token || reason !== null) {
      await insertAuthFailure(tx, key, 'provider_token');
      // A token locks after five wrong MRNs, whoever types them (SECURITY.md), and dies with its issuer's say over the
      // patient's sharing, as share links do: revoked, so the patient's list says it no longer works.
      if (token && token.organizationId === organizationId && !token.revokedAt && !token.redeemedAt) {
        const tokenKey = `provider_token_mrn:${token.id}`;
        if (reason === 'mrn_mismatch') await insertAuthFailure(tx, tokenKey, 'provider_token_mrn');
        const wrongMrns = reason === 'mrn_mismatch' ? (await countAuthFailures(tx, tokenKey, new Date(0))).total : 0;
        if (wrongMrns >= wrongMrnsPerToken || reason === 'issuer_lost_access') await revokeToken(tx, token.id, now);
      }
      await recordAudit(tx, audit, {
        action,
        outcome: 'failure',
        ...(token ? { objectType: 'ProviderToken', objectId: token.id } : {}),
        details: { reason },
      });
      return { ok: false, answer: tokenInvalid() };
    }
    const grantId = await insertTokenGrant(tx, {
      granteeUserId: actor.userId,
      patientId: token.patientId,
      grantedBy: token.issuedBy,
      endsAt: token.expiresAt,
    });
    await markTokenRedeemed(tx, token.id, actor.userId, grantId, now);
    await recordAudit(tx, audit, {
      action,
      outcome: 'success',
      patientId: token.patientId,
      objectType: 'AccessGrant',
      objectId: grantId,
      details: { tokenId: token.id, via: 'token', grantId },
    });
    return { ok: true, patientId: token.patientId };
  });
  if (!outcome.ok) throw outcome.answer;
  return outcome.patientId;
}
