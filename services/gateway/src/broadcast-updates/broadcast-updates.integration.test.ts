import { createClient, type Client as WsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AudienceStore, BroadcastStore, DEFAULT_WORKSPACE_ID, WorkspaceStore } from '@continuum/data';
import { toGlobalId } from '../node/global-id';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';
import { BroadcastUpdates } from './broadcast-updates.service';

type Update = { cursor: string; kind: string; run: { number: number; status: string; enrolled: number; sent: number; failed: number; skipped: Array<{ reason: string; count: number }> } };
type GraphQLErrors = Array<{ message: string; extensions?: Record<string, unknown> }>;

const UPDATES = `subscription($id: ID!, $after: String) {
  broadcastUpdates(id: $id, after: $after) { cursor kind run { number status enrolled sent failed skipped { reason count } } }
}`;

/** A subscription's updates as they arrive, and what ended it. */
interface Feed {
  received: Update[];
  failure: Promise<unknown>;
  terminate(): void;
}

// broadcastUpdates through a real gateway and graphql-ws client; the broadcast's runs are written
// straight into PostgreSQL with BroadcastStore, as the worker's broadcast workflow does.
describe('broadcastUpdates over graphql-ws', () => {
  let gw: GatewayFixture;
  let store: BroadcastStore;
  let audienceId: string;
  const clients: WsClient[] = [];

  beforeAll(async () => {
    gw = await startGatewayFixture();
    store = new BroadcastStore(gw.dataSource);
    audienceId = (await new AudienceStore(gw.dataSource).save(DEFAULT_WORKSPACE_ID, 'live-everyone', { trait: 'plan', exists: true })).id;
  });

  afterAll(async () => {
    await Promise.all(clients.map(async (client) => client.dispose()));
    await gw?.teardown();
  });

  function open(variables: Record<string, unknown>, apiKey = gw.apiKey): Feed {
    let socket: WebSocket | undefined;
    class CapturedWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        socket = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the test drops this very socket
      }
    }
    const client = createClient({ url: `${gw.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: CapturedWebSocket, connectionParams: { 'x-api-key': apiKey }, retryAttempts: 0 });
    clients.push(client);
    const received: Update[] = [];
    let fail!: (reason: unknown) => void;
    const failure = new Promise<unknown>((resolve) => (fail = resolve));
    client.subscribe<{ broadcastUpdates: Update }>(
      { query: UPDATES, variables },
      {
        next: (result) => (result.errors ? fail(result.errors) : received.push(result.data!.broadcastUpdates)),
        error: (error) => fail(error),
        complete: () => undefined,
      },
    );
    return { received, failure, terminate: () => socket!.terminate() };
  }

  async function subscribe(variables: Record<string, unknown>): Promise<Feed> {
    const updates = gw.app.get(BroadcastUpdates);
    const before = updates.subscriberCount;
    const feed = open(variables);
    await until(() => updates.subscriberCount > before, 'the subscription to start');
    return feed;
  }

  async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('streams each run started, progressing, paused, resumed and finished with its counts, and resumes after a forced disconnect', async () => {
    const broadcast = await store.create(DEFAULT_WORKSPACE_ID, { name: 'Live sale', audienceId, template: 'sale', channel: 'sms', ratePerSecond: 10 });
    const id = toGlobalId('Broadcast', broadcast.id);
    const first = await subscribe({ id });
    const opened = await store.openRun(broadcast.id, `broadcast/${broadcast.id}/live-1`, new Date());
    const runId = opened!.run.id;
    await store.record(broadcast.id, runId, [
      { customerId: 'bu-1', outcome: 'sent' },
      { customerId: 'bu-2', outcome: 'skipped', reason: 'no-consent' },
    ]);
    await until(() => first.received.length === 2, 'the run to start and progress');
    expect(first.received.map((update) => [update.kind, update.run.status])).toEqual([
      ['STARTED', 'RUNNING'],
      ['PROGRESSED', 'RUNNING'],
    ]);
    // Each update carries the run as it is when sent: after the batch, at least.
    expect(first.received[1]!.run).toMatchObject({ enrolled: 2, sent: 1, skipped: [{ reason: 'no-consent', count: 1 }] });
    const updates = gw.app.get(BroadcastUpdates);
    const open = updates.subscriberCount;
    first.terminate();
    await until(() => updates.subscriberCount === open - 1, 'the gateway to notice the dropped connection');

    // The gap: paused, resumed, another batch.
    await store.setRunStatus(runId, 'paused');
    await store.setRunStatus(runId, 'running');
    await store.record(broadcast.id, runId, [{ customerId: 'bu-3', outcome: 'failed', reason: 'undelivered' }]);

    const second = await subscribe({ id, after: first.received.at(-1)!.cursor });
    await store.setRunStatus(runId, 'completed'); // live
    await until(() => second.received.length === 4, 'the gap and the live update');
    expect(second.received.map((update) => update.kind)).toEqual(['PAUSED', 'RESUMED', 'PROGRESSED', 'FINISHED']);
    expect(second.received.at(-1)!.run).toMatchObject({ number: 1, status: 'COMPLETED', enrolled: 3, sent: 1, failed: 1, skipped: [{ reason: 'no-consent', count: 1 }] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.received).toHaveLength(4);
  });

  it("refuses another workspace's broadcast, a global id of another type, and a cursor of another broadcast, with BAD_USER_INPUT", async () => {
    const workspaces = new WorkspaceStore(gw.dataSource);
    const brand = await workspaces.createWorkspace('brand-bu', 'Brand');
    const brandKey = await workspaces.createApiKey(brand.id, 'bu-test');
    const broadcast = await store.create(DEFAULT_WORKSPACE_ID, { name: 'Mine', audienceId, template: 'sale', channel: 'sms', ratePerSecond: 10 });
    const other = await store.create(DEFAULT_WORKSPACE_ID, { name: 'Other', audienceId, template: 'sale', channel: 'sms', ratePerSecond: 10 });
    const errorOf = async (feed: Feed) => ((await feed.failure) as GraphQLErrors)[0];

    expect(await errorOf(open({ id: toGlobalId('Broadcast', broadcast.id) }, brandKey))).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
    expect(await errorOf(open({ id: toGlobalId('Profile', broadcast.id) }))).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'id' } });

    const feed = await subscribe({ id: toGlobalId('Broadcast', broadcast.id) });
    await store.openRun(broadcast.id, `broadcast/${broadcast.id}/live-1`, new Date());
    await until(() => feed.received.length === 1, 'the run to start');
    expect(await errorOf(open({ id: toGlobalId('Broadcast', other.id), after: feed.received[0]!.cursor }))).toMatchObject({
      message: expect.stringContaining('was not handed out by broadcastUpdates for this broadcast'),
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
  });
});
