import {
  annotationTexts,
  interpretationText,
  reportConclusion,
  reportMemberIds,
  reportPresentedText,
  responsibleParticipant,
  resultEffective,
} from '@portico/fhir';
import type { ResultComponent, ResultDetail, ResultItem, ResultListItem } from '@portico/shared';
import type { Config } from '../../config.ts';
import type { Database, Transaction } from '../../db/client.ts';
import { AppError, conflict, forbidden, notFound } from '../../errors.ts';
import { cursorCodec, microInstantPart, nullablePart, uuidPart, type CursorCodec } from '../../lib/cursor.ts';
import { decide, ownRecordRowFilter, type Actor, type DataCategory, type PatientAction, type PatientRef } from '../access/access.policy.ts';
import { Refusal, withAuditedPatientAccess } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import { notifyNewResults } from './result-notifications.ts';
import { endPreferenceHolds, maxClinicianHoldDays } from './result-release.ts';
import {
  asObservation,
  asReport,
  asResource,
  firstName,
  observationReading,
  referenceName,
  referencedIds,
  storedIds,
  toResultItem,
  toTrend,
  type ResultRow,
} from './result-view.ts';
import {
  closeExpiredClinicianHolds,
  findHold,
  findMembers,
  findReleaseMode,
  findReportsContaining,
  findResult,
  findPatientTimeZone,
  findResultsSeenBefore,
  findTrendRows,
  insertClinicianHold,
  insertComment,
  listActiveHolds,
  listComments,
  listResults,
  recordResultsVisit,
  releaseHolds,
  updateReleaseMode,
  type ResultCursor,
  type ResultListOptions,
  type ResultScope,
} from './results.repository.ts';
import { findReferencedResources, type EffectiveRange } from './record.repository.ts';

/** What the results services need, passed explicitly. */
export interface ResultsDeps {
  db: Database;
  config: Config;
  /** Nudges the outbox worker after a commit that queued mail. */
  kickMail(): void;
}

/** At most this many points of a test's history are drawn (the newest ones). */
export const trendPointLimit = 200;

/** Reading results: the first category decides whether the patient is visible at all; `result_holds` adds held results. */
const resultCategories: DataCategory[] = ['clinical', 'result_holds'];

/** What one results operation declares for the policy and the audit trail. */
interface ResultsAccess {
  patientId: string;
  auditAction: string;
  see: DataCategory[];
  /** What the operation does beyond reading; refused with 403 when the policy says no (the reader already sees it). */
  act?: { action: PatientAction; category: DataCategory; refusal: string };
  /** Ids and reasons the audit event names besides the patient (the result, a hold's reason); never clinical values. */
  auditDetails?: Record<string, unknown>;
}

const missingResult = () => new Refusal('failure', 'result_not_found', notFound('The result'));

/**
 * Runs results work under the policy: patient not visible → 404 (withPatientAccess); visible but the action not
 * allowed → 403; either way audited, and nothing the work wrote survives a refusal.
 */
async function withResults<T>(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  access: ResultsAccess,
  work: (tx: Transaction, scope: ResultScope, patient: PatientRef) => Promise<T>,
): Promise<T> {
  const { patientId, auditAction, auditDetails } = access;
  const request = { patientId, action: 'read' as const, categories: access.see, auditAction, auditDetails };
  return withAuditedPatientAccess(db, actor, audit, request, (tx, patient, _allowed, grant) => {
    if (access.act) {
      const decision = decide(actor, patient, access.act.action, access.act.category);
      if (!decision.allow) throw new Refusal('denied', decision.reason, forbidden(access.act.refusal));
    }
    return work(tx, { patientId, filter: grant.filter }, patient);
  });
}

/**
 * The member results the reader sees of each report on a page, in report order, keyed by report id: one query for the
 * whole page, through the reader's row filter, so a held or hidden member never shows inside its report.
 */
async function membersOfReports(tx: Transaction, scope: ResultScope, rows: ResultRow[]): Promise<Map<string, ResultItem[]>> {
  const membersOf = new Map<string, string[]>();
  for (const row of rows) {
    const report = asReport(row.resource);
    if (report) membersOf.set(row.id, storedIds(reportMemberIds(report)));
  }
  const found = await findMembers(tx, scope, [...new Set([...membersOf.values()].flat())]);
  const byId = new Map(found.map((m) => [m.id, toResultItem(m)]));
  return new Map([...membersOf].map(([id, ids]) => [id, ids.flatMap((m) => byId.get(m) ?? [])]));
}

/** A member result as a component line of its report. */
function toComponent(member: ResultItem): ResultComponent {
  const { id, name, value, unit, referenceRange, flag, held } = member;
  return { id, name, value, unit, referenceRange, flag, held };
}

/** Results-list cursors: the (effective time with microseconds or null, id) of the last result shown. */
const resultCursors: CursorCodec<ResultCursor> = cursorCodec({ at: nullablePart(microInstantPart), id: uuidPart });

/**
 * One page of the patient's results, newest first; `cursor` is the previous page's `nextCursor`. Reading the first page
 * is a visit to the list (results_seen): the "new" marks compare with the reader's previous visit.
 */
export async function listResultsFor(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  query: { cursor?: string | undefined; limit: number },
) {
  const cursor = resultCursors.decodeOptional(query.cursor);
  return withResults(db, actor, audit, { patientId, auditAction: 'result.list.read', see: resultCategories }, async (tx, scope) => {
    const seenBefore = cursor
      ? await findResultsSeenBefore(tx, actor.userId, patientId)
      : await recordResultsVisit(tx, actor.userId, patientId);
    return readResultPage(tx, scope, cursor, query.limit, undefined, { seenBefore });
  });
}

/**
 * The results list filtered by test name (POST …/results/search): the same page, marks and row filter as the list; the
 * words are audited by length only (test names are clinical data), and the search does not count as a visit.
 */
export async function searchResultsFor(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  body: { name: string; cursor?: string | undefined; limit: number },
) {
  const cursor = resultCursors.decodeOptional(body.cursor);
  const access = { patientId, auditAction: 'result.list.search', see: resultCategories, auditDetails: { nameLength: body.name.length } };
  return withResults(db, actor, audit, access, async (tx, scope) => {
    const seenBefore = await findResultsSeenBefore(tx, actor.userId, patientId);
    return readResultPage(tx, scope, cursor, body.limit, undefined, { seenBefore, name: body.name });
  });
}

/**
 * One page of results for a reader whose access was already decided, as the results list shows them; the export reuses
 * it inside its own audited read, with the days the download covers.
 */
export async function readResultPage(
  tx: Transaction,
  scope: ResultScope,
  cursor: ResultCursor | null,
  limit: number,
  range?: EffectiveRange,
  options: ResultListOptions = {},
): Promise<{ results: ResultListItem[]; nextCursor: string | null }> {
  const rows = await listResults(tx, scope, cursor, limit, range, options);
  const { page, nextCursor } = resultCursors.page(rows, limit, (row) => ({ at: row.cursorAt, id: row.id }));
  const members = await membersOfReports(tx, scope, page);
  const results = page.map((row) => {
    const components = members.get(row.id) ?? [];
    const item = toResultItem(
      row,
      components.map((c) => c.flag),
    );
    return { ...item, components: components.map(toComponent), isNew: row.isNew };
  });
  return { results, nextCursor };
}

/** Who ordered and who performed a result: its own references, its panel's, then the visit's responsible clinician. */
async function peopleOf(tx: Transaction, patient: PatientRef, row: ResultRow & { encounterId: string | null }) {
  const own = asObservation(row.resource) ?? asReport(row.resource);
  const parents = asObservation(row.resource) ? await findReportsContaining(tx, patient.id, row.id) : [];
  const reports = [asReport(row.resource), ...parents.map((p) => asReport(p.resource))].filter((r) => r !== null);
  const basedOn = [...(own?.basedOn ?? []), ...reports.flatMap((r) => r.basedOn ?? [])];
  const performers = [...(own?.performer ?? []), ...reports.flatMap((r) => r.performer ?? [])];
  const encounterIds = storedIds([row.encounterId ?? '', ...referencedIds([own?.encounter])]);
  const first = await findReferencedResources(tx, patient.organizationId, patient.id, [
    ...referencedIds([...basedOn, ...performers]),
    ...encounterIds,
  ]);
  const orders = first.flatMap((r) => asResource<fhir4.ServiceRequest>(r.resource, 'ServiceRequest') ?? []);
  const encounter = first.map((r) => asResource<fhir4.Encounter>(r.resource, 'Encounter')).find((e) => e !== null);
  const requesters = orders.map((o) => o.requester);
  const attending = encounter ? responsibleParticipant(encounter) : null;
  const second = await findReferencedResources(
    tx,
    patient.organizationId,
    patient.id,
    referencedIds([...requesters, attending ?? undefined]),
  );
  const names = new Map<string, unknown>([...first, ...second].map((r) => [r.id, r.resource]));
  const reportPerformers = reports.flatMap((r) => r.performer ?? []);
  return {
    orderedBy: firstName(requesters, names) ?? firstName(reportPerformers, names) ?? referenceName(attending ?? undefined, names),
    performer: firstName(performers, names),
  };
}

async function buildDetail(
  tx: Transaction,
  scope: ResultScope,
  patient: PatientRef,
  row: ResultRow & { code: string | null; encounterId: string | null },
): Promise<ResultDetail> {
  const o = asObservation(row.resource);
  const report = asReport(row.resource);
  let members: ResultItem[] = [];
  if (report) {
    const ids = storedIds(reportMemberIds(report));
    const found = new Map((await findMembers(tx, scope, ids)).map((m) => [m.id, toResultItem(m)]));
    members = ids.flatMap((id) => found.get(id) ?? []);
  }
  const item = toResultItem(
    row,
    members.map((m) => m.flag),
  );
  const reading = o ? observationReading(o) : null;
  const isNumeric = reading !== null && reading.value.number !== null;
  const trendRows = o && row.code && isNumeric ? await findTrendRows(tx, scope, row.code, trendPointLimit) : [];
  const people = await peopleOf(tx, patient, row);
  const comments = await listComments(tx, row.id);
  const holds = scope.filter.seesHeldResults ? await listActiveHolds(tx, row.id) : [];
  const timeZone = await findPatientTimeZone(tx, patient);
  return {
    result: item,
    low: reading?.range.low ?? null,
    high: reading?.range.high ?? null,
    interpretation: o ? interpretationText(o.interpretation) : null,
    orderedBy: people.orderedBy,
    performer: people.performer,
    collectedAt: o ? resultEffective(o) : report ? resultEffective(report) : null,
    resultedAt: (o ?? report)?.issued ?? null,
    notes: o ? annotationTexts(o.note) : [],
    comments: comments.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })),
    report: report ? { conclusion: reportConclusion(report), text: reportPresentedText(report), members } : null,
    trend: o && trendRows.length > 0 ? toTrend(o, trendRows) : null,
    holds: holds.map(toHoldView),
    timeZone,
  };
}

function toHoldView(h: Awaited<ReturnType<typeof listActiveHolds>>[number]) {
  return {
    id: h.id,
    kind: h.kind === 'clinician' ? ('clinician' as const) : ('patient_preference' as const),
    reason: h.reason,
    heldBy: h.heldBy,
    heldUntil: h.heldUntil?.toISOString() ?? null,
    createdAt: h.createdAt.toISOString(),
  };
}

/** One result in full; a result the reader may not see (another patient's, or held from the patient) answers 404. */
export async function getResultFor(db: Database, actor: Actor, audit: AuditContext, patientId: string, resultId: string) {
  const access = { patientId, auditAction: 'result.read', see: resultCategories, auditDetails: { resultId } };
  return withResults(db, actor, audit, access, async (tx, scope, patient) => {
    const row = await findResult(tx, scope, resultId);
    if (!row) throw missingResult();
    return buildDetail(tx, scope, patient, row);
  });
}

/** A clinician keeps one result from the patient until `until` (at most 30 days ahead), with a documented reason. */
export async function holdResultFor(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  target: { patientId: string; resultId: string },
  body: { reason: string; until: string },
) {
  const until = new Date(body.until);
  const now = Date.now();
  if (until.getTime() <= now) throw new AppError(400, 'validation_failed', 'until: Choose a time in the future.', 'until');
  if (until.getTime() > now + maxClinicianHoldDays * 86_400_000) {
    throw new AppError(400, 'validation_failed', `until: A hold can last at most ${maxClinicianHoldDays} days.`, 'until');
  }
  const access: ResultsAccess = {
    patientId: target.patientId,
    auditAction: 'result.hold',
    auditDetails: { resultId: target.resultId, holdReason: body.reason, until: until.toISOString() },
    see: resultCategories,
    act: { action: 'write', category: 'result_holds', refusal: 'Only a clinician can hold a result back from the patient.' },
  };
  return withResults(db, actor, audit, access, async (tx, scope) => {
    const row = await findResult(tx, scope, target.resultId);
    if (!row) throw missingResult();
    await closeExpiredClinicianHolds(tx, row.id);
    const input = { resourceId: row.id, patientId: target.patientId, reason: body.reason, heldBy: actor.userId, heldUntil: until };
    const inserted = await insertClinicianHold(tx, input);
    if (!inserted) throw new Refusal('failure', 'hold_exists', conflict('A clinician already holds this result; release it first.'));
    const hold = await findHold(tx, inserted.id);
    return toHoldView(hold!);
  });
}

/**
 * A clinician ends every active hold on a result (a report's members included), the patient's review hold too. When
 * that makes the result visible to the patient, they get the new-result email.
 */
export async function releaseResultFor(
  deps: ResultsDeps,
  actor: Actor,
  audit: AuditContext,
  target: { patientId: string; resultId: string },
) {
  const access: ResultsAccess = {
    patientId: target.patientId,
    auditAction: 'result.release',
    auditDetails: { resultId: target.resultId },
    see: resultCategories,
    act: { action: 'write', category: 'result_holds', refusal: 'Only a clinician can release a result to the patient.' },
  };
  const notified = await withResults(deps.db, actor, audit, access, async (tx, scope) => {
    const row = await findResult(tx, scope, target.resultId);
    if (!row) throw missingResult();
    const report = asReport(row.resource);
    const ids = [row.id, ...(report ? storedIds(reportMemberIds(report)) : [])];
    const ended = await releaseHolds(tx, target.patientId, ids, actor.userId);
    const visible =
      ended.length > 0 && (await findResult(tx, { patientId: target.patientId, filter: ownRecordRowFilter }, row.id)) !== undefined;
    if (visible) await notifyNewResults(tx, [row.id], deps.config.publicUrl);
    return visible;
  });
  if (notified) deps.kickMail();
  return { ok: true as const };
}

/** A clinician or nurse writes a note on a result; the patient sees it with the result. */
export async function commentOnResultFor(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  target: { patientId: string; resultId: string },
  text: string,
) {
  const access: ResultsAccess = {
    patientId: target.patientId,
    auditAction: 'result.comment',
    auditDetails: { resultId: target.resultId },
    see: resultCategories,
    act: { action: 'write', category: 'clinical', refusal: 'Only the care team can comment on a result.' },
  };
  return withResults(db, actor, audit, access, async (tx, scope) => {
    const row = await findResult(tx, scope, target.resultId);
    if (!row) throw missingResult();
    const stored = await insertComment(tx, { resourceId: row.id, patientId: target.patientId, authorId: actor.userId, body: text });
    const comment = (await listComments(tx, row.id)).find((c) => c.id === stored.id)!;
    return { ...comment, createdAt: comment.createdAt.toISOString() };
  });
}

/** How the patient's new results reach them; the patient and their clinicians and nurses may read it. */
export async function getReleaseModeFor(db: Database, actor: Actor, audit: AuditContext, patientId: string) {
  return withResults(db, actor, audit, { patientId, auditAction: 'results_release.read', see: ['preferences'] }, async (tx) => ({
    mode: (await findReleaseMode(tx, patientId)) === 'after_review' ? ('after_review' as const) : ('immediate' as const),
  }));
}

/**
 * The patient's own choice. Going back to immediate release ends their review holds (their choice, their holds); a
 * clinician's holds stay.
 */
export async function setReleaseModeFor(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  mode: 'immediate' | 'after_review',
) {
  const access: ResultsAccess = {
    patientId,
    auditAction: 'results_release.update',
    auditDetails: { mode },
    see: ['preferences'],
    act: { action: 'write', category: 'preferences', refusal: 'Only the patient can choose when their results are released.' },
  };
  return withResults(db, actor, audit, access, async (tx) => {
    await updateReleaseMode(tx, patientId, mode);
    if (mode === 'immediate') await endPreferenceHolds(tx, patientId, actor.userId);
    return { mode };
  });
}
