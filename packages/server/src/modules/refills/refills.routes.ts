import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  idParams,
  newPharmacyBody,
  newRefillBody,
  pharmacy,
  pharmacyListResponse,
  refillableMedicationsResponse,
  refillDenyBody,
  refillListResponse,
  refillView,
  uuid,
} from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { idempotencyOf } from '../idempotency/idempotency.ts';
import { errorResponses } from '../route-helpers.ts';
import { decideRefillFor } from './refill-decisions.service.ts';
import { addPharmacyFor, listPharmaciesFor, listRefillableMedicationsFor, listRefillsFor, requestRefillFor } from './refills.service.ts';

const tags = ['refills'];
const threadParams = z.object({ threadId: uuid });
/** Approval takes no fields: who approves and what are in the session and the path. */
const emptyBody = z.object({}).strict();

/** Prescription refill requests (patient side) and the care team's decisions on them (issue 4 section 3). */
export function registerRefillRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get(
    '/api/patients/:id/refills/medications',
    { schema: { tags, params: idParams, response: { 200: refillableMedicationsResponse, ...errorResponses } } },
    async (request) => listRefillableMedicationsFor(db, requireActor(request), auditContextOf(request), request.params.id),
  );

  r.get(
    '/api/patients/:id/pharmacies',
    { schema: { tags, params: idParams, response: { 200: pharmacyListResponse, ...errorResponses } } },
    async (request) => listPharmaciesFor(db, requireActor(request), auditContextOf(request), request.params.id),
  );

  r.post(
    '/api/patients/:id/pharmacies',
    { schema: { tags, params: idParams, body: newPharmacyBody, response: { 201: pharmacy, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const created = await addPharmacyFor(db, actor, auditContextOf(request), request.params.id, request.body);
      return reply.status(201).send(created);
    },
  );

  r.get(
    '/api/patients/:id/refills',
    { schema: { tags, params: idParams, response: { 200: refillListResponse, ...errorResponses } } },
    async (request) => listRefillsFor(db, requireActor(request), auditContextOf(request), request.params.id),
  );

  r.post(
    '/api/patients/:id/refills',
    { schema: { tags, params: idParams, body: newRefillBody, response: { 201: refillView, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const idempotency = idempotencyOf(request);
      const answer = await requestRefillFor(deps, actor, auditContextOf(request), request.params.id, request.body, idempotency);
      return reply.status(201).send(answer.body);
    },
  );

  r.post(
    '/api/inbox/threads/:threadId/refill/approve',
    { schema: { tags, params: threadParams, body: emptyBody, response: { 200: refillView, ...errorResponses } } },
    async (request) => decideRefillFor(deps, requireActor(request), auditContextOf(request), request.params.threadId, { kind: 'approve' }),
  );

  r.post(
    '/api/inbox/threads/:threadId/refill/deny',
    { schema: { tags, params: threadParams, body: refillDenyBody, response: { 200: refillView, ...errorResponses } } },
    async (request) => {
      const decision = { kind: 'deny' as const, reason: request.body.reason };
      return decideRefillFor(deps, requireActor(request), auditContextOf(request), request.params.threadId, decision);
    },
  );
}
