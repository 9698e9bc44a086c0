import { defineConfig } from 'drizzle-kit';

/** drizzle-kit reads the schema and writes SQL migrations beside it; the app applies them at start. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/server/src/db/schema/index.ts',
  out: './packages/server/src/db/migrations',
});
