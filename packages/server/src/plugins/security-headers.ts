import type { FastifyInstance } from 'fastify';

/** CSP without 'unsafe-inline' (SECURITY.md "Headers"); swagger-ui at /api/docs needs no inline script with this build. */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route answers public content that holds nothing about anyone (the organization's logo) and sets its own
     * Cache-Control; every other /api answer is no-store.
     */
    publicCache?: boolean;
  }
}

/**
 * Sets the security headers on every answer, and no-store on everything under /api (patient data is never cached) but a
 * `publicCache` route's own Cache-Control.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { https: boolean }): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('Content-Security-Policy', contentSecurityPolicy);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    reply.header('X-Request-Id', request.id);
    if (options.https) reply.header('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    const ownCache = request.routeOptions.config.publicCache === true && reply.hasHeader('Cache-Control');
    if ((request.url.startsWith('/api/') || request.url.startsWith('/dev/')) && !ownCache) reply.header('Cache-Control', 'no-store');
    return payload;
  });
}
