import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { messageAttachments, messages, messageThreads } from '../../db/schema/index.ts';
import type { RowFilter } from '../access/access.policy.ts';
import { confidentialThreadFilterSql } from '../access/access.scope.ts';

/** Stores an uploaded file's row (the bytes are already on disk under `storageKey`). */
export async function insertAttachment(db: Executor, values: typeof messageAttachments.$inferInsert) {
  const [row] = await db.insert(messageAttachments).values(values).returning({
    id: messageAttachments.id,
    fileName: messageAttachments.fileName,
    contentType: messageAttachments.contentType,
    sizeBytes: messageAttachments.sizeBytes,
  });
  return row!;
}

/** How many uploads the user has made that are not yet sent, since the given time. */
export async function countUnsentUploadsSince(db: Executor, uploadedBy: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(messageAttachments)
    .where(
      and(
        eq(messageAttachments.uploadedBy, uploadedBy),
        isNull(messageAttachments.messageId),
        sql`${messageAttachments.createdAt} > ${since.toISOString()}::timestamptz`,
      ),
    );
  return row?.count ?? 0;
}

const fileColumns = {
  id: messageAttachments.id,
  storageKey: messageAttachments.storageKey,
  fileName: messageAttachments.fileName,
  contentType: messageAttachments.contentType,
  sizeBytes: messageAttachments.sizeBytes,
};

/**
 * An attachment the patient side may download: sent with a message (not an internal note) in one of the patient's
 * threads, or an unsent upload the reader made for this patient.
 */
export async function findPatientVisibleAttachment(
  db: Executor,
  target: { attachmentId: string; patientId: string; readerId: string; filter: RowFilter },
) {
  const [row] = await db
    .select(fileColumns)
    .from(messageAttachments)
    .leftJoin(messages, eq(messages.id, messageAttachments.messageId))
    .leftJoin(messageThreads, eq(messageThreads.id, messages.threadId))
    .where(
      and(
        eq(messageAttachments.id, target.attachmentId),
        eq(messageAttachments.patientId, target.patientId),
        sql`(
          (${messages.id} is not null and not ${messages.internal} and ${messageThreads.patientId} = ${target.patientId}::uuid
            and ${confidentialThreadFilterSql(target.filter, messageThreads.confidential) ?? sql`true`})
          or (${messageAttachments.messageId} is null and ${messageAttachments.uploadedBy} = ${target.readerId}::uuid)
        )`,
      ),
    );
  return row;
}

/** An attachment with what decides who may download it: its patient, uploader, and the thread (pool) it was sent in. */
export async function findAttachmentWithThread(db: Executor, attachmentId: string) {
  const [row] = await db
    .select({
      ...fileColumns,
      patientId: messageAttachments.patientId,
      uploadedBy: messageAttachments.uploadedBy,
      messageId: messageAttachments.messageId,
      threadId: messageThreads.id,
      departmentId: messageThreads.departmentId,
    })
    .from(messageAttachments)
    .leftJoin(messages, eq(messages.id, messageAttachments.messageId))
    .leftJoin(messageThreads, eq(messageThreads.id, messages.threadId))
    .where(eq(messageAttachments.id, attachmentId));
  return row;
}
