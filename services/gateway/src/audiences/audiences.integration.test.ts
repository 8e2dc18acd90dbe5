import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture, type GatewayFixture } from '../test-support/gateway-fixture';

type Audience = { name: string; size: number; members: Array<{ userId: string }> };
const SAVE = `mutation($name: String!, $definition: JSONObject!) { saveAudience(name: $name, definition: $definition) { name size members { userId } } }`;
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
    const saved = await gw.graphql<{ saveAudience: Audience }>(SAVE, { name: 'loyal-br', definition: LOYAL_BR });
    expect(saved.data!.saveAudience).toEqual({ name: 'loyal-br', size: 1, members: [{ userId: 'bia' }] });
    expect(await audienceEvents('bia')).toEqual([{ name: 'Audience Entered', properties: { audience: 'loyal-br' } }]);

    const bad = await gw.graphql(SAVE, { name: 'broken', definition: { all: [{ trait: 'country', eq: 'BR' }, { event: 'Order Completed', within: 'a while' }] } });
    expect(bad.errors?.[0]).toMatchObject({
      message: 'definition.all[1].within: must be a duration such as "90 days"',
      extensions: { code: 'BAD_USER_INPUT', field: 'definition.all[1].within' },
    });
    expect((await gw.graphql(SAVE, { name: 'Not A Slug', definition: { event: 'X' } })).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'name' } });
    expect((await gw.graphql(`mutation { refreshAudience(name: "nope") { size } }`)).errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
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
    const refreshed = await gw.graphql<{ refreshAudience: { entered: number; exited: number; size: number } }>(`mutation { refreshAudience(name: "loyal-br") { entered exited size } }`);
    expect(refreshed.data!.refreshAudience).toEqual({ entered: 0, exited: 0, size: 1 });
  });

  it('creates a broadcast to an audience (a run started for the worker), pauses and cancels it, and refuses bad input', async () => {
    expect((await gw.graphql(`mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { name } }`, {
      input: { name: 'promo', channel: 'sms', body: 'Hi {{ profile.traits.first_name | default: "there" }}!' },
    })).errors).toBeUndefined();
    const CREATE = `mutation($input: CreateBroadcastInput!) { createBroadcast(input: $input) { id status audience enrolled sent skipped { reason count } } }`;
    const created = await gw.graphql<{ createBroadcast: { id: string; status: string; audience: string; enrolled: number } }>(CREATE, {
      input: { name: 'Spring', audience: 'loyal-br', template: 'promo', ratePerSecond: 5 },
    });
    expect(created.errors).toBeUndefined();
    const { id } = created.data!.createBroadcast;
    expect(created.data!.createBroadcast).toMatchObject({ status: 'RUNNING', audience: 'loyal-br', enrolled: 0 });
    expect(await gw.temporal.workflow.getHandle(`broadcast/default/${id}`).describe()).toMatchObject({ type: 'broadcastRun', status: { name: 'RUNNING' } });

    const paused = await gw.graphql<{ pauseBroadcast: { status: string } }>(`mutation($id: ID!) { pauseBroadcast(id: $id) { status } }`, { id });
    expect(paused.data!.pauseBroadcast.status).toBe('PAUSED');
    const history = await gw.temporal.workflow.getHandle(`broadcast/default/${id}`).fetchHistory();
    expect(history.events?.some((event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'broadcastControl')).toBe(true);
    await gw.graphql(`mutation($id: ID!) { cancelBroadcast(id: $id) { status } }`, { id });
    const again = await gw.graphql(`mutation($id: ID!) { resumeBroadcast(id: $id) { status } }`, { id });
    expect(again.errors?.[0]).toMatchObject({ extensions: { code: 'FAILED_PRECONDITION' } });

    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ audience: 'nope' }, 'NOT_FOUND', 'No audience "nope" in this workspace'],
      [{ template: 'missing' }, 'BAD_USER_INPUT', 'template: no template named "missing" is published'],
      [{ channel: 'EMAIL' }, 'BAD_USER_INPUT', 'template: "promo" is a template for sms, not email'],
      [{ ratePerSecond: 0 }, 'BAD_USER_INPUT', 'ratePerSecond: must be above 0 and at most 1000'],
      [{ name: ' ' }, 'BAD_USER_INPUT', 'name: must be 1 to 200 characters'],
    ];
    for (const [change, code, message] of cases) {
      const result = await gw.graphql(CREATE, { input: { name: 'X', audience: 'loyal-br', template: 'promo', ratePerSecond: 5, ...change } });
      expect(result.errors?.[0], JSON.stringify(change)).toMatchObject({ message, extensions: { code } });
    }
    await gw.temporal.workflow.getHandle(`broadcast/default/${id}`).terminate('test done').catch(() => undefined);
  });
});
