import type { FastifyServerOptions } from 'fastify';

/**
 * pino options: request lines carry method, path (never the query string) and the request id; cookies,
 * authorization and bodies are never logged (SECURITY.md: no patient data, password, code or token in logs).
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    serializers: {
      req(request: { method: string; url: string; id: string }) {
        return { id: request.id, method: request.method, path: request.url.split('?')[0] };
      },
      res(reply: { statusCode: number }) {
        return { statusCode: reply.statusCode };
      },
    },
  };
}
