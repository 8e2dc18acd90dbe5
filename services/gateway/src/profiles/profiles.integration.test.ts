import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, JournalStore, JourneyCatalogueStore, MessageStore, WorkspaceStore, type DataSource } from '@continuum/data';
import { journeyDescriptors } from '@continuum/worker';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type GqlError = { message: string; extensions?: { code?: string; field?: string } };
type EventEdge = { cursor: string; node: { messageId: string; type: string; name: string | null; properties: Record<string, unknown> } };
type EventPage = { edges: EventEdge[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number };
type ProfilePage = {
  edges: Array<{ cursor: string; node: { userId: string; email: string | null; phone: string | null } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
};

// Event history, profile search and erasure against a real PostgreSQL and Temporal dev server (no worker).
describe('profiles: events, search and erasure', () => {
  let gw: GatewayFixture;
  let dataSource: DataSource;
  let brandKey: string;

  beforeAll(async () => {
    gw = await startGatewayFixture({
      beforeStart: (ds) => new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'profiles-test'),
    });
    dataSource = gw.dataSource;
    const workspaces = new WorkspaceStore(dataSource);
    const brand = await workspaces.createWorkspace('brand-p', 'Brand P');
    brandKey = await workspaces.createApiKey(brand.id, 'test');
  });

  afterAll(async () => {
    await gw?.teardown();
  });

  function graphql<T>(query: string, variables: Record<string, unknown> = {}, apiKey: string = gw.apiKey) {
    return gw.graphql<T>(query, variables, apiKey) as Promise<{ data?: T; errors?: GqlError[] }>;
  }

  const IDENTIFY = `mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`;
  const TRACK = `mutation($input: TrackInput!) { track(input: $input) { deliveredTo } }`;
  const EVENTS = `query($userId: String!, $first: Int!, $after: String, $type: TrackingCall, $name: String) {
    profile(userId: $userId) {
      events(first: $first, after: $after, type: $type, name: $name) {
        edges { cursor node { messageId type name properties traits timestamp receivedAt } }
        pageInfo { hasNextPage endCursor }
        totalCount
      }
    }
  }`;
  const SEARCH = `query($query: ProfileSearchInput, $first: Int, $after: String, $last: Int, $before: String, $orderBy: ProfileOrder) {
    searchProfiles(query: $query, first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
      edges { cursor node { userId email phone } }
      pageInfo { hasNextPage endCursor }
      totalCount
    }
  }`;
  const DELETE = `mutation($userId: String!) { deleteProfile(input: { userId: $userId }) {
    deletedProfileId deletedUserId instancesEnded eventsDeleted messagesDeleted userErrors { code field message } } }`;

  async function events(variables: Record<string, unknown>): Promise<{ page?: EventPage; errors?: GqlError[] }> {
    const result = await graphql<{ profile: { events: EventPage } | null }>(EVENTS, { userId: 'pager', ...variables });
    return { page: result.data?.profile?.events, errors: result.errors };
  }

  async function search(variables: Record<string, unknown>, apiKey?: string): Promise<{ page?: ProfilePage; errors?: GqlError[] }> {
    const result = await graphql<{ searchProfiles: ProfilePage }>(SEARCH, { ...('last' in variables ? {} : { first: 20 }), ...variables }, apiKey);
    return { page: result.data?.searchProfiles, errors: result.errors };
  }

  async function track(userId: string, event: string, messageId: string, properties: Record<string, unknown> = {}, apiKey?: string) {
    const result = await graphql<{ track: { deliveredTo: string[] } }>(TRACK, { input: { userId, event, properties, messageId } }, apiKey);
    expect(result.errors).toBeUndefined();
    return result.data!.track.deliveredTo;
  }

  async function identify(userId: string, traits: Record<string, unknown>, apiKey?: string) {
    const result = await graphql(IDENTIFY, { input: { userId, traits } }, apiKey);
    expect(result.errors).toBeUndefined();
  }

  describe('profile.events', () => {
    beforeAll(async () => {
      await identify('pager', { first_name: 'Pat' });
      for (let i = 1; i <= 7; i++) await track('pager', i % 2 === 0 ? 'Clicked' : 'Viewed', `pager-${i}`, { n: i });
    });

    it('pages newest first with stable cursors and a totalCount of every page', async () => {
      const first = await events({ first: 3 });
      expect(first.errors).toBeUndefined();
      expect(first.page!.totalCount).toBe(8);
      expect(first.page!.edges.map((edge) => edge.node.messageId)).toEqual(['pager-7', 'pager-6', 'pager-5']);
      expect(first.page!.pageInfo).toEqual({ hasNextPage: true, endCursor: first.page!.edges[2]!.cursor });
      expect(first.page!.edges[0]!.node).toMatchObject({ type: 'TRACK', name: 'Viewed', properties: { n: 7 } });

      const second = await events({ first: 3, after: first.page!.pageInfo.endCursor });
      expect(second.page!.edges.map((edge) => edge.node.messageId)).toEqual(['pager-4', 'pager-3', 'pager-2']);
      expect(second.page!.pageInfo.hasNextPage).toBe(true);

      const third = await events({ first: 3, after: second.page!.pageInfo.endCursor });
      expect(third.page!.edges.map((edge) => edge.node.messageId)).toEqual(['pager-1', expect.any(String)]);
      expect(third.page!.edges[1]!.node).toMatchObject({ type: 'IDENTIFY', name: null });
      expect(third.page!.pageInfo.hasNextPage).toBe(false);

      // A new event goes on top; the cursor of page one still leads to the same second page.
      await track('pager', 'Viewed', 'pager-8', { n: 8 });
      const again = await events({ first: 3, after: first.page!.pageInfo.endCursor });
      expect(again.page!.edges).toEqual(second.page!.edges);
      expect(again.page!.totalCount).toBe(9);
      const top = await events({ first: 1 });
      expect(top.page!.edges[0]!.node.messageId).toBe('pager-8');
    });

    it('filters by type and by name (totalCount counts the filtered events)', async () => {
      const identifies = await events({ first: 10, type: 'IDENTIFY' });
      expect(identifies.page!.totalCount).toBe(1);
      expect(identifies.page!.edges[0]!.node).toMatchObject({ type: 'IDENTIFY', traits: { first_name: 'Pat' } });

      const clicked = await events({ first: 2, name: 'Clicked' });
      expect(clicked.page!.totalCount).toBe(3);
      expect(clicked.page!.edges.map((edge) => edge.node.messageId)).toEqual(['pager-6', 'pager-4']);
      const rest = await events({ first: 2, name: 'Clicked', after: clicked.page!.pageInfo.endCursor });
      expect(rest.page!.edges.map((edge) => edge.node.messageId)).toEqual(['pager-2']);
      expect(rest.page!.pageInfo.hasNextPage).toBe(false);

      const none = await events({ first: 5, type: 'TRACK', name: 'Never Sent' });
      expect(none.page).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 });
    });

    it.each([0, 101, -1])('rejects first = %d with BAD_USER_INPUT naming first', async (first) => {
      const result = await events({ first });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      expect(result.errors?.[0]?.message).toMatch(/first: must be between 1 and 100/);
    });

    it.each(['not a cursor', Buffer.from('abc').toString('base64'), Buffer.from('0').toString('base64'), ''])(
      'rejects the malformed cursor %j with BAD_USER_INPUT naming after',
      async (after) => {
        const result = await events({ first: 3, after });
        expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      },
    );

    it('never returns events of the same userId in another workspace', async () => {
      await track('pager', 'Viewed', 'brand-pager-1', {}, brandKey);
      const brand = await graphql<{ profile: { events: EventPage } }>(EVENTS, { userId: 'pager', first: 50 }, brandKey);
      expect(brand.data!.profile.events.edges.map((edge) => edge.node.messageId)).toEqual(['brand-pager-1']);
      const own = await events({ first: 50 });
      expect(own.page!.edges.map((edge) => edge.node.messageId)).not.toContain('brand-pager-1');
    });
  });

  describe('searchProfiles', () => {
    beforeAll(async () => {
      await identify('sam', { email: 'Sam@Example.com', phone: '+55 (11) 91234-0001', plan: 'gold' });
      await identify('sue', { email: 'sue@example.com', phone: '+5511912340002', plan: 'gold' });
      await identify('syd', { email: 'syd@example.com', plan: 'gold', city: 'Lisbon' });
      await identify('tia', { email: 'tia@example.com', plan: 'free' });
      // Another workspace with the same identities: never visible to the default key.
      await identify('sam-elsewhere', { email: 'sam@example.com', phone: '+5511912340001', plan: 'gold' }, brandKey);
    });

    const userIds = (page?: ProfilePage) => page?.edges.map((edge) => edge.node.userId);

    it('finds by userId', async () => {
      const { page, errors } = await search({ query: { userId: 'sue' } });
      expect(errors).toBeUndefined();
      expect(page).toMatchObject({ totalCount: 1, edges: [{ node: { userId: 'sue', email: 'sue@example.com', phone: '+5511912340002' } }] });
    });

    it('finds by email, case-insensitively', async () => {
      expect(userIds((await search({ query: { email: ' SAM@example.COM ' } })).page)).toEqual(['sam']);
    });

    it('normalises the phone to E.164 before searching', async () => {
      expect(userIds((await search({ query: { phone: '+55 11 91234-0001' } })).page)).toEqual(['sam']);
      expect(userIds((await search({ query: { phone: '0055 (11) 91234 0002' } })).page)).toEqual(['sue']);
    });

    it('finds by trait, combines criteria with AND and pages by userId', async () => {
      const first = await search({ query: { trait: { name: 'plan', value: 'gold' } }, first: 2 });
      expect(first.page!.totalCount).toBe(3);
      expect(userIds(first.page)).toEqual(['sam', 'sue']);
      expect(first.page!.pageInfo).toEqual({ hasNextPage: true, endCursor: first.page!.edges[1]!.cursor });
      const second = await search({ query: { trait: { name: 'plan', value: 'gold' } }, first: 2, after: first.page!.pageInfo.endCursor });
      expect(userIds(second.page)).toEqual(['syd']);
      expect(second.page!.pageInfo.hasNextPage).toBe(false);

      expect(userIds((await search({ query: { trait: { name: 'city', value: 'Lisbon' } } })).page)).toEqual(['syd']);
      expect(userIds((await search({ query: { trait: { name: 'plan', value: 'gold' }, email: 'tia@example.com' } })).page)).toEqual([]);
      expect(userIds((await search({ query: { trait: { name: 'plan', value: 'free' }, email: 'tia@example.com' } })).page)).toEqual(['tia']);
    });

    it('searches only the caller workspace', async () => {
      const own = await search({ query: { email: 'sam@example.com' } });
      expect(userIds(own.page)).toEqual(['sam']);
      const brand = await search({ query: { phone: '+5511912340001' } }, brandKey);
      expect(userIds(brand.page)).toEqual(['sam-elsewhere']);
      const brandGold = await search({ query: { trait: { name: 'plan', value: 'gold' } } }, brandKey);
      expect(brandGold.page!.totalCount).toBe(1);
    });

    it('rejects an invalid phone naming query.phone', async () => {
      const { errors } = await search({ query: { phone: '555-0100' } });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query.phone' });
    });

    it('lists every profile of the workspace without a criterion, newest first when asked', async () => {
      const all = await search({ query: {}, first: 100 });
      expect(all.errors).toBeUndefined();
      expect(userIds(all.page)).toEqual(expect.arrayContaining(['sam', 'sue', 'syd', 'tia']));
      expect(userIds(all.page)).not.toContain('sam-elsewhere');
      expect(userIds(all.page)!.filter((id) => ['sam', 'sue', 'syd', 'tia'].includes(id))).toEqual(['sam', 'sue', 'syd', 'tia']);
      const graphqlWithout = await graphql<{ searchProfiles: ProfilePage }>(
        `query { searchProfiles(orderBy: { field: CREATED_AT, direction: DESC }, first: 1) { edges { node { userId } } totalCount } }`,
      );
      expect(graphqlWithout.errors).toBeUndefined();
      expect(graphqlWithout.data!.searchProfiles.totalCount).toBe(all.page!.totalCount);
    });

    it('finds by userId, email and trait prefix', async () => {
      expect(userIds((await search({ query: { userIdPrefix: 's' } })).page)).toEqual(['sam', 'sue', 'syd']);
      expect(userIds((await search({ query: { userIdPrefix: 'su' } })).page)).toEqual(['sue']);
      expect(userIds((await search({ query: { emailPrefix: 'SY' } })).page)).toEqual(['syd']);
      expect(userIds((await search({ query: { traitPrefix: { name: 'city', prefix: 'Lis' } } })).page)).toEqual(['syd']);
      expect(userIds((await search({ query: { traitPrefix: { name: 'city', prefix: 'lis' } } })).page)).toEqual([]);
      const empty = await search({ query: { userIdPrefix: '' } });
      expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query.userIdPrefix' });
    });

    it('sorts by userId or creation time in either direction, paging both ways, and refuses a cursor of another order', async () => {
      const query = { userIdPrefix: 's' };
      const desc = await search({ query, orderBy: { field: 'USER_ID', direction: 'DESC' }, first: 2 });
      expect(userIds(desc.page)).toEqual(['syd', 'sue']);
      expect(userIds((await search({ query, orderBy: { field: 'USER_ID', direction: 'DESC' }, first: 2, after: desc.page!.pageInfo.endCursor })).page)).toEqual(['sam']);

      const created = await search({ query, orderBy: { field: 'CREATED_AT' }, first: 2 });
      expect(userIds(created.page)).toEqual(['sam', 'sue']);
      const rest = await search({ query, orderBy: { field: 'CREATED_AT' }, first: 2, after: created.page!.pageInfo.endCursor });
      expect(userIds(rest.page)).toEqual(['syd']);
      const newest = await search({ query, orderBy: { field: 'CREATED_AT', direction: 'DESC' }, last: 2 });
      expect(userIds(newest.page)).toEqual(['sue', 'sam']);
      const updated = await search({ query, orderBy: { field: 'UPDATED_AT', direction: 'DESC' }, first: 3 });
      expect(updated.page!.totalCount).toBe(3);

      const mixed = await search({ query, orderBy: { field: 'UPDATED_AT' }, first: 2, after: created.page!.pageInfo.endCursor });
      expect(mixed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
      const otherDirection = await search({ query, orderBy: { field: 'CREATED_AT', direction: 'DESC' }, last: 2, before: created.page!.pageInfo.endCursor });
      expect(otherDirection.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'before' });
      const byUserId = await search({ query, first: 2, after: created.page!.pageInfo.endCursor });
      expect(byUserId.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });

    it('matches a prefix literally: %, _ and \\ are no wildcards (property)', async () => {
      const alphabet = ['a', 'b', '%', '_', '\\', 'é'];
      const stored = ['a%b', 'a_b', 'a\\b', 'ab', 'a%', 'a_', '\\', '%', '_x', 'ba', 'aé_'].map((id) => `lit-${id}`);
      for (const userId of stored) await identify(userId, {});
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom(...alphabet), { minLength: 0, maxLength: 3 }), async (chars) => {
          const prefix = `lit-${chars.join('')}`;
          const { page, errors } = await search({ query: { userIdPrefix: prefix }, first: 100 });
          expect(errors).toBeUndefined();
          expect(new Set(userIds(page))).toEqual(new Set(stored.filter((userId) => userId.startsWith(prefix))));
        }),
        { numRuns: 40 },
      );
    });

    it('validates first and after', async () => {
      expect((await search({ query: { userId: 'sam' }, first: 101 })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
      expect((await search({ query: { userId: 'sam' }, after: '%%%' })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });
  });

  describe('messages and journey instances', () => {
    const instanceId = 'journey/abandoned-cart/mia/c-mia';
    type Page<N> = { edges: Array<{ cursor: string; node: N }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }; totalCount: number };
    type MessageNode = { id: string; step: string; channel: string; status: string; to: string };
    const MESSAGES = `query($userId: String!, $first: Int, $after: String, $last: Int, $before: String) {
      profile(userId: $userId) {
        messages(first: $first, after: $after, last: $last, before: $before) {
          edges { cursor node { id step channel status to } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          totalCount
        }
      }
    }`;
    const messages = async (variables: Record<string, unknown>) => {
      const result = await graphql<{ profile: { messages: Page<MessageNode> } }>(MESSAGES, { userId: 'mia', ...variables });
      expect(result.errors).toBeUndefined();
      return result.data!.profile.messages;
    };

    beforeAll(async () => {
      await identify('mia', { phone: '+14155550177' });
      expect(await track('mia', 'Cart Updated', 'mia-cart-1', { cart_id: 'c-mia', items: [{ name: 'Hat' }] })).toEqual([instanceId]);
      const { runId } = await gw.temporal.workflow.getHandle(instanceId).describe();
      const journal = new JournalStore(dataSource);
      const base = { workspaceId: DEFAULT_WORKSPACE_ID, instanceId, runId, journeyId: 'abandoned-cart', customerId: 'mia', key: 'c-mia' };
      await journal.record({ ...base, seq: 1, type: 'entered', step: 'entered', status: 'active', detail: {}, at: new Date() });
      const outbox = new MessageStore(dataSource);
      for (const step of ['s1', 's2', 's3']) {
        await outbox.claim({ workspaceId: DEFAULT_WORKSPACE_ID, customerId: 'mia', instanceId, runId, step, channel: 'sms', to: '+14155550177', body: `Hi ${step}` });
      }
    });

    it('pages messages newest first, forward and backward, with a totalCount', async () => {
      const first = await messages({ first: 2 });
      expect(first.edges.map((edge) => edge.node.step)).toEqual(['s3', 's2']);
      expect(first.edges[0]!.node).toMatchObject({ channel: 'SMS', status: 'PENDING', to: '+14155550177' });
      expect(first.totalCount).toBe(3);
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const second = await messages({ first: 2, after: first.pageInfo.endCursor });
      expect(second.edges.map((edge) => edge.node.step)).toEqual(['s1']);
      expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

      const last = await messages({ last: 2 });
      expect(last.edges.map((edge) => edge.node.step)).toEqual(['s2', 's1']);
      expect(last.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
      const before = await messages({ last: 2, before: last.pageInfo.startCursor });
      expect(before.edges.map((edge) => edge.node.step)).toEqual(['s3']);
      expect(before.pageInfo.hasPreviousPage).toBe(false);

      const bad = await graphql(MESSAGES, { userId: 'mia', first: 2, after: 'nope' });
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    });

    it('finds a message by node(id) with the instance that sent it and its customer, not from another workspace', async () => {
      const id = (await messages({ first: 1 })).edges[0]!.node.id;
      const query = `query($id: ID!) { node(id: $id) { __typename id ... on Message { step instance { journeyId key status } customer { userId } } } }`;
      const found = await graphql<{ node: unknown }>(query, { id });
      expect(found.errors).toBeUndefined();
      expect(found.data!.node).toEqual({
        __typename: 'Message',
        id,
        step: 's3',
        instance: { journeyId: 'abandoned-cart', key: 'c-mia', status: 'ACTIVE' },
        customer: { userId: 'mia' },
      });
      expect((await graphql<{ node: unknown }>(query, { id }, brandKey)).data).toEqual({ node: null });
    });

    it('pages journey instances newest entry first with a totalCount', async () => {
      const result = await graphql<{ profile: { journeyInstances: Page<{ journeyId: string; key: string }> } }>(
        `query { profile(userId: "mia") { journeyInstances(first: 1) { edges { cursor node { journeyId key } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } } }`,
      );
      expect(result.errors).toBeUndefined();
      const page = result.data!.profile.journeyInstances;
      expect(page.edges.map((edge) => edge.node)).toEqual([{ journeyId: 'abandoned-cart', key: 'c-mia' }]);
      expect(page.totalCount).toBe(1);
      const back = await graphql<{ profile: { journeyInstances: Page<unknown> } }>(
        `query($before: String) { profile(userId: "mia") { journeyInstances(last: 5, before: $before) { edges { cursor } totalCount } } }`,
        { before: page.pageInfo.startCursor },
      );
      expect(back.data!.profile.journeyInstances).toEqual({ edges: [], totalCount: 1 });
    });

    it('finds an event by node(id) with its customer', async () => {
      const listed = await graphql<{ profile: { events: { nodes: Array<{ id: string; messageId: string }> } } }>(
        `query { profile(userId: "mia") { events(first: 1) { nodes { id messageId } } } }`,
      );
      const { id, messageId } = listed.data!.profile.events.nodes[0]!;
      expect(messageId).toBe('mia-cart-1');
      const query = `query($id: ID!) { node(id: $id) { __typename ... on ProfileEvent { messageId type name customer { userId } } } }`;
      const found = await graphql<{ node: unknown }>(query, { id });
      expect(found.data!.node).toEqual({ __typename: 'ProfileEvent', messageId: 'mia-cart-1', type: 'TRACK', name: 'Cart Updated', customer: { userId: 'mia' } });
      expect((await graphql<{ node: unknown }>(query, { id }, brandKey)).data).toEqual({ node: null });
    });
  });

  describe('deleteProfile', () => {
    const instanceId = 'journey/abandoned-cart/erin/c-erase';

    beforeAll(async () => {
      await identify('erin', { first_name: 'Erin', phone: '+14155550123', email: 'erin@example.com' });
      expect(await track('erin', 'Cart Updated', 'erin-cart-1', { cart_id: 'c-erase', items: [{ name: 'Red Shoes' }] })).toEqual([instanceId]);
      const { runId } = await gw.temporal.workflow.getHandle(instanceId).describe();
      // What the (absent) worker would have journaled and sent for this customer.
      const journal = new JournalStore(dataSource);
      const base = { workspaceId: DEFAULT_WORKSPACE_ID, instanceId, runId, journeyId: 'abandoned-cart', customerId: 'erin', key: 'c-erase' };
      await journal.record({ ...base, seq: 1, type: 'entered', step: 'entered', status: 'active', detail: { items: ['Red Shoes'], phone: '+14155550123' }, at: new Date() });
      await journal.record({ ...base, seq: 2, type: 'wait', step: 'idle', status: 'active', detail: { name: 'Erin' }, at: new Date() });
      const messages = new MessageStore(dataSource);
      const { message } = await messages.claim({
        workspaceId: base.workspaceId,
        customerId: 'erin',
        instanceId,
        runId,
        step: 'remind',
        channel: 'sms',
        to: '+14155550123',
        body: 'Hi Erin, your Red Shoes are waiting',
      });
      await messages.markAccepted(message, 'SM-erin-remind', 'queued');
      // The same userId in another workspace, with its own data.
      await identify('erin', { first_name: 'Other Erin' }, brandKey);
      await track('erin', 'Viewed', 'brand-erin-1', {}, brandKey);
    });

    it('never erases a customer of another workspace', async () => {
      const result = await graphql<{ deleteProfile: { deletedProfileId: string | null; userErrors: unknown[] } }>(DELETE, { userId: 'sam' }, brandKey);
      expect(result.errors).toBeUndefined();
      expect(result.data!.deleteProfile).toMatchObject({ deletedProfileId: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'userId'] }] });
      const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM profiles WHERE user_id = 'sam'`);
      expect(count).toBe(1);
    });

    it('ends running instances, deletes the data and leaves an anonymous journal', async () => {
      const before = await graphql<{ profile: { id: string; messages: { nodes: Array<{ id: string }> } } }>(
        `query { profile(userId: "erin") { id messages(first: 1) { nodes { id } } } }`,
      );
      const erinId = before.data!.profile.id;
      const erinMessageId = before.data!.profile.messages.nodes[0]!.id;
      const result = await graphql<{ deleteProfile: Record<string, unknown> }>(DELETE, { userId: 'erin' });
      expect(result.errors).toBeUndefined();
      expect(result.data!.deleteProfile).toEqual({
        deletedProfileId: erinId,
        deletedUserId: 'erin',
        instancesEnded: 1,
        eventsDeleted: 2,
        messagesDeleted: 1,
        userErrors: [],
      });
      expect((await graphql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: erinId })).data).toEqual({ node: null });
      expect((await graphql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: erinMessageId })).data).toEqual({ node: null });

      const workspaceId = DEFAULT_WORKSPACE_ID;
      const counts = async (sql: string) => (await dataSource.query(sql, [workspaceId]))[0].count as number;
      expect(await counts(`SELECT count(*)::int AS count FROM profiles WHERE workspace_id = $1 AND user_id = 'erin'`)).toBe(0);
      expect(await counts(`SELECT count(*)::int AS count FROM events WHERE workspace_id = $1 AND user_id = 'erin'`)).toBe(0);
      expect(await counts(`SELECT count(*)::int AS count FROM messages WHERE workspace_id = $1 AND customer_id = 'erin'`)).toBe(0);
      // Their outbox key and provider sid went with the message (the foreign keys cascade).
      expect(await dataSource.query(`SELECT 1 FROM message_keys WHERE instance_id = $1 UNION ALL SELECT 1 FROM message_sids WHERE provider_id = 'SM-erin-remind'`, [instanceId])).toEqual([]);
      expect(await counts(`SELECT count(*)::int AS count FROM journal_entries WHERE workspace_id = $1 AND customer_id = 'erin'`)).toBe(0);

      const journal: Array<{ customer_id: string; detail: object; seq: number }> = await dataSource.query(
        `SELECT customer_id, detail, seq FROM journal_entries WHERE instance_id = $1 ORDER BY seq`,
        [instanceId],
      );
      expect(journal).toHaveLength(2);
      const hash = journal[0]!.customer_id;
      expect(hash).toMatch(/^erased:[0-9a-f]{32}$/);
      expect(journal).toEqual([
        { customer_id: hash, detail: {}, seq: 1 },
        { customer_id: hash, detail: {}, seq: 2 },
      ]);
      const [instance] = await dataSource.query(`SELECT customer_id FROM journey_instances WHERE instance_id = $1`, [instanceId]);
      expect(instance.customer_id).toBe(hash);
      const [erasure] = await dataSource.query(`SELECT * FROM erasures WHERE workspace_id = $1`, [workspaceId]);
      expect(erasure).toMatchObject({ customer_hash: hash, instances_ended: 1, events_deleted: 2, messages_deleted: 1, journal_entries_anonymised: 2 });

      // The running instance received the archive control signal.
      const history = await gw.temporal.workflow.getHandle(instanceId).fetchHistory();
      const signals = (history.events ?? []).filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'journeyControl');
      expect(signals).toHaveLength(1);
      const payload = signals[0]!.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!.data!;
      expect(JSON.parse(Buffer.from(payload).toString('utf8'))).toEqual({ action: 'archive' });

      const profile = await graphql<{ profile: null }>(`query { profile(userId: "erin") { userId } }`);
      expect(profile.data).toEqual({ profile: null });
      expect((await search({ query: { email: 'erin@example.com' } })).page!.totalCount).toBe(0);
    });

    it("leaves the same userId in another workspace untouched", async () => {
      const brand = await graphql<{ profile: { traits: object; events: { totalCount: number } } }>(
        `query { profile(userId: "erin") { traits events(first: 10) { totalCount } } }`,
        {},
        brandKey,
      );
      expect(brand.data!.profile).toEqual({ traits: { first_name: 'Other Erin' }, events: { totalCount: 2 } });
    });

    it('answers NOT_FOUND when erasing twice or an unknown customer', async () => {
      for (const userId of ['erin', 'nobody-here']) {
        const result = await graphql<{ deleteProfile: { userErrors: Array<{ code: string; field: string[]; message: string }> } }>(DELETE, { userId });
        expect(result.errors).toBeUndefined();
        expect(result.data!.deleteProfile.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['input', 'userId'], message: expect.stringContaining(userId) }]);
      }
    });
  });
});
