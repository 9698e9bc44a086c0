import { FhirError, operationOutcome, type OutcomeIssue } from '@portico/fhir';
import type { Database, Transaction } from '../../db/client.ts';
import { recordAudit, type AuditContext, type AuditEntry } from '../audit/audit.service.ts';
import { capIssues, planBundle, type PlannedEntry } from './bundle-plan.ts';
import { planLookups, upsertPatients, upsertResources } from './import.repository.ts';

/** What one Bundle's import did. */
export interface ImportCounts {
  entries: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  patientsCreated: number;
  patientsMatched: number;
}

/** The FHIR answer (a transaction-response or batch-response Bundle) and the counts. */
export interface ImportOutcome {
  response: fhir4.Bundle;
  counts: ImportCounts;
  /** The entries of a batch or collection that were refused, in entry order, with why. */
  refused: RefusedEntry[];
  /** Newly created resources, for the caller's follow-up work (e.g. result notifications). */
  created: { id: string; resourceType: string; category: string | null; patientId: string | null }[];
}

/** One refused entry of a Bundle: its index in Bundle.entry and the issues (each names its path). */
export interface RefusedEntry {
  index: number;
  issues: OutcomeIssue[];
}

/** Who imports into which organization, and where links in notifications point. */
export interface ImportRequest {
  organizationId: string;
  bundle: unknown;
  audit: AuditContext;
}

/** Work done in the import's transaction once resources are written (release holds and notifications for new results). */
export type AfterImport = (tx: Transaction, created: ImportOutcome['created']) => Promise<void>;

function allIssues(failures: Map<number, OutcomeIssue[]>): OutcomeIssue[] {
  return [...failures.entries()].sort(([a], [b]) => a - b).flatMap(([, issues]) => issues);
}

/**
 * Imports one FHIR R4 Bundle into an organization in one database transaction. A `transaction` Bundle is all or
 * nothing: any bad entry refuses the whole Bundle with an OperationOutcome naming each entry and path (FhirError 400).
 * A `batch` or `collection` stores the good entries and reports the bad ones in its response. Importing the same Bundle
 * again changes nothing; a changed resource becomes a new version.
 */
export async function importBundle(db: Database, request: ImportRequest, after?: AfterImport): Promise<ImportOutcome> {
  const { organizationId } = request;
  return db.transaction(async (tx) => {
    const plan = await planBundle(request.bundle, organizationId, planLookups(tx, organizationId));
    if (Array.isArray(plan)) throw new FhirError(400, capIssues(plan));
    if (plan.type === 'transaction' && plan.failures.size > 0) throw new FhirError(400, capIssues(allIssues(plan.failures)));

    await upsertPatients(tx, organizationId, plan.patients);
    // Writing in id order keeps concurrent imports that share resources (practitioners, organizations) from deadlocking.
    const toWrite = plan.entries.filter((e) => !e.matchedExisting).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const written = await upsertResources(tx, organizationId, toWrite);
    const writtenById = new Map(written.map((w) => [w.id, w]));
    const created = toWrite
      .filter((e) => writtenById.get(e.id)?.created)
      .map((e) => ({ id: e.id, resourceType: e.resourceType, category: e.category, patientId: e.patientId }));
    if (after) await after(tx, created);

    const counts: ImportCounts = {
      entries: plan.entryCount,
      created: created.length,
      updated: written.length - created.length,
      unchanged: plan.entries.length - written.length,
      failed: plan.failures.size,
      patientsCreated: plan.patients.filter((p) => !p.existing).length,
      patientsMatched: plan.patients.filter((p) => p.existing).length,
    };
    await recordAudit(tx, request.audit, importAuditEntries(plan.entries, counts, plan.type));
    const refused = [...plan.failures.entries()].sort(([a], [b]) => a - b).map(([index, issues]) => ({ index, issues }));
    return { response: responseBundle(plan.type, plan.entryCount, plan.entries, plan.failures, writtenById), counts, created, refused };
  });
}

/** One event for the import and one per patient whose record it wrote (DESIGN.md: every write of patient data is audited). */
function importAuditEntries(entries: PlannedEntry[], counts: ImportCounts, type: string): AuditEntry[] {
  const perPatient = new Map<string, number>();
  for (const e of entries) if (e.patientId) perPatient.set(e.patientId, (perPatient.get(e.patientId) ?? 0) + 1);
  return [
    { action: 'fhir.import', outcome: counts.failed > 0 ? 'failure' : 'success', objectType: 'Bundle', details: { type, ...counts } },
    ...[...perPatient].map(([patientId, resources]) => ({
      action: 'fhir.import.patient',
      outcome: 'success' as const,
      patientId,
      objectType: 'Patient',
      objectId: patientId,
      details: { resources },
    })),
  ];
}

function responseBundle(
  type: string,
  entryCount: number,
  entries: PlannedEntry[],
  failures: Map<number, OutcomeIssue[]>,
  written: Map<string, { created: boolean; versionId: number }>,
): fhir4.Bundle {
  const byIndex = new Map(entries.map((e) => [e.index, e]));
  const response: fhir4.BundleEntry[] = [];
  for (let i = 0; i < entryCount; i++) {
    const issues = failures.get(i);
    const entry = byIndex.get(i);
    if (issues || !entry) {
      response.push({
        response: { status: '400 Bad Request', outcome: operationOutcome(issues ?? []) as fhir4.FhirResource },
      });
      continue;
    }
    const w = written.get(entry.id);
    response.push({
      fullUrl: `${entry.resourceType}/${entry.id}`,
      response: {
        status: w?.created ? '201 Created' : '200 OK',
        location: w ? `${entry.resourceType}/${entry.id}/_history/${w.versionId}` : `${entry.resourceType}/${entry.id}`,
        ...(w ? { etag: `W/"${w.versionId}"` } : {}),
      },
    });
  }
  return { resourceType: 'Bundle', type: type === 'transaction' ? 'transaction-response' : 'batch-response', entry: response };
}
