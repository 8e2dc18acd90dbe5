import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type Audience = { name: string; size: number; members: Array<{ userId: string }> };
type UserError = { code: string; field: string[] | null; message: string };
const USER_ERRORS = 'userErrors { code field message }';
const SAVE = `mutation($input: SaveAudienceInput!) { saveAudience(input: $input) { audience { name size members { userId } } ${USER_ERRORS} } }`;
const REFRESH = `mutation($input: RefreshAudienceInput!) { refreshAudience(input: $input) { refresh { entered exited size } ${USER_ERRORS} } }`;
const DELETE = `mutation($input: DeleteAudienceInput!) { deleteAudience(input: $input) { deletedAudienceName ${USER_ERRORS} } }`;
const IDENTIFY = `mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`;
const TRACK = `mutation($input: TrackInput!) { track(input: $input) { duplicate } }`;
const LOYAL_BR = { all: [{ trait: 'country', eq: 'BR' }, { event: 'Order Completed', atLeast: 2, within: '90 days' }, { not: { event: 'Churned' } }] };

// Audiences through the gateway: real PostgreSQL, real Temporal dev server (no journeys published,
// so events route to no instance), membership kept as events arrive.
describe('audiences (gateway, real PostgreSQL and Temporal)', () => {
  let gw: GatewayFixture;
  beforeAll(async () => {
    gw = await startGatewayFixture();
  });
  afterAll(async () => {
    await gw?.teardown();
  });

  const audienceNames = async () => ((await gw.graphql<{ audiences: Array<{ name: string }> }>(`{ audiences { name } }`)).data!.audiences.map((a) => a.name));

  const audienceEvents = (userId: string) =>
    gw.dataSource.query(`SELECT name, properties FROM events WHERE user_id = $1 AND name LIKE 'Audience %' ORDER BY id`, [userId]) as Promise<
      Array<{ name: string; properties: { audience: string } }>
    >;

  it('computes members when saved, previews without storing, and refuses a bad definition naming where', async () => {
    for (const [userId, country] of [['bia', 'BR'], ['caio', 'BR'], ['dan', 'US']] as const) {
      expect((await gw.graphql(IDENTIFY, { input: { userId, traits: { country } } })).errors).toBeUndefined();
    }
    for (const userId of ['bia', 'bia', 'dan', 'dan']) await gw.graphql(TRACK, { input: { userId, event: 'Order Completed', properties: {} } });
    const preview = await gw.graphql<{ previewAudience: { size: number; sample: string[] } }>(`query($d: JSONObject!) { previewAudience(definition: $d) { size sample } }`, { d: LOYAL_BR });
    expect(preview.data!.previewAudience).toEqual({ size: 1, sample: ['bia'] });
    const saved = await gw.graphql<{ saveAudience: { audience: Audience; userErrors: UserError[] } }>(SAVE, { input: { name: 'loyal-br', definition: LOYAL_BR } });
    expect(saved.data!.saveAudience).toEqual({ audience: { name: 'loyal-br', size: 1, members: [{ userId: 'bia' }] }, userErrors: [] });
    expect(await audienceEvents('bia')).toEqual([{ name: 'Audience Entered', properties: { audience: 'loyal-br' } }]);

    // Domain errors are user errors with a code and the path to the offending input field; nothing is stored.
    const bad = await gw.graphql(SAVE, { input: { name: 'broken', definition: { all: [{ trait: 'country', eq: 'BR' }, { event: 'Order Completed', within: 'a while' }] } } });
    expect(bad).toEqual({
      data: {
        saveAudience: {
          audience: null,
          userErrors: [{ code: 'INVALID', field: ['input', 'definition', 'all', '1', 'within'], message: 'definition.all[1].within: must be a duration such as "90 days"' }],
        },
      },
    });
    expect((await gw.graphql(SAVE, { input: { name: 'Not A Slug', definition: { event: 'X' } } })).data).toEqual({
      saveAudience: { audience: null, userErrors: [{ code: 'INVALID', field: ['input', 'name'], message: expect.stringMatching(/^name: must be 1 to 63 lower-case/) }] },
    });
    expect(await audienceNames()).toEqual(['loyal-br']);
    expect((await gw.graphql(REFRESH, { input: { name: 'nope' } })).data).toEqual({
      refreshAudience: { refresh: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'name'], message: 'No audience "nope" in this workspace' }] },
    });
  });

  it('deletes an audience by name; a missing one is a NOT_FOUND user error, like every missing entity', async () => {
    expect((await gw.graphql(SAVE, { input: { name: 'short-lived', definition: { trait: 'country', eq: 'US' } } })).data).toMatchObject({ saveAudience: { audience: { name: 'short-lived' }, userErrors: [] } });
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
    const audience = await gw.graphql<{ audience: Audience }>(`{ audience(name: "loyal-br") { name size members { userId } } }`);
    expect(audience.data!.audience).toEqual({ name: 'loyal-br', size: 1, members: [{ userId: 'bia' }] });
    // A refresh finds nothing new: membership was already current.
    const refreshed = await gw.graphql(REFRESH, { input: { name: 'loyal-br' } });
    expect(refreshed.data).toEqual({ refreshAudience: { refresh: { entered: 0, exited: 0, size: 1 }, userErrors: [] } });
  });

  it('creates a broadcast to an audience (a run started for the worker), pauses and cancels it, and refuses bad input', async () => {
    expect((await gw.graphql(`mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { template { name } userErrors { field message } } }`, {
      input: { name: 'promo', channel: 'SMS', body: 'Hi {{ profile.traits.first_name | default: "there" }}!' },
    })).errors).toBeUndefined();
    const CREATE = `mutation($input: CreateBroadcastInput!) { createBroadcast(input: $input) { broadcast { id status audience enrolled sent skipped { reason count } } ${USER_ERRORS} } }`;
    type Payload = { broadcast: { id: string; status: string; audience: string; enrolled: number } | null; userErrors: UserError[] };
    const created = await gw.graphql<{ createBroadcast: Payload }>(CREATE, {
      input: { name: 'Spring', audience: 'loyal-br', template: 'promo', ratePerSecond: 5 },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createBroadcast.userErrors).toEqual([]);
    const { id } = created.data!.createBroadcast.broadcast!;
    expect(created.data!.createBroadcast.broadcast).toMatchObject({ status: 'RUNNING', audience: 'loyal-br', enrolled: 0 });
    expect(await gw.temporal.workflow.getHandle(`broadcast/default/${id}`).describe()).toMatchObject({ type: 'broadcastRun', status: { name: 'RUNNING' } });

    const control = (action: string, input: Record<string, unknown>) =>
      gw.graphql(`mutation($input: ${action[0]!.toUpperCase()}${action.slice(1)}Input!) { ${action}(input: $input) { broadcast { id status } ${USER_ERRORS} } }`, { input });
    expect((await control('pauseBroadcast', { id })).data).toEqual({ pauseBroadcast: { broadcast: { id, status: 'PAUSED' }, userErrors: [] } });
    const history = await gw.temporal.workflow.getHandle(`broadcast/default/${id}`).fetchHistory();
    expect(history.events?.some((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'broadcastControl')).toBe(true);
    expect((await control('cancelBroadcast', { id })).data).toEqual({ cancelBroadcast: { broadcast: { id, status: 'CANCELLED' }, userErrors: [] } });
    const again = await control('resumeBroadcast', { id });
    expect(again.data).toEqual({ resumeBroadcast: { broadcast: null, userErrors: [{ code: 'FAILED_PRECONDITION', field: ['input', 'id'], message: `Broadcast "${id}" is cancelled` }] } });
    const unknownId = '00000000-0000-4000-8000-000000000000';
    for (const action of ['pauseBroadcast', 'resumeBroadcast', 'cancelBroadcast']) {
      expect((await control(action, { id: unknownId })).data).toEqual({ [action]: { broadcast: null, userErrors: [{ code: 'NOT_FOUND', field: ['input', 'id'], message: `No broadcast "${unknownId}" in this workspace` }] } });
    }
    const status = async () => (await gw.graphql<{ broadcast: { status: string } }>(`query($id: ID!) { broadcast(id: $id) { status } }`, { id })).data!.broadcast.status;
    expect(await status()).toBe('CANCELLED');

    const cases: Array<[Record<string, unknown>, string, string[], string]> = [
      [{ audience: 'nope' }, 'NOT_FOUND', ['input', 'audience'], 'No audience "nope" in this workspace'],
      [{ template: 'missing' }, 'INVALID', ['input', 'template'], 'template: no template named "missing" is published'],
      [{ channel: 'EMAIL' }, 'INVALID', ['input', 'template'], 'template: "promo" is a template for sms, not email'],
      [{ ratePerSecond: 0 }, 'INVALID', ['input', 'ratePerSecond'], 'ratePerSecond: must be above 0 and at most 1000'],
      [{ name: ' ' }, 'INVALID', ['input', 'name'], 'name: must be 1 to 200 characters'],
    ];
    for (const [change, code, field, message] of cases) {
      const result = await gw.graphql(CREATE, { input: { name: 'X', audience: 'loyal-br', template: 'promo', ratePerSecond: 5, ...change } });
      expect(result, JSON.stringify(change)).toEqual({ data: { createBroadcast: { broadcast: null, userErrors: [{ code, field, message }] } } });
    }
    // None of the refused broadcasts was created.
    expect((await gw.graphql<{ broadcasts: Array<{ id: string }> }>(`{ broadcasts { id } }`)).data!.broadcasts).toEqual([{ id }]);
    await gw.temporal.workflow.getHandle(`broadcast/default/${id}`).terminate('test done').catch(() => undefined);
  });
});
