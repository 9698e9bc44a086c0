import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  appointmentStatusBody,
  appointmentStatusResponse,
  clinicianDirectoryResponse,
  ownScheduleResponse,
  scheduleQuery,
  scheduleResponse,
  uuid,
} from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { errorResponses } from '../route-helpers.ts';
import { getOwnScheduleFor, getScheduleFor, listCliniciansFor, setAppointmentStatusFor } from './schedule.service.ts';

const tags = ['schedule'];
const appointmentParams = z.object({ appointmentId: uuid });

/** The care team's schedule: day and week views, the one the page opens on, and status changes (issue 5 §1, issue 10 §5.6-7). */
export function registerScheduleRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get(
    '/api/schedule',
    { schema: { tags, querystring: scheduleQuery, response: { 200: scheduleResponse, ...errorResponses } } },
    async (request) => getScheduleFor(db, requireActor(request), auditContextOf(request), request.query),
  );

  r.get('/api/schedule/own', { schema: { tags, response: { 200: ownScheduleResponse, ...errorResponses } } }, async (request) =>
    getOwnScheduleFor(db, requireActor(request)),
  );

  r.get(
    '/api/schedule/clinicians',
    { schema: { tags, response: { 200: clinicianDirectoryResponse, ...errorResponses } } },
    async (request) => listCliniciansFor(db, requireActor(request)),
  );

  r.post(
    '/api/schedule/appointments/:appointmentId/status',
    {
      schema: {
        tags,
        params: appointmentParams,
        body: appointmentStatusBody,
        response: { 200: appointmentStatusResponse, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const answer = await setAppointmentStatusFor(
        db,
        deps.config.publicUrl,
        actor,
        auditContextOf(request),
        request.params.appointmentId,
        request.body.status,
      );
      deps.kickMail();
      return { id: answer.id, status: request.body.status };
    },
  );
}
