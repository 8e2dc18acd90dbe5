import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTemporalServer, type TemporalServerTools } from '@continuum/provision';
import { startTestPostgres, type EmbeddedPostgresHandle } from './embedded-postgres';
import { freePort } from './free-port';
import { freeTemporalServerPorts, startTemporalServer, temporalServerPorts } from './temporal-server';

describe('temporalServerPorts', () => {
  it("shifts Temporal's default ports with the frontend's", () => {
    expect(temporalServerPorts(7233, 8233)).toEqual({
      frontend: 7233,
      history: 7234,
      matching: 7235,
      worker: 7239,
      frontendMembership: 6933,
      historyMembership: 6934,
      matchingMembership: 6935,
      workerMembership: 6939,
      ui: 8233,
    });
  });

  it('picks free membership ports below 32768, which the server stores as a PostgreSQL smallint', async () => {
    for (let round = 0; round < 5; round++) {
      const ports = await freeTemporalServerPorts(await freePort());
      for (const port of [ports.frontendMembership, ports.historyMembership, ports.matchingMembership, ports.workerMembership]) {
        expect(port).toBeGreaterThanOrEqual(10_000);
        expect(port).toBeLessThan(32_768);
      }
    }
  });
});

describe('startTemporalServer', { timeout: 120_000 }, () => {
  let dir: string;
  let tools: TemporalServerTools;
  let postgres: EmbeddedPostgresHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'continuum-temporal-server-'));
    tools = await resolveTemporalServer();
    postgres = await startTestPostgres(dir);
  });

  afterAll(async () => {
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (historyShards: number, metricsPort?: number) =>
    startTemporalServer({
      serverPath: tools.server,
      sqlToolPath: tools.sqlTool,
      uiServerPath: tools.uiServer,
      postgresUrl: postgres.url,
      ports: await freeTemporalServerPorts(await freePort(), await freePort()),
      dir: join(dir, 'server'),
      logFile: join(dir, 'temporal.log'),
      historyShards,
      namespace: 'journeys',
      namespaceRetentionMs: 3 * 24 * 3_600_000,
      ...(metricsPort ? { metricsPort } : {}),
    });

  const clusterInfo = async (address: string) => {
    const connection = await Connection.connect({ address });
    try {
      const info = await connection.workflowService.getClusterInfo({});
      const namespace = await connection.workflowService.describeNamespace({ namespace: 'journeys' });
      return { shards: info.historyShardCount, retentionSeconds: Number(namespace.config?.workflowExecutionRetentionTtl?.seconds) };
    } finally {
      await connection.close();
    }
  };

  it('keeps the number of history shards its database was first set up with, and reports the one in use', async () => {
    const first = await start(2, await freePort());
    try {
      expect(first.historyShards).toBe(2);
      // Its own Prometheus metrics, when asked for a port.
      expect(first.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(await (await fetch(first.metricsUrl!)).text()).toMatch(/^# TYPE \w+/m);
      expect(await clusterInfo(first.address)).toEqual({ shards: 2, retentionSeconds: 3 * 24 * 3600 });
      // The Web UI server answers for the namespace it was given.
      const response = await fetch(`${first.uiUrl}/api/v1/namespaces/journeys`);
      expect(response.status).toBe(200);
    } finally {
      await first.stop();
    }
    // Set up again on the same databases (every step a no-op now), asked for another number.
    const second = await start(8);
    try {
      expect(second.historyShards).toBe(2);
      expect((await clusterInfo(second.address)).shards).toBe(2);
    } finally {
      await second.stop();
    }
  });

  it('starts again on fresh internal ports when one picked free is taken before the server binds it', async () => {
    // Another process takes the history port between the pick and the bind.
    const squatter: Server = createServer();
    await new Promise<void>((done) => squatter.listen(0, '127.0.0.1', done));
    const taken = (squatter.address() as { port: number }).port;
    try {
      const ports = { ...(await freeTemporalServerPorts(await freePort())), history: taken };
      const options = {
        serverPath: tools.server,
        sqlToolPath: tools.sqlTool,
        postgresUrl: postgres.url,
        ports,
        dir: join(dir, 'server-busy'),
        logFile: join(dir, 'temporal-busy.log'),
        historyShards: 2,
        namespace: 'journeys',
      };
      // Without retries the start fails, naming the port.
      await expect(startTemporalServer(options)).rejects.toThrow(new RegExp(`${taken}: bind: address already in use`));
      const server = await startTemporalServer({ ...options, retriesOnBusyInternalPort: 1 });
      try {
        expect(server.ports.history).not.toBe(taken);
        expect(server.ports.frontend).toBe(ports.frontend);
        expect(server.ports.matching).toBe(ports.matching);
        expect((await clusterInfo(server.address)).shards).toBe(2);
      } finally {
        await server.stop();
      }
    } finally {
      await new Promise((done) => squatter.close(done));
    }
  });

  it('names the problem when the server cannot start', async () => {
    // A port in use by PostgreSQL itself: the frontend cannot bind it, and is not moved.
    const ports = await freeTemporalServerPorts(postgres.port);
    await expect(
      startTemporalServer({
        serverPath: tools.server,
        sqlToolPath: tools.sqlTool,
        postgresUrl: postgres.url,
        ports,
        dir: join(dir, 'server-taken'),
        logFile: join(dir, 'temporal-taken.log'),
        historyShards: 2,
        retriesOnBusyInternalPort: 3,
      }),
    ).rejects.toThrow(/temporal-server exited with code \d+: .*(address already in use|bind)/);
  });
});
