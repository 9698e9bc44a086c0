import { createHash } from 'node:crypto';

/** The hash before the first event of the chain. */
export const genesisHash = '0'.repeat(64);

/** The fields of an audit event that its hash covers. */
export interface AuditHashInput {
  occurredAt: Date;
  requestId: string | null;
  actorUserId: string | null;
  onBehalfOfUserId: string | null;
  patientId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  outcome: string;
  severity: string;
  ipAddress: string | null;
  details: unknown;
}

/** JSON with keys sorted at every level (and Dates as JSONB stores them), so a row read back hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 over the previous hash and the event's canonical form: changing any row breaks every later link. */
export function hashAuditEvent(prevHash: string, event: AuditHashInput): string {
  const body = canonicalJson([
    prevHash,
    event.occurredAt.toISOString(),
    event.requestId,
    event.actorUserId,
    event.onBehalfOfUserId,
    event.patientId,
    event.action,
    event.objectType,
    event.objectId,
    event.outcome,
    event.severity,
    event.ipAddress,
    event.details ?? null,
  ]);
  return createHash('sha256').update(body, 'utf8').digest('hex');
}
