import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CART_UPDATED,
  customerEventSignal,
  journeyWorkflowId,
  ORDER_COMPLETED,
  type CustomerEvent,
  type JourneyInput,
} from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID } from '@continuum/data';
import { createJourneyTestBed, type JourneyTestBed } from '@continuum/testing';
import { abandonedCart, describeItems } from './abandoned-cart';

const HOUR = 60 * 60 * 1000;

describe('abandoned cart (time-skipping, real activities)', () => {
  let bed: JourneyTestBed;

  beforeAll(async () => {
    bed = await createJourneyTestBed();
  });
  afterAll(async () => {
    await bed?.teardown();
  });

  const event = (userId: string, name: string, properties: Record<string, unknown>): CustomerEvent => ({
    messageId: randomUUID(),
    workspaceId: DEFAULT_WORKSPACE_ID,
    userId,
    type: 'track',
    event: name,
    properties,
    timestamp: new Date().toISOString(),
    receivedAt: new Date().toISOString(),
  });

  async function enter(userId: string, cartId: string, items: unknown[]) {
    const input: JourneyInput = { journeyId: 'abandoned-cart', workspaceId: DEFAULT_WORKSPACE_ID, customerId: userId, key: cartId };
    return bed.env.client.workflow.signalWithStart(abandonedCart, {
      workflowId: journeyWorkflowId('abandoned-cart', userId, cartId),
      taskQueue: bed.taskQueue,
      args: [input],
      signal: customerEventSignal,
      signalArgs: [event(userId, CART_UPDATED, { cart_id: cartId, items })],
    });
  }

  const sentTo = (phone: string) => bed.emulator.messages().filter((message) => message.to === phone);

  it('sends one SMS with the latest cart an hour after the last update, in seconds of real time', async () => {
    const phone = '+14155550101';
    await bed.profiles.mergeTraits(DEFAULT_WORKSPACE_ID, 'ana', { first_name: 'Ana', phone }, { phone });
    await bed.withWorker(async () => {
      const startedAt = await bed.env.currentTimeMs();
      const handle = await enter('ana', 'cart-1', [{ name: 'Red Shoes' }]);
      await bed.env.sleep('20 minutes');
      await handle.signal(customerEventSignal, event('ana', CART_UPDATED, { cart_id: 'cart-1', items: [{ name: 'Red Shoes' }, { name: 'Blue Hat' }] }));
      await bed.env.sleep('40 minutes');
      await handle.signal(customerEventSignal, event('ana', CART_UPDATED, { cart_id: 'cart-1', items: [{ name: 'Green Scarf', quantity: 2 }] }));
      const state = await handle.result();
      const elapsed = (await bed.env.currentTimeMs()) - startedAt;

      expect(state.status).toBe('completed');
      expect(state.timerResets).toBe(2);
      // Idle for a full hour after the last update (at +60 min): the send happens at or after +120 min.
      expect(elapsed).toBeGreaterThanOrEqual(2 * HOUR);
    });
    const messages = sentTo(phone);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.body).toBe("Hi Ana, you left 2 × Green Scarf in your cart. Complete your order before it's gone!");
    const entries = await bed.journal.listEntries(journeyWorkflowId('abandoned-cart', 'ana', 'cart-1'));
    expect(entries.map((entry) => entry.type)).toEqual([
      'entered',
      'wait.started',
      'timer.reset',
      'timer.reset',
      'wait.ended',
      'message.sent',
      'completed',
    ]);
  });

  it('ends at once with no message when the order completes', async () => {
    const phone = '+14155550102';
    await bed.profiles.mergeTraits(DEFAULT_WORKSPACE_ID, 'ben', { first_name: 'Ben', phone }, { phone });
    await bed.withWorker(async () => {
      const handle = await enter('ben', 'cart-9', [{ name: 'Lamp' }]);
      await bed.env.sleep('10 minutes');
      await handle.signal(customerEventSignal, event('ben', ORDER_COMPLETED, { cart_id: 'cart-9' }));
      const state = await handle.result();
      expect(state.status).toBe('exited');
      expect(state.exitReason).toBe('event: Order Completed');
    });
    expect(sentTo(phone)).toHaveLength(0);
    const [instance] = await bed.journal.listInstances(DEFAULT_WORKSPACE_ID, 'ben');
    expect(instance).toMatchObject({ status: 'exited', exitReason: 'event: Order Completed', currentStep: 'exit' });
  });

  it('ends with a journal entry saying why nothing was sent when the profile has no phone', async () => {
    await bed.profiles.mergeTraits(DEFAULT_WORKSPACE_ID, 'cleo', { first_name: 'Cleo' }, {});
    const before = bed.emulator.messages().length;
    await bed.withWorker(async () => {
      const handle = await enter('cleo', 'cart-3', ['Mug']);
      const state = await handle.result();
      expect(state).toMatchObject({ status: 'exited', exitReason: 'no phone number on profile' });
    });
    expect(bed.emulator.messages()).toHaveLength(before);
    const entries = await bed.journal.listEntries(journeyWorkflowId('abandoned-cart', 'cleo', 'cart-3'));
    expect(entries.find((entry) => entry.type === 'message.skipped')?.detail).toMatchObject({ reason: 'no phone number on profile', channel: 'sms' });
    expect(entries.at(-1)).toMatchObject({ type: 'exited', detail: { reason: 'no phone number on profile', nothingSent: true } });
  });
});

describe('describeItems', () => {
  it('names items, quantities and plain strings', () => {
    expect(describeItems([{ name: 'Shoes', quantity: 2 }, { product_id: 'sku-1' }, 'Hat'])).toBe('2 × Shoes, sku-1, Hat');
    expect(describeItems([])).toBe('some items');
    expect(describeItems(undefined)).toBe('some items');
  });
});
