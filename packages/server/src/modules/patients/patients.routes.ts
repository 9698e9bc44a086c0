import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { idParams, patientSearchBody, patientSearchResponse, patientSummaryResponse } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import { errorResponses } from '../route-helpers.ts';
import { getPatientSummary, searchPatientsFor } from './patients.service.ts';

const tags = ['patients'];

/** Patient search and summaries: /api/patients/*. */
export function registerPatientRoutes(app: FastifyInstance, db: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/patients/search',
    { schema: { tags, body: patientSearchBody, response: { 200: patientSearchResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return { patients: await searchPatientsFor(db, actor, auditContextOf(request), request.body.q) };
    },
  );

  r.get(
    '/api/patients/:id/summary',
    { schema: { tags, params: idParams, response: { 200: patientSummaryResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return getPatientSummary(db, actor, auditContextOf(request), request.params.id);
    },
  );
}
