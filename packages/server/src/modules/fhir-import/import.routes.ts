import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errorResponse } from '@portico/shared';
import { FhirError, operationOutcome } from '@portico/fhir';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { forbidden } from '../../errors.ts';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import { organizationFor } from '../access/access.policy.ts';
import { errorResponses } from '../route-helpers.ts';
import { importBundle } from './import.service.ts';
import { resultFollowUp } from './import-follow-up.ts';

const tags = ['fhir'];

/** Largest Bundle the endpoint takes; a patient's whole history from an EHR runs to a few megabytes. */
export const maxBundleBytes = 64 * 1024 * 1024;

const outcomeSchema = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(
    z.looseObject({
      severity: z.string(),
      code: z.string(),
      diagnostics: z.string().optional(),
      expression: z.array(z.string()).optional(),
    }),
  ),
});
const bundleResponse = z.looseObject({ resourceType: z.literal('Bundle'), type: z.string(), entry: z.array(z.unknown()).optional() });

/** POST /api/fhir: an admin loads a FHIR R4 `transaction` or `batch` Bundle into their organization. */
export function registerImportRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const after = resultFollowUp(deps.config.publicUrl);

  // Untyped reply: the answer is a FHIR Bundle or OperationOutcome, which the zod schemas below describe loosely.
  app.post(
    '/api/fhir',
    {
      bodyLimit: maxBundleBytes,
      schema: {
        tags,
        summary: 'Import a FHIR R4 transaction or batch Bundle (admin)',
        description:
          'A transaction is all or nothing: one bad entry refuses the Bundle with an OperationOutcome naming the entry and path. ' +
          'Importing the same Bundle again changes nothing. Content type application/fhir+json or application/json.',
        body: z.unknown(),
        response: { 200: bundleResponse, ...errorResponses, 400: z.union([outcomeSchema, errorResponse]) },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const body: unknown = request.body;
      const organizationId = organizationFor(actor, 'records.import');
      if (organizationId === null) throw forbidden('Only an administrator can import records.');
      try {
        const outcome = await importBundle(deps.db, { organizationId, bundle: body, audit: auditContextOf(request) }, after);
        if (outcome.created.length > 0) deps.kickMail();
        return await reply.type('application/fhir+json').send(outcome.response);
      } catch (error) {
        if (!(error instanceof FhirError)) throw error;
        // Every FhirError the importer raises is a refusal of the content: 400 (FHIR R4 http.html#transaction).
        return reply.code(400).type('application/fhir+json').send(operationOutcome(error.issues));
      }
    },
  );
}
