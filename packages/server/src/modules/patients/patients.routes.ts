import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { chartHeaderResponse, idParams, patientSearchBody, patientSearchResponse, patientSummaryResponse } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { auditContextOf, localeOf, requireActor } from '../../plugins/session.ts';
import { errorResponses } from '../route-helpers.ts';
import { getChartHeader } from './chart-header.service.ts';
import { getPatientSummary, searchPatientsFor } from './patients.service.ts';

const tags = ['patients'];

/** Patient search, summaries and the staff chart's header: /api/patients/*. */
export function registerPatientRoutes(app: FastifyInstance, db: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/patients/search',
    { schema: { tags, body: patientSearchBody, response: { 200: patientSearchResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      const locale = request.body.locale ?? localeOf(request);
      return searchPatientsFor(db, actor, auditContextOf(request), request.body.q, locale);
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

  r.get(
    '/api/patients/:id/chart-header',
    { schema: { tags, params: idParams, response: { 200: chartHeaderResponse, ...errorResponses } } },
    async (request) => getChartHeader(db, requireActor(request), auditContextOf(request), request.params.id),
  );
}
