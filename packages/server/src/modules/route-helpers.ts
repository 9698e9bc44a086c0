import type { FastifyRequest } from 'fastify';
import { errorResponse } from '@portico/shared';
import { negotiateLocale } from '@portico/shared/i18n';
import { auditContextOf } from '../plugins/session.ts';
import type { ClientInfo } from './auth/auth.deps.ts';

/** The error answers every route declares, so OpenAPI shows them and nothing undeclared leaks. */
export const errorResponses = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
  413: errorResponse,
  415: errorResponse,
  429: errorResponse,
  500: errorResponse,
} as const;

/** The request facts identity and audit need. */
export function clientOf(request: FastifyRequest): ClientInfo {
  const agent = request.headers['user-agent'];
  return {
    audit: auditContextOf(request),
    userAgent: typeof agent === 'string' ? agent : null,
    locale: negotiateLocale(request.headers['accept-language']),
  };
}
