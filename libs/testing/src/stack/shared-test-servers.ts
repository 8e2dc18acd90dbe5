import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createDataSource, openDataSource } from '@continuum/data';
import { startTestPostgres, type EmbeddedPostgresHandle } from './embedded-postgres';
import type { TemporalDevServerHandle } from './temporal-dev-server';
import { ensureJourneyNamespace } from './temporal-server';
import { startTestTemporal, testTemporalEngine, type TemporalEngine } from './test-engine';
import type { SharedTestServers } from './test-servers-env';

export { publishSharedTestServers, sharedTestServers, type SharedTestServers } from './test-servers-env';

const TEMPLATE_DATABASE = 'continuum_template';

/** The run's servers, as the global set-up starts them: one PostgreSQL cluster per test worker. */
export interface TestRunServers {
  /** Maintenance database (`postgres`) of each cluster; test worker N uses cluster N - 1. */
  postgresUrls: string[];
  templateDatabase: string;
  temporalAddress: string;
  stop(): Promise<void>;
}

/** A cluster with its migrated template database. */
async function startTemplateCluster(dir: string): Promise<EmbeddedPostgresHandle> {
  const postgres = await startTestPostgres(dir);
  try {
    const templateUrl = await postgres.createDatabase(TEMPLATE_DATABASE);
    const migrated = await openDataSource(templateUrl, { applicationName: 'continuum-test-template', runMigrations: true, poolSize: 1 });
    await migrated.destroy();
    return postgres;
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}

/**
 * Starts `clusters` PostgreSQL clusters and one Temporal side by side: the dev server, or with
 * `TEMPORAL_ENGINE=server` the real server (on a PostgreSQL cluster of its own, apart from the
 * tests'). A cluster per test worker, because a cluster's sessions (`pg_stat_activity`) are visible
 * to every database on it: files that count or end their listener connections by application name
 * must not meet another file's. Files of one worker run one after another, so they never overlap.
 */
export async function startSharedTestServers(dir: string, clusters = 1, engine: TemporalEngine = testTemporalEngine()): Promise<TestRunServers> {
  const started: Array<{ stop(): Promise<void> }> = [];
  const stopAll = () => Promise.all(started.map((server) => server.stop().catch(() => undefined))).then(() => undefined);
  const track = <T extends { stop(): Promise<void> }>(server: T) => (started.push(server), server);
  const results = await Promise.allSettled([
    startTestTemporal(join(dir, 'temporal'), engine).then(track),
    ...Array.from({ length: Math.max(1, clusters) }, (_, index) => startTemplateCluster(join(dir, `postgres-${index + 1}`)).then(track)),
  ]);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  const [server, ...postgres] = results.map((result) => (result as PromiseFulfilledResult<{ stop(): Promise<void> }>).value) as [
    TemporalDevServerHandle,
    ...EmbeddedPostgresHandle[],
  ];
  return {
    postgresUrls: postgres.map((cluster) => cluster.url.replace(/\/[^/]+$/, '/postgres')),
    templateDatabase: TEMPLATE_DATABASE,
    temporalAddress: server.address,
    stop: stopAll,
  };
}

export interface IsolatedDatabase {
  url: string;
  /** Ends every session on the database (e.g. a gateway's pool) and refuses new ones: an outage of this database only. */
  cutOff(): Promise<void>;
  drop(): Promise<void>;
}

const uniqueName = (prefix: string) => `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;

async function onMaintenanceDatabase<T>(servers: SharedTestServers, work: (query: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const admin = await createDataSource(servers.postgresUrl, { applicationName: 'continuum-test-admin', poolSize: 1 }).initialize();
  try {
    return await work((sql) => admin.query(sql));
  } finally {
    await admin.destroy();
  }
}

/**
 * A database of this test file's own on the shared cluster: a copy of the migrated template (or an
 * empty one with `{ empty: true }`), dropped at teardown.
 */
export async function createIsolatedDatabase(servers: SharedTestServers, options: { prefix?: string; empty?: boolean } = {}): Promise<IsolatedDatabase> {
  const name = uniqueName(options.prefix ?? 'test');
  await onMaintenanceDatabase(servers, (query) => query(options.empty ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${servers.templateDatabase}`));
  const url = servers.postgresUrl.replace(/\/postgres$/, `/${name}`);
  return {
    url,
    cutOff: () =>
      onMaintenanceDatabase(servers, async (query) => {
        await query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
        await query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
      }),
    drop: () => onMaintenanceDatabase(servers, (query) => query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * A namespace of this test file's own on the shared Temporal, with the journeys' search
 * attributes registered; it is ready when the server lists them.
 */
export async function createIsolatedNamespace(address: string): Promise<string> {
  const namespace = uniqueName('test').replace(/_/g, '-');
  await ensureJourneyNamespace(address, namespace, 24 * 3_600_000);
  return namespace;
}
