import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { limits } from '@portico/shared';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import { registerActivityRoutes } from './modules/activity/activity.routes.ts';
import { registerAuthRoutes } from './modules/auth/auth.routes.ts';
import { registerBrandingRoutes } from './modules/branding/branding.routes.ts';
import { registerCareTeamRoutes } from './modules/care-team/care-team.routes.ts';
import { registerImportRoutes } from './modules/fhir-import/import.routes.ts';
import { registerDevMailboxRoutes } from './modules/mail/dev-mailbox.routes.ts';
import { registerAttachmentRoutes } from './modules/messaging/attachments.routes.ts';
import { registerInboxRoutes } from './modules/messaging/inbox.routes.ts';
import { registerPatientMessageRoutes } from './modules/messaging/patient-messages.routes.ts';
import { registerOrganizationSettingsRoutes } from './modules/organization-settings/portal-rules.routes.ts';
import { registerNotificationRoutes } from './modules/notifications/notifications.routes.ts';
import { registerPatientRoutes } from './modules/patients/patients.routes.ts';
import { registerProviderRegistrationRoutes } from './modules/provider-registrations/provider-registrations.routes.ts';
import { registerSponsorRoutes } from './modules/sponsors/sponsors.routes.ts';
import { registerMyPatientsRoutes } from './modules/mypatients/mypatients.routes.ts';
import { registerSupportRoutes } from './modules/support/support.routes.ts';
import { registerProxyConsoleRoutes } from './modules/proxy-console/proxy-console.routes.ts';
import { registerProxyRoutes } from './modules/proxies/proxies.routes.ts';
import { registerRecordExportRoutes } from './modules/record/export/record-export.routes.ts';
import { registerRecordRoutes } from './modules/record/record.routes.ts';
import { registerResultRoutes } from './modules/record/results.routes.ts';
import { registerRefillRoutes } from './modules/refills/refills.routes.ts';
import { registerAppointmentRoutes } from './modules/scheduling/appointments.routes.ts';
import { registerVisitTypeRoutes } from './modules/scheduling/visit-types.routes.ts';
import { registerScheduleRoutes } from './modules/scheduling/schedule.routes.ts';
import { registerSchedulingPatientRoutes } from './modules/scheduling/scheduling-patient.routes.ts';
import { registerShareLinkRoutes } from './modules/share-links/share-links.routes.ts';
import { registerSignupRoutes } from './modules/signup/signup.routes.ts';
import { registerSystemRoutes } from './modules/system/system.routes.ts';
import { registerCsrfGuard } from './plugins/csrf.ts';
import { registerErrorHandler } from './plugins/error-handler.ts';
import { registerJsonBodyParser } from './plugins/json-body.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { registerSessionHook, sessionCookieSettings } from './plugins/session.ts';
import { loggerOptions } from './plugins/logging.ts';
import { registerWebApp } from './plugins/web-app.ts';

/** What the app is built from; tests pass their own database and a logger level. */
export interface AppDependencies {
  config: Config;
  database: DatabaseHandle;
  /** Nudges mail delivery after a commit; main.ts wires the outbox worker here. */
  kickMail?: () => void;
  logger?: FastifyServerOptions['logger'];
}

const defaultWebDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Builds the Fastify app with every plugin and feature registered; it never listens (tests call app.inject). */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config } = deps;
  const db = deps.database.db;
  const app = Fastify({
    logger: deps.logger ?? loggerOptions(config.logLevel),
    genReqId: () => randomUUID(),
    bodyLimit: limits.bodyLimitBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    trustProxy: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerJsonBodyParser(app);
  registerSecurityHeaders(app, { https: config.publicUrl.startsWith('https://') });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Portico API', version: '0.1.0', description: 'Patient portal and community-provider portal API.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: sessionCookieSettings(config.publicUrl).name } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: false });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  await app.register(fastifyCookie);
  const cookie = sessionCookieSettings(config.publicUrl);
  registerSessionHook(app, db, cookie);
  registerCsrfGuard(app, config.publicUrl);

  // The API surface, in one place (STYLE.md).
  const authDeps = { db, config, kickMail: deps.kickMail ?? (() => undefined) };
  registerSystemRoutes(app, db);
  registerAuthRoutes(app, authDeps, cookie);
  registerSignupRoutes(app, authDeps);
  registerPatientRoutes(app, db);
  registerResultRoutes(app, authDeps);
  registerRecordRoutes(app, db);
  registerRecordExportRoutes(app, db);
  registerImportRoutes(app, authDeps);
  registerPatientMessageRoutes(app, authDeps);
  registerAttachmentRoutes(app, authDeps);
  registerInboxRoutes(app, authDeps);
  registerRefillRoutes(app, authDeps);
  registerNotificationRoutes(app, authDeps);
  registerAppointmentRoutes(app, authDeps);
  registerVisitTypeRoutes(app, authDeps);
  registerSchedulingPatientRoutes(app, authDeps);
  registerScheduleRoutes(app, authDeps);
  registerBrandingRoutes(app, db);
  registerOrganizationSettingsRoutes(app, db);
  registerProxyRoutes(app, authDeps);
  registerActivityRoutes(app, db);
  registerProxyConsoleRoutes(app, authDeps);
  registerShareLinkRoutes(app, authDeps);
  registerProviderRegistrationRoutes(app, authDeps);
  registerSponsorRoutes(app, authDeps);
  registerSupportRoutes(app, authDeps);
  registerMyPatientsRoutes(app, authDeps);
  registerCareTeamRoutes(app, authDeps);
  if (config.demo) registerDevMailboxRoutes(app, db);

  const webDist = config.webDist ?? defaultWebDist;
  await registerWebApp(app, webDist);
  return app;
}
