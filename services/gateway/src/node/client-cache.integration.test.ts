import { cacheExchange } from '@urql/exchange-graphcache';
import { Client, fetchExchange, gql } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, ProfileStore } from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

// A real normalising client cache (urql's graphcache, no `keys` configuration: it keys entities by
// `__typename` and `id` alone) against the real gateway: what the Node convention promises clients.
describe('a normalising client cache keyed only by Node ids (urql graphcache)', () => {
  let gw: GatewayFixture;
  let client: Client;
  let requests = 0;

  beforeAll(async () => {
    gw = await startGatewayFixture();
    await new ProfileStore(gw.dataSource).mergeTraits(DEFAULT_WORKSPACE_ID, 'cc-ana', { first_name: 'Ana', phone: '+14155550911' }, { phone: '+14155550911' });
    client = new Client({
      url: `${gw.url}/graphql`,
      exchanges: [cacheExchange({}), fetchExchange],
      fetchOptions: { headers: { 'x-api-key': gw.apiKey } },
      fetch: (input, init) => {
        requests += 1;
        return fetch(input, init);
      },
      preferGetMethod: false,
    });
    const publish = await client.mutation(PUBLISH, { input: { name: 'cc-welcome', channel: 'SMS', body: 'Hi {{ profile.traits.first_name }}' } }).toPromise();
    expect(publish.error).toBeUndefined();
    const send = await client.mutation(SEND, { input: { userId: 'cc-ana', template: 'cc-welcome', idempotencyKey: 'cc-1', data: {} } }).toPromise();
    expect(send.error).toBeUndefined();
    expect(send.data.sendMessage.userErrors).toEqual([]);
  });
  afterAll(async () => {
    await gw?.teardown();
  });

  const PUBLISH = gql`
    mutation ($input: PublishTemplateInput!) {
      publishTemplate(input: $input) {
        template { id name locale latest { id version body } }
        version { id version body }
        userErrors { code field message }
      }
    }
  `;
  const SEND = gql`
    mutation ($input: SendMessageInput!) {
      sendMessage(input: $input) { transactionalMessage { id status customer { id userId } } duplicate userErrors { message } }
    }
  `;
  const IDENTIFY = gql`
    mutation ($input: IdentifyInput!) {
      identify(input: $input) { duplicate profile { id userId traits } }
    }
  `;
  // One query fetching entities of four Node types, some through relations.
  const DASHBOARD = gql`
    query {
      profile(userId: "cc-ana") { id userId traits }
      templates(name: "cc-welcome", first: 10) { nodes { id name locale latest { id version body } } }
      transactionalMessage(idempotencyKey: "cc-1") { id status customer { id userId traits } }
    }
  `;
  type Dashboard = {
    profile: { id: string; traits: Record<string, unknown> };
    templates: { nodes: Array<{ id: string; latest: { id: string; version: number; body: string } }> };
    transactionalMessage: { id: string; customer: { id: string; traits: Record<string, unknown> } };
  };
  const fromCache = async () => {
    const result = await client.query<Dashboard>(DASHBOARD, {}, { requestPolicy: 'cache-only' }).toPromise();
    expect(result.error).toBeUndefined();
    return result.data!;
  };

  it("updates the first query's cached answer from a mutation payload's entity, with no refetch", async () => {
    const fetched = await client.query<Dashboard>(DASHBOARD, {}).toPromise();
    expect(fetched.error).toBeUndefined();
    expect(fetched.data!.templates.nodes[0]!.latest).toMatchObject({ version: 1, body: 'Hi {{ profile.traits.first_name }}' });
    expect(fetched.data!.profile.traits).toMatchObject({ first_name: 'Ana' });
    // The customer reached through the transactional message is the same cache entity as `profile`.
    expect(fetched.data!.transactionalMessage.customer.id).toBe(fetched.data!.profile.id);

    // A new template version: the payload's template (same id) now links to the new latest version.
    const published = await client.mutation(PUBLISH, { input: { name: 'cc-welcome', channel: 'SMS', body: 'Hello {{ profile.traits.first_name }}' } }).toPromise();
    expect(published.data.publishTemplate.userErrors).toEqual([]);
    // New traits: identify's payload returns the profile (same id) as it stands now.
    const identified = await client.mutation(IDENTIFY, { input: { userId: 'cc-ana', messageId: 'cc-identify-1', traits: { first_name: 'Ana Maria' } } }).toPromise();
    expect(identified.error).toBeUndefined();

    const before = requests;
    const cached = await fromCache();
    expect(requests).toBe(before);
    expect(cached.templates.nodes[0]!.latest).toMatchObject({ version: 2, body: 'Hello {{ profile.traits.first_name }}' });
    expect(cached.profile.traits).toMatchObject({ first_name: 'Ana Maria' });
    expect(cached.transactionalMessage.customer.traits).toMatchObject({ first_name: 'Ana Maria' });

    // And the cache agrees with the server.
    const fresh = await client.query<Dashboard>(DASHBOARD, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(requests).toBe(before + 1);
    expect(fresh.data).toEqual(cached);
  });

  it('never sees two entities of different types share an id', async () => {
    const everything = await client
      .query(
        gql`
          query {
            profile(userId: "cc-ana") { __typename id }
            templates(first: 20) { nodes { __typename id latest { __typename id } versions(first: 10) { nodes { __typename id } } } }
            transactionalMessage(idempotencyKey: "cc-1") { __typename id customer { __typename id } }
          }
        `,
        {},
        { requestPolicy: 'network-only' },
      )
      .toPromise();
    expect(everything.error?.message).toBeUndefined();
    const typeOfId = new Map<string, Set<string>>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(walk);
      if (value === null || typeof value !== 'object') return;
      const record = value as Record<string, unknown>;
      if (typeof record['id'] === 'string' && typeof record['__typename'] === 'string') {
        typeOfId.set(record['id'], (typeOfId.get(record['id']) ?? new Set()).add(record['__typename']));
      }
      Object.values(record).forEach(walk);
    };
    walk(everything.data);
    const types = new Set([...typeOfId.values()].flatMap((set) => [...set]));
    expect(types).toEqual(new Set(['Profile', 'MessageTemplate', 'MessageTemplateVersion', 'TransactionalMessage']));
    for (const [id, typenames] of typeOfId) expect([...typenames], id).toHaveLength(1);
  });
});
