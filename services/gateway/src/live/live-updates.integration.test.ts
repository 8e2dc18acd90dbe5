import type { INestApplication } from '@nestjs/common';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gatewayConfigSchema, loadConfig } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, JournalStore, MessageStore, WorkspaceStore, type JournalWrite } from '@continuum/data';
import { startGateway } from '../create-gateway';
import { toGlobalId } from '../node/global-id';
import { journeyInstanceGlobalId } from '../node/journey-instance-id';
import { LiveUpdates } from './live-updates.service';
import { gatewayEnvFor, startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

/** One subscription's results as they arrive (the item inside each update), with its cursor and the time each arrived. */
interface Feed<T> {
  received: Array<{ value: T; cursor: string; at: number }>;
  /** The next result not taken yet (waits for it, up to `timeoutMs`). */
  next(timeoutMs?: number): Promise<{ value: T; cursor: string; at: number }>;
  /** Resolves with the close event or error that ended the subscription. */
  failure: Promise<unknown>;
  dispose(): Promise<void>;
  /** Drops the connection at once (no close handshake), as a network failure would. */
  terminate(): void;
}

const CUSTOMER_ACTIVITY = `subscription($userId: String!, $after: String) {
  customerActivity(userId: $userId, after: $after) {
    cursor
    item {
      __typename id at kind
      ... on ProfileEvent { name messageId }
      ... on TimelineEntry { instance { workflowId } seq entryType: type step }
      ... on Message { instance { workflowId } status }
    }
  }
}`;
const INSTANCE_UPDATES = `subscription($id: ID!, $after: String) { journeyInstanceUpdates(id: $id, after: $after) { cursor entry { runId seq type step at detail } } }`;
const TRACK = `mutation($input: TrackInput!) { track(input: $input) { duplicate } }`;

// Two gateway replicas against one real PostgreSQL and Temporal dev server: a row written through
// either (or by the worker, straight into PostgreSQL) reaches subscribers on both.
describe('live updates over graphql-ws', () => {
  let gw: GatewayFixture;
  let replicaA: Replica;
  let replicaB: Replica;
  let journal: JournalStore;
  let brandKey: string;
  const clients: WsClient[] = [];
  let seq = 0;

  beforeAll(async () => {
    gw = await startGatewayFixture();
    replicaA = { app: gw.app, url: gw.url };
    replicaB = await startGateway(
      loadConfig('gateway', gatewayConfigSchema, gatewayEnvFor(gw)),
    );
    journal = new JournalStore(gw.dataSource);
    const workspaces = new WorkspaceStore(gw.dataSource);
    const brand = await workspaces.createWorkspace('brand-live', 'Brand Live');
    brandKey = await workspaces.createApiKey(brand.id, 'live-test');
  });

  afterAll(async () => {
    await Promise.all(clients.map(async (client) => client.dispose()));
    await replicaB?.app.close();
    await gw?.teardown();
  });

  type Replica = { app: INestApplication; url: string };

  /** Opens a graphql-ws client on the replica and starts the operation. */
  function open<T>(replica: Replica, apiKey: string | null, query: string, variables: Record<string, unknown>): Feed<T> {
    let socket: WebSocket | undefined;
    class CapturedWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        socket = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the test drops this very socket
      }
    }
    const client = createClient({
      url: `${replica.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: CapturedWebSocket,
      connectionParams: apiKey === null ? {} : { 'x-api-key': apiKey },
      retryAttempts: 0,
    });
    clients.push(client);
    const received: Array<{ value: T; cursor: string; at: number }> = [];
    let wake: (() => void) | null = null;
    let fail!: (reason: unknown) => void;
    const failure = new Promise<unknown>((resolve) => (fail = resolve));
    let taken = 0;
    client.subscribe<Record<string, { cursor: string; item?: T; entry?: T }>>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) return fail(result.errors);
          const update = Object.values(result.data!)[0]!;
          received.push({ value: (update.item ?? update.entry)!, cursor: update.cursor, at: performance.now() });
          wake?.();
        },
        error: (error) => fail(error),
        complete: () => undefined,
      },
    );
    return {
      received,
      failure,
      async next(timeoutMs = 5_000) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no update within ${timeoutMs} ms`)), timeoutMs)));
        try {
          while (received.length <= taken) {
            const arrived = new Promise<void>((resolve) => (wake = resolve));
            await Promise.race([arrived, failure.then((reason) => Promise.reject(new Error(`subscription failed: ${JSON.stringify(reason)}`))), timeout]);
          }
          return received[taken++]!;
        } finally {
          clearTimeout(timer);
        }
      },
      async dispose() {
        await client.dispose();
      },
      terminate: () => socket!.terminate(),
    };
  }

  /** Opens the subscription and waits until the replica has registered it, so nothing written afterwards is missed. */
  async function subscribe<T>(replica: Replica, apiKey: string, query: string, variables: Record<string, unknown>): Promise<Feed<T>> {
    const live = replica.app.get(LiveUpdates);
    const before = live.subscriberCount;
    const feed = open<T>(replica, apiKey, query, variables);
    await until(() => live.subscriberCount > before, 'the subscription to start');
    return feed;
  }

  async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  function step(customerId: string, instanceId: string, overrides: Partial<JournalWrite> = {}): JournalWrite {
    seq += 1;
    return {
      workspaceId: DEFAULT_WORKSPACE_ID,
      instanceId,
      runId: 'run-1',
      seq,
      journeyId: 'abandoned-cart',
      customerId,
      key: 'c1',
      type: 'wait.started',
      step: 'idle',
      status: 'active',
      detail: { timeout: '1 hour' },
      at: new Date(),
      ...overrides,
    };
  }

  type Item = { __typename: string; id: string; kind: string; name?: string; seq?: number; entryType?: string; step?: string; instance?: { workflowId: string } | null; status?: string };

  it('delivers a journal step written anywhere to a subscriber on replica A within one second', async () => {
    const feed = await subscribe<Item>(replicaA, gw.apiKey, CUSTOMER_ACTIVITY, { userId: 'live-ana' });
    const started = performance.now();
    await journal.record(step('live-ana', 'journey/abandoned-cart/live-ana/c1'));
    const { value, at } = await feed.next();
    const latencyMs = at - started;
    console.log(`live update latency (journal step → replica A subscriber): ${latencyMs.toFixed(1)} ms`);
    expect(value).toMatchObject({ __typename: 'TimelineEntry', kind: 'JOURNEY_STEP', entryType: 'WAIT_STARTED', instance: { workflowId: 'journey/abandoned-cart/live-ana/c1' } });
    expect(latencyMs).toBeLessThan(1_000);
    // The item is the journal entry itself: node(id:) gives it back under the same id.
    const again = await gw.graphql<{ node: Record<string, unknown> | null }>(`query($id: ID!) { node(id: $id) { __typename id ... on TimelineEntry { kind entryType: type } } }`, { id: value.id });
    expect(again.data!.node).toEqual({ __typename: 'TimelineEntry', id: value.id, kind: 'JOURNEY_STEP', entryType: 'WAIT_STARTED' });

    // Closing the client ends the subscription on the server.
    const live = gw.app.get(LiveUpdates);
    const open = live.subscriberCount;
    await feed.dispose();
    await until(() => live.subscriberCount === open - 1, 'the subscription to end');
  });

  it('delivers an event tracked through replica B to subscribers on both replicas within one second', async () => {
    const [onA, onB] = await Promise.all([
      subscribe<Item>(replicaA, gw.apiKey, CUSTOMER_ACTIVITY, { userId: 'live-bo' }),
      subscribe<Item>(replicaB, gw.apiKey, CUSTOMER_ACTIVITY, { userId: 'live-bo' }),
    ]);
    const started = performance.now();
    const response = await fetch(`${replicaB.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': gw.apiKey },
      body: JSON.stringify({ query: TRACK, variables: { input: { userId: 'live-bo', event: 'Cart Updated', messageId: 'live-bo-1', properties: {} } } }),
    });
    expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
    const [a, b] = await Promise.all([onA.next(), onB.next()]);
    const latencies = [a.at - started, b.at - started];
    console.log(`live update latency (track on replica B → subscribers): A ${latencies[0]!.toFixed(1)} ms, B ${latencies[1]!.toFixed(1)} ms`);
    for (const { value } of [a, b]) expect(value).toMatchObject({ __typename: 'ProfileEvent', kind: 'EVENT', name: 'Cart Updated', messageId: 'live-bo-1' });
    for (const latency of latencies) expect(latency).toBeLessThan(1_000);
  });

  it('delivers messages when created and when their status changes', async () => {
    const feed = await subscribe<Item>(replicaB, gw.apiKey, CUSTOMER_ACTIVITY, { userId: 'live-cy' });
    const messages = new MessageStore(gw.dataSource);
    const { message } = await messages.claim({
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: 'live-cy',
      instanceId: 'journey/abandoned-cart/live-cy/c1',
      runId: 'run-1',
      step: 'reminder',
      channel: 'sms',
      to: '+14155550100',
      body: 'Your cart misses you',
    });
    await messages.markAccepted(message.id, 'SM-live-cy', 'queued');
    await messages.applyProviderStatus('SM-live-cy', 'delivered', null);
    // One update per change. Each carries the row as it is when read, so two quick changes can both
    // read the later status: the order never goes back and the last one is the final status.
    const statuses = [(await feed.next()).value, (await feed.next()).value, (await feed.next()).value];
    // The Message entity, under its global id (the one node(id:) and Profile.messages give).
    expect(statuses.map((item) => [item.__typename, item.id])).toEqual(Array(3).fill(['Message', toGlobalId('Message', message.id)]));
    const order = ['PENDING', 'QUEUED', 'DELIVERED'];
    const seen = statuses.map((item) => order.indexOf(item.status as string));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(statuses.at(-1)!.status).toBe('DELIVERED');
  });

  it("streams one instance's timeline entries, and only that instance's", async () => {
    const instanceId = 'journey/abandoned-cart/live-di/c1';
    type Entry = { runId: string; seq: number; type: string; step: string; detail: Record<string, unknown> };
    const feed = await subscribe<Entry>(replicaB, gw.apiKey, INSTANCE_UPDATES, { id: journeyInstanceGlobalId({ instanceId, runId: 'run-1' }) });
    await journal.record(step('live-di', 'journey/abandoned-cart/live-di/other'));
    await journal.record(step('live-di', instanceId, { type: 'entered', step: 'start', detail: { cart_id: 'c1' } }));
    await journal.record(step('live-di', instanceId, { type: 'exited', step: 'exit', status: 'exited', detail: { reason: 'Order Completed' } }));
    const entered = await feed.next();
    const exited = await feed.next();
    expect(entered.value).toMatchObject({ runId: 'run-1', type: 'ENTERED', step: 'start', detail: { cart_id: 'c1' } });
    expect(exited.value).toMatchObject({ type: 'EXITED', detail: { reason: 'Order Completed' } });
    expect(exited.value.seq).toBeGreaterThan(entered.value.seq);
  });

  it("never shows a subscriber another workspace's activity", async () => {
    const brandFeed = await subscribe<Item>(replicaA, brandKey, CUSTOMER_ACTIVITY, { userId: 'live-shared' });
    await journal.record(step('live-shared', 'journey/abandoned-cart/live-shared/c1'));
    const brand = await new WorkspaceStore(gw.dataSource).authenticate(brandKey);
    await journal.record(step('live-shared', 'journey/abandoned-cart/live-shared/brand', { workspaceId: brand!.workspaceId }));
    // Commit order is delivery order: the first item the brand sees is its own, written second.
    const first = await brandFeed.next();
    expect(first.value).toMatchObject({ instance: { workflowId: 'journey/abandoned-cart/live-shared/brand' } });
    expect(brandFeed.received).toHaveLength(1);
  });

  it('rejects a connection without a valid API key', async () => {
    const missing = open<Item>(replicaA, null, CUSTOMER_ACTIVITY, { userId: 'live-ana' });
    const invalid = open<Item>(replicaB, 'ck_not_a_key', CUSTOMER_ACTIVITY, { userId: 'live-ana' });
    const [noKey, badKey] = (await Promise.all([missing.failure, invalid.failure])) as Array<{ code: number; reason: string }>;
    expect({ code: noKey!.code, reason: noKey!.reason }).toEqual({ code: 4401, reason: 'Missing connectionParams["x-api-key"]' });
    expect({ code: badKey!.code, reason: badKey!.reason }).toEqual({ code: 4401, reason: 'Invalid API key' });
  });

  it('keeps delivering after its PostgreSQL connection is dropped', async () => {
    const feed = await subscribe<Item>(replicaA, gw.apiKey, CUSTOMER_ACTIVITY, { userId: 'live-ed' });
    const listeners = `SELECT pid FROM pg_stat_activity WHERE application_name = 'continuum-gateway-live'`;
    const before: Array<{ pid: number }> = await gw.dataSource.query(listeners);
    expect(before).toHaveLength(2); // one per replica
    await gw.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'continuum-gateway-live'`);
    const live = gw.app.get(LiveUpdates);
    await until(async () => {
      const now: Array<{ pid: number }> = await gw.dataSource.query(listeners);
      return live.listening && now.length === 2 && now.every((row) => !before.some((old) => old.pid === row.pid));
    }, 'the listeners to reconnect');
    await journal.record(step('live-ed', 'journey/abandoned-cart/live-ed/c1'));
    expect((await feed.next()).value).toMatchObject({ kind: 'JOURNEY_STEP', instance: { workflowId: 'journey/abandoned-cart/live-ed/c1' } });
  });

  /** Drops the feed's connection and waits until the replica has ended its subscription. */
  async function dropConnection(replica: Replica, feed: Feed<unknown>): Promise<void> {
    const live = replica.app.get(LiveUpdates);
    const open = live.subscriberCount;
    feed.terminate();
    await until(() => live.subscriberCount === open - 1, 'the gateway to notice the dropped connection');
  }

  it('resumes journeyInstanceUpdates after a forced disconnect with every entry of the gap exactly once, in order, then live ones', async () => {
    const instanceId = 'journey/abandoned-cart/live-resume/c1';
    const id = journeyInstanceGlobalId({ instanceId, runId: 'run-1' });
    type Entry = { step: string; seq: number };
    let written = 0;
    const write = async () => {
      written += 1;
      await journal.record(step('live-resume', instanceId, { step: `s${written}` }));
    };
    const first = await subscribe<Entry>(replicaA, gw.apiKey, INSTANCE_UPDATES, { id });
    for (let i = 0; i < 3; i++) await write();
    const before = [await first.next(), await first.next(), await first.next()];
    expect(before.map(({ value }) => value.step)).toEqual(['s1', 's2', 's3']);
    await dropConnection(replicaA, first);

    for (let i = 0; i < 4; i++) await write(); // the gap: s4 … s7, while nobody listens
    const second = await subscribe<Entry>(replicaB, gw.apiKey, INSTANCE_UPDATES, { id, after: before.at(-1)!.cursor });
    for (let i = 0; i < 2; i++) await write(); // live: s8, s9
    const after = [];
    for (let i = 0; i < 6; i++) after.push(await second.next());
    expect(after.map(({ value }) => value.step)).toEqual(['s4', 's5', 's6', 's7', 's8', 's9']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.received).toHaveLength(6); // nothing twice
    expect(new Set([...before, ...after].map(({ cursor }) => cursor)).size).toBe(9);
  });

  it('resumes customerActivity while changes keep coming, across the seam of replay and live, missing and repeating nothing', async () => {
    const customer = 'live-seam';
    const total = 40;
    const first = await subscribe<Item>(replicaA, gw.apiKey, CUSTOMER_ACTIVITY, { userId: customer });
    // Steps of two instances and events (back-dated a day: the order is the order of writing, not of timestamps), as fast as they commit.
    const writing = (async () => {
      for (let i = 1; i <= total; i++) {
        if (i % 5 === 0) await gw.dataSource.query(`INSERT INTO events (workspace_id, user_id, type, name, message_id, properties, timestamp, received_at) VALUES ($1, $2, 'track', $3, $4, '{}', now() - interval '1 day', now())`, [DEFAULT_WORKSPACE_ID, customer, `w${i}`, `seam-${i}`]);
        else await journal.record(step(customer, `journey/abandoned-cart/${customer}/c${i % 2}`, { step: `w${i}` }));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await until(() => first.received.length >= 8, 'some items before the disconnect');
    first.terminate();
    const seen = [...first.received];
    const second = await subscribe<Item>(replicaB, gw.apiKey, CUSTOMER_ACTIVITY, { userId: customer, after: seen.at(-1)!.cursor });
    await writing;
    await until(() => seen.length + second.received.length >= total, 'every item', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const names = [...seen, ...second.received].map(({ value }) => (value.kind === 'EVENT' ? value.name : value.step));
    expect(names).toEqual(Array.from({ length: total }, (_, i) => `w${i + 1}`));
  });

  it('refuses a bad cursor, or another instance\'s, or a journey instance id that is not one, with BAD_USER_INPUT naming the argument', async () => {
    const instanceId = 'journey/abandoned-cart/live-bad/c1';
    const own = await subscribe<{ step: string }>(replicaA, gw.apiKey, INSTANCE_UPDATES, { id: journeyInstanceGlobalId({ instanceId, runId: 'run-1' }) });
    await journal.record(step('live-bad', instanceId));
    const { cursor } = await own.next();
    const refusal = async (query: string, variables: Record<string, unknown>) => ((await open(replicaB, gw.apiKey, query, variables).failure) as Array<{ message: string; extensions: unknown }>)[0];

    expect(await refusal(INSTANCE_UPDATES, { id: journeyInstanceGlobalId({ instanceId, runId: 'run-1' }), after: 'bm90IGEgY3Vyc29y' })).toMatchObject({
      message: expect.stringMatching(/^after: /),
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
    expect(await refusal(INSTANCE_UPDATES, { id: journeyInstanceGlobalId({ instanceId, runId: 'run-2' }), after: cursor })).toMatchObject({
      message: expect.stringContaining('was not handed out by journeyInstanceUpdates for this journey instance'),
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
    expect(await refusal(CUSTOMER_ACTIVITY, { userId: 'live-bad', after: cursor })).toMatchObject({
      message: expect.stringContaining('is a cursor of journeyInstanceUpdates, not of customerActivity'),
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
    expect(await refusal(INSTANCE_UPDATES, { id: instanceId })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
  });
});
