import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  activityExportQuery,
  activityPeopleResponse,
  activityQuery,
  activityQuestionBody,
  activityQuestionParams,
  activityQuestionResponse,
  activityResponse,
  idParams,
} from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { auditContextOf, localeOf, requireActor } from '../../plugins/session.ts';
import { idempotencyOf } from '../idempotency/idempotency.ts';
import { errorResponses } from '../route-helpers.ts';
import { askAboutAccess } from './activity-question.service.ts';
import { exportActivity } from './activity-export.ts';
import { readActivityPage, readActivityPeople } from './activity.service.ts';

const tags = ['activity'];
/** The file itself, sent as it is (Fastify never serializes either). */
const activityFile = z
  .union([z.instanceof(Buffer), z.string()])
  .describe('The activity log as an attachment: text/csv (UTF-8 with a byte order mark) or application/pdf.');

/**
 * "Who has seen my record" (issue 11 §3): the patient's activity log, read from the audit trail. The filters in the
 * query string are days and a user id, never patient data.
 */
export function registerActivityRoutes(app: FastifyInstance, db: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/patients/:id/activity',
    { schema: { tags, params: idParams, querystring: activityQuery, response: { 200: activityResponse, ...errorResponses } } },
    async (request) => readActivityPage(db, requireActor(request), auditContextOf(request), request.params.id, request.query),
  );

  r.get(
    '/api/patients/:id/activity/people',
    { schema: { tags, params: idParams, response: { 200: activityPeopleResponse, ...errorResponses } } },
    async (request) => readActivityPeople(db, requireActor(request), auditContextOf(request), request.params.id),
  );

  r.post(
    '/api/patients/:id/activity/:eventId/question',
    {
      schema: {
        tags,
        params: activityQuestionParams,
        body: activityQuestionBody,
        response: { 200: activityQuestionResponse, 201: activityQuestionResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const target = { patientId: request.params.id, eventId: request.params.eventId, locale: localeOf(request) };
      const actor = requireActor(request);
      const idempotency = idempotencyOf(request);
      const answer = await askAboutAccess(db, actor, auditContextOf(request), target, request.body.question, idempotency);
      return reply.status(answer.statusCode === 201 ? 201 : 200).send(answer.body);
    },
  );

  for (const format of ['csv', 'pdf'] as const) {
    r.get(
      `/api/patients/:id/activity.${format}`,
      { schema: { tags, params: idParams, querystring: activityExportQuery, response: { 200: activityFile, ...errorResponses } } },
      async (request, reply) => {
        const actor = requireActor(request);
        const target = { patientId: request.params.id, query: request.query, format, locale: localeOf(request) };
        const file = await exportActivity(db, actor, auditContextOf(request), target);
        return reply
          .header('Content-Type', file.contentType)
          .header('Content-Disposition', `attachment; filename="${file.filename}"`)
          .header('Cache-Control', 'no-store')
          .send(file.body);
      },
    );
  }
}
