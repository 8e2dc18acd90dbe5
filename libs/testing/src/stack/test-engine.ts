import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, temporalEngineConfigSchema } from '@continuum/config';
import { resolveTemporalCli, resolveTemporalServer } from '@continuum/provision';
import { startTestPostgres } from './embedded-postgres';
import { freePort } from './free-port';
import type { TemporalServerEngine } from './stack';
import { startTemporalDevServer, type TemporalDevServerHandle } from './temporal-dev-server';
import { freeTemporalServerPorts, startTemporalServer } from './temporal-server';

export type TemporalEngine = 'dev' | 'server';

/**
 * The engine tests run on: `TEMPORAL_ENGINE` (`dev` by default, `server` for the real Temporal
 * server on PostgreSQL), validated like `npm start` validates it.
 */
export function testTemporalEngine(env: Record<string, string | undefined> = process.env): TemporalEngine {
  return loadConfig('test harness', temporalEngineConfigSchema.pick({ TEMPORAL_ENGINE: true }), env).TEMPORAL_ENGINE;
}

/**
 * What `startStack` needs for an engine, on free ports: the dev server's CLI, or the real server's
 * binaries with every internal port free (one history shard: a test cluster is new and small).
 */
export async function stackEngineOptions(
  engine: TemporalEngine = testTemporalEngine(),
  frontendPort?: number,
  uiPort?: number,
): Promise<{ temporalCliPath: string } | { temporalServer: TemporalServerEngine }> {
  if (engine === 'dev') return { temporalCliPath: process.env['TEMPORAL_CLI_PATH'] || (await resolveTemporalCli()) };
  const tools = await resolveTemporalServer();
  return {
    temporalServer: {
      engine: 'server',
      serverPath: tools.server,
      sqlToolPath: tools.sqlTool,
      uiServerPath: tools.uiServer,
      historyShards: 1,
      namespaceRetentionMs: 24 * 3_600_000,
      ports: frontendPort ? await freeTemporalServerPorts(frontendPort, uiPort) : undefined,
    },
  };
}

/**
 * A Temporal of a test's (or a run's) own, on a free port, headless: the dev server, or the real
 * server on a throw-away PostgreSQL cluster of its own (stopped with it), with `default` in place.
 */
export async function startTestTemporal(dir: string, engine: TemporalEngine = testTemporalEngine()): Promise<TemporalDevServerHandle> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  if (engine === 'dev') {
    const cliPath = process.env['TEMPORAL_CLI_PATH'] || (await resolveTemporalCli());
    return startTemporalDevServer({ cliPath, port, logFile: join(dir, 'temporal.log') });
  }
  const tools = await resolveTemporalServer();
  const postgres = await startTestPostgres(join(dir, 'temporal-postgres'));
  try {
    const server = await startTemporalServer({
      serverPath: tools.server,
      sqlToolPath: tools.sqlTool,
      postgresUrl: postgres.url,
      ports: await freeTemporalServerPorts(port),
      dir: join(dir, 'temporal-server'),
      logFile: join(dir, 'temporal.log'),
      historyShards: 1,
      namespaceRetentionMs: 24 * 3_600_000,
      retriesOnBusyInternalPort: 3,
    });
    return { ...server, stop: () => server.stop().finally(() => postgres.stop()) };
  } catch (error) {
    await postgres.stop().catch(() => undefined);
    throw error;
  }
}
