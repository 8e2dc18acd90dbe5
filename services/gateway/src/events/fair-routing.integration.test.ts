import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TASK_PRIORITY } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID, EventStore, JourneyCatalogueStore, SourceKeyStore } from '@continuum/data';
import { waitFor } from '@continuum/testing';
import { journeyDescriptors } from '@continuum/worker';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

// Fair load through the real gateway, PostgreSQL and Temporal dev server (no worker): a large
// /v1/batch is an import, routed within its share behind live customers' events, and its journey
// instances start at bulk priority; a live customer's at live priority.
describe('fair routing: imports behind live customers', () => {
  let gw: GatewayFixture;
  let writeKey: string;

  beforeAll(async () => {
    gw = await startGatewayFixture({
      // No worker here: Temporal's backlog would never drain, so bulk admission is tested on its own below.
      env: { ROUTING_BULK_MAX_BACKLOG: '0' },
      beforeStart: async (ds) => {
        await new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'fair-routing-test');
        writeKey = await new SourceKeyStore(ds).createWriteKey(DEFAULT_WORKSPACE_ID, 'import source');
      },
    });
  });

  afterAll(async () => {
    await gw?.teardown();
  });

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };
  const cart = (userId: string, messageId: string) => ({ type: 'track', userId, event: 'Cart Updated', properties: { cart_id: 'c1' }, messageId });

  it('routes a live event ahead of an import accepted before it, and starts each instance at its lane priority', async () => {
    const importSize = 1_200;
    await post('/v1/batch', { batch: Array.from({ length: importSize }, (_, n) => cart(`imp-${n}`, `imp-${n}`)) });
    await post('/v1/track', cart('live-ana', 'live-ana'));
    await waitFor('every event routed', async () => {
      const [row] = (await gw.dataSource.query(`SELECT count(*)::int AS n FROM events WHERE routed_at IS NULL`)) as Array<{ n: number }>;
      return row!.n === 0;
    }, 120_000);
    const [{ before }] = (await gw.dataSource.query(
      `SELECT count(*)::int AS before FROM events e, events live
        WHERE live.message_id = 'live-ana' AND e.message_id LIKE 'imp-%' AND e.routed_at < live.routed_at`,
    )) as Array<{ before: number }>;
    // In arrival order all 1,200 would have gone first; live first, only those already in flight.
    console.log(`[fair-routing] import events routed before the live one: ${before} of ${importSize}`);
    expect(before).toBeLessThan(importSize / 4);

    const live = await gw.temporal.workflow.getHandle('journey/abandoned-cart/live-ana/c1').describe();
    const imported = await gw.temporal.workflow.getHandle('journey/abandoned-cart/imp-7/c1').describe();
    expect(live.priority?.priorityKey).toBe(TASK_PRIORITY.live);
    expect(imported.priority?.priorityKey).toBe(TASK_PRIORITY.bulk);
  });

  it('keeps a customer in order when a live event follows their imported one (the whole queue goes live)', async () => {
    await post('/v1/batch', { batch: Array.from({ length: 400 }, (_, n) => cart(`imp2-${n}`, `imp2-${n}`)) });
    await post('/v1/track', { ...cart('imp2-399', 'imp2-399-live'), properties: { cart_id: 'c1', items: ['Boots'] } });
    await waitFor('every event routed', async () => {
      const [row] = (await gw.dataSource.query(`SELECT count(*)::int AS n FROM events WHERE routed_at IS NULL`)) as Array<{ n: number }>;
      return row!.n === 0;
    }, 120_000);
    const history = await gw.temporal.workflow.getHandle('journey/abandoned-cart/imp2-399/c1').fetchHistory();
    const signalled = (history.events ?? []).flatMap((event) => {
      const data = event.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0]?.data;
      return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { messageId: string }).messageId] : [];
    });
    expect(signalled).toEqual(['imp2-399', 'imp2-399-live']);
    const [{ before }] = (await gw.dataSource.query(
      `SELECT count(*)::int AS before FROM events e, events live
        WHERE live.message_id = 'imp2-399-live' AND e.message_id LIKE 'imp2-%' AND e.message_id <> 'imp2-399-live' AND e.routed_at < live.routed_at`,
    )) as Array<{ before: number }>;
    expect(before).toBeLessThan(200);
  });
});

describe('bulk admission: an import waits while Temporal has a backlog', () => {
  let gw: GatewayFixture;
  let writeKey: string;

  beforeAll(async () => {
    gw = await startGatewayFixture({
      env: { ROUTING_BULK_MAX_BACKLOG: '20', TRACKING_BULK_MAX_BACKLOG: '500' },
      beforeStart: async (ds) => {
        await new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'bulk-admission-test');
        writeKey = await new SourceKeyStore(ds).createWriteKey(DEFAULT_WORKSPACE_ID, 'import source');
      },
    });
  });

  afterAll(async () => {
    await gw?.teardown();
  });

  const routed = async (pattern: string) =>
    ((await gw.dataSource.query(`SELECT count(*)::int AS n FROM events WHERE message_id LIKE $1 AND routed_at IS NOT NULL`, [pattern])) as Array<{ n: number }>)[0]!.n;

  it('stops routing an import once no worker takes its tasks, while a live event still goes through', async () => {
    const post = (path: string, body: unknown) =>
      fetch(`${gw.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
        body: JSON.stringify(body),
      });
    const importSize = 1_000;
    const cart = (n: number) => ({ type: 'track', userId: `held-${n}`, event: 'Cart Updated', properties: { cart_id: 'c1' }, messageId: `held-${n}` });
    expect((await post('/v1/batch', { batch: Array.from({ length: importSize }, (_, n) => cart(n)) })).status).toBe(200);
    // No worker polls this dev server: every started instance leaves a workflow task waiting. Routing
    // of the import stops once the backlog reaches the bound (the probe runs every 500 ms).
    let last = -1;
    let stable = 0;
    await waitFor('the import to stop making progress', async () => {
      const now = await routed('held-%');
      stable = now === last ? stable + 1 : 0;
      last = now;
      return now > 0 && stable >= 10;
    }, 60_000, 200);
    console.log(`[bulk-admission] import events routed before admission closed: ${last} of ${importSize}`);
    expect(last).toBeGreaterThanOrEqual(20);
    expect(last).toBeLessThan(importSize / 2);

    expect((await post('/v1/track', { userId: 'live-bea', event: 'Cart Updated', properties: { cart_id: 'c1' }, messageId: 'live-bea' })).status).toBe(200);
    await waitFor('the live event routed', async () => (await routed('live-bea')) === 1, 30_000);
    expect(await routed('held-%')).toBe(last);
  });

  it('routes an unrouted event found in the outbox (a gateway died before routing it) in the lane it was accepted in', async () => {
    // Stored by "another gateway" that died before routing them: no notice, found by this gateway's re-read.
    const now = new Date();
    const stored = (messageId: string, bulk: boolean | undefined) => ({
      workspaceId: DEFAULT_WORKSPACE_ID,
      messageId,
      userId: messageId,
      type: 'track' as const,
      name: 'Cart Updated',
      properties: { cart_id: 'c1' },
      timestamp: now,
      receivedAt: now,
      ...(bulk === undefined ? {} : { bulk }),
    });
    await new EventStore(gw.dataSource).acceptBatch([stored('found-import', true), stored('found-live', false)]);
    // Stored before lanes were kept: routed as the re-read's lane, bulk.
    await new EventStore(gw.dataSource).acceptBatch([stored('found-legacy', false)]);
    await gw.dataSource.query(`UPDATE events SET bulk = NULL WHERE message_id = 'found-legacy'`);
    // Admission is still closed (the test before left Temporal a backlog): only the live one goes through.
    await waitFor('the live event found in the outbox routed', async () => (await routed('found-live')) === 1, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await routed('found-import')).toBe(0);
    expect(await routed('found-legacy')).toBe(0);
  });

  it('answers another import batch 429 with Retry-After while the imports waiting exceed TRACKING_BULK_MAX_BACKLOG; live batches still go in', async () => {
    const batch = (prefix: string, size: number) => ({
      batch: Array.from({ length: size }, (_, n) => ({ type: 'track', userId: `${prefix}-${n}`, event: 'Page Viewed', messageId: `${prefix}-${n}` })),
    });
    const post = (body: unknown) =>
      fetch(`${gw.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
        body: JSON.stringify(body),
      });
    // The 1,000 held events of the test before are still waiting (nothing takes Temporal's tasks).
    const refused = await post(batch('more', 200));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toEqual({
      success: false,
      code: 'RATE_LIMITED',
      message: expect.stringMatching(/^\d+ events of imports are waiting to be routed \(TRACKING_BULK_MAX_BACKLOG 500\); retry in 2 s$/),
    });
    const [{ n }] = (await gw.dataSource.query(`SELECT count(*)::int AS n FROM events WHERE message_id LIKE 'more-%'`)) as Array<{ n: number }>;
    expect(n).toBe(0);
    expect((await post(batch('small', 50))).status).toBe(200);
    // The GraphQL batch mutation is held the same way, with a code and when to come back.
    const graphqlImport = await gw.graphql(`mutation($input: BatchInput!) { batch(input: $input) { stored } }`, {
      input: { batch: batch('gql-more', 200).batch.map((message) => ({ ...message, type: 'TRACK' })) },
    });
    expect(graphqlImport.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 2 });
  });
});
