import { randomUUID } from 'node:crypto';
import type { Locale } from '@portico/shared/i18n';
import {
  recordSection,
  shareLinkLimits,
  type SharedOpenBody,
  type SharedOpenResponse,
  type ShareLinkCreateBody,
  type ShareLinkCreateResponse,
  type ShareLinkStatus,
  type ShareLinkView,
} from '@portico/shared';
import type { Database, Transaction } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import { hashPassword, verifyPassword } from '../../security/password.ts';
import { generateNumericCode, generateToken, sha256Hex } from '../../security/crypto.ts';
import type { Actor } from '../access/access.policy.ts';
import { shareLinkActor, shareLinkCategories } from '../access/share-link-actor.ts';
import { withAuditedPatientAccess } from '../access/access.service.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { countAuthFailures, insertAuthFailure } from '../auth/user.repository.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { findPatientMailContext } from '../proxies/proxies.repository.ts';
import { hiddenOwnerOf, managesSharing, mayStillManageSharing, notASharingManager } from '../proxies/sharing.service.ts';
import { findPatientHeader } from '../record/export/record-export.repository.ts';
import { exportRecord, type RecordExportFile } from '../record/export/record-export.service.ts';
import { readHealthSummary } from '../record/record.service.ts';
import { readResultPage } from '../record/results.service.ts';
import { shareLinkEmail } from './share-link-email.ts';
import {
  claimOpen,
  countActiveLinks,
  countLinksCreatedSince,
  findLinkByTokenForUpdate,
  insertLink,
  listLinks,
  lockPatientLinks,
  recordWrongPasscode,
  revokeLink,
  revokeLinksCreatedBy,
  type ShareLinkRow,
} from './share-links.repository.ts';

/** Wrong passcodes and unknown links allowed per client address per hour (like the sign-up misses). */
export const openFailuresPerHour = 20;
/** Results a summary link shows (the newest ones). */
export const sharedResultLimit = 20;
/**
 * Links a patient's record may get in any 24 hours, whatever became of them: the active cap alone let revoke-and-make
 * again send any number of emails to one address.
 */
export const maxLinksPerDay = 20;
const hourMs = 3_600_000;
const dayMs = 86_400_000;

/** Where a link stands at `now`. */
export function statusOf(row: Pick<ShareLinkRow, 'revokedAt' | 'lockedAt' | 'expiresAt'>, now: Date): ShareLinkStatus {
  if (row.revokedAt) return 'revoked';
  if (row.lockedAt) return 'locked';
  return row.expiresAt <= now ? 'expired' : 'active';
}

/** The link as the patient's list shows it. */
export function shareLinkViewOf(row: ShareLinkRow, now: Date): ShareLinkView {
  return {
    id: row.id,
    label: row.label,
    scope: row.scope as ShareLinkView['scope'],
    recipientEmail: row.recipientEmail,
    status: statusOf(row, now),
    openCount: row.openCount,
    lastOpenedAt: row.lastOpenedAt?.toISOString() ?? null,
    failedAttempts: row.failedAttempts,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** A passcode as typed: spaces and dashes do not matter. */
function normalizePasscode(passcode: string): string {
  return passcode.replace(/[\s-]/g, '');
}

/**
 * POST /api/patients/:id/share-links: the patient (or a full proxy: the `preferences` write) makes a link. The answer
 * carries the address and the passcode once; only their hashes are stored. With `recipientEmail` the link (never the
 * passcode) is emailed in the patient's language, and the event is the transmit (`record.transmit`, with the addressee).
 */
export async function createShareLink(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  body: ShareLinkCreateBody,
): Promise<ShareLinkCreateResponse> {
  const now = new Date();
  const id = randomUUID();
  const token = generateToken();
  const passcode = generateNumericCode(shareLinkLimits.passcodeDigits);
  // Hashed before the transaction: argon2 takes tens of milliseconds, which a held connection need not wait for.
  const passcodeHash = await hashPassword(passcode);
  const transmit = body.recipientEmail !== undefined;
  const request = {
    patientId,
    action: 'write' as const,
    categories: ['preferences' as const],
    auditAction: transmit ? 'record.transmit' : 'share_link.create',
    auditDetails: {
      shareLinkId: id,
      scope: body.scope,
      expiresInDays: body.expiresInDays,
      ...(transmit ? { addressee: body.recipientEmail, method: 'share_link' } : {}),
      ...(transmit && body.scope === 'download' ? { format: 'pdf' } : {}),
    },
  };
  const url = `${deps.config.publicUrl}/shared#token=${token}`;
  const row = await withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
    // Held to the commit, so racing requests count one after another and cannot all pass the caps.
    await lockPatientLinks(tx, patient.id);
    if ((await countActiveLinks(tx, patient.id, now)) >= shareLinkLimits.maxActive)
      throw new AppError(
        429,
        'too_many_share_links',
        `This record already has ${shareLinkLimits.maxActive} active share links. Revoke one before you make another.`,
      );
    if ((await countLinksCreatedSince(tx, patient.id, new Date(now.getTime() - dayMs))) >= maxLinksPerDay)
      throw new AppError(
        429,
        'too_many_share_links',
        `This record has had ${maxLinksPerDay} share links made in the last 24 hours. Try again tomorrow.`,
      );
    const inserted = await insertLink(tx, {
      id,
      organizationId: patient.organizationId,
      patientId: patient.id,
      createdBy: actor.userId,
      label: body.label,
      scope: body.scope,
      recipientEmail: body.recipientEmail ?? null,
      tokenHash: sha256Hex(token),
      passcodeHash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + body.expiresInDays * dayMs),
    });
    if (body.recipientEmail !== undefined) {
      const context = await findPatientMailContext(tx, patient.id);
      const message = shareLinkEmail(
        body.recipientEmail,
        context?.organizationName ?? '',
        url,
        inserted.expiresAt,
        patient.timeZone,
        context?.locale ?? 'en',
      );
      await enqueueEmail(tx, message, `share-link:${id}`);
    }
    return inserted;
  });
  if (transmit) deps.kickMail();
  return { link: shareLinkViewOf(row, now), url, passcode };
}

/**
 * GET /api/patients/:id/share-links: every link of the patient with where it stands, newest first. The links are the
 * patient's to manage, so the list asks what managing them asks (the `preferences` write: the patient or a full proxy);
 * staff, who read a patient's settings, do not see whom the patient shared with here (`managesSharing`). A guardian of
 * a 12-17 year old does not see the links the teen made (`hiddenOwnerOf`).
 */
export function listShareLinks(db: Database, actor: Actor, audit: AuditContext, patientId: string): Promise<ShareLinkView[]> {
  const now = new Date();
  const request = { patientId, action: 'write' as const, categories: ['preferences' as const], auditAction: 'share_link.list' };
  return withAuditedPatientAccess(db, actor, audit, request, async (tx, patient, _allowed, grant) => {
    if (!managesSharing(grant.via)) throw notASharingManager();
    return (await listLinks(tx, patient.id, hiddenOwnerOf(patient, grant.filter))).map((row) => shareLinkViewOf(row, now));
  });
}

/**
 * DELETE /api/patients/:id/share-links/:linkId: the next open is refused; revoking twice answers the same. A link the
 * reader may not see (a teen's own, for their guardian) answers 404 like one that does not exist.
 */
export async function revokeShareLink(db: Database, actor: Actor, audit: AuditContext, patientId: string, linkId: string): Promise<void> {
  const request = {
    patientId,
    action: 'write' as const,
    categories: ['preferences' as const],
    auditAction: 'share_link.revoke',
    auditDetails: { shareLinkId: linkId },
  };
  await withAuditedPatientAccess(db, actor, audit, request, async (tx, patient, _allowed, grant) => {
    const hidden = hiddenOwnerOf(patient, grant.filter);
    if ((await revokeLink(tx, patient.id, linkId, actor.userId, new Date(), hidden)) === 'missing') throw notFound('The share link');
  });
}

/** What an open asks for: the link's page (`open`) or its PDF (`download`). */
export type OpenMode = 'open' | 'download';

/** The audit action of an attempt: the summary read, the PDF download, or the passcode check of a download link. */
function openActionOf(scope: string, mode: OpenMode): string {
  if (mode === 'download') return 'share_link.download';
  return scope === 'summary' ? 'share_link.summary.read' : 'share_link.open';
}

/**
 * Why a link opens nothing, or null: not active, a summary link asked for its PDF, or its creator no longer manages the
 * patient's sharing (a proxy whose access ended: the link ends with it, for good, so a later grant does not bring it
 * back and the patient's list shows it revoked). Each answers the same 404.
 */
async function refusalOf(tx: Transaction, row: ShareLinkRow, mode: OpenMode, now: Date): Promise<string | null> {
  const status = statusOf(row, now);
  if (status !== 'active') return status;
  if (mode === 'download' && row.scope !== 'download') return 'not_a_download_link';
  if (await mayStillManageSharing(tx, row.patientId, row.createdBy, now)) return null;
  await revokeLinksCreatedBy(tx, row.patientId, row.createdBy, null, now);
  return 'creator_access_ended';
}

type Checked = { kind: 'ok'; link: ShareLinkRow } | { kind: 'not_found' } | { kind: 'wrong'; attempts: number };

/** The same 404 for an unknown, expired, revoked or locked link: the reader learns nothing of which. */
const linkNotFound = () => notFound('The shared record');

/**
 * Checks the token and passcode (the link's row locked, so concurrent wrong tries are all counted) and audits every
 * refusal on the patient, with no actor (the reader has no account). Wrong passcodes and unknown links count against
 * the client address, like sign-up misses.
 */
async function checkLink(deps: AuthDeps, audit: AuditContext, body: SharedOpenBody, mode: OpenMode, now: Date): Promise<ShareLinkRow> {
  const subjectKey = `share_link:${audit.ipAddress ?? 'unknown'}`;
  if ((await countAuthFailures(deps.db, subjectKey, new Date(now.getTime() - hourMs))).total >= openFailuresPerHour)
    throw new AppError(429, 'too_many_attempts', 'Too many tries to open shared records from this network. Try again in an hour.');
  const passcode = normalizePasscode(body.passcode);
  const checked = await deps.db.transaction(async (tx): Promise<Checked> => {
    const row = await findLinkByTokenForUpdate(tx, sha256Hex(body.token));
    if (!row) {
      await insertAuthFailure(tx, subjectKey, 'share_link');
      await recordAudit(tx, audit, {
        action: openActionOf('', mode),
        outcome: 'denied',
        objectType: 'ShareLink',
        details: { via: 'share_link', outcome: 'unknown_link' },
      });
      return { kind: 'not_found' };
    }
    const event = { action: openActionOf(row.scope, mode), patientId: row.patientId, objectType: 'ShareLink', objectId: row.id };
    const refusal = await refusalOf(tx, row, mode, now);
    if (refusal) {
      await recordAudit(tx, audit, { ...event, outcome: 'denied', details: { via: 'share_link', shareLinkId: row.id, outcome: refusal } });
      return { kind: 'not_found' };
    }
    if (!(await verifyPassword(row.passcodeHash, passcode))) {
      const attempts = await recordWrongPasscode(tx, row.id, shareLinkLimits.maxAttempts, now);
      await insertAuthFailure(tx, subjectKey, 'share_link');
      const outcome = attempts >= shareLinkLimits.maxAttempts ? 'locked' : 'wrong_passcode';
      await recordAudit(tx, audit, {
        ...event,
        outcome: 'failure',
        details: { via: 'share_link', shareLinkId: row.id, outcome, attempts },
      });
      return { kind: 'wrong', attempts };
    }
    return { kind: 'ok', link: row };
  });
  if (checked.kind === 'not_found') throw linkNotFound();
  if (checked.kind === 'wrong') {
    const left = shareLinkLimits.maxAttempts - checked.attempts;
    throw new AppError(
      400,
      'wrong_passcode',
      left <= 0
        ? 'That passcode is not right. The link is now locked; ask the person who shared it for a new one.'
        : `That passcode is not right. ${left} ${left === 1 ? 'try is' : 'tries are'} left before the link locks.`,
      'passcode',
    );
  }
  return checked.link;
}

/**
 * POST /api/shared/open (no sign-in). A summary link answers the read-only summary: the read goes through the policy
 * as the link's actor (`shareLinkActor`), so its row filter hides every sensitive category, held results and internal
 * notes; the open is counted in the same transaction as the read and its audit event, and refused if the link was
 * revoked since the passcode check. A download link answers that its PDF is ready (`/api/shared/download`).
 */
export async function openSharedLink(deps: AuthDeps, client: AuditContext, body: SharedOpenBody): Promise<SharedOpenResponse> {
  const now = new Date();
  const audit = { ...client, actorUserId: null };
  const link = await checkLink(deps, audit, body, 'open', now);
  if (link.scope === 'download') {
    const context = await findPatientMailContext(deps.db, link.patientId);
    await recordAudit(deps.db, audit, {
      action: 'share_link.open',
      outcome: 'success',
      patientId: link.patientId,
      objectType: 'ShareLink',
      objectId: link.id,
      details: { via: 'share_link', shareLinkId: link.id, outcome: 'passcode_accepted' },
    });
    return { scope: 'download', organizationName: context?.organizationName ?? '', expiresAt: link.expiresAt.toISOString() };
  }
  const request = {
    patientId: link.patientId,
    action: 'read' as const,
    categories: [...shareLinkCategories],
    auditAction: 'share_link.summary.read',
    auditDetails: { shareLinkId: link.id },
  };
  return withAuditedPatientAccess(deps.db, shareLinkActor(link), audit, request, async (tx, patient, _allowed, grant) => {
    if (!(await claimOpen(tx, link.id, now))) throw linkNotFound();
    const header = await findPatientHeader(tx, patient.id);
    if (!header) throw linkNotFound();
    const summary = await readHealthSummary(tx, patient, grant.filter);
    const { results } = await readResultPage(
      tx,
      { patientId: patient.id, filter: { ...grant.filter, seesHeldResults: false } },
      null,
      sharedResultLimit,
    );
    return {
      scope: 'summary' as const,
      patient: { name: `${header.givenName} ${header.familyName}`, birthDate: header.birthDate },
      organizationName: header.organizationName,
      summary,
      results: results.map(({ components: _c, isNew: _n, ...item }) => item),
      generatedAt: now.toISOString(),
      expiresAt: link.expiresAt.toISOString(),
    };
  });
}

/**
 * POST /api/shared/download (no sign-in): a download link's record as a PDF, made by the record export as the link's
 * actor (every section; the policy's row filter; held results never exported), in the reader's language. The open is
 * counted in the export's transaction; a revocation committed before it answers 404, audited.
 */
export async function downloadSharedLink(
  deps: AuthDeps,
  client: AuditContext,
  body: SharedOpenBody,
  locale: Locale,
): Promise<RecordExportFile> {
  const now = new Date();
  const audit = { ...client, actorUserId: null };
  const link = await checkLink(deps, audit, body, 'download', now);
  try {
    return await exportRecord(
      deps.db,
      shareLinkActor(link),
      audit,
      link.patientId,
      { format: 'pdf', sections: [...recordSection.options] },
      locale,
      {
        auditAction: 'share_link.download',
        auditDetails: { shareLinkId: link.id },
        before: async (tx) => {
          if (!(await claimOpen(tx, link.id, now))) throw linkNotFound();
        },
      },
    );
  } catch (error) {
    if (error instanceof AppError && error.statusCode === 404)
      await recordAudit(deps.db, audit, {
        action: 'share_link.download',
        outcome: 'denied',
        patientId: link.patientId,
        objectType: 'ShareLink',
        objectId: link.id,
        details: { via: 'share_link', shareLinkId: link.id, outcome: 'revoked_during_open' },
      });
    throw error;
  }
}
