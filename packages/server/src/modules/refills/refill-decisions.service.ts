import { randomUUID } from 'node:crypto';
import type { RefillView } from '@portico/shared';
import type { Database, Transaction } from '../../db/client.ts';
import { conflict, forbidden, notFound } from '../../errors.ts';
import { authorRoleIn, can, isMemberOfPool, type Actor, type PatientRef } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import { upsertResources } from '../fhir-import/import.repository.ts';
import { postMessage } from '../messaging/threads.service.ts';
import { notify } from '../notifications/notify.ts';
import { renewalEntries } from './refill-renewal.ts';
import { describeMedications, toRefillViews } from './refill-view.ts';
import {
  findDisplayName,
  findRefillByThread,
  findRefillRequest,
  lockMedicationRequests,
  recordRefillDecision,
  refillableStatuses,
  type RefillRow,
} from './refills.repository.ts';
import { type RefillDeps } from './refills.service.ts';
import { withAuditedPatientAccess } from '../access/access.service.ts';
import { Refusal } from '../access/access.service.ts';
import { findPoolIds } from '../messaging/threads.repository.ts';

/** A clinician's answer to a refill request. */
export type RefillDecision = { kind: 'approve' } | { kind: 'deny'; reason: string };

/** Where the patient reads the answer (the notification links here; no patient data in the path). */
export const refillDecisionPath = '/messages/refills';

type Target = NonNullable<Awaited<ReturnType<typeof findRefillByThread>>>;

/**
 * Who may decide: a member of the thread's pool (anyone else gets 404, as if the thread did not exist) who is a
 * clinician (a nurse or other pool member gets 403: they see the request, a prescriber decides). Audited when refused.
 */
async function requireDecider(db: Database, actor: Actor, audit: AuditContext, threadId: string, auditAction: string): Promise<Target> {
  const target = await findRefillByThread(db, threadId);
  const pools = await findPoolIds(db, actor.userId);
  const inPool =
    target !== undefined && can(actor, 'inbox.use', target.organizationId) && isMemberOfPool(actor, target.departmentId, pools);
  if (inPool && can(actor, 'refills.decide', target.organizationId)) return target;
  await db.transaction((tx) =>
    recordAudit(tx, audit, {
      action: auditAction,
      outcome: 'denied',
      patientId: inPool ? target.patientId : null,
      objectType: 'MessageThread',
      objectId: threadId,
      severity: 'warning',
      details: { threadId, reason: inPool ? 'cannot_decide_refills' : 'not_in_pool' },
    }),
  );
  throw inPool ? forbidden('Only a clinician can approve or deny a refill request.') : notFound('The refill request');
}

/** Writes the renewals into the record: per medication a new active order and the old one completed (a new version). */
async function writeRenewals(tx: Transaction, actor: Actor, patient: PatientRef, refill: RefillRow, renewalIds: string[]) {
  const old = await lockMedicationRequests(tx, patient.id, refill.medicationIds);
  const current = old.filter((row) => (refillableStatuses as readonly string[]).includes(row.status ?? ''));
  if (current.length !== refill.medicationIds.length) {
    const message = 'A prescription of this request was renewed or stopped since it was asked for; deny it with a reason.';
    throw new Refusal('failure', 'medication_not_current', conflict(message));
  }
  const requester = (await findDisplayName(tx, actor.userId)) ?? 'Care team';
  const authoredOn = new Date();
  const byId = new Map(old.map((row) => [row.id, row]));
  const entries = refill.medicationIds.flatMap((id, i) =>
    renewalEntries(byId.get(id)!, patient.id, { id: renewalIds[i]!, requester, authoredOn }),
  );
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await upsertResources(tx, patient.organizationId, entries);
}

/** The care team's message in the thread: the decision in words the patient reads. */
async function decisionMessage(tx: Transaction, patient: PatientRef, refill: RefillRow, decision: RefillDecision): Promise<string> {
  if (decision.kind === 'deny') return `Your refill request was not approved.\n\nReason: ${decision.reason}`;
  const rows = await lockMedicationRequests(tx, patient.id, refill.medicationIds);
  const names = (await describeMedications(tx, patient, rows)).map((m) => `- ${m.name}`);
  const place = `${refill.pharmacy.name}, ${refill.pharmacy.address}`;
  return [`Your refill request was approved. These prescriptions were renewed:`, ...names, '', `Pharmacy: ${place}`].join('\n');
}

/**
 * POST /api/inbox/threads/:threadId/refill/approve|deny: a clinician of the thread's pool decides. Approval renews each
 * prescription in the record (refill-renewal.ts) and records the renewal ids; denial records the reason the patient
 * sees. Either way the request is decided once (a second decision, or a racing one, gets 409), the clinician's message
 * goes into the thread (status answered), the patient is notified (`refill_decision`), and the decision is audited.
 */
export async function decideRefillFor(
  deps: RefillDeps,
  actor: Actor,
  audit: AuditContext,
  threadId: string,
  decision: RefillDecision,
): Promise<RefillView> {
  const auditAction = decision.kind === 'approve' ? 'refill.approve' : 'refill.deny';
  const target = await requireDecider(deps.db, actor, audit, threadId, auditAction);
  const renewalIds = decision.kind === 'approve' ? target.medicationIds.map(() => randomUUID()) : undefined;
  const access = {
    patientId: target.patientId,
    action: 'write' as const,
    categories: [decision.kind === 'approve' ? ('clinical' as const) : ('messages' as const)],
    auditAction,
    auditDetails: { threadId, refillId: target.refillId, ...(renewalIds ? { renewalIds } : {}) },
  };
  const view = await withAuditedPatientAccess(deps.db, actor, audit, access, async (tx, patient) => {
    const refill = (await findRefillRequest(tx, patient.id, target.refillId))!;
    const decided = await recordRefillDecision(tx, refill.id, {
      status: decision.kind === 'approve' ? 'approved' : 'denied',
      decidedBy: actor.userId,
      ...(decision.kind === 'deny' ? { denialReason: decision.reason } : {}),
      ...(renewalIds ? { renewalIds } : {}),
    });
    if (!decided) throw new Refusal('failure', 'already_decided', conflict('This refill request has already been answered.'));
    const body = await decisionMessage(tx, patient, refill, decision);
    if (renewalIds) await writeRenewals(tx, actor, patient, refill, renewalIds);
    // A care-team message: the messaging core marks the thread answered.
    await postMessage(tx, {
      threadId,
      patientId: patient.id,
      author: { userId: actor.userId, role: authorRoleIn(actor, patient.organizationId, patient.id) },
      body,
    });
    if (target.patientUserId) {
      await notify(tx, deps.config.publicUrl, {
        userId: target.patientUserId,
        event: 'refill_decision',
        eventKey: `refill:${refill.id}:${target.patientUserId}`,
        path: refillDecisionPath,
      });
    }
    const [view] = await toRefillViews(tx, patient, [(await findRefillRequest(tx, patient.id, refill.id))!]);
    return view!;
  });
  deps.kickMail();
  return view;
}
