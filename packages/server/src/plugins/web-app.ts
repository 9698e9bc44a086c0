import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Paths that belong to machines, not to the web app: the API, FHIR and SMART endpoints (SMART App Launch 2.0:
 * /.well-known/smart-configuration, /metadata, /token), the demo mailbox. An unknown one answers a 404 error, never
 * index.html with 200, so a client probing for an endpoint is not told it exists.
 */
const machinePath = /^\/(?:api|fhir|dev|\.well-known|metadata|token)(?:\/|$)/;

/** True when an unknown path must answer 404 rather than the web app: a machine path, or a file name with an extension. */
export function isMachinePath(pathname: string): boolean {
  return machinePath.test(pathname) || /\.[a-z0-9]+$/i.test(pathname);
}

/** Serves the built web app when there is one: its files, and index.html for client-side routes (/record, /inbox/…). */
export async function registerWebApp(app: FastifyInstance, webDist: string): Promise<void> {
  if (!existsSync(path.join(webDist, 'index.html'))) return;
  await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false, maxAge: '1h' });
  app.get('/', (_request, reply) => reply.header('Cache-Control', 'no-cache').sendFile('index.html'));
  app.get('/*', (request, reply) => {
    if (isMachinePath(request.url.split('?')[0] ?? '')) return reply.callNotFound();
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
}
