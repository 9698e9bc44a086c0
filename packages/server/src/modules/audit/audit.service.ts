import type { Executor } from '../../db/client.ts';
import { appendAuditEvents } from './audit.repository.ts';

/** Who did it and where from: taken from the request, passed explicitly (no ambient state). */
export interface AuditContext {
  requestId: string | null;
  ipAddress: string | null;
  actorUserId: string | null;
  onBehalfOfUserId?: string | null;
}

/** One thing that happened, as the caller describes it. */
export interface AuditEntry {
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  patientId?: string | null;
  objectType?: string;
  objectId?: string;
  severity?: 'info' | 'warning' | 'high';
  /** Never patient data, passwords, codes or tokens: ids, counts and reasons only. */
  details?: Record<string, unknown>;
  /** Overrides the context's actor, e.g. the account a failed sign-in named. */
  actorUserId?: string | null;
}

/** Writes audit events in the caller's transaction (SECURITY.md: same transaction as the action). */
export async function recordAudit(tx: Executor, context: AuditContext, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  const occurredAt = new Date();
  await appendAuditEvents(
    tx,
    list.map((e) => ({
      occurredAt,
      requestId: context.requestId,
      actorUserId: e.actorUserId === undefined ? context.actorUserId : e.actorUserId,
      onBehalfOfUserId: context.onBehalfOfUserId ?? null,
      patientId: e.patientId ?? null,
      action: e.action,
      objectType: e.objectType ?? null,
      objectId: e.objectId ?? null,
      outcome: e.outcome,
      severity: e.severity ?? (e.outcome === 'success' ? 'info' : 'warning'),
      ipAddress: context.ipAddress,
      details: e.details ?? null,
    })),
  );
}
