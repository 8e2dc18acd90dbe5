import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROADCAST_RUN_WORKFLOW, broadcastTemporalId, type BroadcastRunInput } from '@continuum/contracts';
import { AudienceStore, BroadcastStore, DEFAULT_WORKSPACE_ID, IdentityStore, TemplateStore } from '@continuum/data';
import { localClock } from '@continuum/domain';
import { createJourneyTestKit, waitFor, type JourneyTestKit } from '@continuum/testing';

const INDIA = 'Asia/Kolkata';
/** India's quiet hours: from two hours ago until the first whole minute at least 40 s from now (local time in Kolkata). */
const windowEnd = Math.ceil((Date.now() + 40_000) / 60_000) * 60_000;
const QUIET = { start: localClock(Date.now() - 2 * 3_600_000, INDIA), end: localClock(windowEnd, INDIA) };

// A broadcast that queues members inside their quiet hours, on the real dev server with the worker's
// real activities, PostgreSQL and the Twilio emulator (the window is real time, so this waits for it).
describe('broadcast run: quiet hours that queue', { timeout: 240_000 }, () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({ server: 'dev-server', settings: { QUIET_HOURS: { regions: { IN: QUIET } } } });
    await kit.identify('q-in-1', { first_name: 'Asha', phone: '+14155558001', country: 'IN', cohort: 'q' });
    await kit.identify('q-in-2', { first_name: 'Ravi', phone: '+14155558002', country: 'IN', cohort: 'q' });
    await kit.identify('q-us', { first_name: 'Ben', phone: '+14155558003', country: 'US', cohort: 'q' });
    // In India by country, but their own zone is New York (a timezone trait, with no time zone column):
    // outside quiet hours there, so sent at once.
    await kit.bed.profiles.mergeTraits(DEFAULT_WORKSPACE_ID, 'q-ny', { first_name: 'Nia', country: 'IN', timezone: 'America/New_York', cohort: 'q' }, { country: 'IN' });
    await new IdentityStore(kit.bed.dataSource).link(DEFAULT_WORKSPACE_ID, 'q-ny', [{ kind: 'phone', value: '+14155558004' }], 'traits', new Date());
    await new TemplateStore(kit.bed.dataSource).publish(DEFAULT_WORKSPACE_ID, { name: 'evening', locale: 'default', channel: 'sms', body: 'Hi {{ profile.traits.first_name }}', createdBy: 'test' });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('sends the others at once and each queued member once when their quiet hours end, with no activity waiting meanwhile', async () => {
    expect((await kit.bed.profiles.get(DEFAULT_WORKSPACE_ID, 'q-ny'))!.timezone).toBeNull();
    const audiences = new AudienceStore(kit.bed.dataSource);
    const audience = await audiences.save(DEFAULT_WORKSPACE_ID, 'cohort-q', { trait: 'cohort', eq: 'q' });
    await audiences.evaluate(audience);
    const broadcasts = new BroadcastStore(kit.bed.dataSource);
    const broadcast = await broadcasts.create(DEFAULT_WORKSPACE_ID, { name: 'Evening', audienceId: audience.id, template: 'evening', channel: 'sms', ratePerSecond: 20, quietHours: 'queue' });
    const input: BroadcastRunInput = { broadcastId: broadcast.id, workspaceId: DEFAULT_WORKSPACE_ID };
    const handle = await kit.bed.env.client.workflow.start(BROADCAST_RUN_WORKFLOW, { workflowId: broadcastTemporalId('default', broadcast.id), taskQueue: kit.bed.taskQueue, args: [input] });

    await kit.run(async () => {
      await waitFor('the members outside quiet hours', async () => (await broadcasts.progress(broadcast.id)).sent === 2, 30_000);
      expect(await broadcasts.progress(broadcast.id)).toEqual({ enrolled: 2, sent: 2, entered: 0, failed: 0, queued: 2, skipped: [] });
      expect(kit.messagesTo('+14155558004')).toHaveLength(1);
      expect(kit.messagesTo('+14155558001')).toHaveLength(0);
      // The run sleeps on a timer until the window ends; no batch activity is held open meanwhile.
      await waitFor('the run to wait on a timer', async () => {
        const { raw } = await handle.describe();
        const history = await handle.fetchHistory();
        return (raw.pendingActivities ?? []).length === 0 && history.events!.some((event) => event.timerStartedEventAttributes);
      });
      expect(Date.now()).toBeLessThan(windowEnd);
      expect(await handle.result()).toMatchObject({ status: 'completed' });
    });

    for (const phone of ['+14155558001', '+14155558002']) {
      const sent = kit.messagesTo(phone);
      expect(sent).toHaveLength(1);
      expect(Date.parse(sent[0]!.dateCreated)).toBeGreaterThanOrEqual(windowEnd);
    }
    expect(kit.messagesTo('+14155558001')[0]!.body).toBe('Hi Asha');
    for (const phone of ['+14155558003', '+14155558004']) expect(kit.messagesTo(phone)).toHaveLength(1);
    expect(await broadcasts.progress(broadcast.id)).toEqual({ enrolled: 4, sent: 4, entered: 0, failed: 0, queued: 0, skipped: [] });
    const [run] = await broadcasts.runs(broadcast.id);
    expect(run).toMatchObject({ number: 1, status: 'completed' });
    expect((await broadcasts.get(DEFAULT_WORKSPACE_ID, broadcast.id))!.status).toBe('completed');
  });
});
