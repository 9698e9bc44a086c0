import { loadConfig } from '../config.ts';
import { openDatabase } from './client.ts';
import { migrateDatabase } from './migrate.ts';

/** `npm run db:migrate`: applies pending migrations to the configured database and exits. */
const handle = await openDatabase(loadConfig().database);
try {
  await migrateDatabase(handle);
  console.log('Migrations applied.');
} finally {
  await handle.close();
}
