/** The patient's appointments and self-scheduling (issue 5 §2): /api/patients/:id/appointments/*, …/scheduling/*. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  appointmentListQuery,
  appointmentListResponse,
  appointmentView,
  bookingBody,
  daySlotsQuery,
  daySlotsResponse,
  idParams,
  nextAvailableQuery,
  nextAvailableResponse,
  openDaysQuery,
  openDaysResponse,
  rescheduleBody,
  schedulingOptionsResponse,
  slotListResponse,
  slotQuery,
  uuid,
} from '@portico/shared';
import { auditContextOf, localeOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { idempotencyOf } from '../idempotency/idempotency.ts';
import { errorResponses } from '../route-helpers.ts';
import {
  bookAppointment,
  cancelAppointment,
  getAppointment,
  getAppointmentCalendar,
  listAppointments,
  rescheduleAppointment,
} from './appointments.service.ts';
import { getSchedulingOptions, listSlots } from './scheduling-options.service.ts';
import { getDaySlots, getNextAvailable, getOpenDays } from './slot-search.service.ts';

const tags = ['appointments'];
const appointmentParams = z.object({ id: uuid, appointmentId: uuid });

/** Registers the appointment routes; changes take an `Idempotency-Key`. */
export function registerAppointmentRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/patients/:id/appointments',
    {
      schema: { tags, params: idParams, querystring: appointmentListQuery, response: { 200: appointmentListResponse, ...errorResponses } },
    },
    async (request) => listAppointments(deps, requireActor(request), auditContextOf(request), request.params.id, request.query),
  );

  r.get(
    '/api/patients/:id/appointments/:appointmentId',
    { schema: { tags, params: appointmentParams, response: { 200: appointmentView, ...errorResponses } } },
    async (request) =>
      getAppointment(deps, requireActor(request), auditContextOf(request), request.params.id, request.params.appointmentId),
  );

  r.get(
    '/api/patients/:id/appointments/:appointmentId/calendar',
    { schema: { tags, params: appointmentParams, response: { 200: z.string(), ...errorResponses } } },
    async (request, reply) => {
      const { id, appointmentId } = request.params;
      const text = await getAppointmentCalendar(deps, requireActor(request), auditContextOf(request), id, appointmentId, localeOf(request));
      return reply.type('text/calendar; charset=utf-8').header('Content-Disposition', 'attachment; filename="appointment.ics"').send(text);
    },
  );

  r.get(
    '/api/patients/:id/scheduling/options',
    { schema: { tags, params: idParams, response: { 200: schedulingOptionsResponse, ...errorResponses } } },
    async (request) => getSchedulingOptions(deps, requireActor(request), auditContextOf(request), request.params.id),
  );

  r.get(
    '/api/patients/:id/scheduling/slots',
    { schema: { tags, params: idParams, querystring: slotQuery, response: { 200: slotListResponse, ...errorResponses } } },
    async (request) => listSlots(deps, requireActor(request), auditContextOf(request), request.params.id, request.query),
  );

  r.get(
    '/api/patients/:id/scheduling/day-slots',
    { schema: { tags, params: idParams, querystring: daySlotsQuery, response: { 200: daySlotsResponse, ...errorResponses } } },
    async (request) => getDaySlots(deps, requireActor(request), auditContextOf(request), request.params.id, request.query),
  );

  r.get(
    '/api/patients/:id/scheduling/open-days',
    { schema: { tags, params: idParams, querystring: openDaysQuery, response: { 200: openDaysResponse, ...errorResponses } } },
    async (request) => getOpenDays(deps, requireActor(request), auditContextOf(request), request.params.id, request.query),
  );

  r.get(
    '/api/patients/:id/scheduling/next-available',
    { schema: { tags, params: idParams, querystring: nextAvailableQuery, response: { 200: nextAvailableResponse, ...errorResponses } } },
    async (request) => getNextAvailable(deps, requireActor(request), auditContextOf(request), request.params.id, request.query),
  );

  r.post(
    '/api/patients/:id/appointments',
    { schema: { tags, params: idParams, body: bookingBody, response: { 201: appointmentView, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const idempotency = idempotencyOf(request);
      const answer = await bookAppointment(deps, actor, auditContextOf(request), request.params.id, request.body, idempotency);
      return reply.status(201).send(answer.body);
    },
  );

  r.post(
    '/api/patients/:id/appointments/:appointmentId/cancel',
    { schema: { tags, params: appointmentParams, response: { 200: appointmentView, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const idempotency = idempotencyOf(request);
      const { id, appointmentId } = request.params;
      const answer = await cancelAppointment(deps, actor, auditContextOf(request), id, appointmentId, idempotency);
      return reply.status(200).send(answer.body);
    },
  );

  r.post(
    '/api/patients/:id/appointments/:appointmentId/reschedule',
    { schema: { tags, params: appointmentParams, body: rescheduleBody, response: { 201: appointmentView, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const idempotency = idempotencyOf(request);
      const target = { patientId: request.params.id, appointmentId: request.params.appointmentId };
      const answer = await rescheduleAppointment(deps, actor, auditContextOf(request), target, request.body, idempotency);
      return reply.status(201).send(answer.body);
    },
  );
}
