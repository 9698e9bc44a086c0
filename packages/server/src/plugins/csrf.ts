import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for state-changing API requests (OWASP CSRF cheat sheet: custom request header + Origin check).
 * A cross-site form cannot set a custom header, and a cross-site fetch with one needs a CORS preflight we never grant.
 */
export function registerCsrfGuard(app: FastifyInstance, publicUrl: string): void {
  const publicOrigin = new URL(publicUrl).origin;
  app.addHook('onRequest', (request, _reply, done) => {
    if (safeMethods.has(request.method) || !request.url.startsWith('/api/')) return done();
    if (request.headers['x-requested-with'] !== 'portico') {
      return done(new AppError(403, 'csrf_failed', 'The request is missing the X-Requested-With: portico header.'));
    }
    const origin = request.headers.origin;
    if (origin && origin !== publicOrigin && origin !== `${request.protocol}://${request.host}`) {
      return done(new AppError(403, 'csrf_failed', 'The request came from another site.'));
    }
    done();
  });
}
