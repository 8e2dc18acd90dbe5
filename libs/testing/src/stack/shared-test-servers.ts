import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { JOURNEY_SEARCH_ATTRIBUTES } from '@continuum/contracts';
import { createDataSource, openDataSource } from '@continuum/data';
import { startTestPostgres } from './embedded-postgres';
import { freePort } from './free-port';
import { startTemporalDevServer } from './temporal-dev-server';
import { waitFor } from './wait-for';
import type { SharedTestServers } from './test-servers-env';

export { publishSharedTestServers, sharedTestServers, type SharedTestServers } from './test-servers-env';

const TEMPLATE_DATABASE = 'continuum_template';

/** Starts the cluster (with its migrated template database) and the dev server side by side. */
export async function startSharedTestServers(dir: string, temporalCliPath: string): Promise<SharedTestServers & { stop(): Promise<void> }> {
  const [postgresStart, serverStart] = await Promise.allSettled([
    startTestPostgres(dir),
    freePort().then((port) => startTemporalDevServer({ cliPath: temporalCliPath, port, logFile: join(dir, 'temporal.log') })),
  ]);
  if (postgresStart.status === 'rejected' || serverStart.status === 'rejected') {
    if (postgresStart.status === 'fulfilled') await postgresStart.value.stop();
    if (serverStart.status === 'fulfilled') await serverStart.value.stop();
    throw postgresStart.status === 'rejected' ? postgresStart.reason : (serverStart as PromiseRejectedResult).reason;
  }
  const postgres = postgresStart.value;
  const server = serverStart.value;
  try {
    const templateUrl = await postgres.createDatabase(TEMPLATE_DATABASE);
    const migrated = await openDataSource(templateUrl, { applicationName: 'continuum-test-template', runMigrations: true, poolSize: 1 });
    await migrated.destroy();
  } catch (error) {
    await Promise.all([server.stop(), postgres.stop()]);
    throw error;
  }
  return {
    postgresUrl: postgres.url.replace(/\/[^/]+$/, '/postgres'),
    templateDatabase: TEMPLATE_DATABASE,
    temporalAddress: server.address,
    async stop() {
      await Promise.all([server.stop(), postgres.stop()]);
    },
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
 * A namespace of this test file's own on the shared dev server, with the journeys' search
 * attributes registered; it is ready when the server lists them.
 */
export async function createIsolatedNamespace(address: string): Promise<string> {
  const namespace = uniqueName('test').replace(/_/g, '-');
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(JOURNEY_SEARCH_ATTRIBUTES.map((name) => [name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
    await waitFor(`namespace ${namespace} on ${address}`, async () => {
      const attributes = await connection.operatorService.listSearchAttributes({ namespace });
      return JOURNEY_SEARCH_ATTRIBUTES.every((name) => name in (attributes.customAttributes ?? {}));
    }, 30_000, 100);
  } finally {
    await connection.close();
  }
  return namespace;
}
