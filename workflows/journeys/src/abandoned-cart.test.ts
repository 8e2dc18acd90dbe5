import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import { abandonedCart, describeItems } from './abandoned-cart';

const HISTORIES = join(__dirname, '..', 'histories');

const HOUR = 60 * 60 * 1000;

describe('abandoned cart (time-skipping, real activities)', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit();
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('sends one SMS with the latest cart an hour after the last update, in seconds of real time', async () => {
    await kit.identify('ana', { first_name: 'Ana', phone: '+14155550101' });
    await kit.run(async () => {
      const cart = await kit.enter(abandonedCart, 'ana', 'Cart Updated', { cart_id: 'cart-1', items: [{ name: 'Red Shoes' }] });
      await kit.skip('20 minutes');
      await cart.send('Cart Updated', { items: [{ name: 'Red Shoes' }, { name: 'Blue Hat' }] });
      await kit.skip('40 minutes');
      await cart.send('Cart Updated', { items: [{ name: 'Green Scarf', quantity: 2 }] });
      const state = await cart.result();
      expect(state).toMatchObject({ status: 'completed', timerResets: 2 });
      await kit.recordHistory(cart, 'abandoned-cart-three-updates', HISTORIES);
      expect(await cart.path({ steps: true })).toEqual([
        'entered@entry',
        'wait.started@wait-for-idle-cart',
        'timer.reset@wait-for-idle-cart',
        'timer.reset@wait-for-idle-cart',
        'wait.ended@wait-for-idle-cart',
        'message.sent@cart-reminder-sms',
        'completed@done',
      ]);
      // Idle for a full hour after the last update (at +60 min): the send happens at +120 min of workflow time.
      const journal = await cart.journal();
      const sentAfter = journal.find((line) => line.type === 'message.sent')!.at.getTime() - journal[0]!.at.getTime();
      expect(sentAfter).toBeGreaterThanOrEqual(2 * HOUR);
      expect(sentAfter).toBeLessThan(2 * HOUR + 60_000);
      // Timer resets are journaled with the next entry (one local activity fewer per update), at the time each happened.
      const resets = journal.filter((line) => line.type === 'timer.reset').map((line) => line.at.getTime() - journal[0]!.at.getTime());
      expect(resets.map((after) => Math.round(after / 60_000))).toEqual([20, 60]);
    });
    const messages = kit.messagesTo('+14155550101');
    expect(messages.map((message) => message.body)).toEqual(["Hi Ana, you left 2 × Green Scarf in your cart. Complete your order before it's gone!"]);
  });

  it('ends at once with no message when the order completes', async () => {
    await kit.identify('ben', { first_name: 'Ben', phone: '+14155550102' });
    await kit.run(async () => {
      const cart = await kit.enter(abandonedCart, 'ben', 'Cart Updated', { cart_id: 'cart-9', items: [{ name: 'Lamp' }] });
      await kit.skip('10 minutes');
      await cart.send('Order Completed');
      expect(await cart.result()).toMatchObject({ status: 'exited', exitReason: 'event: Order Completed', step: 'exit' });
      await kit.recordHistory(cart, 'abandoned-cart-order-completed', HISTORIES);
    });
    expect(kit.messagesTo('+14155550102')).toHaveLength(0);
  });

  it('ends with a journal entry saying why nothing was sent when the profile has no phone', async () => {
    await kit.identify('cleo', { first_name: 'Cleo' });
    await kit.run(async () => {
      const cart = await kit.enter(abandonedCart, 'cleo', 'Cart Updated', { cart_id: 'cart-3', items: ['Mug'] });
      expect(await cart.result()).toMatchObject({ status: 'exited', exitReason: 'no phone number on profile' });
      const journal = await cart.journal();
      expect(journal.find((line) => line.type === 'message.skipped')?.detail).toMatchObject({ reason: 'no phone number on profile', channel: 'sms' });
      expect(journal.at(-1)).toMatchObject({ type: 'exited', detail: { reason: 'no phone number on profile', nothingSent: true } });
    });
  });

  it('re-enters with the same cart after the first instance ended: a new instance with its own journal and message', async () => {
    await kit.identify('eve', { first_name: 'Eve', phone: '+14155550105' });
    await kit.run(async () => {
      const first = await kit.enter(abandonedCart, 'eve', 'Cart Updated', { cart_id: 'again', items: ['Kite'] });
      await first.result();
      const second = await kit.enter(abandonedCart, 'eve', 'Cart Updated', { cart_id: 'again', items: ['Drone'] });
      expect(second.workflowId).toBe(first.workflowId);
      expect(await second.result()).toMatchObject({ status: 'completed' });
      const journal = await second.journal();
      expect(journal.filter((line) => line.type === 'entered')).toHaveLength(2);
      expect(new Set(journal.map((line) => line.runId)).size).toBe(2);
    });
    expect(kit.messagesTo('+14155550105').map((message) => message.body)).toEqual([
      "Hi Eve, you left Kite in your cart. Complete your order before it's gone!",
      "Hi Eve, you left Drone in your cart. Complete your order before it's gone!",
    ]);
  });

  it('uses the workspace idle-time setting for instances that start after the change', async () => {
    await kit.identify('dan', { first_name: 'Dan', phone: '+14155550104' });
    await kit.setting(abandonedCart, 'idleTimeout', '10 minutes');
    try {
      await kit.run(async () => {
        const cart = await kit.enter(abandonedCart, 'dan', 'Cart Updated', { cart_id: 'd1', items: ['Pen'] });
        await cart.result();
        // Workflow time in the journal: the wait lasted the configured 10 minutes, not the default hour.
        const journal = await cart.journal();
        const started = journal.find((line) => line.type === 'wait.started')!;
        const ended = journal.find((line) => line.type === 'wait.ended')!;
        expect(started.detail).toMatchObject({ duration: '10 minutes' });
        expect(ended.at.getTime() - started.at.getTime()).toBeGreaterThanOrEqual(10 * 60 * 1000);
        expect(ended.at.getTime() - started.at.getTime()).toBeLessThan(11 * 60 * 1000);
      });
    } finally {
      await kit.setting(abandonedCart, 'idleTimeout', null);
    }
    expect(kit.messagesTo('+14155550104')).toHaveLength(1);
  });
});

describe('describeItems', () => {
  it('names items, quantities and plain strings', () => {
    expect(describeItems([{ name: 'Shoes', quantity: 2 }, { product_id: 'sku-1' }, 'Hat'])).toBe('2 × Shoes, sku-1, Hat');
    expect(describeItems([])).toBe('some items');
    expect(describeItems(undefined)).toBe('some items');
  });
});
