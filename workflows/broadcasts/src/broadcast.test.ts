import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROADCAST_RUN_WORKFLOW, broadcastControlSignal, broadcastTemporalId, type BroadcastRunInput } from '@continuum/contracts';
import { AudienceStore, BroadcastStore, ConsentStore, DEFAULT_WORKSPACE_ID, TemplateStore } from '@continuum/data';
import { createJourneyTestKit, waitFor, type JourneyTestKit } from '@continuum/testing';

const SIZE = 120;
const phoneOf = (index: number) => `+1415557${String(index).padStart(4, '0')}`;

// A broadcast through the worker's real activities, PostgreSQL and the emulator, on the time-skipping
// test server: pause and resume, a worker that stops mid-way, and every member's outcome once.
describe('broadcast run', { timeout: 120_000 }, () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    // Quiet all day in Japan: Japanese members are skipped for quiet hours.
    // The real dev server: a workflow cached by the stopped worker moves to the next one (the
    // time-skipping server leaves its task on the stopped worker's sticky queue).
    kit = await createJourneyTestKit({ server: 'dev-server', settings: { QUIET_HOURS: { regions: { JP: { start: '00:00', end: '23:59' } } }, QUIET_HOURS_MODE: 'discard' } });
    const consents = new ConsentStore(kit.bed.dataSource);
    for (let index = 0; index < SIZE; index++) {
      const userId = `bc-${String(index).padStart(3, '0')}`;
      await kit.identify(userId, { first_name: `M${index}`, phone: phoneOf(index), segment: 'promo', ...(index % 12 === 1 ? { country: 'JP' } : {}) });
      if (index % 12 === 0) await consents.applyToChannel(DEFAULT_WORKSPACE_ID, userId, 'sms', ['marketing'], 'unsubscribed', 'test', new Date(), {});
    }
    await new TemplateStore(kit.bed.dataSource).publish(DEFAULT_WORKSPACE_ID, { name: 'spring-sale', locale: 'default', channel: 'sms', body: 'Hi {{ profile.traits.first_name }}, spring sale!', createdBy: 'test' });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('sends the template once to every member it may, skipping the unsubscribed and those in quiet hours, across a pause and a worker restart', async () => {
    const audiences = new AudienceStore(kit.bed.dataSource);
    const audience = await audiences.save(DEFAULT_WORKSPACE_ID, 'promo', { trait: 'segment', eq: 'promo' });
    await audiences.evaluate(audience);
    const broadcasts = new BroadcastStore(kit.bed.dataSource);
    const broadcast = await broadcasts.create(DEFAULT_WORKSPACE_ID, { name: 'Spring', audienceId: audience.id, template: 'spring-sale', channel: 'sms', ratePerSecond: 10, quietHours: 'skip' });
    const input: BroadcastRunInput = { broadcastId: broadcast.id, workspaceId: DEFAULT_WORKSPACE_ID };
    const handle = await kit.bed.env.client.workflow.start(BROADCAST_RUN_WORKFLOW, { workflowId: broadcastTemporalId('default', broadcast.id), taskQueue: kit.bed.taskQueue, args: [input] });
    const recorded = async () => (await broadcasts.progress(broadcast.id)).enrolled;

    await kit.run(async () => {
      await waitFor('a few recipients', async () => (await recorded()) >= 20, 30_000);
      await handle.signal(broadcastControlSignal, { action: 'pause' });
      await waitFor('the pause', async () => (await broadcasts.get(DEFAULT_WORKSPACE_ID, broadcast.id))!.status === 'paused', 30_000);
    }); // the worker stops here, mid-broadcast
    const whilePaused = await recorded();
    expect(whilePaused).toBeGreaterThanOrEqual(20);
    expect(whilePaused).toBeLessThan(SIZE);

    await kit.run(async () => {
      await handle.signal(broadcastControlSignal, { action: 'resume' });
      expect(await handle.result()).toMatchObject({ status: 'completed' });
    });

    const progress = await broadcasts.progress(broadcast.id);
    const unsubscribed = Array.from({ length: SIZE }, (_, index) => index).filter((index) => index % 12 === 0).length;
    const quiet = Array.from({ length: SIZE }, (_, index) => index).filter((index) => index % 12 === 1).length;
    expect(progress).toEqual({
      enrolled: SIZE,
      sent: SIZE - unsubscribed - quiet,
      entered: 0,
      failed: 0,
      queued: 0,
      skipped: [
        { reason: 'no-consent', count: unsubscribed },
        { reason: 'quiet-hours', count: quiet },
      ],
    });
    // Exactly once per member who may get it; nothing to the others.
    const sent = kit.bed.emulator.messages().filter((message) => message.to.startsWith('+1415557'));
    expect(sent).toHaveLength(SIZE - unsubscribed - quiet);
    expect(new Set(sent.map((message) => message.to)).size).toBe(sent.length);
    expect(sent.some((message) => message.to === phoneOf(0) || message.to === phoneOf(1))).toBe(false);
    expect(sent.find((message) => message.to === phoneOf(2))!.body).toBe('Hi M2, spring sale!');
    expect((await broadcasts.get(DEFAULT_WORKSPACE_ID, broadcast.id))!.status).toBe('completed');
  });

  it('stops a cancelled broadcast at the next member, mid-batch', async () => {
    const audiences = new AudienceStore(kit.bed.dataSource);
    const audience = (await audiences.get(DEFAULT_WORKSPACE_ID, 'promo'))!;
    const broadcasts = new BroadcastStore(kit.bed.dataSource);
    const broadcast = await broadcasts.create(DEFAULT_WORKSPACE_ID, { name: 'Cancelled', audienceId: audience.id, template: 'spring-sale', channel: 'sms', ratePerSecond: 5, quietHours: 'skip' });
    const input: BroadcastRunInput = { broadcastId: broadcast.id, workspaceId: DEFAULT_WORKSPACE_ID };
    await kit.run(async () => {
      const handle = await kit.bed.env.client.workflow.start(BROADCAST_RUN_WORKFLOW, { workflowId: broadcastTemporalId('default', broadcast.id), taskQueue: kit.bed.taskQueue, args: [input] });
      await waitFor('the first recipients', async () => (await broadcasts.progress(broadcast.id)).enrolled >= 3, 30_000);
      await handle.signal(broadcastControlSignal, { action: 'cancel' });
      expect(await handle.result()).toMatchObject({ status: 'cancelled' });
    });
    expect((await broadcasts.get(DEFAULT_WORKSPACE_ID, broadcast.id))!.status).toBe('cancelled');
    // At 5/s, the members reached before the cancel arrived (heartbeats every 2 s) went out; not the rest of the page.
    expect((await broadcasts.progress(broadcast.id)).enrolled).toBeLessThan(SIZE / 2);
  });
});
