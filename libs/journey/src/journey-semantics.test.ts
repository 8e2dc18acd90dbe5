import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE_ID, TemplateStore } from '@continuum/data';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import { firstName } from './first-name';
import { BASELINE_2026_12_PATCH } from './patches';
import * as journeys from './test-support/semantics-journeys';
import {
  authorHelpers,
  idleWithMaxResets,
  localMorning,
  longDelay,
  smallContext,
  splitAndBranch,
  templatedWelcome,
  undeclaredStep,
  waitForPayment,
} from './test-support/semantics-journeys';

const DAY = 24 * 60 * 60 * 1000;

// Each semantic of libs/journey, run for real: time-skipping Temporal, real activities,
// embedded PostgreSQL, the Twilio emulator.
describe('journey library semantics', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({ workflowsPath: join(__dirname, 'test-support/semantics-journeys.ts'), journeysModule: journeys });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  describe('waitFor', () => {
    it('returns the first matching event, ignoring ones the filter rejects', async () => {
      await kit.run(async () => {
        const invoice = await kit.enter(waitForPayment, 'wf-1', 'Invoice Sent', { invoice_id: 'i1' });
        await kit.skip('1 day');
        await invoice.send('Payment Received', { amount: 20, method: 'pix' });
        await kit.skip('1 day');
        await invoice.send('Payment Received', { amount: 150, method: 'card' });
        expect(await invoice.result()).toMatchObject({ status: 'completed', context: { paidWith: 'card' } });
        const ended = (await invoice.journal()).find((line) => line.type === 'wait.ended')!;
        expect(ended.detail).toMatchObject({ outcome: 'received', event: 'Payment Received' });
      });
    });

    it('times out after its timeout', async () => {
      await kit.run(async () => {
        const invoice = await kit.enter(waitForPayment, 'wf-2', 'Invoice Sent', { invoice_id: 'i2' });
        expect(await invoice.result()).toMatchObject({ status: 'exited', exitReason: 'not paid in 3 days' });
        const journal = await invoice.journal();
        const started = journal.find((line) => line.type === 'wait.started')!;
        const ended = journal.find((line) => line.type === 'wait.ended')!;
        expect(ended.detail).toEqual({ outcome: 'timeout' });
        expect(ended.at.getTime() - started.at.getTime()).toBeGreaterThanOrEqual(3 * DAY);
      });
    });

    it('is interrupted by an exit event', async () => {
      await kit.run(async () => {
        const invoice = await kit.enter(waitForPayment, 'wf-3', 'Invoice Sent', { invoice_id: 'i3' });
        await kit.skip('2 hours');
        await invoice.send('Invoice Cancelled');
        expect(await invoice.result()).toMatchObject({ status: 'exited', exitReason: 'event: Invoice Cancelled', step: 'exit' });
      });
    });
  });

  describe('the journal', () => {
    /** The activity type of each local activity a history recorded, in order. */
    const localActivities = async (handle: { fetchHistory(): Promise<{ events?: Array<{ markerRecordedEventAttributes?: { markerName?: string | null; details?: Record<string, { payloads?: Array<{ data?: Uint8Array | null }> | null }> | null } | null }> | null }> }) =>
      ((await handle.fetchHistory()).events ?? []).flatMap((event) => {
        const marker = event.markerRecordedEventAttributes;
        const data = marker?.markerName === 'core_local_activity' ? marker.details?.['data']?.payloads?.[0]?.data : undefined;
        return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type: string }).activity_type] : [];
      });

    it('writes the entries made back to back together, before the instance blocks: complete while it waits', async () => {
      await kit.run(async () => {
        const invoice = await kit.enter(waitForPayment, 'wf-journal', 'Invoice Sent', { invoice_id: 'ij' });
        // Waiting for the payment (not ended): what it did before the wait is journaled already.
        const deadline = Date.now() + 30_000;
        while (!(await invoice.path()).includes('wait.started')) {
          if (Date.now() > deadline) throw new Error('the wait was not journaled within 30 s');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect((await invoice.journal()).map((line) => line.type)).toEqual(['entered', 'wait.started']);
        await invoice.send('Payment Received', { amount: 150, method: 'card' });
        expect(await invoice.result()).toMatchObject({ status: 'completed' });
        const journal = await invoice.journal();
        expect(journal.map((line) => line.type)).toEqual(['entered', 'wait.started', 'wait.ended', 'completed']);
        expect(journal.map((line) => line.seq)).toEqual([1, 2, 3, 4]);
        // Two writes of two entries each (entry and wait; the event and the end), none one by one.
        const writes = await localActivities(invoice.handle);
        expect(writes.filter((type) => type === 'recordJournalEntries')).toHaveLength(2);
        expect(writes).not.toContain('recordJournalEntry');
      });
    });

    it('records one patch marker, the baseline, however many changes of the baseline the instance passes', async () => {
      await kit.run(async () => {
        const invoice = await kit.enter(waitForPayment, 'wf-baseline', 'Invoice Sent', { invoice_id: 'ib' });
        await invoice.send('Payment Received', { amount: 120, method: 'card' });
        expect(await invoice.result()).toMatchObject({ status: 'completed' });
        const events = (await invoice.handle.fetchHistory()).events ?? [];
        const patches = events.flatMap((event) => {
          const marker = event.markerRecordedEventAttributes;
          if (marker?.markerName !== 'core_patch') return [];
          const data = Object.values(marker.details ?? {})[0]?.payloads?.[0]?.data;
          return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
        });
        // It passed three changes of the baseline: the local reads, the batched journal and the coalesced attributes.
        expect(patches).toEqual([BASELINE_2026_12_PATCH]);
        const versionUpserts = events.filter((event) => Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).includes('TemporalChangeVersion'));
        expect(versionUpserts).toHaveLength(1);
        // Its behaviour is the changes': the settings read as a local activity, the entries written two at a time.
        const writes = await localActivities(invoice.handle);
        expect(writes).toEqual(['getJourneySettings', 'recordJournalEntries', 'recordJournalEntries']);
      });
    });
  });

  describe('holdUntilIdle', () => {
    it('restarts its timer on each matching event and stops at maxResets', async () => {
      await kit.run(async () => {
        const pings = await kit.enter(idleWithMaxResets, 'idle-1', 'Ping');
        for (let i = 0; i < 3; i += 1) {
          await kit.skip('30 minutes');
          await pings.send('Ping');
        }
        expect(await pings.result()).toMatchObject({ status: 'completed', context: { outcome: 'max-resets', resets: 3 } });
        expect(await pings.path()).toEqual(['entered', 'wait.started', 'timer.reset', 'timer.reset', 'timer.reset', 'wait.ended', 'completed']);
      });
    });

    it('ends idle when nothing arrives', async () => {
      await kit.run(async () => {
        const pings = await kit.enter(idleWithMaxResets, 'idle-2', 'Ping');
        await kit.skip('30 minutes');
        await pings.send('Ping');
        expect(await pings.result()).toMatchObject({ context: { outcome: 'idle', resets: 1 } });
      });
    });
  });

  it('exits in the middle of a delay, with the reason, and sends nothing', async () => {
    await kit.identify('delay-1', { phone: '+14155550301' });
    await kit.run(async () => {
      const trial = await kit.enter(longDelay, 'delay-1', 'Trial Started');
      await kit.skip('3 days');
      expect(await trial.state()).toMatchObject({ status: 'active', step: 'wait-two-weeks' });
      await trial.send('Trial Cancelled');
      expect(await trial.result()).toMatchObject({ status: 'exited', exitReason: 'event: Trial Cancelled' });
      const exit = (await trial.journal()).at(-1)!;
      expect(exit).toMatchObject({ type: 'exited', detail: { reason: 'event: Trial Cancelled' } });
    });
    expect(kit.messagesTo('+14155550301')).toHaveLength(0);
  });

  it('waits until 10:00 on the next weekday in the customer time zone', async () => {
    await kit.identify('tz-1', { phone: '+14155550302', timezone: 'Asia/Tokyo' });
    await kit.run(async () => {
      const morning = await kit.enter(localMorning, 'tz-1', 'Signed Up');
      await morning.result();
      const journal = await morning.journal();
      const sent = journal.find((line) => line.type === 'message.sent')!.at;
      const entered = journal[0]!.at;
      const local = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tokyo', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(sent);
      expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 10:00$/);
      expect(sent.getTime()).toBeGreaterThan(entered.getTime());
      expect(sent.getTime() - entered.getTime()).toBeLessThanOrEqual(3 * DAY + 60_000); // never skips a weekday 10:00
      expect(journal.find((line) => line.type === 'wait.started')!.detail).toMatchObject({ kind: 'local-time', timeZone: 'Asia/Tokyo' });
    });
    expect(kit.messagesTo('+14155550302')).toHaveLength(1);
  });

  it('falls back to UTC (and journals why) when the timezone trait is not a time zone', async () => {
    await kit.identify('tz-bad', { phone: '+14155550304', timezone: 'Brasilia' });
    await kit.run(async () => {
      const morning = await kit.enter(localMorning, 'tz-bad', 'Signed Up');
      await morning.result();
      const journal = await morning.journal();
      expect(journal.find((line) => line.type === 'wait.started')!.detail).toMatchObject({ timeZone: 'UTC', invalidTimezoneTrait: 'Brasilia' });
      const sent = journal.find((line) => line.type === 'message.sent')!.at;
      expect(sent.getUTCHours()).toBe(10);
    });
  });

  it('records the random split and the branch taken, and replays them deterministically', async () => {
    await kit.identify('split-1', { plan: 'pro' });
    await kit.run(async () => {
      const visit = await kit.enter(splitAndBranch, 'split-1', 'Visited');
      const state = await visit.result();
      expect(state.context['branch']).toBe('pro');
      expect(['a', 'b']).toContain(state.context['variant']);
      const branches = (await visit.journal()).filter((line) => line.type === 'branch.taken').map((line) => line.detail);
      expect(branches).toEqual([
        { outcome: state.context['variant'], reason: 'random split {"a":50,"b":50}' },
        { outcome: 'pro', reason: 'plan trait is pro' },
      ]);
      const history = await visit.handle.fetchHistory();
      await expect(kit.replay(history)).resolves.toBeUndefined();
    });
  });

  it('caps the journey context: an update past the limit is undone and journaled', async () => {
    await kit.run(async () => {
      const notes = await kit.enter(smallContext, 'ctx-1', 'Note', { text: 'first' });
      await kit.skip('1 minute');
      await notes.send('Note', { text: 'x'.repeat(500) });
      await kit.skip('1 minute');
      await notes.send('Note', { text: 'third' });
      const state = await notes.result();
      expect(state.context).toEqual({ notes: ['first', 'third'] });
      const rejected = (await notes.journal()).filter((line) => line.type === 'context.rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.detail).toMatchObject({ event: 'Note', limit: 200 });
    });
  });

  describe('send with a template', () => {
    beforeAll(async () => {
      const templates = new TemplateStore(kit.bed.dataSource);
      const publish = (locale: string, body: string) =>
        templates.publish(DEFAULT_WORKSPACE_ID, { name: 'welcome', locale, channel: 'sms', body, createdBy: 'test' });
      await publish('default', 'Welcome, {{ profile.traits.first_name }}!');
      await publish('pt', 'Bem-vindo, {{ profile.traits.first_name }}!');
      await publish('pt', 'Boas-vindas, {{ profile.traits.first_name }}!');
    });

    it("renders the latest version in the customer's locale at send time (pt-BR → pt)", async () => {
      await kit.bed.profiles.mergeTraits(DEFAULT_WORKSPACE_ID, 'tpl-ana', { first_name: 'Ana' }, { phone: '+14155550311', locale: 'pt-BR' });
      await kit.run(async () => {
        const welcome = await kit.enter(templatedWelcome, 'tpl-ana', 'Joined');
        expect(await welcome.result()).toMatchObject({ status: 'completed', context: { sent: 'sent' } });
        expect((await welcome.journal()).find((line) => line.type === 'message.sent')!.detail).toMatchObject({ channel: 'sms', template: 'welcome' });
      });
      expect(kit.messagesTo('+14155550311').map((message) => message.body)).toEqual(['Boas-vindas, Ana!']);
    });

    it('journals a missing variable as message.failed (template error) and sends nothing', async () => {
      await kit.bed.profiles.mergeTraits(DEFAULT_WORKSPACE_ID, 'tpl-bo', {}, { phone: '+14155550312', locale: 'en-US' });
      await kit.run(async () => {
        const welcome = await kit.enter(templatedWelcome, 'tpl-bo', 'Joined');
        expect(await welcome.result()).toMatchObject({ status: 'completed', context: { sent: 'failed' } });
        const failed = (await welcome.journal()).find((line) => line.type === 'message.failed')!;
        expect(failed.step).toBe('welcome-sms');
        expect(failed.detail).toEqual({
          channel: 'sms',
          template: 'welcome',
          reason: 'template error: template "welcome" v1 (default): undefined variable: profile.traits.first_name, line:1, col:13',
        });
      });
      expect(kit.messagesTo('+14155550312')).toEqual([]);
    });
  });

  describe('steps list', () => {
    it('fails an instance at the first use of a step id its steps list lacks, naming the journey and the step', async () => {
      await kit.run(async () => {
        const typo = await kit.enter(undeclaredStep, 'us-1', 'Typo Made');
        await expect(typo.result()).rejects.toMatchObject({
          cause: { message: expect.stringContaining('Journey "undeclared-step" uses step "greeting-typo"') },
        });
      });
    });
  });

  describe('author helpers', () => {
    it('now() is workflow time, delayUntil says whether it waited, exitUnsent ends after a send that did not go out', async () => {
      await kit.run(async () => {
        await kit.identify('ah-1', { first_name: 'Ada' });
        const trial = await kit.enter(authorHelpers, 'ah-1', 'Trial Started', { trial_days: 2 });
        const result = await trial.result();
        const endsAt = result.context['endsAt'];
        expect(typeof endsAt).toBe('string');
        expect(result).toMatchObject({
          status: 'exited',
          exitReason: 'no phone number on profile',
          context: { first: { waited: true, until: endsAt }, again: { waited: false, until: endsAt } },
        });
        // Workflow time: two days passed inside the journey, however little on the wall clock.
        expect(result.context['waitedMs']).toBeGreaterThanOrEqual(2 * DAY);
        expect(result.context['waitedMs']).toBeLessThan(2 * DAY + 60_000);
        const exited = (await trial.journal()).find((line) => line.type === 'exited')!;
        expect(exited.detail).toMatchObject({ reason: 'no phone number on profile', nothingSent: true });
      });
    });

    it('firstName() greets by the first_name trait, trimmed, or "there"', () => {
      expect(firstName({ first_name: ' Ana ' })).toBe('Ana');
      expect(firstName({ first_name: '' })).toBe('there');
      expect(firstName({})).toBe('there');
    });
  });
});
