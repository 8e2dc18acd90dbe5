import type { INestApplication } from '@nestjs/common';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { gatewayConfigSchema, loadConfig } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, InboxStore, MessageStore, WorkspaceStore, type InboxMessage as StoredInboxMessage } from '@continuum/data';
import { startGateway } from '../create-gateway';
import { toGlobalId } from '../node/global-id';
import { gatewayEnvFor, startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';
import { InboxUpdates } from './inbox-updates.service';

type Message = { id: string; message: { id: string } | null; title: string | null; body: string; data: Record<string, unknown>; createdAt: string; readAt: string | null; archivedAt: string | null };
type Connection = { edges: Array<{ cursor: string; node: Message }>; pageInfo: { hasNextPage: boolean; endCursor: string | null }; unreadCount: number };
type Update = { cursor: string; kind: string; message: Message };
type Payload = { inboxMessage: Message | null; userErrors: Array<{ code: string; field: string[] | null; message: string }> };
type GraphQLErrors = Array<{ message: string; extensions?: Record<string, unknown> }>;

const FIELDS = 'id message { id } title body data createdAt readAt archivedAt';
const INBOX = `query($userId: String!, $first: Int, $after: String, $unreadOnly: Boolean, $includeArchived: Boolean) {
  inbox(userId: $userId, first: $first, after: $after, unreadOnly: $unreadOnly, includeArchived: $includeArchived) {
    edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } unreadCount
  }
}`;
const USER_ERRORS = 'userErrors { code field message }';
const MARK_READ = `mutation($id: ID!) { markInboxMessageRead(input: { id: $id }) { inboxMessage { ${FIELDS} } ${USER_ERRORS} } }`;
const ARCHIVE = `mutation($id: ID!) { archiveInboxMessage(input: { id: $id }) { inboxMessage { ${FIELDS} } ${USER_ERRORS} } }`;
/** The global id of a stored inbox message. */
const gid = (id: string) => toGlobalId('InboxMessage', id);
const UPDATES = `subscription($userId: String!, $after: String) { inboxUpdates(userId: $userId, after: $after) { cursor kind message { ${FIELDS} } } }`;
const BATCH = `mutation($input: BatchInput!) { batch(input: $input) { stored } }`;

type Replica = { app: INestApplication; url: string };

/** One subscription's results as they arrive, with the time each arrived. */
interface Feed {
  received: Array<{ value: Update; at: number }>;
  next(timeoutMs?: number): Promise<{ value: Update; at: number }>;
  /** Resolves with the errors or close event that ended the subscription. */
  failure: Promise<unknown>;
  /** Drops the connection at once (no close handshake), as a network failure would. */
  terminate(): void;
}

// The inbox through two gateway replicas against one real PostgreSQL (and Temporal dev server);
// messages are delivered straight into PostgreSQL with InboxStore, as the worker's in-app send does.
describe('in-app inbox over GraphQL and graphql-ws', () => {
  let gw: GatewayFixture;
  let replicaA: Replica;
  let replicaB: Replica;
  let inbox: InboxStore;
  let brandKey: string;
  let brandWorkspaceId: string;
  const clients: WsClient[] = [];
  let sends = 0;

  beforeAll(async () => {
    gw = await startGatewayFixture();
    replicaA = { app: gw.app, url: gw.url };
    replicaB = await startGateway(
      loadConfig('gateway', gatewayConfigSchema, gatewayEnvFor(gw)),
    );
    inbox = new InboxStore(gw.dataSource);
    const workspaces = new WorkspaceStore(gw.dataSource);
    const brand = await workspaces.createWorkspace('brand-inbox', 'Brand Inbox');
    brandWorkspaceId = brand.id;
    brandKey = await workspaces.createApiKey(brand.id, 'inbox-test');
  });

  afterAll(async () => {
    await Promise.all(clients.map(async (client) => client.dispose()));
    await replicaB?.app.close();
    await gw?.teardown();
  });

  async function graphql<T>(replica: Replica, query: string, variables: Record<string, unknown>, apiKey: string | null = gw.apiKey) {
    const response = await fetch(`${replica.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey === null ? {} : { 'x-api-key': apiKey }) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: GraphQLErrors };
  }

  type Send = { title?: string; data?: Record<string, unknown>; workspaceId?: string };

  /** The outbox row an in-app send claims before it delivers (as the worker's messaging activity does). */
  async function outboxRow(customerId: string, body: string, workspaceId = DEFAULT_WORKSPACE_ID): Promise<string> {
    sends += 1;
    const { message } = await new MessageStore(gw.dataSource).claim({
      workspaceId,
      customerId,
      instanceId: `journey/onboarding/${customerId}/k`,
      runId: 'run-1',
      step: `in-app-${sends}`,
      channel: 'sms',
      to: customerId,
      body,
    });
    return message.id;
  }

  /** Puts a claimed send into the inbox straight through PostgreSQL, as the worker does. */
  function deliverClaimed(customerId: string, messageId: string, body: string, extra: Send = {}): Promise<StoredInboxMessage> {
    const workspaceId = extra.workspaceId ?? DEFAULT_WORKSPACE_ID;
    return inbox.deliver({ workspaceId, customerId, messageId, body, ...(extra.title ? { title: extra.title } : {}), ...(extra.data ? { data: extra.data } : {}) });
  }

  /** An in-app send as the worker makes it: an outbox row, then the inbox row for it. */
  async function deliver(customerId: string, body: string, extra: Send = {}): Promise<StoredInboxMessage> {
    return deliverClaimed(customerId, await outboxRow(customerId, body, extra.workspaceId), body, extra);
  }

  const list = async (variables: Record<string, unknown>, replica = replicaA) => {
    const result = await graphql<{ inbox: Connection }>(replica, INBOX, variables);
    expect(result.errors).toBeUndefined();
    return result.data!.inbox;
  };

  /** Opens a graphql-ws client on the replica and starts the subscription. */
  function open(replica: Replica, apiKey: string | null, userId: string, after?: string): Feed {
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
    const received: Array<{ value: Update; at: number }> = [];
    let wake: (() => void) | null = null;
    let fail!: (reason: unknown) => void;
    const failure = new Promise<unknown>((resolve) => (fail = resolve));
    let taken = 0;
    client.subscribe<{ inboxUpdates: Update }>(
      { query: UPDATES, variables: { userId, after } },
      {
        next: (result) => {
          if (result.errors) return fail(result.errors);
          received.push({ value: result.data!.inboxUpdates, at: performance.now() });
          wake?.();
        },
        error: (error) => fail(error),
        complete: () => undefined,
      },
    );
    return {
      received,
      failure,
      terminate: () => socket!.terminate(),
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
    };
  }

  /** Opens the subscription and waits until the replica has registered it, so nothing written afterwards is missed. */
  async function subscribe(replica: Replica, userId: string, apiKey = gw.apiKey, after?: string): Promise<Feed> {
    const updates = replica.app.get(InboxUpdates);
    const before = updates.subscriberCount;
    const feed = open(replica, apiKey, userId, after);
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

  it('lists the inbox newest first in pages, with the unread count and an unread filter', async () => {
    const sent = [];
    for (const body of ['first', 'second', 'third']) sent.push(await deliver('inbox-ana', body, { title: `T ${body}`, data: { link: `/m/${body}` } }));
    await deliver('inbox-other', 'not ana');

    const page1 = await list({ userId: 'inbox-ana', first: 2 });
    expect(page1.edges.map((edge) => edge.node.body)).toEqual(['third', 'second']);
    expect(page1.edges[0]!.node).toEqual({
      id: gid(sent[2]!.id),
      message: sent[2]!.messageId ? { id: toGlobalId('Message', sent[2]!.messageId) } : null,
      title: 'T third',
      body: 'third',
      data: { link: '/m/third' },
      createdAt: sent[2]!.createdAt.toISOString(),
      readAt: null,
      archivedAt: null,
    });
    expect(page1).toMatchObject({ pageInfo: { hasNextPage: true, endCursor: page1.edges[1]!.cursor }, unreadCount: 3 });
    const page2 = await list({ userId: 'inbox-ana', first: 2, after: page1.pageInfo.endCursor });
    expect(page2.edges.map((edge) => edge.node.body)).toEqual(['first']);
    expect(page2.pageInfo).toEqual({ hasNextPage: false, endCursor: page2.edges[0]!.cursor });

    expect((await graphql(replicaA, MARK_READ, { id: gid(sent[1]!.id) })).errors).toBeUndefined();
    const unread = await list({ userId: 'inbox-ana', unreadOnly: true });
    expect(unread.edges.map((edge) => edge.node.body)).toEqual(['third', 'first']);
    expect(unread.unreadCount).toBe(2);
    // Another workspace has no inbox for this customer.
    const brand = await graphql<{ inbox: Connection }>(replicaA, INBOX, { userId: 'inbox-ana' }, brandKey);
    expect(brand.data?.inbox).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, unreadCount: 0 });
  });

  it('marks read and archives idempotently; archived messages leave the inbox unless asked for', async () => {
    const message = await deliver('inbox-bo', 'hello bo');
    const read = await graphql<{ markInboxMessageRead: Payload }>(replicaA, MARK_READ, { id: gid(message.id) });
    expect(read.data?.markInboxMessageRead.inboxMessage).toMatchObject({ id: gid(message.id), readAt: expect.any(String), archivedAt: null });
    const again = await graphql<{ markInboxMessageRead: Payload }>(replicaB, MARK_READ, { id: gid(message.id) });
    expect(again.data?.markInboxMessageRead.inboxMessage?.readAt).toBe(read.data!.markInboxMessageRead.inboxMessage!.readAt);

    const archived = await graphql<{ archiveInboxMessage: Payload }>(replicaB, ARCHIVE, { id: gid(message.id) });
    expect(archived.data?.archiveInboxMessage.inboxMessage).toMatchObject({ id: gid(message.id), archivedAt: expect.any(String) });
    expect((await graphql<{ archiveInboxMessage: Payload }>(replicaA, ARCHIVE, { id: gid(message.id) })).data?.archiveInboxMessage.inboxMessage?.archivedAt).toBe(
      archived.data!.archiveInboxMessage.inboxMessage!.archivedAt,
    );
    expect((await list({ userId: 'inbox-bo' })).edges).toEqual([]);
    expect((await list({ userId: 'inbox-bo', includeArchived: true })).edges.map((edge) => edge.node.id)).toEqual([gid(message.id)]);
  });

  it('answers bad query input with BAD_USER_INPUT naming the argument, a bad or foreign id in a mutation with a user error on its input field, no key with UNAUTHENTICATED', async () => {
    const message = await deliver('inbox-cy', 'hi');
    const brandMessage = await deliver('inbox-cy', 'brand hi', { workspaceId: brandWorkspaceId });
    const error = async (query: string, variables: Record<string, unknown>, apiKey: string | null = gw.apiKey) => {
      const result = await graphql(replicaA, query, variables, apiKey);
      expect(result.data ?? null).toBeNull();
      return result.errors?.[0];
    };
    expect(await error(INBOX, { userId: '  ' })).toMatchObject({ message: 'userId: must not be empty', extensions: { code: 'BAD_USER_INPUT', field: 'userId' } });
    expect(await error(INBOX, { userId: 'inbox-cy', first: 0 })).toMatchObject({ message: 'first: must be between 1 and 100, got 0', extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    expect(await error(INBOX, { userId: 'inbox-cy', first: 101 })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    expect(await error(INBOX, { userId: 'inbox-cy', after: 'bm90LWEtY3Vyc29y' })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
    const unknownId = gid('00000000-0000-4000-8000-000000000000');
    const userErrors = async (mutation: string, id: string) => {
      const result = await graphql<Record<string, Payload>>(replicaA, mutation, { id });
      expect(result.errors).toBeUndefined();
      const payload = Object.values(result.data!)[0]!;
      expect(payload.inboxMessage).toBeNull();
      return payload.userErrors;
    };
    for (const mutation of [MARK_READ, ARCHIVE]) {
      expect(await userErrors(mutation, unknownId)).toEqual([{ code: 'NOT_FOUND', field: ['input', 'id'], message: `No inbox message "${unknownId}" in this workspace` }]);
      // Another workspace's message is not found either, and stays unchanged.
      expect(await userErrors(mutation, gid(brandMessage.id))).toMatchObject([{ code: 'NOT_FOUND', field: ['input', 'id'] }]);
      expect(await userErrors(mutation, 'not-an-id')).toEqual([{ code: 'INVALID', field: ['input', 'id'], message: 'id: "not-an-id" is not an id this API handed out' }]);
      // The global id of another type of entity is not an inbox message's.
      expect(await userErrors(mutation, toGlobalId('Profile', 'inbox-cy'))).toMatchObject([{ code: 'INVALID', field: ['input', 'id'], message: expect.stringContaining('not of a InboxMessage') }]);
      expect(await error(mutation, { id: gid(message.id) }, null)).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    }
    expect(await inbox.get(brandWorkspaceId, brandMessage.id)).toMatchObject({ readAt: null, archivedAt: null });
    expect(await inbox.get(DEFAULT_WORKSPACE_ID, message.id)).toMatchObject({ readAt: null, archivedAt: null });
    expect(await error(INBOX, { userId: 'inbox-cy' }, null)).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('fetches a message again by its global id, with its customer, and never from another workspace', async () => {
    const identify = `mutation { identify(input: { userId: "inbox-hal", traits: { first_name: "Hal" } }) { duplicate } }`;
    expect((await graphql(replicaA, identify, {})).errors).toBeUndefined();
    const message = await deliver('inbox-hal', 'hello hal');
    const orphan = await deliver('inbox-nobody', 'hello nobody');
    const NODE = `query($id: ID!) { node(id: $id) { id ... on InboxMessage { body customer { id userId traits } } } }`;
    type Found = { node: { id: string; body: string; customer: { id: string; userId: string; traits: Record<string, unknown> } | null } | null };
    expect((await graphql<Found>(replicaA, NODE, { id: gid(message.id) })).data?.node).toEqual({
      id: gid(message.id),
      body: 'hello hal',
      customer: { id: toGlobalId('Profile', 'inbox-hal'), userId: 'inbox-hal', traits: { first_name: 'Hal' } },
    });
    // A customer nobody identified has no profile: the relation is null, the message is there.
    expect((await graphql<Found>(replicaA, NODE, { id: gid(orphan.id) })).data?.node).toEqual({ id: gid(orphan.id), body: 'hello nobody', customer: null });
    expect((await graphql<Found>(replicaA, NODE, { id: gid(message.id) }, brandKey)).data).toEqual({ node: null });
    // The page's customers, asked for on every row, come with the rows.
    const page = await graphql<{ inbox: { nodes: Array<{ customer: { userId: string } | null }> } }>(replicaA, `query { inbox(userId: "inbox-hal") { nodes { customer { userId } } } }`, {});
    expect(page.data?.inbox.nodes).toEqual([{ customer: { userId: 'inbox-hal' } }]);
  });

  it('streams DELIVERED (written straight into PostgreSQL), READ and ARCHIVED to subscribers on both replicas within one second', async () => {
    const [onA, onB] = await Promise.all([subscribe(replicaA, 'inbox-di'), subscribe(replicaB, 'inbox-di')]);
    const messageId = await outboxRow('inbox-di', 'Your order shipped');
    const started = performance.now();
    const message = await deliverClaimed('inbox-di', messageId, 'Your order shipped', { title: 'Shipped', data: { orderId: 'o-1' } });
    const [a, b] = await Promise.all([onA.next(), onB.next()]);
    const latencies = [a.at - started, b.at - started];
    console.log(`inbox update latency (InboxStore.deliver → subscribers): A ${latencies[0]!.toFixed(1)} ms, B ${latencies[1]!.toFixed(1)} ms`);
    for (const { value } of [a, b]) {
      expect(value).toEqual({
        cursor: expect.any(String),
        kind: 'DELIVERED',
        message: { id: gid(message.id), message: { id: toGlobalId('Message', messageId) }, title: 'Shipped', body: 'Your order shipped', data: { orderId: 'o-1' }, createdAt: message.createdAt.toISOString(), readAt: null, archivedAt: null },
      });
    }
    for (const latency of latencies) expect(latency).toBeLessThan(1_000);

    // Read through replica B: both replicas' subscribers hear it.
    const readStarted = performance.now();
    expect((await graphql(replicaB, MARK_READ, { id: gid(message.id) })).errors).toBeUndefined();
    const [readA, readB] = await Promise.all([onA.next(), onB.next()]);
    for (const { value, at } of [readA, readB]) {
      expect(value).toMatchObject({ kind: 'READ', message: { id: gid(message.id), readAt: expect.any(String), archivedAt: null } });
      expect(at - readStarted).toBeLessThan(1_000);
    }
    // Marking it read again changes nothing and says nothing; archiving through replica A does.
    expect((await graphql(replicaA, MARK_READ, { id: gid(message.id) })).errors).toBeUndefined();
    expect((await graphql(replicaA, ARCHIVE, { id: gid(message.id) })).errors).toBeUndefined();
    const [archivedA, archivedB] = await Promise.all([onA.next(), onB.next()]);
    for (const { value } of [archivedA, archivedB]) expect(value).toMatchObject({ kind: 'ARCHIVED', message: { id: gid(message.id), archivedAt: expect.any(String) } });
    expect(onA.received.map((update) => update.value.kind)).toEqual(['DELIVERED', 'READ', 'ARCHIVED']);
  });

  it("never shows a subscriber another customer's or workspace's inbox", async () => {
    const feed = await subscribe(replicaA, 'inbox-ed', brandKey);
    await deliver('inbox-ed', 'default workspace');
    await deliver('inbox-someone', 'brand, other customer', { workspaceId: brandWorkspaceId });
    const own = await deliver('inbox-ed', 'brand, ed', { workspaceId: brandWorkspaceId });
    // Commit order is delivery order: the first update the subscriber sees is its own, written last.
    expect((await feed.next()).value).toMatchObject({ kind: 'DELIVERED', message: { id: gid(own.id), body: 'brand, ed' } });
    expect(feed.received).toHaveLength(1);
  });

  it('finds the known customer’s inbox through a merged anonymous id, for queries and subscriptions', async () => {
    const batch = async (message: Record<string, unknown>) => expect((await graphql(replicaA, BATCH, { input: { batch: [message] } })).errors).toBeUndefined();
    await batch({ type: 'TRACK', anonymousId: 'inbox-dev-1', event: 'App Opened' });
    const before = await deliver('anon:inbox-dev-1', 'Welcome, visitor');
    expect((await list({ userId: 'anon:inbox-dev-1' })).edges.map((edge) => edge.node.id)).toEqual([gid(before.id)]);

    await batch({ type: 'IDENTIFY', userId: 'inbox-fia', anonymousId: 'inbox-dev-1', traits: {} });
    const after = await deliver('inbox-fia', 'Welcome, Fia');
    // The visitor's message moved with the merge; the device's anonymous id now reads Fia's inbox.
    for (const userId of ['anon:inbox-dev-1', 'inbox-fia']) {
      expect((await list({ userId })).edges.map((edge) => edge.node.id)).toEqual([gid(after.id), gid(before.id)]);
    }
    const feed = await subscribe(replicaB, 'anon:inbox-dev-1');
    const next = await deliver('inbox-fia', 'Your first order');
    expect((await feed.next()).value).toMatchObject({ kind: 'DELIVERED', message: { id: gid(next.id) } });
  });

  it('rejects a subscription without a valid API key, or for an empty userId', async () => {
    const [noKey, badKey] = (await Promise.all([open(replicaA, null, 'inbox-ana').failure, open(replicaB, 'ck_not_a_key', 'inbox-ana').failure])) as Array<{
      code: number;
      reason: string;
    }>;
    expect({ code: noKey!.code, reason: noKey!.reason }).toEqual({ code: 4401, reason: 'Missing connectionParams["x-api-key"]' });
    expect({ code: badKey!.code, reason: badKey!.reason }).toEqual({ code: 4401, reason: 'Invalid API key' });
    const empty = (await open(replicaA, gw.apiKey, '').failure) as GraphQLErrors;
    expect(empty[0]).toMatchObject({ message: 'userId: must not be empty', extensions: { code: 'BAD_USER_INPUT', field: 'userId' } });
  });

  it('keeps delivering after its PostgreSQL listener connection is dropped', async () => {
    const feed = await subscribe(replicaA, 'inbox-gus');
    const listeners = `SELECT pid FROM pg_stat_activity WHERE application_name = 'continuum-gateway-inbox'`;
    const before: Array<{ pid: number }> = await gw.dataSource.query(listeners);
    expect(before).toHaveLength(2); // one per replica
    await gw.dataSource.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'continuum-gateway-inbox'`);
    const updates = gw.app.get(InboxUpdates);
    let reconnected = false;
    const deadline = Date.now() + 10_000;
    while (!reconnected) {
      const now: Array<{ pid: number }> = await gw.dataSource.query(listeners);
      reconnected = updates.listening && now.length === 2 && now.every((row) => !before.some((old) => old.pid === row.pid));
      if (!reconnected && Date.now() > deadline) throw new Error('timed out waiting for the listeners to reconnect');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const message = await deliver('inbox-gus', 'still here');
    expect((await feed.next()).value).toMatchObject({ kind: 'DELIVERED', message: { id: gid(message.id) } });
  });

  it('resumes after a forced disconnect with every change of the gap exactly once, in order, then live ones', async () => {
    const first = await subscribe(replicaA, 'inbox-hal');
    const m1 = await deliver('inbox-hal', 'one');
    const m2 = await deliver('inbox-hal', 'two');
    const before = [(await first.next()).value, (await first.next()).value];
    expect(before.map((update) => [update.kind, update.message.id])).toEqual([
      ['DELIVERED', gid(m1.id)],
      ['DELIVERED', gid(m2.id)],
    ]);
    const updates = replicaA.app.get(InboxUpdates);
    const open = updates.subscriberCount;
    first.terminate();
    await until(() => updates.subscriberCount === open - 1, 'the gateway to notice the dropped connection');

    // The gap: a delivery, a read and an archive through the other replica, while nobody listens.
    const m3 = await deliver('inbox-hal', 'three');
    expect((await graphql(replicaB, MARK_READ, { id: gid(m1.id) })).errors).toBeUndefined();
    expect((await graphql(replicaB, ARCHIVE, { id: gid(m2.id) })).errors).toBeUndefined();

    const second = await subscribe(replicaB, 'inbox-hal', gw.apiKey, before[1]!.cursor);
    const m4 = await deliver('inbox-hal', 'four');
    const after = [];
    for (let i = 0; i < 4; i++) after.push((await second.next()).value);
    expect(after.map((update) => [update.kind, update.message.id])).toEqual([
      ['DELIVERED', gid(m3.id)],
      ['READ', gid(m1.id)],
      ['ARCHIVED', gid(m2.id)],
      ['DELIVERED', gid(m4.id)],
    ]);
    expect(after[1]!.message.readAt).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.received).toHaveLength(4); // nothing twice
    expect(new Set([...before, ...after].map((update) => update.cursor)).size).toBe(6);
  });

  it('refuses a cursor it did not hand out, another customer\'s or another subscription\'s, with BAD_USER_INPUT naming after', async () => {
    const own = await subscribe(replicaA, 'inbox-ivy');
    await deliver('inbox-ivy', 'hello');
    const { cursor } = (await own.next()).value;
    const refusal = async (userId: string, after: string) => ((await open(replicaB, gw.apiKey, userId, after).failure) as GraphQLErrors)[0];

    expect(await refusal('inbox-ivy', 'not-a-cursor')).toMatchObject({ message: expect.stringMatching(/^after: /), extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
    expect(await refusal('inbox-jon', cursor)).toMatchObject({
      message: expect.stringContaining('was not handed out by inboxUpdates for this customer'),
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
    const activityCursor = Buffer.from(Buffer.from(cursor, 'base64url').toString('utf8').replace('inboxUpdates', 'customerActivity'), 'utf8').toString('base64url');
    expect(await refusal('inbox-ivy', activityCursor)).toMatchObject({
      message: expect.stringContaining('is a cursor of customerActivity, not of inboxUpdates'),
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
    const forged = Buffer.from('live:inboxUpdates:1:1', 'utf8').toString('base64url');
    expect(await refusal('inbox-ivy', forged)).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  });

  it('refuses a cursor older than the changes kept (pruned) with BAD_USER_INPUT naming after, saying to start afresh', async () => {
    const feed = await subscribe(replicaA, 'inbox-kim');
    await deliver('inbox-kim', 'old news');
    const { cursor } = (await feed.next()).value;
    await deliver('inbox-kim', 'newer');
    await feed.next();
    // As the hourly pruning does after 7 days: everything up to and including the cursor's change is gone.
    const [, , id] = Buffer.from(cursor, 'base64url').toString('utf8').split(':').slice(1);
    await gw.dataSource.query(`DELETE FROM live_changes WHERE id <= $1`, [id]);
    const errors = (await open(replicaB, gw.apiKey, 'inbox-kim', cursor).failure) as GraphQLErrors;
    expect(errors[0]).toMatchObject({
      message: 'after: the cursor is older than the 7 days changes are kept: read the current state again and subscribe without after',
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
  });
});
