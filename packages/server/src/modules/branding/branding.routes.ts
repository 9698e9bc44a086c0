import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { adminBrandingView, brandingBody, brandingLimits, brandingView } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import { can } from '../access/access.policy.ts';
import { errorResponses } from '../route-helpers.ts';
import {
  getAdminBranding,
  getAdminLogo,
  getPublicBranding,
  getPublicLogo,
  logoVersionOf,
  removeBrandingLogo,
  saveBranding,
  saveBrandingLogo,
  type LogoFile,
} from './branding.service.ts';

const tags = ['branding'];
/** The image's bytes, as stored. */
const imageResponse = z.instanceof(Buffer).describe('The logo: image/png or image/jpeg.');
const logoQuery = z.object({ v: z.string().max(64).optional() });

function declaredTypeOf(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * What the logo upload checks before reading the body: a signed-in user (401), an administrator (403), and a declared
 * type a logo may have (415: SVG and anything else is refused before a byte is read). The bytes are checked after.
 */
function logoUploadGuard(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  try {
    if (!can(requireActor(request), 'organization.brand')) {
      throw new AppError(403, 'forbidden', 'Only an administrator can change the organization’s branding.');
    }
    if (!(brandingLimits.logoTypes as readonly string[]).includes(declaredTypeOf(request))) {
      throw new AppError(415, 'unsupported_media_type', 'Send the logo itself as image/png or image/jpeg; SVG is not accepted.', 'logo');
    }
  } catch (error) {
    done(error as Error);
    return;
  }
  done();
}

/** Sends a logo: its sniffed type, nosniff, an ETag from its hash, and 304 when the browser has it already. */
function sendLogo(request: FastifyRequest, reply: FastifyReply, logo: LogoFile, cacheControl: string) {
  const etag = `"${logo.sha256}"`;
  reply
    .header('Content-Type', logo.type)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Disposition', `inline; filename="logo.${logo.type === 'image/jpeg' ? 'jpg' : 'png'}"`)
    .header('ETag', etag)
    .header('Cache-Control', cacheControl);
  const match = request.headers['if-none-match'];
  if (typeof match === 'string' && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return reply.code(304).send();
  }
  return reply.send(logo.bytes);
}

/**
 * Organization branding (issue 10 §2): GET /api/branding and /api/branding/logo for everyone (the sign-in page), and
 * /api/admin/branding for administrators: read, PUT name and colour, PUT or DELETE the logo.
 */
export function registerBrandingRoutes(app: FastifyInstance, db: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/branding',
    { schema: { tags, summary: 'The organization’s name, colour and logo (public)', response: { 200: brandingView, ...errorResponses } } },
    async () => getPublicBranding(db),
  );

  r.get(
    '/api/branding/logo',
    {
      config: { publicCache: true },
      schema: {
        tags,
        summary: 'The organization’s logo (public)',
        description: 'With `v` of the current version (as GET /api/branding gives it) the answer may be cached for a year.',
        querystring: logoQuery,
        response: { 200: imageResponse, 304: z.null().describe('Not modified'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const logo = await getPublicLogo(db);
      // A versioned URL never changes its image; any other may, so the browser asks again (cheaply, with the ETag).
      const current = request.query.v === logoVersionOf(logo.sha256);
      return sendLogo(request, reply, logo, current ? 'public, max-age=31536000, immutable' : 'public, no-cache');
    },
  );

  r.get(
    '/api/admin/branding',
    { schema: { tags, summary: 'Your organization’s branding (admin)', response: { 200: adminBrandingView, ...errorResponses } } },
    async (request) => getAdminBranding(db, requireActor(request)),
  );

  r.put(
    '/api/admin/branding',
    {
      schema: {
        tags,
        summary: 'Set the name and primary colour (admin)',
        description: 'The colour must reach 4.5:1 against white (WCAG AA); a 400 naming `primaryColor` says what it reaches.',
        body: brandingBody,
        response: { 200: adminBrandingView, ...errorResponses },
      },
    },
    async (request) => saveBranding(db, requireActor(request), auditContextOf(request), request.body),
  );

  r.get(
    '/api/admin/branding/logo',
    { schema: { tags, querystring: logoQuery, response: { 200: imageResponse, 304: z.null(), ...errorResponses } } },
    async (request, reply) => sendLogo(request, reply, await getAdminLogo(db, requireActor(request)), 'no-store'),
  );

  r.put(
    '/api/admin/branding/logo',
    {
      config: { acceptsFile: true },
      bodyLimit: brandingLimits.logoMaxBytes,
      onRequest: logoUploadGuard,
      schema: {
        tags,
        summary: 'Set the logo (admin)',
        description: 'The image itself as the body, image/png or image/jpeg, at most 200 KB and 1024 pixels a side; metadata is removed.',
        response: { 200: adminBrandingView, ...errorResponses },
      },
    },
    async (request) => {
      const body: unknown = request.body;
      const upload = { bytes: Buffer.isBuffer(body) ? body : Buffer.alloc(0), declaredType: declaredTypeOf(request) };
      return saveBrandingLogo(db, requireActor(request), auditContextOf(request), upload);
    },
  );

  r.delete(
    '/api/admin/branding/logo',
    { schema: { tags, summary: 'Remove the logo (admin)', response: { 200: adminBrandingView, ...errorResponses } } },
    async (request) => removeBrandingLogo(db, requireActor(request), auditContextOf(request)),
  );
}
