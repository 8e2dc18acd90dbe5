import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, temporalConfigSchema } from '@continuum/config';
import { connectTemporalClient } from '@continuum/temporal';
import { sharedTestServers, startTestTemporal, type TemporalDevServerHandle } from '@continuum/testing';

// The gateway's Temporal client closed while Temporal is unreachable (a gateway stopped during an
// outage): the calls still retrying end, and no retry of the SDK's fires on the closed channel
// afterwards ("Channel has been shut down", thrown from a timer: an uncaught exception).
describe('closing the Temporal client while Temporal is unreachable', () => {
  let address: string;
  let own: { server: TemporalDevServerHandle; dir: string } | undefined;

  beforeAll(async () => {
    const shared = sharedTestServers();
    if (shared) {
      address = shared.temporalAddress;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'continuum-temporal-shutdown-'));
      own = { server: await startTestTemporal(dir), dir };
      address = own.server.address;
    }
  });
  afterAll(async () => {
    await own?.server.stop();
    if (own) rmSync(own.dir, { recursive: true, force: true });
  });

  it('ends the calls in flight and leaves no retry firing on the closed channel', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    const proxy = await startProxy(address);
    try {
      const config = loadConfig('test', temporalConfigSchema, { TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}`, TEMPORAL_NAMESPACE: 'default' });
      const temporal = await connectTemporalClient(config);
      // Reachable: a call answers (the workflow does not exist).
      await expect(temporal.client.workflow.getHandle('temporal-shutdown-none').describe()).rejects.toThrow(/not found/i);

      // Temporal goes away: calls fail with UNAVAILABLE and the SDK retries them with backoff.
      await proxy.close();
      const calls = Array.from({ length: 5 }, (_, index) =>
        temporal.client.workflow
          .getHandle(`temporal-shutdown-${index}`)
          .signal('customerEvent', {})
          .then(
            () => 'answered',
            (error: Error) => error.message,
          ),
      );
      // Long enough for a few attempts each, so a retry timer is pending when the client closes.
      await sleep(1500);
      await temporal.close();
      const outcomes = await Promise.race([Promise.all(calls), sleep(20_000).then(() => 'still running')]);
      // Past the SDK's longest retry interval (5 s plus jitter): nothing fired on the closed channel.
      await sleep(7000);
      expect({ outcomes: outcomes === 'still running' ? outcomes : 'ended', uncaught: uncaught.map((error) => String(error)) }).toEqual({ outcomes: 'ended', uncaught: [] });
      for (const outcome of outcomes as string[]) expect(outcome).not.toBe('answered');
    } finally {
      process.off('uncaughtException', onUncaught);
      await proxy.close();
    }
  }, 60_000);
});

/** A TCP proxy to Temporal that can be taken away (its port then refuses connections). */
async function startProxy(target: string): Promise<{ port: number; close(): Promise<void> }> {
  const host = target.slice(0, target.lastIndexOf(':'));
  const port = Number(target.slice(target.lastIndexOf(':') + 1));
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    upstream.connect(port, host);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the proxy has no port');
  let closed = false;
  return {
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        if (closed) return resolve();
        closed = true;
        server.close(() => resolve());
      }),
  };
}
