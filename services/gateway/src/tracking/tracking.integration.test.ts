import { Analytics } from '@segment/analytics-node';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, JourneyCatalogueStore, SourceKeyStore, WorkspaceStore, type DataSource } from '@continuum/data';
import { waitFor } from '@continuum/testing';
import { journeyDescriptors } from '@continuum/worker';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

// The Segment-compatible tracking API, driven by the real @segment/analytics-node client and by raw
// HTTP, in-process against a real PostgreSQL and a real Temporal dev server (no worker: journeys
// are started and signalled, which their histories show).
describe('tracking API (Segment-compatible)', () => {
  let gw: GatewayFixture;
  let temporalClient: Client;
  let dataSource: DataSource;
  let url: string;
  let writeKey: string;
  let brandWriteKey: string;
  let apiKey: string;

  beforeAll(async () => {
    gw = await startGatewayFixture({
      // No worker takes Temporal's tasks here, so bulk admission (fair-routing.integration.test.ts) would hold imports.
      env: { ROUTING_BULK_MAX_BACKLOG: '0' },
      beforeStart: async (ds) => {
        await new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'tracking-test');
        const keys = new SourceKeyStore(ds);
        writeKey = await keys.createWriteKey(DEFAULT_WORKSPACE_ID, 'test source');
        const brand = await new WorkspaceStore(ds).createWorkspace('brand-t', 'Brand T');
        brandWriteKey = await keys.createWriteKey(brand.id, 'brand source');
      },
    });
    ({ dataSource, url, apiKey, temporal: temporalClient } = gw);
  });

  afterAll(async () => {
    await gw?.teardown();
  });

  /** A real Segment client pointed at the gateway, recording each HTTP status it gets. */
  function segmentClient(key: string, options: { flushAt?: number } = {}) {
    const client = new Analytics({ writeKey: key, host: url, flushAt: options.flushAt ?? 15, flushInterval: 10_000, maxRetries: 2 });
    const statuses: number[] = [];
    const errors: unknown[] = [];
    client.on('http_response', (response) => statuses.push(response.status));
    client.on('error', (error) => errors.push(error));
    return { client, statuses, errors };
  }

  /** The first delivery error of one call (undefined when delivered), as the client reports it. */
  function deliveryError(send: (callback: (error?: unknown) => void) => void): Promise<unknown> {
    return new Promise((resolve) => send((error) => resolve(error)));
  }

  async function post(path: string, body: unknown, options: { key?: string | null; raw?: string; contentType?: string } = {}) {
    const key = options.key === undefined ? writeKey : options.key;
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': options.contentType ?? 'application/json',
        ...(key === null ? {} : { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` }),
      },
      body: options.raw ?? JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  const count = async (where: string, params: unknown[] = []): Promise<number> =>
    ((await dataSource.query(`SELECT count(*)::int AS n FROM events WHERE ${where}`, params)) as Array<{ n: number }>)[0]!.n;

  /** The messageIds signalled to a workflow, in the order its history received them. */
  async function signalledMessageIds(workflowId: string): Promise<string[]> {
    const history = await temporalClient.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap((event) => {
      const signal = event.workflowExecutionSignaledEventAttributes;
      const data = signal?.signalName === 'customerEvent' ? signal.input?.payloads?.[0]?.data : undefined;
      return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { messageId: string }).messageId] : [];
    });
  }

  const allRouted = (where: string, params: unknown[] = []) =>
    waitFor('every event routed', async () => (await count(`(${where}) AND routed_at IS NULL`, params)) === 0, 30_000);

  describe('with @segment/analytics-node', () => {
    it('stores identify and track with the spec fields, updates the profile and enters the journey', async () => {
      const { client, statuses } = segmentClient(writeKey);
      client.identify({
        userId: 'seg-ana',
        anonymousId: 'device-1',
        traits: { first_name: 'Ana', phone: '+55 (11) 91234-5678', email: 'Ana@Example.com' },
        context: { ip: '203.0.113.7', locale: 'pt-BR' },
        messageId: 'seg-identify-1',
      });
      client.track({
        userId: 'seg-ana',
        event: 'Cart Updated',
        properties: { cart_id: 'c1', items: [{ name: 'Shoes' }] },
        integrations: { All: false },
        messageId: 'seg-track-1',
      });
      await client.closeAndFlush();
      expect(statuses).toEqual([200]);

      const [identify] = await dataSource.query(
        `SELECT e.user_id, e.anonymous_id, e.type, e.traits, e.context, e.sent_at, k.name AS source FROM events e
         JOIN source_write_keys k ON k.id = e.source_id WHERE message_id = 'seg-identify-1'`,
      );
      expect(identify).toMatchObject({ user_id: 'seg-ana', anonymous_id: 'device-1', type: 'identify', source: 'test source' });
      expect(identify.context).toMatchObject({ ip: '203.0.113.7', locale: 'pt-BR', library: { name: '@segment/analytics-node' } });
      expect(identify.sent_at).not.toBeNull();
      const [profile] = await dataSource.query(`SELECT traits, phone, email FROM profiles WHERE user_id = 'seg-ana'`);
      expect(profile).toMatchObject({ phone: '+5511912345678', email: 'ana@example.com', traits: { first_name: 'Ana' } });

      const [track] = await dataSource.query(`SELECT name, properties, integrations FROM events WHERE message_id = 'seg-track-1'`);
      expect(track).toMatchObject({ name: 'Cart Updated', properties: { cart_id: 'c1' }, integrations: { All: false } });
      await allRouted(`message_id IN ('seg-identify-1', 'seg-track-1')`);
      expect(await signalledMessageIds('journey/abandoned-cart/seg-ana/c1')).toEqual(['seg-track-1']);
    });

    it('stores a batch of 1,000 events once each in the order sent, routes each customer in order, and a re-sent batch adds nothing', async () => {
      const customers = 40;
      const messages = Array.from({ length: 1000 }, (_, index) => ({
        userId: `bulk-${index % customers}`,
        event: index % 3 === 2 ? 'Product Viewed' : 'Cart Updated',
        properties: { cart_id: 'cart', items: [{ name: `item ${index}` }] },
        messageId: `bulk-${index}`,
      }));
      const send = async () => {
        const { client, statuses } = segmentClient(writeKey, { flushAt: 1000 });
        let requests = 0;
        client.on('http_request', () => requests++);
        for (const message of messages) client.track(message);
        await client.closeAndFlush();
        return { statuses, requests };
      };

      expect(await send()).toEqual({ statuses: [200], requests: 1 });
      const stored: Array<{ message_id: string }> = await dataSource.query(`SELECT message_id FROM events WHERE message_id LIKE 'bulk-%' ORDER BY id`);
      expect(stored.map((row) => row.message_id)).toEqual(messages.map((message) => message.messageId));
      await allRouted(`message_id LIKE 'bulk-%'`);
      const expectedOrder = (customer: number) =>
        messages.filter((message, index) => index % customers === customer && message.event === 'Cart Updated').map((message) => message.messageId);
      for (const customer of [0, 17, 39]) {
        expect(await signalledMessageIds(`journey/abandoned-cart/bulk-${customer}/cart`)).toEqual(expectedOrder(customer));
      }

      expect(await send()).toEqual({ statuses: [200], requests: 1 });
      expect(await count(`message_id LIKE 'bulk-%'`)).toBe(1000);
      await allRouted(`message_id LIKE 'bulk-%'`);
      expect(await signalledMessageIds('journey/abandoned-cart/bulk-17/cart')).toEqual(expectedOrder(17));
    });

    it('stores page, screen, group and alias; without userId the customer is anon:<anonymousId> until an alias merges it', async () => {
      const { client, statuses } = segmentClient(writeKey);
      client.page({ anonymousId: 'visitor-9', category: 'Shop', name: 'Checkout', properties: { path: '/checkout' }, messageId: 'seg-page-1' });
      client.screen({ anonymousId: 'visitor-9', name: 'Cart', messageId: 'seg-screen-1' });
      client.group({ userId: 'seg-ana', groupId: 'acme', traits: { plan: 'enterprise' }, messageId: 'seg-group-1' });
      client.alias({ userId: 'seg-ana', previousId: 'visitor-9', messageId: 'seg-alias-1' });
      await client.closeAndFlush();
      expect(statuses).toEqual([200]);
      const rows: Array<Record<string, unknown>> = await dataSource.query(
        `SELECT message_id, type, user_id, anonymous_id, name, properties, group_id, previous_id, traits, routed_at IS NOT NULL AS settled
         FROM events WHERE message_id LIKE 'seg-%-1' AND type NOT IN ('track', 'identify') ORDER BY id`,
      );
      // The alias made visitor-9 (anon:visitor-9 until then) part of seg-ana: its events moved with it.
      expect(rows).toEqual([
        expect.objectContaining({ type: 'page', user_id: 'seg-ana', anonymous_id: 'visitor-9', name: 'Checkout', properties: { path: '/checkout', category: 'Shop' } }),
        expect.objectContaining({ type: 'screen', user_id: 'seg-ana', name: 'Cart' }),
        expect.objectContaining({ type: 'group', user_id: 'seg-ana', group_id: 'acme', traits: { plan: 'enterprise' } }),
        expect.objectContaining({ type: 'alias', user_id: 'seg-ana', previous_id: 'visitor-9' }),
      ]);
      // Journeys receive track and identify only: the others are settled as they are stored.
      expect(rows.every((row) => row['settled'] === true)).toBe(true);
      expect(await dataSource.query(`SELECT user_id FROM profiles WHERE user_id = 'anon:visitor-9'`)).toEqual([]);
      const merges = await dataSource.query(`SELECT from_customer, into_customer, reason, message_id FROM profile_merges WHERE into_customer = 'seg-ana'`);
      expect(merges).toEqual([{ from_customer: 'anon:visitor-9', into_customer: 'seg-ana', reason: 'alias', message_id: 'seg-alias-1' }]);
    });

    it('gets 401 for a wrong write key (not retried) and nothing is stored', async () => {
      const { client, statuses } = segmentClient('wk_not_a_key');
      const delivered = deliveryError((callback) => client.track({ userId: 'x', event: 'Signed Up', messageId: 'seg-wrong-key' }, callback));
      await client.closeAndFlush();
      const error = await delivered;
      expect(String(error)).toMatch(/\[401\] Unauthorized/);
      expect(statuses).toEqual([401]);
      expect(await count(`message_id = 'seg-wrong-key'`)).toBe(0);
    });

    it('stores the valid event of a batch beside an invalid phone number (200, nothing retried), and gets 400 when all are invalid', async () => {
      const { client, statuses } = segmentClient(writeKey, { flushAt: 2 });
      const errors = Promise.all([
        deliveryError((callback) => client.track({ userId: 'seg-bad', event: 'Signed Up', messageId: 'seg-bad-phone-0' }, callback)),
        deliveryError((callback) => client.identify({ userId: 'seg-bad', traits: { phone: '555-0100' }, messageId: 'seg-bad-phone-1' }, callback)),
      ]);
      await client.closeAndFlush();
      // As Segment's own API: 200 for the request; the invalid event is refused, its neighbour kept.
      expect(await errors).toEqual([undefined, undefined]);
      expect(statuses).toEqual([200]);
      expect(await count(`message_id = 'seg-bad-phone-0'`)).toBe(1);
      expect(await count(`message_id = 'seg-bad-phone-1'`)).toBe(0);

      const allBad = segmentClient(writeKey, { flushAt: 2 });
      const refused = Promise.all([
        deliveryError((callback) => allBad.client.identify({ userId: 'seg-bad', traits: { email: 'nope' }, messageId: 'seg-bad-all-0' }, callback)),
        deliveryError((callback) => allBad.client.identify({ userId: 'seg-bad', traits: { phone: '12' }, messageId: 'seg-bad-all-1' }, callback)),
      ]);
      await allBad.client.closeAndFlush();
      for (const error of await refused) expect(String(error)).toMatch(/\[400\] Bad Request/);
      expect(allBad.statuses).toEqual([400]);
      expect(await count(`message_id LIKE 'seg-bad-all-%'`)).toBe(0);
    });
  });

  describe('over HTTP', () => {
    it('answers every call with 200 {"success":true} and corrects the timestamp for client clock skew', async () => {
      const clientNow = Date.now() + 60 * 60 * 1000; // the client's clock runs an hour fast
      const sentAt = new Date(clientNow).toISOString();
      const timestamp = new Date(clientNow - 5000).toISOString(); // it happened 5 s before sending
      const calls: Array<[string, Record<string, unknown>]> = [
        ['/v1/track', { userId: 'http-1', event: 'Signed Up', messageId: 'http-track', timestamp, sentAt }],
        ['/v1/identify', { userId: 'http-1', traits: { plan: 'pro' }, messageId: 'http-identify' }],
        ['/v1/page', { anonymousId: 'a-1', name: 'Home', messageId: 'http-page' }],
        ['/v1/screen', { userId: 'http-1', name: 'Home', messageId: 'http-screen' }],
        ['/v1/group', { userId: 'http-1', groupId: 'g-1', messageId: 'http-group' }],
        ['/v1/alias', { userId: 'http-1', previousId: 'a-1', messageId: 'http-alias' }],
        ['/v1/batch', { batch: [{ type: 'track', userId: 'http-1', event: 'Batched', messageId: 'http-batch' }], context: { app: 'x' } }],
      ];
      for (const [path, body] of calls) {
        const response = await post(path, body);
        expect({ path, status: response.status, body: response.body }).toEqual({ path, status: 200, body: { success: true } });
      }
      const [track] = await dataSource.query(
        `SELECT EXTRACT(EPOCH FROM received_at - timestamp) * 1000 AS before_receipt, original_timestamp, sent_at FROM events WHERE message_id = 'http-track'`,
      );
      expect(Number(track.before_receipt)).toBe(5000);
      expect(track.original_timestamp.toISOString()).toBe(timestamp);
      expect(track.sent_at.toISOString()).toBe(sentAt);
      const [batched] = await dataSource.query(`SELECT type, context FROM events WHERE message_id = 'http-batch'`);
      expect(batched).toEqual({ type: 'track', context: { app: 'x' } });
      expect(await count(`message_id LIKE 'http-%'`)).toBe(calls.length);
    });

    it('settles an event Temporal refuses with its routing error, without holding back the customer', async () => {
      const batch = [
        { type: 'track', userId: 'poison-u', event: 'Cart Updated', properties: { cart_id: 'k'.repeat(2000) }, messageId: 'poison-1' },
        { type: 'track', userId: 'poison-u', event: 'Cart Updated', properties: { cart_id: 'p2' }, messageId: 'poison-2' },
      ];
      expect((await post('/v1/batch', { batch })).status).toBe(200);
      await allRouted(`message_id LIKE 'poison-%'`);
      const [refused] = await dataSource.query(`SELECT routing_error FROM events WHERE message_id = 'poison-1'`);
      expect(refused.routing_error).toMatch(/INVALID_ARGUMENT|length/i);
      expect(await signalledMessageIds('journey/abandoned-cart/poison-u/p2')).toEqual(['poison-2']);
    });

    it('accepts the write key in the body too, and keeps each workspace to its own events', async () => {
      const response = await post('/v1/track', { writeKey: brandWriteKey, userId: 'shared', event: 'Cart Updated', properties: { cart_id: 'b1' }, messageId: 'brand-1' }, { key: null });
      expect(response.status).toBe(200);
      const [row] = await dataSource.query(`SELECT w.slug FROM events e JOIN workspaces w ON w.id = e.workspace_id WHERE e.message_id = 'brand-1'`);
      expect(row.slug).toBe('brand-t');
      await allRouted(`message_id = 'brand-1'`);
      expect(await signalledMessageIds('journey/abandoned-cart/brand-t:shared/b1')).toEqual(['brand-1']);
    });

    it('answers a missing, wrong or revoked write key with 401', async () => {
      expect(await post('/v1/track', { userId: 'u', event: 'E', messageId: 'auth-1' }, { key: null })).toMatchObject({
        status: 401,
        body: { success: false, code: 'UNAUTHENTICATED', message: expect.stringMatching(/^Missing write key/) },
      });
      expect(await post('/v1/track', { userId: 'u', event: 'E', messageId: 'auth-2' }, { key: 'wk_wrong' })).toMatchObject({
        status: 401,
        body: { success: false, code: 'UNAUTHENTICATED', message: 'Invalid write key' },
      });
      const keys = new SourceKeyStore(dataSource);
      const revoked = await keys.createWriteKey(DEFAULT_WORKSPACE_ID, 'revoked source');
      const [source] = await keys.list(DEFAULT_WORKSPACE_ID).then((all) => all.filter((key) => key.name === 'revoked source'));
      expect(await keys.revoke(DEFAULT_WORKSPACE_ID, source!.id)).toBe(true);
      expect((await post('/v1/track', { userId: 'u', event: 'E', messageId: 'auth-3' }, { key: revoked })).status).toBe(401);
      const bearer = await fetch(`${url}/v1/track`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${writeKey}` },
        body: JSON.stringify({ userId: 'u', event: 'E', messageId: 'auth-4' }),
      });
      expect(bearer.status).toBe(401);
      expect(await count(`message_id LIKE 'auth-%'`)).toBe(0);
    });

    const big = (bytes: number) => 'x'.repeat(bytes);
    it.each([
      ['/v1/track', { event: 'E', messageId: 'bad-0' }, 'userId', 'userId: either userId or anonymousId is required'],
      ['/v1/track', { userId: '', anonymousId: null, event: 'E', messageId: 'bad-1' }, 'userId', 'userId: either userId or anonymousId is required'],
      ['/v1/track', { userId: 'u', messageId: 'bad-2' }, 'event', 'event: is required for track'],
      ['/v1/track', { userId: 'a/b', event: 'E', messageId: 'bad-3' }, 'userId', 'userId: "a/b" must not contain "/" or whitespace'],
      ['/v1/track', { userId: 'u', event: 'E', timestamp: 'yesterday', messageId: 'bad-4' }, 'timestamp', /^timestamp: "yesterday" is not an ISO-8601 date/],
      ['/v1/track', { userId: 'u', event: 'E', context: 'web', messageId: 'bad-5' }, 'context', 'context: must be a JSON object'],
      ['/v1/track', { userId: 'u', event: 'E', properties: { blob: big(33 * 1024) }, messageId: 'bad-6' }, 'body', /^body: the event is \d+ bytes; the limit is 32 KB per event$/],
      ['/v1/identify', { userId: 'u', traits: { phone: '555-0100' }, messageId: 'bad-7' }, 'traits.phone', /^traits\.phone: "555-0100" is not a phone number in international format \(E\.164\)/],
      ['/v1/identify', { userId: 'u', traits: { email: 'nope' }, messageId: 'bad-8' }, 'traits.email', 'traits.email: "nope" is not an email address'],
      ['/v1/group', { userId: 'u', messageId: 'bad-9' }, 'groupId', 'groupId: is required for group'],
      ['/v1/alias', { userId: 'u', messageId: 'bad-10' }, 'previousId', 'previousId: is required for alias'],
      ['/v1/alias', { anonymousId: 'a', previousId: 'p', messageId: 'bad-11' }, 'userId', 'userId: is required for alias'],
      ['/v1/batch', { batch: [{ type: 'track', event: 'E', messageId: 'bad-13' }] }, 'batch[0].userId', 'batch[0].userId: either userId or anonymousId is required'],
      ['/v1/batch', { batch: [{ type: 'click', userId: 'u', messageId: 'bad-14' }] }, 'batch[0].type', 'batch[0].type: must be one of track, identify, page, screen, group, alias'],
      [
        '/v1/batch',
        { batch: [{ type: 'identify', userId: 'u', traits: { email: 'x' }, messageId: 'bad-15' }, { type: 'identify', userId: 'u', traits: { phone: '12' }, messageId: 'bad-16' }] },
        'batch[0].traits.email',
        'batch[0].traits.email: "x" is not an email address (and 1 more refused)',
      ],
      ['/v1/batch', { batch: [{ type: 'track', userId: 'u', event: 'E', properties: { blob: big(33 * 1024) }, messageId: 'bad-17' }] }, 'batch[0]', /^batch\[0\]: the event is \d+ bytes; the limit is 32 KB per event$/],
      [
        '/v1/batch',
        { batch: Array.from({ length: 20 }, (_, i) => ({ type: 'track', userId: 'u', event: 'E', properties: { blob: big(30 * 1024) }, messageId: `bad-18-${i}` })) },
        'batch',
        /^batch: the request is \d+ bytes; the limit is 500 KB per batch$/,
      ],
      [
        '/v1/batch',
        { batch: Array.from({ length: 40 }, (_, i) => ({ type: 'track', userId: 'u', event: 'E', properties: { blob: big(30 * 1024) }, messageId: `bad-19-${i}` })) },
        'batch',
        /^batch: the request is \d+ bytes; the limit is 500 KB per batch$/,
      ],
      ['/v1/batch', { events: [] }, 'batch', 'batch: must be an array of events'],
      ['/v1/track', { userId: 'u', event: 'E', properties: { note: 'a\u0000b' }, messageId: 'bad-20' }, 'properties.note', 'properties.note: contains a NUL character (U+0000) at offset 1, which cannot be stored'],
      ['/v1/track', { userId: 'u\ud800', event: 'E', messageId: 'bad-21' }, 'userId', /^userId: contains a lone UTF-16 surrogate \(U\+D800\)/],
      ['/v1/track', { userId: 'u', event: 'E\u0000', messageId: 'bad-22' }, 'event', /^event: contains a NUL/],
      ['/v1/identify', { userId: 'u', traits: { ['first\u0000name']: 'Ana' }, messageId: 'bad-23' }, 'traits["first\\u0000name"]', /^traits\["first\\u0000name"\]: \(a key\) contains a NUL/],
      ['/v1/batch', { batch: [{ type: 'track', userId: 'u', event: 'E', messageId: 'bad-24' }], context: { ip: '\udc00' } }, 'context.ip', /^context\.ip: contains a lone UTF-16 surrogate \(U\+DC00\)/],
      ['/v1/track', { userId: 'u', event: 'E', properties: { deep: JSON.parse('['.repeat(100) + ']'.repeat(100)) as unknown }, messageId: 'bad-25' }, expect.stringMatching(/^properties\.deep(\[0\])+$/), /is nested more than 64 levels deep$/],
    ])('answers %s %j with 400 naming %s, storing nothing', async (path, body, field, message) => {
      const response = await post(path, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ success: false, code: 'BAD_USER_INPUT', field });
      if (typeof message === 'string') expect(response.body['message']).toBe(message);
      else expect(response.body['message']).toMatch(message);
      expect(await count(`message_id LIKE 'bad-%'`)).toBe(0);
    });

    it('stores the valid events of a partly invalid batch in order, and lists each refused one with its index and field', async () => {
      const batch = [
        { type: 'track', userId: 'part-u', event: 'E', messageId: 'part-1' },
        { type: 'track', event: 'E', messageId: 'part-2' },
        { type: 'identify', userId: 'part-u', traits: { phone: '12' }, messageId: 'part-3' },
        { type: 'track', userId: 'part-u', event: 'E', properties: { note: 'x\u0000' }, messageId: 'part-4' },
        { type: 'track', userId: 'part-u', event: 'F', messageId: 'part-5' },
        'not an event',
      ];
      const response = await post('/v1/batch', { batch });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        success: true,
        accepted: 2,
        refused: [
          { index: 1, messageId: 'part-2', code: 'BAD_USER_INPUT', field: 'batch[1].userId', message: 'batch[1].userId: either userId or anonymousId is required' },
          { index: 2, messageId: 'part-3', code: 'BAD_USER_INPUT', field: 'batch[2].traits.phone', message: expect.stringMatching(/^batch\[2\]\.traits\.phone: "12" is not a phone number/) },
          { index: 3, messageId: 'part-4', code: 'BAD_USER_INPUT', field: 'batch[3].properties.note', message: expect.stringMatching(/NUL character/) },
          { index: 5, code: 'BAD_USER_INPUT', field: 'batch[5]', message: 'batch[5]: must be a JSON object' },
        ],
      });
      const stored = (await dataSource.query(`SELECT message_id FROM events WHERE message_id LIKE 'part-%' ORDER BY id`)) as Array<{ message_id: string }>;
      expect(stored.map((row) => row.message_id)).toEqual(['part-1', 'part-5']);
      // The same batch again: nothing new is stored, the same ones are refused.
      expect((await post('/v1/batch', { batch })).body).toMatchObject({ success: true, accepted: 2, refused: [{ index: 1 }, { index: 2 }, { index: 3 }, { index: 5 }] });
      expect(await count(`message_id LIKE 'part-%'`)).toBe(2);
    });

    it('answers malformed JSON with 400 and JSON, never 500 or an HTML page', async () => {
      const response = await post('/v1/batch', undefined, { raw: '{"batch": [{"type": "track",' });
      expect(response).toMatchObject({ status: 400, contentType: expect.stringMatching(/application\/json/), body: { success: false, field: 'body' } });
      expect(response.body['message']).toMatch(/^body: malformed JSON/);
      const notJson = await post('/v1/track', undefined, { raw: 'userId=u&event=E', contentType: 'text/plain' });
      expect(notJson).toMatchObject({ status: 400, body: { field: 'body', message: 'body: must be a JSON object' } });
      const graphql = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': apiKey }, body: '{"query": ' });
      expect(graphql.status).toBe(400);
      expect(await graphql.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', message: expect.stringMatching(/^body: malformed JSON/) } });
    });
  });

  describe('GraphQL mutations', () => {
    async function graphql<T>(query: string, variables: Record<string, unknown>) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }> };
    }

    it('offers page, screen, group, alias and batch with the same rules', async () => {
      const CALL = '{ event { messageId type } duplicate userErrors { code } }';
      const single = await graphql<Record<string, { event: { messageId: string; type: string }; duplicate: boolean; userErrors: unknown[] }>>(
        `mutation {
          page(input: { anonymousId: "gql-v", name: "Pricing", properties: { path: "/pricing" }, messageId: "gql-page" }) ${CALL}
          screen(input: { userId: "gql-u", name: "Home", messageId: "gql-screen" }) ${CALL}
          group(input: { userId: "gql-u", groupId: "g-9", traits: { seats: 3 }, messageId: "gql-group" }) ${CALL}
          alias(input: { userId: "gql-u", previousId: "gql-v", messageId: "gql-alias" }) ${CALL}
        }`,
        {},
      );
      expect(single.errors).toBeUndefined();
      expect(single.data).toEqual({
        page: { event: { messageId: 'gql-page', type: 'PAGE' }, duplicate: false, userErrors: [] },
        screen: { event: { messageId: 'gql-screen', type: 'SCREEN' }, duplicate: false, userErrors: [] },
        group: { event: { messageId: 'gql-group', type: 'GROUP' }, duplicate: false, userErrors: [] },
        alias: { event: { messageId: 'gql-alias', type: 'ALIAS' }, duplicate: false, userErrors: [] },
      });
      const refusedPage = await graphql<{ page: { event: unknown; duplicate: unknown; userErrors: unknown[] } }>(
        `mutation { page(input: { name: "Pricing" }) { event { messageId } duplicate userErrors { code field message } } }`,
        {},
      );
      expect(refusedPage.data!.page).toEqual({
        event: null,
        duplicate: null,
        userErrors: [{ code: 'INVALID', field: ['input', 'userId'], message: 'userId: either userId or anonymousId is required' }],
      });

      const BATCH = `mutation($input: BatchInput!) { batch(input: $input) { stored duplicates accepted { event { messageId } duplicate } userErrors { code field message } } }`;
      const batch = {
        batch: [
          { type: 'IDENTIFY', userId: 'gql-u', traits: { phone: '+14155550100' }, messageId: 'gql-b1' },
          { type: 'TRACK', userId: 'gql-u', event: 'Cart Updated', properties: { cart_id: 'g1' }, messageId: 'gql-b2' },
          { type: 'PAGE', userId: 'gql-u', name: 'Cart', messageId: 'gql-page' },
        ],
        context: { source: 'graphql' },
      };
      const result = await graphql<{ batch: { stored: number; duplicates: number; accepted: unknown[] } }>(BATCH, { input: batch });
      expect(result.data?.batch).toEqual({
        stored: 2,
        duplicates: 1,
        accepted: [
          { event: { messageId: 'gql-b1' }, duplicate: false },
          { event: { messageId: 'gql-b2' }, duplicate: false },
          { event: { messageId: 'gql-page' }, duplicate: true },
        ],
        userErrors: [],
      });
      const [profile] = await dataSource.query(`SELECT phone FROM profiles WHERE user_id = 'gql-u'`);
      expect(profile.phone).toBe('+14155550100');
      await allRouted(`message_id LIKE 'gql-%'`);
      expect(await signalledMessageIds('journey/abandoned-cart/gql-u/g1')).toEqual(['gql-b2']);

      const BATCH_REFUSED = `mutation($input: BatchInput!) { batch(input: $input) { stored accepted { event { messageId } } refused { index messageId code field message } } }`;
      const partly = await graphql(BATCH_REFUSED, {
        input: { batch: [{ type: 'TRACK', userId: 'gql-u', event: 'E', messageId: 'gql-part-1' }, { type: 'TRACK', event: 'E', messageId: 'gql-part-2' }] },
      });
      expect(partly.data).toEqual({
        batch: {
          stored: 1,
          accepted: [{ event: { messageId: 'gql-part-1' } }],
          refused: [
            { index: 1, messageId: 'gql-part-2', code: 'INVALID', field: ['input', 'batch', '1', 'userId'], message: 'batch[1].userId: either userId or anonymousId is required' },
          ],
        },
      });
      expect(await count(`message_id LIKE 'gql-part-%'`)).toBe(1);

      const invalid = await graphql(BATCH, {
        input: { batch: [{ type: 'TRACK', event: 'E', messageId: 'gql-bad-1' }, { type: 'TRACK', userId: 'gql-u', messageId: 'gql-bad-2' }] },
      });
      expect(invalid.errors).toBeUndefined();
      expect(invalid.data).toEqual({
        batch: {
          stored: null,
          duplicates: null,
          accepted: null,
          userErrors: [
            { code: 'INVALID', field: ['input', 'batch', '0', 'userId'], message: 'batch[0].userId: either userId or anonymousId is required' },
            { code: 'INVALID', field: ['input', 'batch', '1', 'event'], message: expect.stringContaining('batch[1].event') },
          ],
        },
      });
      expect(await count(`message_id LIKE 'gql-bad-%'`)).toBe(0);
    });

    it('routes a GraphQL track after the tracking API events its customer sent before', async () => {
      const batch = Array.from({ length: 30 }, (_, index) => ({
        type: 'track',
        userId: 'order-u',
        event: 'Cart Updated',
        properties: { cart_id: 'o1', items: [index] },
        messageId: `order-${index}`,
      }));
      expect((await post('/v1/batch', { batch })).status).toBe(200);
      const tracked = await graphql<{ track: { deliveredTo: string[] } }>(
        `mutation { track(input: { userId: "order-u", event: "Cart Updated", properties: { cart_id: "o1" }, messageId: "order-graphql" }) { deliveredTo } }`,
        {},
      );
      expect(tracked.data?.track.deliveredTo).toEqual(['journey/abandoned-cart/order-u/o1']);
      expect(await signalledMessageIds('journey/abandoned-cart/order-u/o1')).toEqual([...batch.map((event) => event.messageId), 'order-graphql']);
    });
  });
});
