import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams, recordExportBody } from '@portico/shared';
import type { Database } from '../../../db/client.ts';
import { auditContextOf, localeOf, requireActor } from '../../../plugins/session.ts';
import { errorResponses } from '../../route-helpers.ts';
import { exportRecord } from './record-export.service.ts';

const tags = ['record'];
/** The file itself: the PDF's bytes or the Bundle's JSON text, sent as they are (Fastify never serializes either). */
const exportFile = z
  .union([z.instanceof(Buffer), z.string()])
  .describe('The record as an attachment: application/pdf, or a FHIR R4 collection Bundle as application/fhir+json.');

/**
 * POST /api/patients/:id/record/export: the chosen sections and days as a download. A POST, so the choices stay out of
 * the URL and the CSRF guard covers it; the filename names the day only, never the patient (SECURITY.md: no patient data
 * in URLs or headers).
 */
export function registerRecordExportRoutes(app: FastifyInstance, db: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/patients/:id/record/export',
    { schema: { tags, params: idParams, body: recordExportBody, response: { 200: exportFile, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const file = await exportRecord(db, actor, auditContextOf(request), request.params.id, request.body, localeOf(request));
      return reply
        .header('Content-Type', file.contentType)
        .header('Content-Disposition', `attachment; filename="${file.filename}"`)
        .header('Cache-Control', 'no-store')
        .send(file.body);
    },
  );
}
