import pino from 'pino';
import { buildApp } from './app.ts';
import { loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { assertDurableDatabase } from './db/durability.ts';
import { migrateDatabase } from './db/migrate.ts';
import { demoActivation, demoPassword, demoSignIns, demoSpanishSpeaker, demoTotpSecret } from './demo/demo-accounts.ts';
import { isDemoSeeded, seedDemoData } from './demo/demo-seed.ts';
import { demoProviderToken } from './demo/outside-practice.ts';
import { startAuditSealer } from './modules/audit/audit.sealer.ts';
import { createMailTransport } from './modules/mail/mail.transport.ts';
import { startOutboxWorker } from './modules/mail/outbox.worker.ts';
import { createFileAttachmentStore } from './modules/messaging/attachment-store.ts';
import { startAttachmentSweeper } from './modules/messaging/attachment-sweeper.ts';
import { createSmsSender } from './modules/notifications/sms.sender.ts';
import { startProxyAgeJob } from './modules/proxies/proxy-age-job.ts';
import { startSponsorValidationJob } from './modules/sponsors/sponsor-validation-job.ts';
import { startReminderJob } from './modules/scheduling/reminders.ts';
import { loggerOptions } from './plugins/logging.ts';

function printBanner(config: Config, seeded: boolean): void {
  const lines = [`\n  Portico is running at ${config.publicUrl}`, `  API docs: ${config.publicUrl}/api/docs`];
  if (config.demo) {
    lines.push(
      `  Demo mailbox: ${config.publicUrl}/dev/mailbox`,
      `\n  Demo sign-ins (password ${demoPassword})${seeded ? ', created just now' : ''}:`,
    );
    for (const s of demoSignIns) lines.push(`    ${s.username.padEnd(14)} ${s.role.padEnd(17)} ${s.description}`);
    lines.push(`    ${demoSpanishSpeaker.padEnd(14)} ${'patient'.padEnd(15)} reads the portal and gets emails in Spanish (same password)`);
    lines.push(`  Staff sign-ins need a second factor: TOTP secret ${demoTotpSecret} (base32), or an emailed code.`);
    const a = demoActivation;
    lines.push(`  To try sign-up: ${a.givenName} ${a.familyName}, born ${a.birthDate}, MRN ${a.mrn}, activation code ${a.code}.`);
    const pt = demoProviderToken;
    lines.push(`  MyPatients: dr.adeyemi chooses "Validate a token" with token ${pt.code} and MRN ${pt.mrn} (issued by the patient).`);
  }
  console.log(`${lines.join('\n')}\n`);
}

/** Starts Portico: config, database, migrations, demo data, HTTP server, outbox worker, upload sweeper, graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino(loggerOptions(config.logLevel) as pino.LoggerOptions);
  const database = await openDatabase(config.database);
  await migrateDatabase(database);
  const stopAuditSealer = startAuditSealer(database.db, { log });
  if (config.env === 'production') await assertDurableDatabase(database.db);
  let seeded = false;
  if (config.demo && !(await isDemoSeeded(database.db))) {
    log.info('creating demo data');
    await seedDemoData(database.db, { now: new Date() });
    seeded = true;
  }
  const transport = createMailTransport(config, database.db);
  let kick = () => undefined as void;
  const app = await buildApp({ config, database, kickMail: () => kick(), logger: loggerOptions(config.logLevel) });
  const sms = createSmsSender(config, { info: (message) => app.log.info(message) });
  const worker = startOutboxWorker(database.db, { email: transport, sms }, app.log);
  kick = () => worker.kick();
  const sweeper = startAttachmentSweeper(database.db, createFileAttachmentStore(config.attachmentsDir), app.log);
  const reminders = startReminderJob(database.db, config.publicUrl, app.log, () => worker.kick());
  const ageRules = startProxyAgeJob(database.db, config.publicUrl, app.log, () => worker.kick());
  const sponsorValidations = startSponsorValidationJob(database.db, config.publicUrl, app.log, () => worker.kick());
  await app.listen({ port: config.port, host: config.host });
  printBanner(config, seeded);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await worker.stop();
    await sweeper.stop();
    await reminders.stop();
    await ageRules.stop();
    await sponsorValidations.stop();
    await stopAuditSealer();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
