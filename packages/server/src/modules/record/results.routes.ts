import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  idParams,
  okResponse,
  resultCommentBody,
  resultComment,
  resultDetailResponse,
  resultHold,
  resultHoldBody,
  resultListQuery,
  resultListResponse,
  resultSearchBody,
  resultsReleaseBody,
  uuid,
} from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import { errorResponses } from '../route-helpers.ts';
import {
  commentOnResultFor,
  getReleaseModeFor,
  getResultFor,
  holdResultFor,
  listResultsFor,
  releaseResultFor,
  searchResultsFor,
  setReleaseModeFor,
  type ResultsDeps,
} from './results.service.ts';

const tags = ['results'];
const resultParams = z.object({ id: uuid, resultId: uuid });
/** The release action takes no fields: who releases and what are in the session and the path. */
const emptyBody = z.object({}).strict();

/** Test results (list, name search, detail), their release to the patient, holds and comments: /api/patients/:id/record/results*. */
export function registerResultRoutes(app: FastifyInstance, deps: ResultsDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get(
    '/api/patients/:id/record/results',
    { schema: { tags, params: idParams, querystring: resultListQuery, response: { 200: resultListResponse, ...errorResponses } } },
    async (request) => listResultsFor(db, requireActor(request), auditContextOf(request), request.params.id, request.query),
  );

  r.post(
    '/api/patients/:id/record/results/search',
    { schema: { tags, params: idParams, body: resultSearchBody, response: { 200: resultListResponse, ...errorResponses } } },
    async (request) => searchResultsFor(db, requireActor(request), auditContextOf(request), request.params.id, request.body),
  );

  r.get(
    '/api/patients/:id/record/results/:resultId',
    { schema: { tags, params: resultParams, response: { 200: resultDetailResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return getResultFor(db, actor, auditContextOf(request), request.params.id, request.params.resultId);
    },
  );

  r.get(
    '/api/patients/:id/record/results-release',
    { schema: { tags, params: idParams, response: { 200: resultsReleaseBody, ...errorResponses } } },
    async (request) => getReleaseModeFor(db, requireActor(request), auditContextOf(request), request.params.id),
  );

  r.put(
    '/api/patients/:id/record/results-release',
    { schema: { tags, params: idParams, body: resultsReleaseBody, response: { 200: resultsReleaseBody, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return setReleaseModeFor(db, actor, auditContextOf(request), request.params.id, request.body.mode);
    },
  );

  r.post(
    '/api/patients/:id/record/results/:resultId/holds',
    { schema: { tags, params: resultParams, body: resultHoldBody, response: { 201: resultHold, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const target = { patientId: request.params.id, resultId: request.params.resultId };
      const hold = await holdResultFor(db, actor, auditContextOf(request), target, request.body);
      return reply.status(201).send(hold);
    },
  );

  r.post(
    '/api/patients/:id/record/results/:resultId/release',
    { schema: { tags, params: resultParams, body: emptyBody, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      return releaseResultFor(deps, actor, auditContextOf(request), { patientId: request.params.id, resultId: request.params.resultId });
    },
  );

  r.post(
    '/api/patients/:id/record/results/:resultId/comments',
    { schema: { tags, params: resultParams, body: resultCommentBody, response: { 201: resultComment, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const target = { patientId: request.params.id, resultId: request.params.resultId };
      const comment = await commentOnResultFor(db, actor, auditContextOf(request), target, request.body.text);
      return reply.status(201).send(comment);
    },
  );
}
