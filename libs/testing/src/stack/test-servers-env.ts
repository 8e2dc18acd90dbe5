/**
 * One PostgreSQL cluster and one Temporal dev server for a whole test run (Vitest's global set-up
 * starts them); each test file takes a database of its own, copied from a migrated template, and a
 * Temporal namespace of its own, so files sharing the servers never see each other's data.
 */
export interface SharedTestServers {
  /** Maintenance database of the cluster (`postgres`): where databases are created and dropped. */
  postgresUrl: string;
  /** A database with every migration applied; never connected to while files run. */
  templateDatabase: string;
  temporalAddress: string;
}

const ENV = {
  postgresUrl: 'CONTINUUM_TEST_POSTGRES_URL',
  templateDatabase: 'CONTINUUM_TEST_TEMPLATE_DATABASE',
  temporalAddress: 'CONTINUUM_TEST_TEMPORAL_ADDRESS',
} as const satisfies Record<keyof SharedTestServers, string>;

/** The run's shared servers, when a global set-up published them (see `test-servers.setup.ts`). */
export function sharedTestServers(): SharedTestServers | undefined {
  const [postgresUrl, templateDatabase, temporalAddress] = [ENV.postgresUrl, ENV.templateDatabase, ENV.temporalAddress].map((name) => process.env[name]);
  if (!postgresUrl || !templateDatabase || !temporalAddress) return undefined;
  return { postgresUrl, templateDatabase, temporalAddress };
}

/** Publishes the shared servers to this process's environment, where the fixtures look for them. */
export function publishSharedTestServers(servers: SharedTestServers): void {
  for (const key of Object.keys(ENV) as Array<keyof SharedTestServers>) process.env[ENV[key]] = servers[key];
}

const BUNDLE_CACHE_ENV = 'CONTINUUM_TEST_WORKFLOW_BUNDLES';

/** Where this run keeps workflow bundles made from source (unset: every test bed bundles its own). */
export function workflowBundleCacheDir(): string | undefined {
  return process.env[BUNDLE_CACHE_ENV] || undefined;
}

export function publishWorkflowBundleCacheDir(dir: string): void {
  process.env[BUNDLE_CACHE_ENV] = dir;
}
