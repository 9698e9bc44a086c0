/**
 * The bench's floors: a bare Fastify route that does the least an audited read must do, on the app's own database, in
 * its own process. `/select` runs one prepared statement; `/audited` runs one prepared read and one durable insert (its
 * own commit, as an audit event is), so it shows the ceiling of any audited request on this machine. DATABASE_URL names
 * the database, PORT the port; the scratch table is dropped on SIGTERM.
 */
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(
  'create table if not exists bench_floor_events (id bigserial primary key, at timestamptz not null default now(), body jsonb)',
);
const app = Fastify({ logger: false });
app.get('/select', async () => (await pool.query({ name: 'floor_select', text: 'select 1 as one' })).rows[0]);
app.get('/audited', async () => {
  const { rows } = await pool.query<{ one: number }>({ name: 'floor_select', text: 'select 1 as one' });
  await pool.query({ name: 'floor_insert', text: 'insert into bench_floor_events (body) values ($1)', values: [{ action: 'bench' }] });
  return rows[0];
});
await app.listen({ port: Number(process.env.PORT ?? 3997), host: '127.0.0.1' });
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => pool.query('drop table if exists bench_floor_events'))
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
