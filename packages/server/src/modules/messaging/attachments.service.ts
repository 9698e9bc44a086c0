import type { z } from 'zod';
import type { attachmentInfo } from '@portico/shared';
import type { Transaction } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import { can, isMemberOfPool, type Actor } from '../access/access.policy.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import type { AttachmentStore, StoredFile } from './attachment-store.ts';
import {
  countUnsentUploadsSince,
  findAttachmentWithThread,
  findPatientVisibleAttachment,
  insertAttachment,
} from './attachments.repository.ts';
import { describeType, extensionFor, hasMatchingExtension, isAttachmentType, sniffFileType, type AttachmentType } from './file-type.ts';
import { refuseMissing, withCheckedMessages, withOwnMessages, withPoolThread } from './messaging-access.ts';
import { findPoolIds } from './threads.repository.ts';

/** What the attachment services need: the identity services' dependencies and where files are kept. */
export interface AttachmentDeps extends AuthDeps {
  store: AttachmentStore;
}

/** A file as it arrived: the raw body, the Content-Type it was declared as, and the `X-File-Name` header. */
export interface UploadedFile {
  bytes: Buffer;
  declaredType: string;
  fileNameHeader: string | string[] | undefined;
}

/** A file to send back as a download. */
export interface AttachmentDownload {
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

type AttachmentInfo = z.infer<typeof attachmentInfo>;

/** At most this many uploads per person may wait unsent (a day's worth); they are sent with a message or expire. */
export const unsentUploadLimit = 20;
/** Longest stored file name, in characters. */
export const fileNameMaxLength = 200;

const dayMs = 86_400_000;
/** Control characters, bidirectional overrides (U+202E can make "x.exe" display as a PDF name) and line separators. */
const unsafeNameCharacters = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;

/**
 * The name a file is stored and downloaded as: `X-File-Name` percent-decoded, without any folder part, control or
 * direction characters, at most 200 characters, ending as its real type does ("scan" → "scan.pdf"), "attachment" when
 * nothing usable is left. It is only ever a label: the file lives under a generated name.
 */
export function attachmentFileName(header: string | string[] | undefined, type: AttachmentType): string {
  let name = typeof header === 'string' ? header : '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // Not valid percent-encoding: the header is taken as it came.
  }
  name = (name.split(/[/\\]/).at(-1) ?? '').replace(unsafeNameCharacters, '').trim();
  const matches = hasMatchingExtension(name, type);
  const ending = matches ? name.slice(name.lastIndexOf('.')) : extensionFor(type);
  let stem = matches ? name.slice(0, name.lastIndexOf('.')) : name;
  if (/^[\s.]*$/.test(stem)) stem = 'attachment';
  return `${[...stem].slice(0, fileNameMaxLength - ending.length).join('')}${ending}`;
}

/** `Content-Disposition` for a download: always an attachment, the name in RFC 8187 UTF-8 encoding (RFC 6266 4.3). */
export function contentDispositionFor(fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}`;
}

function unprocessable(message: string): AppError {
  return new AppError(400, 'unprocessable_file', message);
}

/** The file's type from its bytes, which must agree with the declared Content-Type (SECURITY.md "Uploads"). */
export function checkedFileType(file: Pick<UploadedFile, 'bytes' | 'declaredType'>): AttachmentType {
  if (file.bytes.length === 0) throw unprocessable('The file is empty.');
  const actual = sniffFileType(file.bytes);
  if (actual === null) throw unprocessable('The file is not a PDF, JPEG or PNG file, whatever its name says; only those can be attached.');
  if (!isAttachmentType(file.declaredType) || actual !== file.declaredType) {
    throw unprocessable(`The file's content is ${describeType(actual)}, but it was sent as ${file.declaredType}.`);
  }
  return actual;
}

/** Writes the file and its row; `pending` remembers the file so the caller can remove it if the transaction fails. */
async function storeUpload(
  tx: Transaction,
  deps: AttachmentDeps,
  pending: { file?: StoredFile },
  input: { patientId: string; uploadedBy: string; file: UploadedFile; details: Record<string, unknown> },
): Promise<AttachmentInfo> {
  const type = checkedFileType(input.file);
  if ((await countUnsentUploadsSince(tx, input.uploadedBy, new Date(Date.now() - dayMs))) >= unsentUploadLimit) {
    throw new AppError(429, 'too_many_requests', `You have ${unsentUploadLimit} files waiting to be sent; send them with a message first.`);
  }
  pending.file = await deps.store.save(input.file.bytes);
  const row = await insertAttachment(tx, {
    patientId: input.patientId,
    uploadedBy: input.uploadedBy,
    storageKey: pending.file.storageKey,
    sha256: pending.file.sha256,
    fileName: attachmentFileName(input.file.fileNameHeader, type),
    contentType: type,
    sizeBytes: input.file.bytes.length,
  });
  input.details.attachmentId = row.id;
  return row;
}

/** Runs an upload; if anything after the file was written fails, the file is removed (its row never committed). */
async function removingOnFailure<T>(deps: AttachmentDeps, run: (pending: { file?: StoredFile }) => Promise<T>): Promise<T> {
  const pending: { file?: StoredFile } = {};
  try {
    return await run(pending);
  } catch (error) {
    if (pending.file) await deps.store.remove(pending.file.storageKey).catch(() => undefined);
    throw error;
  }
}

/** POST /api/patients/:id/messages/attachments: the patient uploads a file to send with their next message. */
export function uploadForPatient(deps: AttachmentDeps, actor: Actor, audit: AuditContext, patientId: string, file: UploadedFile) {
  const details: Record<string, unknown> = {};
  const access = { patientId, action: 'write' as const, auditAction: 'message.attachment.upload', auditDetails: details };
  return removingOnFailure(deps, (pending) =>
    withOwnMessages(deps.db, actor, audit, access, (tx, patient) =>
      storeUpload(tx, deps, pending, { patientId: patient.id, uploadedBy: actor.userId, file, details }),
    ),
  );
}

/** POST /api/inbox/threads/:threadId/attachments: a member of the thread's pool uploads a file for a reply or note. */
export function uploadForThread(deps: AttachmentDeps, actor: Actor, audit: AuditContext, threadId: string, file: UploadedFile) {
  const details: Record<string, unknown> = {};
  const access = { threadId, action: 'write' as const, auditAction: 'message.attachment.upload', auditDetails: details };
  return removingOnFailure(deps, (pending) =>
    withPoolThread(deps.db, actor, audit, access, (tx, thread) =>
      storeUpload(tx, deps, pending, { patientId: thread.patientId, uploadedBy: actor.userId, file, details }),
    ),
  );
}

/**
 * GET /api/patients/:id/messages/attachments/:attachmentId: a file sent in one of the patient's threads (never with an
 * internal note), or the patient's own unsent upload. The bytes are read inside the audited transaction, so a download
 * that fails leaves no "downloaded" event.
 */
export function downloadForPatient(
  deps: AttachmentDeps,
  actor: Actor,
  audit: AuditContext,
  target: { patientId: string; attachmentId: string },
) {
  const access = {
    patientId: target.patientId,
    action: 'read' as const,
    auditAction: 'message.attachment.download',
    auditDetails: { attachmentId: target.attachmentId },
  };
  return withOwnMessages(deps.db, actor, audit, access, async (tx, patient, filter): Promise<AttachmentDownload> => {
    const row = await findPatientVisibleAttachment(tx, {
      attachmentId: target.attachmentId,
      patientId: patient.id,
      readerId: actor.userId,
      filter,
    });
    if (!row) throw notFound('The attachment');
    return { bytes: await deps.store.read(row.storageKey), contentType: row.contentType, fileName: row.fileName };
  });
}

/**
 * GET /api/inbox/attachments/:attachmentId: members of the pool of the thread the file was sent in; an unsent upload,
 * only the staff member who uploaded it.
 */
export async function downloadForStaff(deps: AttachmentDeps, actor: Actor, audit: AuditContext, attachmentId: string) {
  const missing = notFound('The attachment');
  const auditAction = 'message.attachment.download';
  const found = await findAttachmentWithThread(deps.db, attachmentId);
  if (!found)
    return refuseMissing(
      deps.db,
      audit,
      { auditAction, objectType: 'MessageAttachment', objectId: attachmentId, auditDetails: {} },
      missing,
    );
  const access = {
    patientId: found.patientId,
    action: 'read' as const,
    auditAction,
    auditDetails: { attachmentId, threadId: found.threadId },
  };
  const check = {
    reason: 'not_pool_member',
    answer: missing,
    async allows(tx: Transaction) {
      // Read again inside the transaction: the thread may have been forwarded to another pool since.
      const row = await findAttachmentWithThread(tx, attachmentId);
      if (!row) return false;
      if (row.departmentId !== null) return isMemberOfPool(actor, row.departmentId, await findPoolIds(tx, actor.userId));
      return can(actor, 'inbox.use') && row.uploadedBy === actor.userId;
    },
  };
  return withCheckedMessages(deps.db, actor, audit, access, check, async (tx): Promise<AttachmentDownload> => {
    const row = await findAttachmentWithThread(tx, attachmentId);
    if (!row) throw missing;
    return { bytes: await deps.store.read(row.storageKey), contentType: row.contentType, fileName: row.fileName };
  });
}
