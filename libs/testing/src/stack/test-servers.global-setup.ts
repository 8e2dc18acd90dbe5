import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startSharedTestServers } from './shared-test-servers';

/**
 * Vitest global set-up: one PostgreSQL per test worker (each with a migrated template database)
 * and one Temporal for the whole run (the dev server, or the real server with
 * `TEMPORAL_ENGINE=server`), instead of one of each per test file; and,
 * outside watch mode (where the source changes between runs), a directory where test beds share
 * their workflow bundles.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'continuum-test-run-'));
  // As many clusters as test workers can run at once (Vitest's own default when unset).
  const workers = project.vitest.config.maxWorkers ?? Math.max(availableParallelism() - 1, 1);
  const servers = await startSharedTestServers(dir, workers);
  project.provide('continuumTestServers', {
    postgresUrls: servers.postgresUrls,
    templateDatabase: servers.templateDatabase,
    temporalAddress: servers.temporalAddress,
  });
  if (!project.vitest.config.watch) {
    const bundles = join(dir, 'workflow-bundles');
    mkdirSync(bundles);
    project.provide('continuumWorkflowBundles', bundles);
  }
  return async () => {
    await servers.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
