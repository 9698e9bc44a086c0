import type { Database, Executor, Transaction } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { findPatientRef } from './access.repository.ts';
import { isOutsideVia } from './practice-access.ts';
import { decide, type Actor, type DataCategory, type PatientAction, type PatientRef, type RowFilter, type Via } from './access.policy.ts';

/** What a patient-data operation declares about itself, for the policy and the audit trail. */
export interface PatientAccessRequest {
  patientId: string;
  action: PatientAction;
  categories: DataCategory[];
  /** Audit action name, e.g. 'patient.summary.read'. */
  auditAction: string;
  /** Ids the audit event names besides the patient, e.g. `{ visitId }`; never patient data. */
  auditDetails?: Record<string, unknown>;
  /**
   * The patient's side or staff only (booking options, waitlist offers, the home overview, refill requests): an
   * outside provider, who reads the chart (issue 12 §2), is refused here as for a record that does not exist.
   */
  notForOutsideProviders?: boolean;
}

/** The patient row, which of the requested categories the actor may touch, through which relationship and row filter. */
export interface PatientAccessGrant {
  patient: PatientRef;
  allowed: Set<DataCategory>;
  via: Via;
  filter: RowFilter;
}

type Authorization =
  | { allowed: true; grant: PatientAccessGrant; reason: string; grantId: string | null }
  | { allowed: false; reason: string; patientId: string | null };

/**
 * The row filter of a request whose categories were allowed through different relationships (a front-desk employee who
 * is also the guardian of a teen at the same organization): the strictest of them, so no row one relationship hides
 * shows through another's filter. Equal filters (one relationship) give the same filter.
 */
export function strictestFilter(a: RowFilter, b: RowFilter): RowFilter {
  return {
    hiddenSensitive: [...new Set([...a.hiddenSensitive, ...b.hiddenSensitive])],
    seesConfidential: a.seesConfidential && b.seesConfidential,
    seesHeldResults: a.seesHeldResults && b.seesHeldResults,
    seesInternalNotes: a.seesInternalNotes && b.seesInternalNotes,
    seesClinicalThreads: a.seesClinicalThreads && b.seesClinicalThreads,
  };
}

/** The policy's answer for every category the request names; allowed when the first one is. */
async function authorize(db: Executor, actor: Actor, request: PatientAccessRequest): Promise<Authorization> {
  const row = actor.known?.find((p) => p.id === request.patientId) ?? (await findPatientRef(db, request.patientId))[0];
  const [primary, ...rest] = request.categories;
  const first = row && primary ? decide(actor, row, request.action, primary) : null;
  if (!row || !primary || !first?.allow) return { allowed: false, reason: first?.reason ?? 'no_such_patient', patientId: row?.id ?? null };
  if (request.notForOutsideProviders && isOutsideVia(first.via))
    return { allowed: false, reason: 'outside_provider_chart_only', patientId: row.id };
  const allowed = new Set<DataCategory>([primary]);
  let filter = first.filter;
  for (const category of rest) {
    const decision = decide(actor, row, request.action, category);
    if (!decision.allow) continue;
    allowed.add(category);
    filter = strictestFilter(filter, decision.filter);
  }
  return {
    allowed: true,
    grant: { patient: row, allowed, via: first.via, filter },
    reason: first.reason,
    grantId: first.grantId ?? null,
  };
}

/**
 * The allowed event. An actor acting through a proxy grant acts on behalf of the patient (SECURITY.md "Audit"): the
 * event names the patient's account, when they have one, as on-behalf-of, and `via: 'proxy'` with the grant.
 */
function auditAllowed(db: Executor, audit: AuditContext, request: PatientAccessRequest, granted: Authorization & { allowed: true }) {
  const { grant } = granted;
  const context = grant.via === 'proxy' ? { ...audit, onBehalfOfUserId: grant.patient.userId } : audit;
  return recordAudit(db, context, {
    action: request.auditAction,
    outcome: 'success',
    patientId: grant.patient.id,
    objectType: 'Patient',
    objectId: grant.patient.id,
    // Break-the-glass is audited at high severity (SECURITY.md "Emergency access").
    ...(grant.via === 'break_glass' ? { severity: 'high' as const } : {}),
    details: {
      ...request.auditDetails,
      reason: granted.reason,
      via: grant.via,
      ...(granted.grantId ? { grantId: granted.grantId } : {}),
      categories: [...grant.allowed],
    },
  });
}

/** The 'denied' event of a refused request, then the 404 that never reveals whether the patient exists. */
async function refuse(
  db: Executor,
  audit: AuditContext,
  request: PatientAccessRequest,
  denied: { reason: string; patientId: string | null },
): Promise<never> {
  // One statement: it commits on its own.
  await recordAudit(db, audit, {
    action: request.auditAction,
    outcome: 'denied',
    patientId: denied.patientId,
    objectType: 'Patient',
    objectId: request.patientId,
    severity: 'warning',
    details: { ...request.auditDetails, reason: denied.reason },
  });
  throw notFound('The patient');
}

/**
 * Runs `work` in one transaction after the policy allows at least the first category; the audit event commits with it.
 * Anything not allowed answers 404 and leaves a 'denied' audit event (DESIGN.md: never reveal existence).
 */
export async function withPatientAccess<T>(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  request: PatientAccessRequest,
  work: (tx: Transaction, grant: PatientAccessGrant) => Promise<T>,
): Promise<T> {
  type Outcome = { allowed: true; result: T } | { allowed: false; reason: string; patientId: string | null };
  const outcome = await db.transaction(async (tx): Promise<Outcome> => {
    const granted = await authorize(tx, actor, request);
    if (!granted.allowed) return granted;
    const result = await work(tx, granted.grant);
    await auditAllowed(tx, audit, request, granted);
    return { allowed: true, result };
  });
  if (outcome.allowed) return outcome.result;
  return refuse(db, audit, request, outcome);
}

/**
 * withPatientAccess for work that only reads: no transaction. The read writes nothing, so there is nothing for the event
 * to commit with; the event is committed (one statement) before the answer leaves, and a failed insert fails the
 * request, so nothing is disclosed unaudited. Two round trips fewer than a transaction (BEGIN, COMMIT) on the hottest
 * requests (bench, issue 9). `work` must not write; a read made of several statements sees no common snapshot.
 */
export async function withPatientRead<T>(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  request: PatientAccessRequest & { action: 'read' },
  work: (db: Executor, grant: PatientAccessGrant) => Promise<T>,
): Promise<T> {
  const granted = await authorize(db, actor, request);
  if (!granted.allowed) return refuse(db, audit, request, granted);
  const result = await work(db, granted.grant);
  await auditAllowed(db, audit, request, granted);
  return result;
}

/** Ends an operation early: its transaction rolls back, one audit event says why, and the caller gets `answer`. */
export class Refusal extends Error {
  constructor(
    readonly outcome: 'denied' | 'failure',
    readonly reason: string,
    readonly answer: AppError,
  ) {
    super(answer.message);
  }
}

/**
 * withPatientAccess for writes that can be refused after the policy allowed them (a 400, a closed thread, a lost
 * race): a Refusal, or any AppError, thrown by the work rolls the transaction back and is then audited on its own —
 * a 404 as `denied`, anything else as `failure` — before its answer goes out. Nothing refused goes unrecorded.
 */
export async function withAuditedPatientAccess<T>(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  request: PatientAccessRequest,
  work: (tx: Transaction, patient: PatientRef, allowed: ReadonlySet<DataCategory>, grant: PatientAccessGrant) => Promise<T>,
): Promise<T> {
  try {
    return await withPatientAccess(db, actor, audit, request, async (tx, grant) => {
      try {
        return await work(tx, grant.patient, grant.allowed, grant);
      } catch (error) {
        if (error instanceof AppError) throw new Refusal(error.statusCode === 404 ? 'denied' : 'failure', error.code, error);
        throw error;
      }
    });
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    await db.transaction((tx) =>
      recordAudit(tx, audit, {
        action: request.auditAction,
        outcome: error.outcome,
        patientId: request.patientId,
        objectType: 'Patient',
        objectId: request.patientId,
        severity: 'warning',
        details: { ...request.auditDetails, reason: error.reason },
      }),
    );
    throw error.answer;
  }
}
