import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  idParams,
  messageRecipientsResponse,
  messageView,
  newThreadBody,
  pageQuery,
  replyBody,
  threadDetailResponse,
  threadListResponse,
  uuid,
} from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { idempotencyOf } from '../idempotency/idempotency.ts';
import { errorResponses } from '../route-helpers.ts';
import { createThreadFor, getThreadFor, listRecipientsFor, listThreadsFor, replyFor } from './patient-messages.service.ts';

const tags = ['messages'];
const threadParams = z.object({ id: uuid, threadId: uuid });

/**
 * The patient's secure messaging (issue 4): /api/patients/:id/messages/*. Only the patient themself; the care team
 * answers from the inbox. Sends take an `Idempotency-Key`.
 */
export function registerPatientMessageRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/patients/:id/messages/recipients',
    { schema: { tags, params: idParams, response: { 200: messageRecipientsResponse, ...errorResponses } } },
    async (request) => listRecipientsFor(deps, requireActor(request), auditContextOf(request), request.params.id),
  );

  r.get(
    '/api/patients/:id/messages/threads',
    { schema: { tags, params: idParams, querystring: pageQuery, response: { 200: threadListResponse, ...errorResponses } } },
    async (request) => listThreadsFor(deps, requireActor(request), auditContextOf(request), request.params.id, request.query),
  );

  r.post(
    '/api/patients/:id/messages/threads',
    { schema: { tags, params: idParams, body: newThreadBody, response: { 201: threadDetailResponse, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const idempotency = idempotencyOf(request);
      const answer = await createThreadFor(deps, actor, auditContextOf(request), request.params.id, request.body, idempotency);
      return reply.status(201).send(answer.body);
    },
  );

  r.get(
    '/api/patients/:id/messages/threads/:threadId',
    { schema: { tags, params: threadParams, response: { 200: threadDetailResponse, ...errorResponses } } },
    async (request) => {
      const target = { patientId: request.params.id, threadId: request.params.threadId };
      return getThreadFor(deps, requireActor(request), auditContextOf(request), target);
    },
  );

  r.post(
    '/api/patients/:id/messages/threads/:threadId/messages',
    { schema: { tags, params: threadParams, body: replyBody, response: { 201: messageView, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const idempotency = idempotencyOf(request);
      const target = { patientId: request.params.id, threadId: request.params.threadId };
      const answer = await replyFor(deps, actor, auditContextOf(request), target, request.body, idempotency);
      return reply.status(201).send(answer.body);
    },
  );
}
