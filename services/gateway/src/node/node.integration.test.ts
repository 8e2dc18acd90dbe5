import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceStore } from '@continuum/data';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';
import { toGlobalId } from './global-id';

type GqlError = { message: string; extensions?: { code?: string; field?: string } };

// node(id:) and nodes(ids:) against a real PostgreSQL: global ids of the gateway's Node types.
describe('Node: global ids, node and nodes', () => {
  let gw: GatewayFixture;
  let brandKey: string;

  beforeAll(async () => {
    gw = await startGatewayFixture();
    const workspaces = new WorkspaceStore(gw.dataSource);
    const brand = await workspaces.createWorkspace('brand-n', 'Brand N');
    brandKey = await workspaces.createApiKey(brand.id, 'test');
    for (const userId of ['node-ada', 'node-bob']) {
      const result = await gw.graphql(`mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`, {
        input: { userId, messageId: `node-${userId}`, traits: { name: userId } },
      });
      expect(result.errors).toBeUndefined();
    }
  });

  afterAll(async () => {
    await gw?.teardown();
  });

  function graphql<T>(query: string, variables: Record<string, unknown> = {}, apiKey: string = gw.apiKey) {
    return gw.graphql<T>(query, variables, apiKey) as Promise<{ data?: T; errors?: GqlError[] }>;
  }

  async function profileId(userId: string): Promise<string> {
    const { data, errors } = await graphql<{ profile: { id: string } }>(`query($u: String!) { profile(userId: $u) { id } }`, { u: userId });
    expect(errors).toBeUndefined();
    return data!.profile.id;
  }

  it('gives a profile an opaque id that node(id:) finds it by', async () => {
    const id = await profileId('node-ada');
    expect(id).not.toContain('node-ada');
    const { data, errors } = await graphql<{ node: { __typename: string; id: string; userId: string } }>(
      `query($id: ID!) { node(id: $id) { __typename id ... on Profile { userId } } }`,
      { id },
    );
    expect(errors).toBeUndefined();
    expect(data!.node).toEqual({ __typename: 'Profile', id, userId: 'node-ada' });
  });

  it('finds several at once in the order asked, null for one that does not exist', async () => {
    const ada = await profileId('node-ada');
    const bob = await profileId('node-bob');
    const ghost = toGlobalId('Profile', 'node-ghost');
    const { data, errors } = await graphql<{ nodes: Array<{ userId: string } | null> }>(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Profile { userId } } }`,
      { ids: [bob, ghost, ada] },
    );
    expect(errors).toBeUndefined();
    expect(data!.nodes).toEqual([{ userId: 'node-bob' }, null, { userId: 'node-ada' }]);
  });

  it("does not find another workspace's entity", async () => {
    const id = await profileId('node-ada');
    const { data, errors } = await graphql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id }, brandKey);
    expect(errors).toBeUndefined();
    expect(data!.node).toBeNull();
  });

  it('refuses an id it never handed out, naming the argument', async () => {
    const single = await graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: 'node-ada' });
    expect(single.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const ada = await profileId('node-ada');
    const unknownType = toGlobalId('Spaceship', 'x');
    const several = await graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [ada, unknownType] });
    expect(several.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids.1' });
    expect(several.errors?.[0]?.message).toContain(unknownType);
  });

  it('takes at most 100 ids', async () => {
    const ada = await profileId('node-ada');
    const { errors } = await graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 101 }, () => ada) });
    expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
  });
});
