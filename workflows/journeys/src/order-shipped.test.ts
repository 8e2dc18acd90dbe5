import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentStore, DEFAULT_WORKSPACE_ID } from '@continuum/data';
import { createJourneyTestKit, undeclaredSteps, waitFor, type InstanceUnderTest, type JourneyTestKit } from '@continuum/testing';
import { orderShipped } from './order-shipped';

/** Waits in real time for the instance to end: delivery reports come in real time, and awaiting the result lets the test server skip the fallback timer. */
const ended = (instance: InstanceUnderTest) =>
  waitFor('the instance to end', async () => (await instance.path()).some((type) => type === 'completed' || type === 'exited'), 20_000);

describe('order shipped (time-skipping, real activities, the emulator for every channel)', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit();
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('uses the approved WhatsApp template for a Brazilian customer who has not written in 24 hours', async () => {
    await kit.identify('bruna', { first_name: 'Bruna', phone: '+5511955550801', country: 'BR' });
    await kit.run(async () => {
      const order = await kit.enter(orderShipped, 'bruna', 'Order Shipped', { order_id: 'BR-1', eta: 'on Friday' });
      await ended(order);
      expect(await order.result()).toMatchObject({ status: 'completed', context: {} });
      expect(await order.path()).toEqual(['entered', 'message.sent', 'message.status', 'completed']);
      expect(undeclaredSteps(orderShipped, await order.journal())).toEqual([]);
      await expect(kit.replay(await order.handle.fetchHistory())).resolves.toBeUndefined();
    });
    expect(kit.messagesTo('whatsapp:+5511955550801').map((message) => message.body)).toEqual(['Your order BR-1 is on its way and should arrive on on Friday.']);
    expect(kit.messagesTo('+5511955550801')).toHaveLength(0);
  });

  it('texts a customer in the United States, and emails one who opted out of SMS', async () => {
    await kit.identify('uma', { first_name: 'Uma', phone: '+14155550802', country: 'US' });
    await kit.identify('otto', { first_name: 'Otto', phone: '+14155550803', email: 'otto@example.com', country: 'DE' });
    await new ConsentStore(kit.bed.dataSource).applyToChannel(DEFAULT_WORKSPACE_ID, 'otto', 'sms', ['marketing'], 'unsubscribed', 'api', new Date(), {});
    await kit.run(async () => {
      const uma = await kit.enter(orderShipped, 'uma', 'Order Shipped', { order_id: 'US-1', eta: 'tomorrow' });
      const otto = await kit.enter(orderShipped, 'otto', 'Order Shipped', { order_id: 'DE-1', eta: 'on Monday' });
      await ended(uma);
      await ended(otto);
      expect(await uma.result()).toMatchObject({ status: 'completed' });
      expect(await otto.result()).toMatchObject({ status: 'completed' });
      expect(await otto.path()).toEqual(['entered', 'message.skipped', 'channel.fallback', 'message.sent', 'completed']);
    });
    expect(kit.messagesTo('+14155550802').map((message) => message.body)).toEqual(['Hi Uma, your order US-1 is on its way and should arrive tomorrow.']);
    expect(kit.emailsTo('otto@example.com').map((email) => email.subject)).toEqual(['Your order DE-1 is on its way']);
    expect(kit.messagesTo('+14155550803')).toHaveLength(0);
  });

  it('exits saying why when no channel can reach the customer', async () => {
    await kit.identify('nadia', { first_name: 'Nadia', country: 'US' });
    await kit.run(async () => {
      const order = await kit.enter(orderShipped, 'nadia', 'Order Shipped', { order_id: 'US-2' });
      expect(await order.result()).toMatchObject({ status: 'exited', exitReason: 'no phone number on profile for rcs' });
      expect(await order.path()).toEqual(['entered', 'message.skipped', 'channel.fallback', 'message.skipped', 'exited']);
    });
  });
});
