import type { Database, Transaction } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { findPatientRef } from './access.repository.ts';
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
}

/** The patient row, which of the requested categories the actor may touch, through which relationship and row filter. */
export interface PatientAccessGrant {
  patient: PatientRef;
  allowed: Set<DataCategory>;
  via: Via;
  filter: RowFilter;
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
    const row = actor.known?.find((p) => p.id === request.patientId) ?? (await findPatientRef(tx, request.patientId))[0];
    const [primary, ...rest] = request.categories;
    const first = row && primary ? decide(actor, row, request.action, primary) : null;
    if (!row || !primary || !first?.allow)
      return { allowed: false, reason: first?.reason ?? 'no_such_patient', patientId: row?.id ?? null };
    const allowed = new Set<DataCategory>([primary]);
    for (const category of rest) if (decide(actor, row, request.action, category).allow) allowed.add(category);
    const result = await work(tx, { patient: row, allowed, via: first.via, filter: first.filter });
    await recordAudit(tx, audit, {
      action: request.auditAction,
      outcome: 'success',
      patientId: row.id,
      objectType: 'Patient',
      objectId: row.id,
      // Break-the-glass is audited at high severity (SECURITY.md "Emergency access").
      ...(first.via === 'break_glass' ? { severity: 'high' as const } : {}),
      details: {
        ...request.auditDetails,
        reason: first.reason,
        via: first.via,
        ...(first.grantId ? { grantId: first.grantId } : {}),
        categories: [...allowed],
      },
    });
    return { allowed: true, result };
  });
  if (outcome.allowed) return outcome.result;
  const denied = outcome;
  await db.transaction((tx) =>
    recordAudit(tx, audit, {
      action: request.auditAction,
      outcome: 'denied',
      patientId: denied.patientId,
      objectType: 'Patient',
      objectId: request.patientId,
      severity: 'warning',
      details: { ...request.auditDetails, reason: denied.reason },
    }),
  );
  throw notFound('The patient');
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
