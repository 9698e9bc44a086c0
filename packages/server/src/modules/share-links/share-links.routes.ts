import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  idParams,
  okResponse,
  sharedOpenBody,
  sharedOpenResponse,
  shareLinkCreateBody,
  shareLinkCreateResponse,
  shareLinkListResponse,
  shareLinkParams,
} from '@portico/shared';
import { auditContextOf, localeOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { errorResponses } from '../route-helpers.ts';
import { createShareLink, downloadSharedLink, listShareLinks, openSharedLink, revokeShareLink } from './share-links.service.ts';

const tags = ['sharing'];
const pdfFile = z.union([z.instanceof(Buffer), z.string()]).describe('The record as application/pdf.');

/** "Share my record" links and the emailed transmit (issue 11 §2). */
export function registerShareLinkRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/patients/:id/share-links',
    {
      schema: {
        tags,
        summary: 'Make a share link (and email it: the transmit); the address and passcode are answered once',
        params: idParams,
        body: shareLinkCreateBody,
        response: { 201: shareLinkCreateResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await createShareLink(deps, requireActor(request), auditContextOf(request), request.params.id, request.body);
      return reply.code(201).send(created);
    },
  );

  r.get(
    '/api/patients/:id/share-links',
    {
      schema: { tags, summary: 'The patient’s share links', params: idParams, response: { 200: shareLinkListResponse, ...errorResponses } },
    },
    async (request) => ({ links: await listShareLinks(deps.db, requireActor(request), auditContextOf(request), request.params.id) }),
  );

  r.delete(
    '/api/patients/:id/share-links/:linkId',
    { schema: { tags, summary: 'Revoke a share link', params: shareLinkParams, response: { 200: okResponse, ...errorResponses } } },
    async (request) => {
      await revokeShareLink(deps.db, requireActor(request), auditContextOf(request), request.params.id, request.params.linkId);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/shared/open',
    {
      schema: {
        tags,
        summary: 'Open a share link with its passcode (no sign-in)',
        body: sharedOpenBody,
        response: { 200: sharedOpenResponse, ...errorResponses },
      },
    },
    async (request) => openSharedLink(deps, auditContextOf(request, null), request.body),
  );

  r.post(
    '/api/shared/download',
    {
      schema: {
        tags,
        summary: 'A download link’s record as a PDF (no sign-in)',
        body: sharedOpenBody,
        response: { 200: pdfFile, ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await downloadSharedLink(deps, auditContextOf(request, null), request.body, localeOf(request));
      return reply
        .header('Content-Type', file.contentType)
        .header('Content-Disposition', `attachment; filename="${file.filename}"`)
        .header('Cache-Control', 'no-store')
        .send(file.body);
    },
  );
}
