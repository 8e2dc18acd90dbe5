import { inject } from 'vitest';
import { publishSharedTestServers, publishWorkflowBundleCacheDir, type SharedTestServers } from './test-servers-env';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Published by `test-servers.global-setup.ts`. */
    continuumTestServers: SharedTestServers;
    continuumWorkflowBundles?: string;
  }
}

// Vitest set-up file, run in each test file's process: the fixtures find the run's shared servers
// in the environment (and start their own when run without the global set-up).
const servers = inject('continuumTestServers');
if (servers) publishSharedTestServers(servers);
const bundles = inject('continuumWorkflowBundles');
if (bundles) publishWorkflowBundleCacheDir(bundles);
