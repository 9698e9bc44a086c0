import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appointmentView, checkInBody, checkInFormResponse, uuid, waitlistOfferListResponse, waitlistResponse } from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { idempotencyOf } from '../idempotency/idempotency.ts';
import { errorResponses } from '../route-helpers.ts';
import { checkInFor, getCheckInFormFor } from './check-in.service.ts';
import { acceptOfferFor, joinWaitlistFor, leaveWaitlistFor, listOffersFor } from './waitlist.service.ts';

const tags = ['scheduling'];
const appointmentParams = z.object({ id: uuid, appointmentId: uuid });
const offerParams = z.object({ id: uuid, offerId: uuid });
const patientParams = z.object({ id: uuid });
/** Accepting takes no fields: the offer is in the path, the patient in the session. */
const emptyBody = z.object({}).strict();

/** The patient's side of the waitlist and e-check-in (issue 5 §2). */
export function registerSchedulingPatientRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const waitlistUrl = '/api/patients/:id/appointments/:appointmentId/waitlist';
  const checkInUrl = '/api/patients/:id/appointments/:appointmentId/check-in';

  r.put(
    waitlistUrl,
    { schema: { tags, params: appointmentParams, response: { 200: waitlistResponse, ...errorResponses } } },
    async (request) => {
      const { id, appointmentId } = request.params;
      return joinWaitlistFor(db, requireActor(request), auditContextOf(request), id, appointmentId);
    },
  );

  r.delete(
    waitlistUrl,
    { schema: { tags, params: appointmentParams, response: { 200: waitlistResponse, ...errorResponses } } },
    async (request) => {
      const { id, appointmentId } = request.params;
      return leaveWaitlistFor(db, requireActor(request), auditContextOf(request), id, appointmentId);
    },
  );

  r.get(
    '/api/patients/:id/waitlist/offers',
    { schema: { tags, params: patientParams, response: { 200: waitlistOfferListResponse, ...errorResponses } } },
    async (request) => listOffersFor(db, requireActor(request), auditContextOf(request), request.params.id),
  );

  r.post(
    '/api/patients/:id/waitlist/offers/:offerId/accept',
    { schema: { tags, params: offerParams, body: emptyBody, response: { 201: appointmentView, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const deps2 = { db, publicUrl: deps.config.publicUrl };
      const answer = await acceptOfferFor(
        deps2,
        actor,
        auditContextOf(request),
        request.params.id,
        request.params.offerId,
        idempotencyOf(request),
      );
      if (!answer.replayed) deps.kickMail();
      return reply.status(201).send(answer.body);
    },
  );

  r.get(
    checkInUrl,
    { schema: { tags, params: appointmentParams, response: { 200: checkInFormResponse, ...errorResponses } } },
    async (request) => {
      const { id, appointmentId } = request.params;
      return getCheckInFormFor(db, requireActor(request), auditContextOf(request), id, appointmentId);
    },
  );

  r.post(
    checkInUrl,
    { schema: { tags, params: appointmentParams, body: checkInBody, response: { 201: appointmentView, ...errorResponses } } },
    async (request, reply) => {
      const { id, appointmentId } = request.params;
      const view = await checkInFor(db, requireActor(request), auditContextOf(request), id, appointmentId, request.body);
      return reply.status(201).send(view);
    },
  );
}
