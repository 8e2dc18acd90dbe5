import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import * as journeys from './test-support/semantics-journeys';
import { lateNightSend } from './test-support/semantics-journeys';

const local = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

// Quiet hours at the moment of sending, in the customer's own time zone (else their country's,
// else the workspace's): time-skipping Temporal, real activities, PostgreSQL, the Twilio emulator.
describe('quiet hours', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({
      workflowsPath: join(__dirname, 'test-support/semantics-journeys.ts'),
      journeysModule: journeys,
      settings: {
        QUIET_HOURS: { default: { start: '21:00', end: '08:00' }, regions: { BR: { start: '20:00', end: '09:00' } } },
        QUIET_HOURS_MODE: 'queue',
        WORKSPACE_TIME_ZONE: 'UTC',
      },
    });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it.each([
    ['Asia/Tokyo', '+14155550501'],
    ['America/Los_Angeles', '+14155550502'],
  ])('queues a 23:30 send in %s across midnight until 08:00 local time, then sends it once', async (timeZone, phone) => {
    const customer = `quiet-${timeZone.replace('/', '-')}`;
    await kit.identify(customer, { phone, timezone: timeZone });
    await kit.run(async () => {
      const instance = await kit.enter(lateNightSend, customer, 'Late Night', { case: 'queue' });
      expect(await instance.result()).toMatchObject({ status: 'completed', context: { outcome: 'sent' } });
      const journal = await instance.journal();
      const held = journal.find((line) => line.type === 'send.held')!;
      expect(held.detail).toMatchObject({ reason: 'quiet hours', window: '21:00-08:00', timeZone, zoneFrom: 'profile' });
      expect(local(held.at, timeZone)).toBe('23:30');
      const sent = journal.find((line) => line.type === 'message.sent')!;
      expect(local(sent.at, timeZone)).toBe('08:00');
      expect(Math.abs(sent.at.getTime() - held.at.getTime() - 8.5 * 60 * 60 * 1000)).toBeLessThan(1000);
    });
    expect(kit.messagesTo(phone)).toHaveLength(1);
  });

  it("uses the country's window and time zone for a customer without their own", async () => {
    await kit.identify('quiet-br', { phone: '+5511955550503', country: 'BR' });
    await kit.run(async () => {
      const instance = await kit.enter(lateNightSend, 'quiet-br', 'Late Night', { case: 'region' });
      await instance.result();
      const journal = await instance.journal();
      expect(journal.find((line) => line.type === 'send.held')!.detail).toMatchObject({ window: '20:00-09:00', timeZone: 'America/Sao_Paulo', zoneFrom: 'country' });
      expect(local(journal.find((line) => line.type === 'message.sent')!.at, 'America/Sao_Paulo')).toBe('09:00');
    });
  });

  it('discards instead when the send says so, journaling why, and sends nothing', async () => {
    await kit.identify('quiet-discard', { phone: '+14155550504', timezone: 'Europe/Lisbon' });
    await kit.run(async () => {
      const instance = await kit.enter(lateNightSend, 'quiet-discard', 'Late Night', { case: 'discard', mode: 'discard' });
      expect(await instance.result()).toMatchObject({ context: { outcome: 'skipped' } });
      expect(await instance.path()).toEqual(['entered', 'wait.started', 'wait.ended', 'message.skipped', 'completed']);
      const skipped = (await instance.journal()).find((line) => line.type === 'message.skipped')!;
      expect(skipped.detail).toMatchObject({ reason: 'quiet hours 21:00-08:00 in Europe/Lisbon' });
    });
    expect(kit.messagesTo('+14155550504')).toHaveLength(0);
  });

  it('sends a transactional message at once, quiet hours or not', async () => {
    await kit.identify('quiet-receipt', { phone: '+14155550505', timezone: 'Asia/Tokyo' });
    await kit.run(async () => {
      const instance = await kit.enter(lateNightSend, 'quiet-receipt', 'Late Night', { case: 'receipt', transactional: true });
      await instance.result();
      const journal = await instance.journal();
      expect(journal.some((line) => line.type === 'send.held')).toBe(false);
      expect(local(journal.find((line) => line.type === 'message.sent')!.at, 'Asia/Tokyo')).toBe('23:30');
    });
  });
});
