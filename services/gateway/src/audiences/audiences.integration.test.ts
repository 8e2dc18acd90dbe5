import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProfileStore, WorkspaceStore } from '@continuum/data';
import { parseGlobalId, toGlobalId } from '../node/global-id';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type Audience = { name: string; size: number; members: { nodes: Array<{ userId: string }> } };
type UserError = { code: string; field: string[] | null; message: string };
const USER_ERRORS = 'userErrors { code field message }';
const SAVE = `mutation($input: SaveAudienceInput!) { saveAudience(input: $input) { audience { name size members { nodes { userId } } } ${USER_ERRORS} } }`;
const REFRESH = `mutation($input: RefreshAudienceInput!) { refreshAudience(input: $input) { refresh { audience { name refreshedAt } entered exited size } ${USER_ERRORS} } }`;
const DELETE = `mutation($input: DeleteAudienceInput!) { deleteAudience(input: $input) { deletedAudienceName ${USER_ERRORS} } }`;
const IDENTIFY = `mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`;
const TRACK = `mutation($input: TrackInput!) { track(input: $input) { duplicate } }`;
const LOYAL_BR = {
  all: [{ trait: { name: 'country', eq: { string: 'BR' } } }, { event: { name: 'Order Completed', atLeast: 2, within: '90 days' } }, { not: { event: { name: 'Churned' } } }],
};

// Audiences through the gateway: real PostgreSQL, real Temporal dev server (no journeys published,
// so events route to no instance), membership kept as events arrive.
describe('audiences (gateway, real PostgreSQL and Temporal)', () => {
  let gw: GatewayFixture;
  let otherKey: string;
  beforeAll(async () => {
    gw = await startGatewayFixture();
    const workspaces = new WorkspaceStore(gw.dataSource);
    otherKey = await workspaces.createApiKey((await workspaces.createWorkspace('aud-other', 'Other')).id, 'test');
  });
  afterAll(async () => {
    await gw?.teardown();
  });

  const audienceNames = async () => ((await gw.graphql<{ audiences: { nodes: Array<{ name: string }> } }>(`{ audiences(first: 100) { nodes { name } } }`)).data!.audiences.nodes.map((a) => a.name));

  const audienceEvents = (userId: string) =>
    gw.dataSource.query(`SELECT name, properties FROM events WHERE user_id = $1 AND name LIKE 'Audience %' ORDER BY id`, [userId]) as Promise<
      Array<{ name: string; properties: { audience: string } }>
    >;

  it('computes members when saved, previews without storing, and refuses a bad definition naming where', async () => {
    for (const [userId, country] of [['bia', 'BR'], ['caio', 'BR'], ['dan', 'US']] as const) {
      expect((await gw.graphql(IDENTIFY, { input: { userId, traits: { country } } })).errors).toBeUndefined();
    }
    for (const userId of ['bia', 'bia', 'dan', 'dan']) await gw.graphql(TRACK, { input: { userId, event: 'Order Completed', properties: {} } });
    const preview = await gw.graphql<{ previewAudience: { size: number; sample: string[] } }>(`query($d: AudienceConditionInput!) { previewAudience(definition: $d) { size sample } }`, { d: LOYAL_BR });
    expect(preview.data!.previewAudience).toEqual({ size: 1, sample: ['bia'] });
    const saved = await gw.graphql<{ saveAudience: { audience: Audience; userErrors: UserError[] } }>(SAVE, { input: { name: 'loyal-br', definition: LOYAL_BR } });
    expect(saved.data!.saveAudience).toEqual({ audience: { name: 'loyal-br', size: 1, members: { nodes: [{ userId: 'bia' }] } }, userErrors: [] });
    expect(await audienceEvents('bia')).toEqual([{ name: 'Audience Entered', properties: { audience: 'loyal-br' } }]);

    // Domain errors are user errors with a code and the path to the offending input field; nothing is stored.
    const broken = { all: [{ trait: { name: 'country', eq: { string: 'BR' } } }, { event: { name: 'Order Completed', within: 'a while' } }] };
    const bad = await gw.graphql(SAVE, { input: { name: 'broken', definition: broken } });
    expect(bad).toEqual({
      data: {
        saveAudience: {
          audience: null,
          userErrors: [{ code: 'INVALID', field: ['input', 'definition', 'all', '1', 'event', 'within'], message: 'definition.all[1].event.within: must be a duration such as "90 days"' }],
        },
      },
    });
    const badPreview = await gw.graphql(`query($d: AudienceConditionInput!) { previewAudience(definition: $d) { size } }`, { d: broken });
    expect(badPreview.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'definition.all[1].event.within' });
    // @oneOf: a condition is exactly one of all, any, not, trait, event, consent, identity (GraphQL refuses two).
    const two = await gw.graphql(`query($d: AudienceConditionInput!) { previewAudience(definition: $d) { size } }`, { d: { trait: { name: 'plan', exists: true }, identity: 'EMAIL' } });
    expect(two.errors?.[0]?.message).toMatch(/Exactly one key must be specified for OneOf type "AudienceConditionInput"/);
    // The definition reads back in the typed shape, ready to send again.
    const readBack = await gw.graphql<{ audience: { definition: unknown } }>(`{ audience(name: "loyal-br") { definition } }`);
    expect(readBack.data!.audience.definition).toEqual(LOYAL_BR);
    expect((await gw.graphql(SAVE, { input: { name: 'Not A Slug', definition: { event: { name: 'X' } } } })).data).toEqual({
      saveAudience: { audience: null, userErrors: [{ code: 'INVALID', field: ['input', 'name'], message: expect.stringMatching(/^name: must be 1 to 63 lower-case/) }] },
    });
    expect(await audienceNames()).toEqual(['loyal-br']);
    expect((await gw.graphql(REFRESH, { input: { name: 'nope' } })).data).toEqual({
      refreshAudience: { refresh: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'name'], message: 'No audience "nope" in this workspace' }] },
    });
  });

  it('deletes an audience by name; a missing one is a NOT_FOUND user error, like every missing entity', async () => {
    expect((await gw.graphql(SAVE, { input: { name: 'short-lived', definition: { trait: { name: 'country', eq: { string: 'US' } } } } })).data).toMatchObject({ saveAudience: { audience: { name: 'short-lived' }, userErrors: [] } });
    expect(await audienceNames()).toEqual(['loyal-br', 'short-lived']);
    expect((await gw.graphql(DELETE, { input: { name: 'short-lived' } })).data).toEqual({ deleteAudience: { deletedAudienceName: 'short-lived', userErrors: [] } });
    expect(await audienceNames()).toEqual(['loyal-br']);
    expect((await gw.graphql(DELETE, { input: { name: 'short-lived' } })).data).toEqual({
      deleteAudience: { deletedAudienceName: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'name'], message: 'No audience "short-lived" in this workspace' }] },
    });
    expect(await audienceNames()).toEqual(['loyal-br']);
  });

  it("moves a customer in and out as their events arrive, each change an event of theirs", async () => {
    await gw.graphql(TRACK, { input: { userId: 'caio', event: 'Order Completed', properties: {} } });
    await gw.graphql(TRACK, { input: { userId: 'caio', event: 'Order Completed', properties: {} } });
    await expect.poll(() => audienceEvents('caio'), { timeout: 10_000 }).toEqual([{ name: 'Audience Entered', properties: { audience: 'loyal-br' } }]);
    await gw.graphql(TRACK, { input: { userId: 'caio', event: 'Churned', properties: {} } });
    await expect
      .poll(() => audienceEvents('caio'), { timeout: 10_000 })
      .toEqual([
        { name: 'Audience Entered', properties: { audience: 'loyal-br' } },
        { name: 'Audience Exited', properties: { audience: 'loyal-br' } },
      ]);
    const audience = await gw.graphql<{ audience: Audience }>(`{ audience(name: "loyal-br") { name size members { nodes { userId } } } }`);
    expect(audience.data!.audience).toEqual({ name: 'loyal-br', size: 1, members: { nodes: [{ userId: 'bia' }] } });
    // A refresh finds nothing new: membership was already current.
    const refreshed = await gw.graphql(REFRESH, { input: { name: 'loyal-br' } });
    expect(refreshed.data).toEqual({ refreshAudience: { refresh: { audience: { name: 'loyal-br', refreshedAt: expect.any(String) }, entered: 0, exited: 0, size: 1 }, userErrors: [] } });
  });

  it('creates a broadcast to an audience (a run started for the worker), pauses and cancels it, and refuses bad input', async () => {
    expect((await gw.graphql(`mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { template { name } userErrors { field message } } }`, {
      input: { name: 'promo', channel: 'SMS', body: 'Hi {{ profile.traits.first_name | default: "there" }}!' },
    })).errors).toBeUndefined();
    const CREATE = `mutation($input: CreateBroadcastInput!) { createBroadcast(input: $input) { broadcast { id status audience { name } enrolled sent skipped { reason count } } ${USER_ERRORS} } }`;
    type Payload = { broadcast: { id: string; status: string; audience: { name: string }; enrolled: number } | null; userErrors: UserError[] };
    const created = await gw.graphql<{ createBroadcast: Payload }>(CREATE, {
      input: { name: 'Spring', audienceName: 'loyal-br', template: 'promo', ratePerSecond: 5 },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createBroadcast.userErrors).toEqual([]);
    const { id } = created.data!.createBroadcast.broadcast!;
    expect(created.data!.createBroadcast.broadcast).toMatchObject({ status: 'RUNNING', audience: { name: 'loyal-br' }, enrolled: 0 });
    const workflowId = `broadcast/default/${parseGlobalId(id)!.localId}`;
    expect(await gw.temporal.workflow.getHandle(workflowId).describe()).toMatchObject({ type: 'broadcastRun', status: { name: 'RUNNING' } });

    const control = (action: string, input: Record<string, unknown>) =>
      gw.graphql(`mutation($input: ${action[0]!.toUpperCase()}${action.slice(1)}Input!) { ${action}(input: $input) { broadcast { id status } ${USER_ERRORS} } }`, { input });
    expect((await control('pauseBroadcast', { id })).data).toEqual({ pauseBroadcast: { broadcast: { id, status: 'PAUSED' }, userErrors: [] } });
    const history = await gw.temporal.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events?.some((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'broadcastControl')).toBe(true);
    expect((await control('cancelBroadcast', { id })).data).toEqual({ cancelBroadcast: { broadcast: { id, status: 'CANCELLED' }, userErrors: [] } });
    const again = await control('resumeBroadcast', { id });
    expect(again.data).toEqual({ resumeBroadcast: { broadcast: null, userErrors: [{ code: 'FAILED_PRECONDITION', field: ['input', 'id'], message: `Broadcast "${id}" is cancelled` }] } });
    const unknownId = toGlobalId('Broadcast', '00000000-0000-4000-8000-000000000000');
    for (const action of ['pauseBroadcast', 'resumeBroadcast', 'cancelBroadcast']) {
      expect((await control(action, { id: unknownId })).data).toEqual({ [action]: { broadcast: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'], message: `No broadcast "${unknownId}" in this workspace` }] } });
    }
    // An id this API did not hand out for a broadcast (a raw row id, another type's id) is INVALID, naming the field.
    const rowId = parseGlobalId(id)!.localId;
    expect((await control('pauseBroadcast', { id: rowId })).data).toEqual({
      pauseBroadcast: { broadcast: null, userErrors: [{ code: 'INVALID', field: ['input', 'id'], message: `id: "${rowId}" is not an id this API handed out` }] },
    });
    const audienceId = (await gw.graphql<{ audience: { id: string } }>(`{ audience(name: "loyal-br") { id } }`)).data!.audience.id;
    expect((await control('cancelBroadcast', { id: audienceId })).data).toMatchObject({ cancelBroadcast: { broadcast: null, userErrors: [{ code: 'INVALID', field: ['input', 'id'] }] } });
    const badLookup = await gw.graphql(`query($id: ID!) { broadcast(id: $id) { name } }`, { id: rowId });
    expect(badLookup.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await gw.graphql(`query($id: ID!) { broadcast(id: $id) { name } }`, { id: unknownId })).data).toEqual({ broadcast: null });
    // A broadcast is a Node: node(id:) finds it, not from another workspace.
    expect((await gw.graphql(`query($id: ID!) { node(id: $id) { __typename ... on Broadcast { name audience { name } } } }`, { id })).data).toEqual({
      node: { __typename: 'Broadcast', name: 'Spring', audience: { name: 'loyal-br' } },
    });
    expect((await gw.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id }, otherKey)).data).toEqual({ node: null });
    const status = async () => (await gw.graphql<{ broadcast: { status: string } }>(`query($id: ID!) { broadcast(id: $id) { status } }`, { id })).data!.broadcast.status;
    expect(await status()).toBe('CANCELLED');

    const cases: Array<[Record<string, unknown>, string, string[], string]> = [
      [{ audienceName: 'nope' }, 'NOT_FOUND', ['input', 'audienceName'], 'No audience "nope" in this workspace'],
      [{ template: 'missing' }, 'INVALID', ['input', 'template'], 'template: no template named "missing" is published'],
      [{ channel: 'EMAIL' }, 'INVALID', ['input', 'template'], 'template: "promo" is a template for sms, not email'],
      [{ ratePerSecond: 0 }, 'INVALID', ['input', 'ratePerSecond'], 'ratePerSecond: must be above 0 and at most 1000'],
      [{ name: ' ' }, 'INVALID', ['input', 'name'], 'name: must be 1 to 200 characters'],
    ];
    for (const [change, code, field, message] of cases) {
      const result = await gw.graphql(CREATE, { input: { name: 'X', audienceName: 'loyal-br', template: 'promo', ratePerSecond: 5, ...change } });
      expect(result, JSON.stringify(change)).toEqual({ data: { createBroadcast: { broadcast: null, userErrors: [{ code, field, message }] } } });
    }
    // The audience of a broadcast stays while the broadcast does.
    expect((await gw.graphql(DELETE, { input: { name: 'loyal-br' } })).data).toEqual({
      deleteAudience: { deletedAudienceName: null, userErrors: [{ code: 'FAILED_PRECONDITION', field: ['input', 'name'], message: 'Audience "loyal-br" is the audience of a broadcast; it cannot be deleted' }] },
    });
    // None of the refused broadcasts was created.
    expect((await gw.graphql(`{ broadcasts { nodes { id } totalCount } }`)).data).toEqual({ broadcasts: { nodes: [{ id }], totalCount: 1 } });
    await gw.temporal.workflow.getHandle(workflowId).terminate('test done').catch(() => undefined);
  });
  it('pages members and audiences both ways with opaque cursors, counts only when asked, and finds each as a Node', async () => {
    for (const userId of ['pg-a', 'pg-b', 'pg-c', 'pg-d', 'pg-e']) {
      expect((await gw.graphql(IDENTIFY, { input: { userId, traits: { cohort: 'paging' } } })).errors).toBeUndefined();
    }
    for (const name of ['paging-1', 'paging-2', 'paging-3']) {
      expect((await gw.graphql(SAVE, { input: { name, definition: { trait: { name: 'cohort', eq: { string: 'paging' } } } } })).data).toMatchObject({ saveAudience: { userErrors: [] } });
    }
    type Page = { edges: Array<{ cursor: string; node: { userId: string } }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }; totalCount?: number };
    const members = async (args: string, count = false) => {
      const result = await gw.graphql<{ audience: { members: Page } }>(
        `{ audience(name: "paging-1") { members(${args}) { edges { cursor node { userId } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } ${count ? 'totalCount' : ''} } } }`,
      );
      expect(result.errors).toBeUndefined();
      return result.data!.audience.members;
    };
    const ids = (page: Page) => page.edges.map((edge) => edge.node.userId);
    const first = await members('first: 2', true);
    expect(ids(first)).toEqual(['pg-a', 'pg-b']);
    expect(first.totalCount).toBe(5);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.pageInfo.endCursor).not.toContain('pg-b');
    const second = await members(`first: 2, after: "${first.pageInfo.endCursor}"`);
    expect(ids(second)).toEqual(['pg-c', 'pg-d']);
    const third = await members(`first: 2, after: "${second.pageInfo.endCursor}"`);
    expect(ids(third)).toEqual(['pg-e']);
    expect(third.pageInfo.hasNextPage).toBe(false);
    const last = await members('last: 2');
    expect(ids(last)).toEqual(['pg-d', 'pg-e']);
    const back = await members(`last: 2, before: "${last.pageInfo.startCursor}"`);
    expect(ids(back)).toEqual(['pg-b', 'pg-c']);
    expect(back.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const refused = await gw.graphql(`{ audience(name: "paging-1") { members(first: 2, after: "pg-b") { nodes { userId } } } }`);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });

    // A member's customer is their profile; a member and an audience are Nodes.
    const withCustomer = await gw.graphql<{ audience: { id: string; members: { nodes: Array<{ id: string; customer: { userId: string; traits: unknown } | null }> } } }>(
      `{ audience(name: "paging-1") { id members(first: 1) { nodes { id customer { userId traits } } } } }`,
    );
    const audience = withCustomer.data!.audience;
    expect(audience.members.nodes[0]!.customer).toEqual({ userId: 'pg-a', traits: { cohort: 'paging' } });
    // A page's customers are read in one query (not one per member), afresh in every request.
    const profiles = gw.app.get(ProfileStore, { strict: false });
    const getMany = vi.spyOn(profiles, 'getMany');
    const getOne = vi.spyOn(profiles, 'get');
    try {
      for (let round = 1; round <= 2; round++) {
        const page = await gw.graphql<{ audience: { members: { nodes: Array<{ userId: string; customer: { userId: string } }> } } }>(
          `{ audience(name: "paging-1") { members(first: 5) { nodes { userId customer { userId } } } } }`,
        );
        expect(page.errors).toBeUndefined();
        expect(page.data!.audience.members.nodes.map((m) => m.customer.userId)).toEqual(['pg-a', 'pg-b', 'pg-c', 'pg-d', 'pg-e']);
        expect(getMany).toHaveBeenCalledTimes(round);
        expect(getMany.mock.calls[round - 1]![1]).toEqual(['pg-a', 'pg-b', 'pg-c', 'pg-d', 'pg-e']);
      }
      expect(getOne).not.toHaveBeenCalled();
    } finally {
      getMany.mockRestore();
      getOne.mockRestore();
    }
    const found = await gw.graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Audience { name } ... on AudienceMember { userId } } }`, {
      ids: [audience.id, audience.members.nodes[0]!.id],
    });
    expect(found.data).toEqual({ nodes: [{ __typename: 'Audience', name: 'paging-1' }, { __typename: 'AudienceMember', userId: 'pg-a' }] });
    expect((await gw.graphql(`query($id: ID!) { node(id: $id) { id } }`, { id: audience.id }, otherKey)).data).toEqual({ node: null });

    // Root audiences: by name, forward and backward.
    const names = async (args: string) =>
      (await gw.graphql<{ audiences: { nodes: Array<{ name: string }>; pageInfo: { endCursor: string; startCursor: string }; totalCount: number } }>(
        `{ audiences(${args}) { nodes { name } pageInfo { startCursor endCursor } totalCount } }`,
      )).data!.audiences;
    const all = (await names('first: 100')).nodes.map((a) => a.name);
    expect(all).toEqual([...all].sort());
    const firstTwo = await names('first: 2');
    expect(firstTwo.totalCount).toBe(all.length);
    expect(firstTwo.nodes.map((a) => a.name)).toEqual(all.slice(0, 2));
    expect((await names(`first: 100, after: "${firstTwo.pageInfo.endCursor}"`)).nodes.map((a) => a.name)).toEqual(all.slice(2));
    const lastTwo = await names('last: 2');
    expect(lastTwo.nodes.map((a) => a.name)).toEqual(all.slice(-2));
    expect((await names(`last: 100, before: "${lastTwo.pageInfo.startCursor}"`)).nodes.map((a) => a.name)).toEqual(all.slice(0, -2));
  });
});
