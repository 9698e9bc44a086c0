import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { operationOutcome } from '@portico/fhir';
import type { ApiErrorBody, ErrorCode } from '@portico/shared';
import { AppError } from '../errors.ts';

function send(reply: FastifyReply, request: FastifyRequest, status: number, code: ErrorCode, message: string, field?: string) {
  const body: ApiErrorBody = { error: { code, message, requestId: request.id, ...(field ? { field } : {}) } };
  return reply.status(status).type('application/json').send(body);
}

const fastifyCodes: Record<string, [number, ErrorCode, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the request body as application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'The Content-Length header does not match the body.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'bad_request', 'The request body is empty; send a JSON object.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'bad_request', 'The request body is not valid JSON.'],
};

/** One error handler for the API: every failure becomes `{ error: { code, message } }`, never a stack trace or SQL. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) return send(reply, request, error.statusCode, error.code, error.message, error.field);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0];
      const field = first?.instancePath.replace(/^\//, '').replaceAll('/', '.') || undefined;
      const where = field ? `${field}: ` : '';
      return send(reply, request, 400, 'validation_failed', `${where}${first?.message ?? 'Invalid request.'}`, field);
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: { message: error.message } }, 'response did not match its schema');
      return send(reply, request, 500, 'internal_error', 'Something went wrong on our side.');
    }
    const dbCode = (error as { cause?: { code?: unknown } }).cause?.code ?? error.code;
    if (dbCode === '22021' || dbCode === '22P05') {
      return send(reply, request, 400, 'bad_request', 'The request holds text the database cannot store.');
    }
    if (dbCode === '23505') {
      return send(reply, request, 409, 'conflict', 'That conflicts with something saved a moment ago; reload and try again.');
    }
    const known = error.code ? fastifyCodes[error.code] : undefined;
    if (known) return send(reply, request, known[0], known[1], known[2]);
    if (error instanceof SyntaxError || error.statusCode === 400) {
      return send(reply, request, 400, 'bad_request', 'The request could not be read.');
    }
    if (error.statusCode === 429) return send(reply, request, 429, 'too_many_requests', 'Too many requests; wait a moment.');
    request.log.error({ err: { message: error.message, code: error.code, stack: error.stack } }, 'unhandled error');
    return send(reply, request, 500, 'internal_error', 'Something went wrong on our side.');
  });

  app.setNotFoundHandler((request, reply) => {
    if (!/^\/fhir(?:[/?]|$)/.test(request.url)) return send(reply, request, 404, 'not_found', 'No such endpoint.');
    // FHIR clients read errors as OperationOutcome (R4 http.html), also for an endpoint that does not exist.
    const outcome = operationOutcome([{ severity: 'error', code: 'not-found', diagnostics: 'No such FHIR endpoint.' }]);
    return reply.status(404).type('application/fhir+json').send(outcome);
  });
}
