import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { portalRulesBody, portalRulesView } from '@portico/shared';
import type { Database } from '../../db/client.ts';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import { errorResponses } from '../route-helpers.ts';
import { changePortalRules, getPortalRules } from './portal-rules.service.ts';

const tags = ['organization settings'];

/** The organization's portal rules (issue 11 §1): GET and PUT /api/admin/portal-rules, for administrators. */
export function registerOrganizationSettingsRoutes(app: FastifyInstance, db: Database): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/admin/portal-rules',
    { schema: { tags, summary: 'Your organization’s portal rules (admin)', response: { 200: portalRulesView, ...errorResponses } } },
    async (request) => getPortalRules(db, requireActor(request)),
  );

  r.put(
    '/api/admin/portal-rules',
    {
      schema: {
        tags,
        summary: 'Set the portal rules (admin)',
        description:
          'From what age a patient may open their own portal account (12 or 13, on the organization’s calendar day), and whether nurses mark patients arrived. Both are sent; the change is audited.',
        body: portalRulesBody,
        response: { 200: portalRulesView, ...errorResponses },
      },
    },
    async (request) => changePortalRules(db, requireActor(request), auditContextOf(request), request.body),
  );
}
