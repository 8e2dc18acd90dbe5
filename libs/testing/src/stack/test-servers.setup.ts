import { inject } from 'vitest';
import { publishSharedTestServers, publishWorkflowBundleCacheDir, type SharedTestServers } from './test-servers-env';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Published by `test-servers.global-setup.ts`. */
    continuumTestServers: Omit<SharedTestServers, 'postgresUrl'> & { postgresUrls: string[] };
    continuumWorkflowBundles?: string;
  }
}

// Vitest set-up file, run in each test file's process: the fixtures find the run's shared servers
// in the environment (and start their own when run without the global set-up).
const servers = inject('continuumTestServers');
if (servers) {
  // Test worker N (1-based, unique among the workers running at once) has cluster N - 1 to itself.
  const worker = Number(process.env['VITEST_POOL_ID'] ?? 1);
  const { postgresUrls, ...rest } = servers;
  publishSharedTestServers({ ...rest, postgresUrl: postgresUrls[(worker - 1) % postgresUrls.length]! });
}
const bundles = inject('continuumWorkflowBundles');
if (bundles) publishWorkflowBundleCacheDir(bundles);
