import type { Database, Transaction } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import {
  isMemberOfPool,
  actsForPatient,
  isThreadVisible,
  type Actor,
  type PatientAction,
  type PatientRef,
  type RowFilter,
} from '../access/access.policy.ts';
import { Refusal, withAuditedPatientAccess } from '../access/access.service.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { findPoolIds, findThread, findThreadPatientId, type ThreadRow } from './threads.repository.ts';

/** What one messaging operation declares for the policy and the audit trail. */
export interface MessagingAccess {
  patientId: string;
  action: PatientAction;
  /** Audit action name, e.g. 'message.thread.create'. */
  auditAction: string;
  /**
   * Ids the audit event names (thread, message, attachment); never message text or file names. The work may add the
   * ids it creates: withPatientAccess writes the event after the work, from this same object.
   */
  auditDetails: Record<string, unknown>;
}

/** A rule beyond the policy's `messages` grant; when it does not hold, the answer is `answer`, audited as denied. */
export interface MessagingCheck {
  /** Why access was refused, for the audit trail. */
  reason: string;
  allows(tx: Transaction, patient: PatientRef): Promise<boolean> | boolean;
  answer: AppError;
}

/**
 * Messaging work on a patient's record: the policy's `messages` grant, then `check`; policy, work and audit commit
 * together. Any AppError from the work rolls it back and is audited as a failure (a 404 as denied).
 */
export function withCheckedMessages<T>(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  access: MessagingAccess,
  check: MessagingCheck,
  work: (tx: Transaction, patient: PatientRef, filter: RowFilter) => Promise<T>,
): Promise<T> {
  const request = { ...access, categories: ['messages' as const] };
  return withAuditedPatientAccess(db, actor, audit, request, async (tx, patient, _allowed, grant) => {
    if (!(await check.allows(tx, patient))) throw new Refusal('denied', check.reason, check.answer);
    return work(tx, patient, grant.filter);
  });
}

/**
 * The patient's side of messaging: the policy's `messages` grant and, beyond it, only the patient or a proxy acting for
 * them (actsForPatient). Staff reach threads through their pools (the inbox), never through these routes, so a staff
 * member here gets the same 404 as a stranger (DESIGN.md: never reveal existence). The work gets the decision's row
 * filter: a guardian of a 12-17 year old does not see the threads the teen kept private.
 */
export function withOwnMessages<T>(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  access: MessagingAccess,
  work: (tx: Transaction, patient: PatientRef, filter: RowFilter) => Promise<T>,
): Promise<T> {
  const check = {
    reason: 'not_the_patient',
    allows: (_tx: Transaction, patient: PatientRef) => actsForPatient(actor, patient),
    answer: notFound('The patient'),
  };
  return withCheckedMessages(db, actor, audit, access, check, work);
}

/** Audits a request for an object that does not exist (no patient to name) and answers 404. */
export async function refuseMissing(
  db: Database,
  audit: AuditContext,
  entry: { auditAction: string; objectType: string; objectId: string; auditDetails: Record<string, unknown> },
  answer: AppError,
): Promise<never> {
  await db.transaction((tx) =>
    recordAudit(tx, audit, {
      action: entry.auditAction,
      outcome: 'denied',
      objectType: entry.objectType,
      objectId: entry.objectId,
      details: { ...entry.auditDetails, reason: 'not_found' },
    }),
  );
  throw answer;
}

/** What a staff operation on one thread declares; the patient comes from the thread. */
export interface PoolThreadAccess {
  threadId: string;
  action: PatientAction;
  auditAction: string;
  /** As in MessagingAccess; the thread id is added. */
  auditDetails: Record<string, unknown>;
}

/**
 * The care team's side: the policy's `messages` grant on the thread's patient and membership of the thread's pool
 * (isMemberOfPool with the actor's staff_departments). Anything else answers 404 "conversation not found", audited.
 */
export async function withPoolThread<T>(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  access: PoolThreadAccess,
  work: (tx: Transaction, thread: ThreadRow, patient: PatientRef, filter: RowFilter) => Promise<T>,
): Promise<T> {
  const missing = notFound('The conversation');
  access.auditDetails.threadId = access.threadId;
  const patientId = await findThreadPatientId(db, access.threadId);
  if (patientId === undefined) {
    return refuseMissing(db, audit, { ...access, objectType: 'MessageThread', objectId: access.threadId }, missing);
  }
  const request = { ...access, patientId, categories: ['messages' as const] };
  let allowed = false;
  try {
    return await withAuditedPatientAccess(db, actor, audit, request, async (tx, patient, _allowed, grant) => {
      allowed = true;
      const pools = await findPoolIds(tx, actor.userId);
      const thread = await findThread(tx, { userId: actor.userId, filter: grant.filter }, access.threadId, patientId);
      if (!thread || !isMemberOfPool(actor, thread.departmentId, pools)) throw new Refusal('denied', 'not_pool_member', missing);
      // Front desk and billing never see a clinical thread, even in their own pool (the row filter).
      if (!isThreadVisible(grant.filter, thread)) throw new Refusal('denied', 'clinical_thread_hidden', missing);
      return work(tx, thread, patient, grant.filter);
    });
  } catch (error) {
    // The policy's own 404 names the patient; from a thread's address it is the conversation that was not found.
    if (!allowed && error instanceof AppError && error.statusCode === 404) throw missing;
    throw error;
  }
}
