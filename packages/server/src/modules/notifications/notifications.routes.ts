import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { notificationPreferencesBody, notificationSettingsResponse } from '@portico/shared';
import { auditContextOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { errorResponses } from '../route-helpers.ts';
import { getNotificationSettings, updateNotificationSettings } from './notifications.service.ts';

const tags = ['notifications'];

/** The signed-in user's notification choices: /api/account/notifications. */
export function registerNotificationRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/account/notifications',
    { schema: { tags, response: { 200: notificationSettingsResponse, ...errorResponses } } },
    async (request) => getNotificationSettings(deps.db, requireActor(request), auditContextOf(request)),
  );

  r.put(
    '/api/account/notifications',
    { schema: { tags, body: notificationPreferencesBody, response: { 200: notificationSettingsResponse, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      const { preferences, mobilePhone } = request.body;
      return updateNotificationSettings(deps.db, actor, auditContextOf(request), preferences, mobilePhone);
    },
  );
}
