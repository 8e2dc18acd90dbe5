import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, undeclaredNextSteps, undeclaredSteps, type JourneyTestKit } from '@continuum/testing';
import { formatMoney, returnFollowUp } from './return-follow-up';

const HISTORIES = join(__dirname, '..', 'histories');

const DAY = 24 * 60 * 60 * 1000;

describe('return follow-up (time-skipping, real activities)', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit();
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('confirms the return and the refund when it arrives on day 3', async () => {
    await kit.identify('ana', { first_name: 'Ana', phone: '+14155550221' });
    await kit.run(async () => {
      const parcel = await kit.enter(returnFollowUp, 'ana', 'Return Requested', { return_id: 'r-1', order_id: '1042' });
      await kit.skip('3 days');
      await parcel.send('Return Received', { refund_amount: 59.9, currency: 'USD' });
      expect(await parcel.result()).toMatchObject({ status: 'completed', context: { orderId: '1042' } });
      await kit.recordHistory(parcel, 'return-follow-up-received', HISTORIES);
      expect(await parcel.path()).toEqual(['entered', 'wait.started', 'wait.ended', 'message.sent', 'completed']);

      const journal = await parcel.journal();
      const entered = journal[0]!.at.getTime();
      expect(journal.find((line) => line.type === 'wait.ended')!.detail).toMatchObject({ outcome: 'received', event: 'Return Received' });
      const sent = journal.find((line) => line.type === 'message.sent')!;
      expect(sent.step).toBe('return-received-sms');
      expect(sent.at.getTime() - entered).toBeGreaterThanOrEqual(3 * DAY);
      expect(sent.at.getTime() - entered).toBeLessThan(3 * DAY + 60_000);
      expect(undeclaredSteps(returnFollowUp, journal)).toEqual([]);
      await expect(kit.replay(await parcel.handle.fetchHistory())).resolves.toBeUndefined();
    });
    expect(kit.messagesTo('+14155550221').map((message) => message.body)).toEqual([
      'Hi Ana, we got your return for order 1042, thank you! Your refund of $59.90 is on its way and should reach you within 5 business days.',
    ]);
  });

  it('reminds the customer on day 7 when nothing has arrived', async () => {
    await kit.identify('ben', { first_name: 'Ben', phone: '+14155550222' });
    await kit.run(async () => {
      const parcel = await kit.enter(returnFollowUp, 'ben', 'Return Requested', { return_id: 'r-2', order_id: '2077' });
      expect(await parcel.result()).toMatchObject({ status: 'completed' });
      await kit.recordHistory(parcel, 'return-follow-up-not-received', HISTORIES);
      expect(await parcel.path()).toEqual(['entered', 'wait.started', 'wait.ended', 'message.sent', 'completed']);

      const journal = await parcel.journal();
      const started = journal.find((line) => line.type === 'wait.started')!;
      const ended = journal.find((line) => line.type === 'wait.ended')!;
      expect(started.detail).toMatchObject({ kind: 'waitFor', event: 'Return Received', timeout: '7 days' });
      expect(ended.detail).toEqual({ outcome: 'timeout' });
      expect(ended.at.getTime() - started.at.getTime()).toBeGreaterThanOrEqual(7 * DAY);
      const sent = journal.find((line) => line.type === 'message.sent')!;
      expect(sent.step).toBe('return-reminder-sms');
      expect(sent.at.getTime() - started.at.getTime()).toBeLessThan(7 * DAY + 60_000);
      expect(undeclaredSteps(returnFollowUp, journal)).toEqual([]);
    });
    expect(kit.messagesTo('+14155550222').map((message) => message.body)).toEqual([
      "Hi Ben, we haven't received your return for order 2077 yet. If you've already sent it, it may still be on its way; if not, please drop it off soon so we can process your refund.",
    ]);
  });

  it('ends with no message when the return is cancelled', async () => {
    await kit.identify('cleo', { first_name: 'Cleo', phone: '+14155550223' });
    await kit.run(async () => {
      const parcel = await kit.enter(returnFollowUp, 'cleo', 'Return Requested', { return_id: 'r-3' });
      await kit.skip('2 days');
      await parcel.send('Return Cancelled');
      expect(await parcel.result()).toMatchObject({ status: 'exited', exitReason: 'event: Return Cancelled' });
      expect(await parcel.path()).toEqual(['entered', 'wait.started', 'exited']);
    });
    expect(kit.messagesTo('+14155550223')).toHaveLength(0);
  });

  it('is catalogued with one instance per return, routed the events it needs', () => {
    const { descriptor } = returnFollowUp;
    expect(descriptor).toMatchObject({ workflowType: 'returnFollowUp', key: 'properties.return_id', reentry: 'always', exitOn: ['Return Cancelled'] });
    expect([...descriptor.listensTo].sort()).toEqual(['Return Cancelled', 'Return Received', 'Return Requested']);
    expect(undeclaredNextSteps(returnFollowUp)).toEqual([]);
  });
});

describe('formatMoney', () => {
  it('formats known currencies and leaves out what it cannot format', () => {
    expect(formatMoney(59.9, 'USD')).toBe('$59.90');
    expect(formatMoney(120, 'BRL')).toBe('R$120.00');
    expect(formatMoney(10, 'not a currency')).toBeUndefined();
    expect(formatMoney(undefined, 'USD')).toBeUndefined();
  });
});
