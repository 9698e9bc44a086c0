import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attachmentUploadResponse, idParams, messagingLimits, uuid } from '@portico/shared';
import { AppError } from '../../errors.ts';
import { fileContentTypes } from '../../plugins/json-body.ts';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { errorResponses } from '../route-helpers.ts';
import { createFileAttachmentStore } from './attachment-store.ts';
import {
  contentDispositionFor,
  downloadForPatient,
  downloadForStaff,
  uploadForPatient,
  uploadForThread,
  type AttachmentDownload,
  type UploadedFile,
} from './attachments.service.ts';

const tags = ['messages'];
const attachmentParams = z.object({ id: uuid, attachmentId: uuid });
const staffAttachmentParams = z.object({ attachmentId: uuid });
const threadParams = z.object({ threadId: uuid });
/** The file's bytes, sent as they are stored. */
const fileResponse = z.instanceof(Buffer).describe('The file as an attachment: application/pdf, image/jpeg or image/png.');

function declaredTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * What an upload route checks before reading up to 10 MB of body: a signed-in user (401) and a file type we take (415).
 * The body itself is then parsed as a Buffer (json-body.ts) within the route's body limit (413 beyond).
 */
function fileRequestGuard(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  try {
    requireActor(request);
  } catch (error) {
    done(error as Error);
    return;
  }
  if (!(fileContentTypes as readonly string[]).includes(declaredTypeOf(request))) {
    done(
      new AppError(
        415,
        'unsupported_media_type',
        'Send the file itself as application/pdf, image/jpeg or image/png, its name in X-File-Name.',
      ),
    );
    return;
  }
  done();
}

/** Upload route options: the raw-file parser, the 10 MB limit and the guard. */
const uploadOptions = { config: { acceptsFile: true }, bodyLimit: messagingLimits.attachmentMaxBytes, onRequest: fileRequestGuard };

function uploadedFile(request: FastifyRequest): UploadedFile {
  const body: unknown = request.body;
  return {
    bytes: Buffer.isBuffer(body) ? body : Buffer.alloc(0),
    declaredType: declaredTypeOf(request),
    fileNameHeader: request.headers['x-file-name'],
  };
}

/** Sends a stored file so that no browser renders it in the page (SECURITY.md "Uploads": attachment, nosniff, no-store). */
function sendFile(reply: FastifyReply, file: AttachmentDownload) {
  return reply
    .header('Content-Type', file.contentType)
    .header('Content-Disposition', contentDispositionFor(file.fileName))
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'no-store')
    .send(file.bytes);
}

/**
 * Message attachments (issue 4 §5): the patient's upload and download under /api/patients/:id/messages/attachments, the
 * care team's under /api/inbox (upload to a thread of their pool; download what was sent in their pools' threads).
 */
export function registerAttachmentRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const files = { ...deps, store: createFileAttachmentStore(deps.config.attachmentsDir) };

  r.post(
    '/api/patients/:id/messages/attachments',
    { ...uploadOptions, schema: { tags, params: idParams, response: { 201: attachmentUploadResponse, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const info = await uploadForPatient(files, actor, auditContextOf(request), request.params.id, uploadedFile(request));
      return reply.status(201).send(info);
    },
  );

  r.get(
    '/api/patients/:id/messages/attachments/:attachmentId',
    { schema: { tags, params: attachmentParams, response: { 200: fileResponse, ...errorResponses } } },
    async (request, reply) => {
      const target = { patientId: request.params.id, attachmentId: request.params.attachmentId };
      return sendFile(reply, await downloadForPatient(files, requireActor(request), auditContextOf(request), target));
    },
  );

  r.post(
    '/api/inbox/threads/:threadId/attachments',
    { ...uploadOptions, schema: { tags, params: threadParams, response: { 201: attachmentUploadResponse, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const info = await uploadForThread(files, actor, auditContextOf(request), request.params.threadId, uploadedFile(request));
      return reply.status(201).send(info);
    },
  );

  r.get(
    '/api/inbox/attachments/:attachmentId',
    { schema: { tags, params: staffAttachmentParams, response: { 200: fileResponse, ...errorResponses } } },
    async (request, reply) => {
      const file = await downloadForStaff(files, requireActor(request), auditContextOf(request), request.params.attachmentId);
      return sendFile(reply, file);
    },
  );
}
