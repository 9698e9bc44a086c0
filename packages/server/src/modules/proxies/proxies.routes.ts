import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  idParams,
  okResponse,
  proxyInvitationAcceptBody,
  proxyInvitationAcceptResponse,
  proxyInvitationBody,
  proxyInvitationPreviewBody,
  proxyInvitationPreviewResponse,
  proxyInvitationResponse,
  proxyInvitationSignUpBody,
  proxyInvitationSignUpResponse,
  revokeSharingBody,
  sensitiveSharingBody,
  sharingEntryView,
  sharingResponse,
  uuid,
} from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { clientOf, errorResponses } from '../route-helpers.ts';
import {
  acceptProxyInvitation,
  cancelPatientInvitation,
  createInvitation,
  previewInvitation,
  signUpWithInvitation,
} from './invitations.service.ts';
import { getSharing, revokeSharing, setSensitiveSharing } from './sharing.service.ts';

const tags = ['sharing'];
const grantParams = z.object({ id: uuid, grantId: uuid });
const invitationParams = z.object({ id: uuid, invitationId: uuid });

/** Family access (issue 11 §1-2): proxy invitations, the Sharing and privacy list, revocation, sensitive consents. */
export function registerProxyRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/patients/:id/sharing',
    {
      schema: {
        tags,
        summary: 'Everyone besides the care team who can see the record',
        params: idParams,
        response: { 200: sharingResponse, ...errorResponses },
      },
    },
    async (request) => getSharing(deps, requireActor(request), auditContextOf(request), request.params.id),
  );

  r.delete(
    '/api/patients/:id/sharing/:grantId',
    {
      schema: {
        tags,
        summary: 'End someone’s access now',
        params: grantParams,
        body: revokeSharingBody.nullish(),
        response: { 200: okResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { id, grantId } = request.params;
      await revokeSharing(deps, requireActor(request), auditContextOf(request), id, grantId, request.body?.reason);
      return { ok: true as const };
    },
  );

  r.put(
    '/api/patients/:id/sharing/:grantId/sensitive',
    {
      schema: {
        tags,
        summary: 'The sensitive categories shared with this person',
        params: grantParams,
        body: sensitiveSharingBody,
        response: { 200: sharingEntryView, ...errorResponses },
      },
    },
    async (request) => {
      const { id, grantId } = request.params;
      return setSensitiveSharing(deps, requireActor(request), auditContextOf(request), id, grantId, request.body.categories);
    },
  );

  r.post(
    '/api/patients/:id/proxy-invitations',
    {
      schema: {
        tags,
        summary: 'Invite an adult to act for the patient',
        params: idParams,
        body: proxyInvitationBody,
        response: { 201: proxyInvitationResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const invitation = await createInvitation(deps, requireActor(request), auditContextOf(request), request.params.id, request.body);
      return reply.code(201).send({ invitation });
    },
  );

  r.delete(
    '/api/patients/:id/proxy-invitations/:invitationId',
    {
      schema: {
        tags,
        summary: 'Cancel an invitation still waiting',
        params: invitationParams,
        response: { 200: okResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { id, invitationId } = request.params;
      await cancelPatientInvitation(deps, requireActor(request), auditContextOf(request), id, invitationId);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/proxy-invitations/preview',
    {
      schema: {
        tags,
        summary: 'What an invitation offers (no sign-in)',
        body: proxyInvitationPreviewBody,
        response: { 200: proxyInvitationPreviewResponse, ...errorResponses },
      },
    },
    async (request) => previewInvitation(deps, request.body.token),
  );

  r.post(
    '/api/proxy-invitations/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invitation with the patient’s date of birth',
        body: proxyInvitationAcceptBody,
        response: { 200: proxyInvitationAcceptResponse, ...errorResponses },
      },
    },
    async (request) => acceptProxyInvitation(deps, requireActor(request), auditContextOf(request), request.body),
  );

  r.post(
    '/api/proxy-invitations/sign-up',
    {
      schema: {
        tags,
        summary: 'Open an account with an invitation and accept it (no sign-in)',
        body: proxyInvitationSignUpBody,
        response: { 201: proxyInvitationSignUpResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { username } = await signUpWithInvitation(deps, clientOf(request), request.body);
      return reply.code(201).send({ status: 'account_created' as const, username });
    },
  );
}
