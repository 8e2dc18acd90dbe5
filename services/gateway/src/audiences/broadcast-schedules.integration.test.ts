import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleNotFoundError } from '@temporalio/client';
import { JourneyIdKey } from '@continuum/contracts';
import { EMULATOR_ACCOUNT_SID, EMULATOR_AUTH_TOKEN } from '@continuum/config';
import { DEFAULT_WORKSPACE_ID, JourneyCatalogueStore } from '@continuum/data';
import { createTwilioEmulator, silentLogger, type TwilioEmulator } from '@continuum/twilio-emulator';
import { createJourneyWorker, journeyDescriptors, type JourneyWorker } from '@continuum/worker';
import { parseGlobalId } from '../node/global-id';
import { startGatewayFixture, workerConfigFor, type GatewayFixture } from '../test-support/gateway-fixture';

type Counts = { enrolled: number; sent: number; entered: number; failed: number; queued: number; skipped: Array<{ reason: string; count: number }> };
type Run = Counts & { number: number; status: string; workflowId: string; scheduledAt: string; recipients: number | null };
type Broadcast = Counts & {
  id: string;
  kind: string;
  status: string;
  journeyId: string | null;
  entryEvent: string | null;
  schedule: { cron: string | null; timeZone: string; scheduleId: string; paused: boolean; nextRuns: string[]; calendar: Record<string, string | null> | null } | null;
  runs: Run[];
};

const COUNTS = 'enrolled sent entered failed queued skipped { reason count }';
const FIELDS = `id kind status journeyId entryEvent ${COUNTS}
  schedule { cron calendar { second minute hour dayOfMonth month dayOfWeek } timeZone scheduleId paused nextRuns }
  runs(first: 100) { nodes { number status workflowId scheduledAt recipients ${COUNTS} } }`;
const USER_ERRORS = 'userErrors { code field message }';
const CREATE = `mutation($input: CreateBroadcastInput!) { createBroadcast(input: $input) { broadcast { ${FIELDS} } ${USER_ERRORS} } }`;
const GET = `query($id: ID!) { broadcast(id: $id) { ${FIELDS} } }`;
const ACTION_INPUT = { pause: 'PauseBroadcastInput', resume: 'ResumeBroadcastInput', cancel: 'CancelBroadcastInput' } as const;
const control = (action: 'pause' | 'resume' | 'cancel') => `mutation($input: ${ACTION_INPUT[action]}!) { ${action}Broadcast(input: $input) { broadcast { ${FIELDS} } ${USER_ERRORS} } }`;
type UserError = { code: string; field: string[] | null; message: string };
type Fetched = Omit<Broadcast, 'runs'> & { runs: { nodes: Run[] } };
/** The broadcast with its runs as a plain list (a broadcast here has fewer than 100). */
const flat = (broadcast: Fetched | null): Broadcast | null => (broadcast ? { ...broadcast, runs: broadcast.runs.nodes } : null);
/** The row id inside a broadcast's global id: what its Temporal ids are made of. */
const local = (id: string) => parseGlobalId(id)!.localId;

/** The wall clock in `timeZone`: weekday and HH:MM. */
const localTime = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

// Recurring broadcasts on Temporal Schedules and broadcasts that start a journey, through GraphQL,
// with a real Temporal dev server, PostgreSQL, a journey worker and the Twilio emulator.
describe('broadcast schedules and journey broadcasts (gateway, worker, emulator)', { timeout: 180_000 }, () => {
  let gw: GatewayFixture;
  let emulator: TwilioEmulator;
  let worker: JourneyWorker;
  let running: Promise<void>;

  beforeAll(async () => {
    gw = await startGatewayFixture({ beforeStart: (ds) => new JourneyCatalogueStore(ds).publish(journeyDescriptors(), 'broadcasts-test') });
    emulator = createTwilioEmulator({ accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, statusDelayMs: 10 }, { logger: silentLogger });
    const { url: emulatorUrl } = await emulator.listen(0, '127.0.0.1');
    worker = await createJourneyWorker(
      await workerConfigFor(gw, emulatorUrl, { ABANDONED_CART_IDLE_TIMEOUT: '2s' }),
    );
    running = worker.run();
    const identify = `mutation($input: IdentifyInput!) { identify(input: $input) { duplicate } }`;
    for (const [userId, cohort, phone] of [
      ['s1', 'sched', '+14155559101'],
      ['s2', 'sched', '+14155559102'],
      ['s3', 'sched', '+14155559103'],
      ['j0', 'jrn', '+14155559200'],
      ['j1', 'jrn', '+14155559201'],
      ['j2', 'jrn', '+14155559202'],
      ['j3', 'jrn', '+14155559203'],
    ] as const) {
      expect((await gw.graphql(identify, { input: { userId, traits: { first_name: userId.toUpperCase(), cohort, phone } } })).errors).toBeUndefined();
    }
    const save = `mutation($input: SaveAudienceInput!) { saveAudience(input: $input) { audience { size } ${USER_ERRORS} } }`;
    expect((await gw.graphql(save, { input: { name: 'sched', definition: { trait: { name: 'cohort', eq: { string: 'sched' } } } } })).data).toEqual({ saveAudience: { audience: { size: 3 }, userErrors: [] } });
    expect((await gw.graphql(save, { input: { name: 'jrn', definition: { trait: { name: 'cohort', eq: { string: 'jrn' } } } } })).data).toEqual({ saveAudience: { audience: { size: 4 }, userErrors: [] } });
    const publish = `mutation($input: PublishTemplateInput!) { publishTemplate(input: $input) { template { name } userErrors { field message } } }`;
    expect((await gw.graphql(publish, { input: { name: 'weekly', channel: 'SMS', body: 'Weekly news for {{ profile.traits.first_name }}' } })).errors).toBeUndefined();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await emulator?.close();
    await gw?.teardown();
  });

  async function create(input: Record<string, unknown>): Promise<Broadcast> {
    const result = await gw.graphql<{ createBroadcast: { broadcast: Fetched | null; userErrors: UserError[] } }>(CREATE, {
      input: { name: 'Test', audienceName: 'sched', template: 'weekly', ratePerSecond: 10, ...input },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createBroadcast.userErrors).toEqual([]);
    return flat(result.data!.createBroadcast.broadcast)!;
  }
  async function get(id: string): Promise<Broadcast> {
    return flat((await gw.graphql<{ broadcast: Fetched }>(GET, { id })).data!.broadcast)!;
  }
  async function act(action: 'pause' | 'resume' | 'cancel', id: string): Promise<Broadcast> {
    const result = await gw.graphql<Record<string, { broadcast: Fetched | null; userErrors: UserError[] }>>(control(action), { input: { id } });
    expect(result.errors).toBeUndefined();
    expect(result.data![`${action}Broadcast`]!.userErrors).toEqual([]);
    return flat(result.data![`${action}Broadcast`]!.broadcast)!;
  }

  it('refuses a schedule that is not one, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ cron: '0 25 * * *', timeZone: 'UTC' }, 'schedule.cron', 'schedule.cron: "0 25 * * *": hour 25 is out of range 0–23'],
      [{ cron: '0 9 * *', timeZone: 'UTC' }, 'schedule.cron', 'schedule.cron: "0 9 * *": has 4 fields; expected 5: minute hour day-of-month month day-of-week'],
      [{ cron: '0 9 * * MON', timeZone: 'Mars/Olympus' }, 'schedule.timeZone', 'schedule.timeZone: "Mars/Olympus" is not an IANA time zone (such as America/Sao_Paulo or UTC)'],
      [{ calendar: { minute: '61' }, timeZone: 'UTC' }, 'schedule.calendar.minute', 'schedule.calendar.minute: "61": minute 61 is out of range 0–59'],
      [{ cron: '0 9 * * *', calendar: { hour: '9' }, timeZone: 'UTC' }, 'schedule', 'schedule: give either cron or calendar'],
    ];
    for (const [schedule, field, message] of cases) {
      const result = await gw.graphql(CREATE, { input: { name: 'Bad', audienceName: 'sched', template: 'weekly', ratePerSecond: 1, schedule } });
      expect(result, JSON.stringify(schedule)).toEqual({ data: { createBroadcast: { broadcast: null, userErrors: [{ code: 'INVALID', field: ['input', ...field.split('.')], message }] } } });
    }
    // Nothing was created for them.
    expect((await gw.graphql<{ broadcasts: { nodes: unknown[] } }>(`{ broadcasts(first: 100) { nodes { id } } }`)).data!.broadcasts.nodes).toHaveLength(0);
  });

  it('computes the next runs in the chosen time zone, and pauses, resumes and deletes the schedule', async () => {
    const weekly = await create({ name: 'Monday 9:00 São Paulo', schedule: { cron: '0 9 * * MON', timeZone: 'America/Sao_Paulo' } });
    expect(weekly).toMatchObject({ kind: 'TEMPLATE', status: 'SCHEDULED', runs: [], schedule: { cron: '0 9 * * MON', timeZone: 'America/Sao_Paulo', paused: false, scheduleId: `broadcast/default/${local(weekly.id)}` } });
    expect(weekly.schedule!.nextRuns).toHaveLength(5);
    for (const at of weekly.schedule!.nextRuns) {
      expect(localTime(at, 'America/Sao_Paulo')).toBe('Mon 09:00');
      expect(new Date(at).getUTCHours()).toBe(12); // São Paulo is UTC−3 all year
    }
    // A zone with daylight saving: 08:30 local whatever the offset of the day.
    const daily = await create({ name: 'Daily New York', schedule: { calendar: { hour: '8', minute: '30', dayOfWeek: 'MON-FRI' }, timeZone: 'America/New_York' } });
    expect(daily.schedule!.calendar).toMatchObject({ hour: '8', minute: '30', dayOfWeek: 'MON-FRI', second: null });
    for (const at of daily.schedule!.nextRuns) expect(localTime(at, 'America/New_York')).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 08:30$/);
    // Readable in the Web UI, as Temporal has it.
    const described = await gw.temporal.schedule.getHandle(`broadcast/default/${local(weekly.id)}`).describe();
    expect(described.spec.timezone).toBe('America/Sao_Paulo');
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'broadcastRun', workflowId: `broadcast/default/${local(weekly.id)}` });

    expect(await act('pause', weekly.id)).toMatchObject({ status: 'PAUSED', schedule: { paused: true, nextRuns: [] } });
    expect((await gw.temporal.schedule.getHandle(`broadcast/default/${local(weekly.id)}`).describe()).state.paused).toBe(true);
    const resumed = await act('resume', weekly.id);
    expect(resumed).toMatchObject({ status: 'SCHEDULED', schedule: { paused: false } });
    expect(resumed.schedule!.nextRuns).toEqual(weekly.schedule!.nextRuns);
    expect(await act('cancel', weekly.id)).toMatchObject({ status: 'CANCELLED', schedule: { paused: true, nextRuns: [] } });
    await expect(gw.temporal.schedule.getHandle(`broadcast/default/${local(weekly.id)}`).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await gw.graphql(control('resume'), { input: { id: weekly.id } })).data).toEqual({
      resumeBroadcast: { broadcast: null, userErrors: [{ code: 'FAILED_PRECONDITION', field: ['input', 'id'], message: `Broadcast "${weekly.id}" is cancelled` }] },
    });
    expect(await get(weekly.id)).toMatchObject({ status: 'CANCELLED' });
    await act('cancel', daily.id);
  });

  it('runs every occurrence as a run of its own: every member once per run, each run its own progress; pause and cancel reach the schedule and the run in flight', async () => {
    // Every 5 seconds; 3 members at 1/s make a run last about 2 s.
    const broadcast = await create({ name: 'Every 5 s', ratePerSecond: 1, schedule: { calendar: { second: '*/5', minute: '*', hour: '*' }, timeZone: 'UTC' } });
    const completed = async () => (await get(broadcast.id)).runs.filter((run) => run.status === 'COMPLETED');
    await expect.poll(async () => (await completed()).length, { timeout: 60_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    const [second, first] = (await completed()).slice(0, 2); // latest first
    for (const run of [first!, second!]) {
      expect(run).toMatchObject({ recipients: 3, enrolled: 3, sent: 3, failed: 0, queued: 0, skipped: [] });
      expect(run.workflowId).toMatch(new RegExp(`^broadcast/default/${local(broadcast.id)}-\\d{4}-\\d{2}-\\d{2}T`));
      expect(new Date(run.scheduledAt).getUTCSeconds() % 5).toBe(0);
    }
    expect(second!.number).toBeGreaterThan(first!.number);
    // Each run is a Node of its own, with its broadcast; the runs page both ways, latest first.
    const page = await gw.graphql<{ broadcast: { runs: { edges: Array<{ cursor: string; node: { id: string; number: number } }>; totalCount: number } } }>(
      `query($id: ID!) { broadcast(id: $id) { runs(first: 2) { edges { cursor node { id number } } totalCount } } }`,
      { id: broadcast.id },
    );
    const [newest, older] = page.data!.broadcast.runs.edges;
    expect(newest!.node.number).toBeGreaterThan(older!.node.number);
    expect(page.data!.broadcast.runs.totalCount).toBeGreaterThanOrEqual(2);
    const backward = await gw.graphql<{ broadcast: { runs: { nodes: Array<{ number: number }>; pageInfo: { hasNextPage: boolean } } } }>(
      `query($id: ID!, $before: String!) { broadcast(id: $id) { runs(last: 1, before: $before) { nodes { number } pageInfo { hasNextPage } } } }`,
      { id: broadcast.id, before: older!.cursor },
    );
    expect(backward.data!.broadcast.runs).toEqual({ nodes: [{ number: newest!.node.number }], pageInfo: { hasNextPage: true } });
    const node = await gw.graphql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { __typename ... on BroadcastRun { number recipients broadcast { id } } } }`, { id: newest!.node.id });
    expect(node).toEqual({ data: { node: { __typename: 'BroadcastRun', number: newest!.node.number, recipients: 3, broadcast: { id: broadcast.id } } } });
    expect(second!.workflowId).not.toBe(first!.workflowId);
    // Exactly once per (run, member) in the outbox, and nothing dropped as a "duplicate" of another run.
    const perRun: Array<{ instance_id: string; customer_id: string; count: number }> = await gw.dataSource.query(
      `SELECT instance_id, customer_id, count(*)::int AS count FROM messages WHERE instance_id LIKE $1 GROUP BY instance_id, customer_id`,
      [`broadcast/default/${local(broadcast.id)}-%`],
    );
    for (const run of [first!, second!]) {
      expect(perRun.filter((row) => row.instance_id === run.workflowId).map((row) => [row.customer_id, row.count]).sort()).toEqual([['s1', 1], ['s2', 1], ['s3', 1]]);
    }

    // Pause while a run is under way: the schedule stops firing and the run stops sending.
    await expect
      .poll(async () => {
        const latest = (await get(broadcast.id)).runs[0];
        return latest?.status === 'RUNNING' && latest.enrolled < 2;
      }, { timeout: 20_000, interval: 100 })
      .toBe(true);
    const paused = await act('pause', broadcast.id);
    expect(paused).toMatchObject({ status: 'PAUSED', schedule: { paused: true } });
    const inFlight = paused.runs[0]!;
    await expect.poll(async () => (await get(broadcast.id)).runs.find((run) => run.number === inFlight.number)?.status, { timeout: 20_000 }).toBe('PAUSED');
    const whilePaused = await get(broadcast.id);
    await sleep(6_000);
    const later = await get(broadcast.id);
    expect(later.runs.length).toBe(whilePaused.runs.length);
    expect(later.enrolled).toBe(whilePaused.enrolled);

    // Resume: the run in flight finishes, and the schedule fires again.
    await act('resume', broadcast.id);
    await expect.poll(async () => (await get(broadcast.id)).runs.find((run) => run.number === inFlight.number)?.status, { timeout: 30_000 }).toBe('COMPLETED');
    await expect.poll(async () => (await get(broadcast.id)).runs.length, { timeout: 30_000 }).toBeGreaterThan(whilePaused.runs.length);

    // Cancel: the schedule is deleted and whatever runs stops. A run the schedule fired as it was
    // being deleted records itself (cancelled) a moment later: wait one interval before counting.
    const cancelledAt = Date.now();
    const cancelled = await act('cancel', broadcast.id);
    expect(cancelled.status).toBe('CANCELLED');
    await expect(gw.temporal.schedule.getHandle(`broadcast/default/${local(broadcast.id)}`).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    await sleep(6_000);
    await expect.poll(async () => (await get(broadcast.id)).runs.every((run) => run.status === 'COMPLETED' || run.status === 'CANCELLED'), { timeout: 30_000 }).toBe(true);
    const final = await get(broadcast.id);
    await sleep(6_000);
    expect((await get(broadcast.id)).runs.length).toBe(final.runs.length);
    // No run was fired after the cancel (a second of clock skew between the test and the server).
    for (const run of final.runs) expect(new Date(run.scheduledAt).getTime()).toBeLessThanOrEqual(cancelledAt + 1_000);
    // Every run of this broadcast reached each member at most once; the totals add the runs up.
    expect(final.sent).toBe(final.runs.reduce((sum, run) => sum + run.sent, 0));
    const toMembers = emulator.messages().filter((message) => ['+14155559101', '+14155559102', '+14155559103'].includes(message.to));
    expect(toMembers.length).toBe(final.sent);
  }, 120_000);

  it("starts a journey for every member through its entry path, with the journey's re-entry rule, at the broadcast's rate", async () => {
    // j0 entered onboarding (once per customer) before.
    expect(await new JourneyCatalogueStore(gw.dataSource).recordFirstEntry(DEFAULT_WORKSPACE_ID, 'onboarding', 'j0')).toBe(true);
    const onboarding = await create({ name: 'Onboard everyone', audienceName: 'jrn', template: null, journeyId: 'onboarding', ratePerSecond: 2 });
    expect(onboarding).toMatchObject({ kind: 'JOURNEY', journeyId: 'onboarding', entryEvent: 'Signed Up', status: 'RUNNING' });
    // Its journey and audience as objects, from the catalogue and the audiences.
    const related = await gw.graphql<{ broadcast: unknown }>(`query($id: ID!) { broadcast(id: $id) { journey { workflowType } audience { name } } }`, { id: onboarding.id });
    expect(related).toEqual({ data: { broadcast: { journey: { workflowType: 'onboarding' }, audience: { name: 'jrn' } } } });
    await expect.poll(async () => (await get(onboarding.id)).status, { timeout: 30_000 }).toBe('COMPLETED');
    expect(await get(onboarding.id)).toMatchObject({ enrolled: 4, entered: 3, sent: 0, failed: 0, skipped: [{ reason: 'reentry-once', count: 1 }] });
    const starts: number[] = [];
    for (const customer of ['j1', 'j2', 'j3']) {
      const instance = await gw.temporal.workflow.getHandle(`journey/onboarding/${customer}/${customer}`).describe();
      expect(instance).toMatchObject({ type: 'onboarding', status: { name: 'RUNNING' } });
      expect(instance.typedSearchAttributes.get(JourneyIdKey)).toBe('onboarding');
      starts.push(instance.startTime.getTime());
    }
    // 2 per second: the instances started at least ~half a second apart.
    starts.sort((a, b) => a - b);
    expect(starts[2]! - starts[0]!).toBeGreaterThanOrEqual(900);
    await expect(gw.temporal.workflow.getHandle('journey/onboarding/j0/j0').describe()).rejects.toThrow();

    // A journey keyed by the entry event: the broadcast's properties carry the key and reach the journey.
    const refused = await gw.graphql(CREATE, { input: { name: 'Carts', audienceName: 'jrn', journeyId: 'abandoned-cart', ratePerSecond: 10 } });
    expect(refused.data).toEqual({
      createBroadcast: {
        broadcast: null,
        userErrors: [{ code: 'INVALID', field: ['input', 'properties'], message: 'properties: abandoned-cart is keyed by properties.cart_id: give it (a string or number without "/")' }],
      },
    });
    const carts = await create({ name: 'Carts', audienceName: 'jrn', template: null, journeyId: 'abandoned-cart', properties: { cart_id: 'spring', items: ['Boots'] }, ratePerSecond: 50 });
    await expect.poll(async () => (await get(carts.id)).entered, { timeout: 30_000 }).toBe(4);
    // Each cart journey, idle for 2 s, sends its own reminder naming the items.
    await expect.poll(() => emulator.messages().filter((message) => message.to.startsWith('+141555592')).length, { timeout: 30_000 }).toBe(4);
    expect(emulator.messages().find((message) => message.to === '+14155559201')!.body).toBe('Hi J1, you left Boots in your cart. Complete your order before it\'s gone!');

    // Again: the members already in onboarding stay where they are; j0 still may not enter.
    const again = await create({ name: 'Onboard again', audienceName: 'jrn', template: null, journeyId: 'onboarding', ratePerSecond: 10 });
    await expect.poll(async () => (await get(again.id)).status, { timeout: 30_000 }).toBe('COMPLETED');
    expect(await get(again.id)).toMatchObject({ enrolled: 4, entered: 0, skipped: [{ reason: 'already-in-journey', count: 3 }, { reason: 'reentry-once', count: 1 }] });

    const cases: Array<[Record<string, unknown>, string, string, string]> = [
      [{ journeyId: 'nope' }, 'NOT_FOUND', 'journeyId', 'No journey "nope" in the catalogue'],
      [{ journeyId: 'onboarding', template: 'weekly' }, 'INVALID', 'journeyId', 'journeyId: give either a template to send or a journeyId to start, not both'],
      [{ journeyId: 'onboarding', entryEvent: 'Order Completed' }, 'INVALID', 'entryEvent', 'entryEvent: "Order Completed" is not an entry event of onboarding (Signed Up)'],
      [{ journeyId: 'onboarding', quietHours: 'QUEUE' }, 'INVALID', 'quietHours', "quietHours: applies to template broadcasts; a journey's sends apply quiet hours themselves"],
      [{ template: null }, 'INVALID', 'template', 'template: give a template to send or a journeyId to start'],
    ];
    const before = (await gw.graphql<{ broadcasts: { nodes: unknown[] } }>(`{ broadcasts(first: 100) { nodes { id } } }`)).data!.broadcasts.nodes.length;
    for (const [change, code, field, message] of cases) {
      const result = await gw.graphql(CREATE, { input: { name: 'X', audienceName: 'jrn', ratePerSecond: 5, template: null, ...change } });
      expect(result, JSON.stringify(change)).toEqual({ data: { createBroadcast: { broadcast: null, userErrors: [{ code, field: ['input', field], message }] } } });
    }
    expect((await gw.graphql<{ broadcasts: { nodes: unknown[] } }>(`{ broadcasts(first: 100) { nodes { id } } }`)).data!.broadcasts.nodes).toHaveLength(before);
  });
});
