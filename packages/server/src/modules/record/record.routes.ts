import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { healthSummaryResponse, idParams, pageQuery, uuid, visitDetailResponse, visitListResponse } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import { errorResponses } from '../route-helpers.ts';
import { getHealthSummary, getVisit, listVisits } from './record.service.ts';

const tags = ['record'];
const visitParams = z.object({ id: uuid, visitId: uuid });

/** The health summary and visits of the record: /api/patients/:id/record/{summary,visits}. */
export function registerRecordRoutes(app: FastifyInstance, db: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/patients/:id/record/summary',
    { schema: { tags, params: idParams, response: { 200: healthSummaryResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return getHealthSummary(db, actor, auditContextOf(request), request.params.id);
    },
  );

  r.get(
    '/api/patients/:id/record/visits',
    { schema: { tags, params: idParams, querystring: pageQuery, response: { 200: visitListResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return listVisits(db, actor, auditContextOf(request), request.params.id, request.query);
    },
  );

  r.get(
    '/api/patients/:id/record/visits/:visitId',
    { schema: { tags, params: visitParams, response: { 200: visitDetailResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return getVisit(db, actor, auditContextOf(request), request.params.id, request.params.visitId);
    },
  );
}
