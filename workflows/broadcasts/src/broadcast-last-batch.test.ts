import { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROADCAST_RUN_WORKFLOW, broadcastControlSignal, broadcastTemporalId, type BroadcastBatchResult, type BroadcastRunInput } from '@continuum/contracts';
import { AudienceStore, BroadcastStore, DEFAULT_WORKSPACE_ID, TemplateStore } from '@continuum/data';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';

const E = temporal.api.enums.v1.EventType;

// A run's last batch completes the run itself (continuum.broadcast-batch-completes): the worker's real
// activities, PostgreSQL and the emulator on the time-skipping test server.
describe('broadcast run: the last batch completes the run', { timeout: 120_000 }, () => {
  let kit: JourneyTestKit;
  /**
   * Broadcasts whose last batch's first attempt dies right after completing the run (before the
   * workflow hears of it), while a pause is signalled to the run (a signal only, as the Web UI or CLI sends it).
   */
  const dieAfterCompleting = new Set<string>();
  let broadcasts: BroadcastStore;
  let audiences: AudienceStore;
  beforeAll(async () => {
    kit = await createJourneyTestKit({
      server: 'dev-server',
      afterActivity: async (name, result) => {
        if (name !== 'sendBroadcastBatch' || !(result as BroadcastBatchResult).completed) return;
        for (const broadcastId of dieAfterCompleting) {
          dieAfterCompleting.delete(broadcastId);
          await kit.bed.env.client.workflow.getHandle(broadcastTemporalId('default', broadcastId)).signal(broadcastControlSignal, { action: 'pause' });
          throw new Error('the worker died after the batch completed the run');
        }
      },
    });
    broadcasts = new BroadcastStore(kit.bed.dataSource);
    audiences = new AudienceStore(kit.bed.dataSource);
    await new TemplateStore(kit.bed.dataSource).publish(DEFAULT_WORKSPACE_ID, { name: 'last-sale', locale: 'default', channel: 'sms', body: 'Hi {{ profile.traits.first_name }}, sale!', createdBy: 'test' });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  const broadcastTo = async (segment: string, members: number) => {
    for (let index = 0; index < members; index++) await kit.identify(`${segment}-${index}`, { first_name: `M${index}`, phone: `+1415556${segment.length}${String(index).padStart(3, '0')}`, segment });
    const audience = await audiences.save(DEFAULT_WORKSPACE_ID, segment, { trait: 'segment', eq: segment });
    await audiences.evaluate(audience);
    const broadcast = await broadcasts.create(DEFAULT_WORKSPACE_ID, { name: segment, audienceId: audience.id, template: 'last-sale', channel: 'sms', ratePerSecond: 50, quietHours: 'skip' });
    const input: BroadcastRunInput = { broadcastId: broadcast.id, workspaceId: DEFAULT_WORKSPACE_ID };
    const handle = await kit.bed.env.client.workflow.start(BROADCAST_RUN_WORKFLOW, { workflowId: broadcastTemporalId('default', broadcast.id), taskQueue: kit.bed.taskQueue, args: [input] });
    return { broadcast, handle };
  };
  const activitiesOf = async (handle: { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }) =>
    ((await handle.fetchHistory()).events ?? []).filter((event) => event.eventType === E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name);

  it('records the run and the broadcast completed from the last batch, with no activity after it', async () => {
    const { broadcast, handle } = await broadcastTo('last', 3);
    expect(await kit.run(() => handle.result())).toEqual({ status: 'completed', batches: 1 });
    expect((await broadcasts.get(DEFAULT_WORKSPACE_ID, broadcast.id))!.status).toBe('completed');
    expect(await broadcasts.runs(broadcast.id)).toMatchObject([{ status: 'completed' }]);
    expect((await broadcasts.progress(broadcast.id)).sent).toBe(3);
    expect(await activitiesOf(handle)).toEqual(['openBroadcastRun', 'sendBroadcastBatch']);
  });

  it('ends completed when the attempt that completed the run dies before answering, a pause coming meanwhile: the retry or the pause finds the run ended', async () => {
    const { broadcast, handle } = await broadcastTo('raced', 2);
    dieAfterCompleting.add(broadcast.id);
    // Every member was reached: nothing is left to pause, and a resume would be refused (the broadcast is completed).
    const result = await kit.run(() => Promise.race([handle.result(), new Promise((_, reject) => setTimeout(() => reject(new Error('the run waits paused after completing')), 60_000))]));
    // (The pause cancelled the retry: the run counts no batch it saw finish.)
    expect(result).toMatchObject({ status: 'completed' });
    expect((await broadcasts.get(DEFAULT_WORKSPACE_ID, broadcast.id))!.status).toBe('completed');
    expect(await broadcasts.runs(broadcast.id)).toMatchObject([{ status: 'completed' }]);
    expect((await broadcasts.progress(broadcast.id)).sent).toBe(2);
    expect(kit.messagesTo('+14155565000')).toHaveLength(1);
  });
});
