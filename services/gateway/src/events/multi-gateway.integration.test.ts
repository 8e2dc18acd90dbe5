import { createServer, Socket, type Server } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { INestApplication } from '@nestjs/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerEventSignal, journeyWorkflowId, type CustomerEvent, type JourneyDescriptor } from '@continuum/contracts';
import { gatewayConfigSchema, loadConfig } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, JourneyCatalogueStore, ROUTING_PARTITIONS, RoutingLeaseStore, SourceKeyStore } from '@continuum/data';
import { freePort, httpOk, startServiceProcess, waitFor, type ServiceProcess } from '@continuum/testing';
import { startGateway } from '../create-gateway';
import { gatewayEnvFor, startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';
import { EventOutbox } from './event-outbox';

// Several gateways over one PostgreSQL and one Temporal dev server: each routes the customers of
// the partitions it leases, whichever gateway accepted their events. No worker runs, so each
// instance's history holds every event signalled to it, in the order it got them.
const ordered: JourneyDescriptor = {
  id: 'ordered',
  version: 1,
  workflowType: 'ordered',
  description: 'records the order of its events',
  entry: { events: ['Step'] },
  reentry: 'always',
  exitOn: [],
  listensTo: ['Step'],
  settings: {},
  maxLifetime: '365 days',
  steps: [],
};
// No worker takes the instances' tasks: bulk admission (fair-routing.integration.test.ts) would hold
// the events a gateway takes over.
const env = { ROUTING_BULK_MAX_BACKLOG: '0' };

describe('several gateways', () => {
  let gw: GatewayFixture;
  let writeKey: string;
  const others: INestApplication[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    gw = await startGatewayFixture({
      env,
      beforeStart: async (dataSource) => {
        await new JourneyCatalogueStore(dataSource).publish([ordered], 'multi-gateway-test');
        writeKey = await new SourceKeyStore(dataSource).createWriteKey(DEFAULT_WORKSPACE_ID, 'multi-gateway');
      },
    });
    urls.push(gw.url);
  }, 120_000);
  afterAll(async () => {
    for (const app of others) await app.close().catch(() => undefined);
    await gw?.teardown();
  });

  const configFor = (overrides: Record<string, string> = {}) => gatewayEnvFor(gw, { ...env, ...overrides });
  const holdersNow = () => new RoutingLeaseStore(gw.dataSource).holders();
  const owners = async () => new Set((await holdersNow()).values());
  const partitionOf = async (userId: string): Promise<number> =>
    ((await gw.dataSource.query(`SELECT continuum_routing_partition($1::uuid, $2) AS p`, [DEFAULT_WORKSPACE_ID, userId])) as Array<{ p: number }>)[0]!.p;

  const graphqlTrack = async (url: string, userId: string, messageId: string) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': gw.apiKey },
      body: JSON.stringify({ query: `mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`, variables: { input: { userId, event: 'Step', messageId } } }),
    });
    const result = (await response.json()) as { data?: { track: { deliveredTo: string[] } }; errors?: unknown[] };
    expect(result.errors).toBeUndefined();
    return result.data!.track.deliveredTo;
  };
  /** The tracking API: answers once the event is stored and handed to routing, without waiting for journeys. */
  const apiTrack = async (url: string, userId: string, messageId: string) => {
    const response = await fetch(`${url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ userId, event: 'Step', messageId, properties: {} }),
    });
    expect(response.status).toBe(200);
  };

  /** The messageIds signalled to the customer's instance, in the order its history got them (repeats kept). */
  const signalled = async (userId: string): Promise<string[]> => {
    const history = await gw.temporal.workflow.getHandle(journeyWorkflowId('ordered', userId, userId)).fetchHistory();
    return (history.events ?? [])
      .map((event) => event.workflowExecutionSignaledEventAttributes)
      .filter((signal) => signal?.signalName === customerEventSignal.name)
      .map((signal) => (defaultPayloadConverter.fromPayload(signal!.input!.payloads![0]!) as CustomerEvent).messageId);
  };

  it('routes each customer in the order its events were accepted, whichever gateway accepted them', async () => {
    for (let index = 0; index < 2; index++) {
      const { app, url } = await startGateway(loadConfig('gateway', gatewayConfigSchema, configFor()));
      others.push(app);
      urls.push(url);
    }
    // The first gateway gives the newcomers their share (every quarter lease).
    await waitFor('three gateways to share the partitions', async () => (await owners()).size === 3 && (await holdersNow()).size === ROUTING_PARTITIONS, 30_000, 200);

    const customers = Array.from({ length: 12 }, (_, index) => `multi-${index}`);
    const sent = new Map<string, string[]>();
    await Promise.all(
      customers.map(async (customer, c) => {
        const ids: string[] = [];
        for (let n = 0; n < 6; n++) {
          const messageId = `${customer}-${n}`;
          // Alternately to each gateway; each answer waits until the event reached its journey,
          // wherever it was routed (another gateway's routing is heard through NOTIFY).
          const deliveredTo = await graphqlTrack(urls[(c + n) % urls.length]!, customer, messageId);
          expect(deliveredTo).toEqual([journeyWorkflowId('ordered', customer, customer)]);
          ids.push(messageId);
        }
        sent.set(customer, ids);
      }),
    );
    for (const customer of customers) expect(await signalled(customer)).toEqual(sent.get(customer));
    // The customers were routed by different gateways.
    const partitions = new Set(await Promise.all(customers.map(partitionOf)));
    const holders = await holdersNow();
    expect(new Set([...partitions].map((partition) => holders.get(partition))).size).toBeGreaterThan(1);
  }, 180_000);

  it('events of one customer accepted by several gateways at the same time reach the journey in the order they were stored', async () => {
    expect(urls).toHaveLength(3);
    const customers = Array.from({ length: 8 }, (_, index) => `burst-${index}`);
    // All at once: each customer's 12 events race through three gateways.
    await Promise.all(customers.flatMap((customer) => Array.from({ length: 12 }, (_, n) => apiTrack(urls[n % 3]!, customer, `${customer}-${n}`))));
    const unrouted = async () =>
      ((await gw.dataSource.query(`SELECT count(*)::int AS n FROM events WHERE routed_at IS NULL AND user_id = ANY($1)`, [customers])) as Array<{ n: number }>)[0]!.n;
    await waitFor('every burst to be routed', async () => (await unrouted()) === 0, 30_000, 100);
    for (const customer of customers) {
      // Acceptance order: one customer's events are stored one after another, their ids ascending.
      const stored = ((await gw.dataSource.query(`SELECT message_id FROM events WHERE user_id = $1 ORDER BY id`, [customer])) as Array<{ message_id: string }>).map(
        (row) => row.message_id,
      );
      expect(stored).toHaveLength(12);
      expect(await signalled(customer)).toEqual(stored);
    }
  }, 120_000);

  it('a gateway killed mid-routing: a live one routes its events once its leases expire, each once, in order', async () => {
    // Back to one gateway, then a second one as a process of its own, reaching Temporal through a proxy.
    for (const app of others.splice(0)) await app.close();
    const first = gw.app.get(EventOutbox).leases;
    await waitFor('the first gateway to hold every partition again', async () => first.partitions.length === ROUTING_PARTITIONS, 30_000, 100);
    const [host, port] = [gw.temporalAddress.slice(0, gw.temporalAddress.lastIndexOf(':')), Number(gw.temporalAddress.slice(gw.temporalAddress.lastIndexOf(':') + 1))];
    const proxy = await startProxy(host, port);
    let second: ServiceProcess | undefined;
    try {
      const gatewayPort = await freePort();
      const secondUrl = `http://127.0.0.1:${gatewayPort}`;
      second = await startServiceProcess({
        name: 'gateway-2',
        entry: 'services/gateway/src/main.ts',
        env: configFor({ TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}`, GATEWAY_PORT: String(gatewayPort), LOG_LEVEL: 'info' }),
        logFile: join(tmpdir(), `continuum-multi-gateway-${process.pid}.log`),
        ready: () => httpOk(`${secondUrl}/health`),
      });
      await waitFor('the second gateway to take its share', async () => (await owners()).size === 2 && (await holdersNow()).size === ROUTING_PARTITIONS, 30_000, 200);
      const holders = await holdersNow();
      const secondId = [...new Set(holders.values())].find((owner) => owner !== first.gatewayId)!;

      // Customers of both gateways' partitions.
      const theirs: string[] = [];
      const ours: string[] = [];
      for (let index = 0; theirs.length < 4 || ours.length < 2; index++) {
        const customer = `kill-${index}`;
        const owner = holders.get(await partitionOf(customer));
        if (owner === secondId && theirs.length < 4) theirs.push(customer);
        if (owner === first.gatewayId && ours.length < 2) ours.push(customer);
      }
      // Temporal stops answering the second gateway: whatever it routes from now on hangs.
      proxy.block();
      const sent = new Map<string, string[]>();
      await Promise.all(
        [...theirs, ...ours].map(async (customer, c) => {
          const ids: string[] = [];
          for (let n = 0; n < 6; n++) {
            const messageId = `${customer}-${n}`;
            await apiTrack([gw.url, secondUrl][(c + n) % 2]!, customer, messageId);
            ids.push(messageId);
          }
          sent.set(customer, ids);
        }),
      );
      const unrouted = async (customers: string[]) =>
        ((await gw.dataSource.query(`SELECT count(*)::int AS n FROM events WHERE routed_at IS NULL AND user_id = ANY($1)`, [customers])) as Array<{ n: number }>)[0]!.n;
      // The first gateway routes its customers, including what the second accepted for them.
      await waitFor('the first gateway to route its customers', async () => (await unrouted(ours)) === 0, 30_000, 100);
      for (const customer of ours) expect(await signalled(customer)).toEqual(sent.get(customer));
      // The second holds its customers' events, stuck on Temporal (those the first accepted too).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(await unrouted(theirs)).toBe(theirs.length * 6);

      await second.kill();
      const killedAt = Date.now();
      await waitFor('the first gateway to route the dead gateway’s customers', async () => (await unrouted(theirs)) === 0, 60_000, 100);
      const routedAfterMs = Date.now() - killedAt;
      console.log(`multi-gateway: ${theirs.length * 6} events of a gateway killed mid-routing were routed by another ${routedAfterMs} ms after SIGKILL (ROUTING_LEASE_MS 6000 ms)`);
      // Each event exactly once into each journey, in the order accepted across both gateways.
      for (const customer of theirs) expect(await signalled(customer)).toEqual(sent.get(customer));
      expect(first.partitions).toHaveLength(ROUTING_PARTITIONS);
    } finally {
      await second?.kill();
      await proxy.close();
    }
  }, 240_000);

  it('scaling out: a gateway gives back partitions beyond its share with their queued events, which the newcomer routes in order', async () => {
    // A second gateway whose Temporal stops answering holds events of its customers in its queues.
    const first = gw.app.get(EventOutbox).leases;
    const [host, port] = [gw.temporalAddress.slice(0, gw.temporalAddress.lastIndexOf(':')), Number(gw.temporalAddress.slice(gw.temporalAddress.lastIndexOf(':') + 1))];
    const proxy = await startProxy(host, port);
    let stuck: INestApplication | undefined;
    let newcomer: INestApplication | undefined;
    try {
      const started = await startGateway(loadConfig('gateway', gatewayConfigSchema, configFor({ TEMPORAL_ADDRESS: `127.0.0.1:${proxy.port}` })));
      stuck = started.app;
      const stuckLeases = stuck.get(EventOutbox).leases;
      await waitFor('two gateways to share the partitions', async () => stuckLeases.partitions.length === ROUTING_PARTITIONS / 2 && first.partitions.length === ROUTING_PARTITIONS / 2, 30_000, 100);
      const before = new Set(stuckLeases.partitions);
      // With three gateways each keeps at most 22: the stuck one gives back its highest partitions.
      const givenBack = new Set(stuckLeases.partitions.slice(Math.ceil(ROUTING_PARTITIONS / 3)));
      const moving: string[] = [];
      const staying: string[] = [];
      for (let index = 0; moving.length < 3 || staying.length < 2; index++) {
        const customer = `scale-${index}`;
        const partition = await partitionOf(customer);
        if (givenBack.has(partition) && moving.length < 3) moving.push(customer);
        else if (before.has(partition) && !givenBack.has(partition) && staying.length < 2) staying.push(customer);
      }
      proxy.block();
      const sent = new Map<string, string[]>();
      await Promise.all(
        [...moving, ...staying].map(async (customer) => {
          const ids: string[] = [];
          for (let n = 0; n < 5; n++) {
            await apiTrack(started.url, customer, `${customer}-${n}`);
            ids.push(`${customer}-${n}`);
          }
          sent.set(customer, ids);
        }),
      );
      const unrouted = async (customers: string[]) =>
        ((await gw.dataSource.query(`SELECT count(*)::int AS n FROM events WHERE routed_at IS NULL AND user_id = ANY($1)`, [customers])) as Array<{ n: number }>)[0]!.n;
      expect(await unrouted(moving)).toBe(15);
      newcomer = (await startGateway(loadConfig('gateway', gatewayConfigSchema, configFor()))).app;
      await waitFor('the moved customers to be routed by another gateway', async () => (await unrouted(moving)) === 0, 60_000, 100);
      for (const customer of moving) expect(await signalled(customer)).toEqual(sent.get(customer));
      expect(stuckLeases.partitions.every((partition) => !givenBack.has(partition))).toBe(true);
      // The customers it kept still wait for its Temporal.
      expect(await unrouted(staying)).toBe(10);
    } finally {
      // Temporal answers the stuck gateway again (fresh connections) and it routes what it kept
      // before it closes: closed with calls still retrying, the Temporal client's retry timers would
      // fire on a shut-down channel after the test (an uncaught error).
      proxy.unblock();
      if (stuck) {
        const outbox = stuck.get(EventOutbox);
        await waitFor('the stuck gateway to route what it kept', async () => outbox.backlog === 0, 60_000, 100).catch(() => undefined);
      }
      await stuck?.close();
      await newcomer?.close();
      await proxy.close();
    }
  }, 240_000);
});

/** A TCP proxy to Temporal that can stop passing anything on (a Temporal that no longer answers). */
async function startProxy(host: string, port: number): Promise<{ port: number; block(): void; unblock(): void; close(): Promise<void> }> {
  let blocked = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = new Socket();
    upstream.connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => {
      if (!blocked) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!blocked) client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    block: () => {
      blocked = true;
    },
    /** Passes traffic again, on new connections (what was dropped meanwhile broke the old ones). */
    unblock: () => {
      blocked = false;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
