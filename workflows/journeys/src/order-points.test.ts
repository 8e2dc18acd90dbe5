import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, undeclaredSteps, type JourneyTestKit } from '@continuum/testing';
import { orderPoints, pointsBalance } from './order-points';

const HISTORIES = join(__dirname, '..', 'histories');

describe('order points (time-skipping, real activities, a warehouse on PostgreSQL)', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({ warehouse: true });
    await kit.warehouse(`CREATE TABLE loyalty_accounts (user_id text PRIMARY KEY, points integer NOT NULL, tier text NOT NULL)`);
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('texts the balance as the warehouse has it when the SMS goes out, not when the order arrived', async () => {
    await kit.identify('ana', { first_name: 'Ana', phone: '+14155550231' });
    await kit.warehouse(`INSERT INTO loyalty_accounts VALUES ('ana', 1000, 'silver')`);
    await kit.run(async () => {
      const order = await kit.enter(orderPoints, 'ana', 'Order Delivered', { order_id: 'o-1' });
      await kit.skip('30 minutes');
      await kit.warehouse(`UPDATE loyalty_accounts SET points = 1250, tier = 'gold' WHERE user_id = 'ana'`); // the order's points land
      expect(await order.result()).toMatchObject({ status: 'completed' });
      await kit.recordHistory(order, 'order-points-balance', HISTORIES);
      expect(await order.path()).toEqual(['entered', 'wait.started', 'wait.ended', 'message.sent', 'completed']);
      expect(undeclaredSteps(orderPoints, await order.journal())).toEqual([]);
      await expect(kit.replay(await order.handle.fetchHistory())).resolves.toBeUndefined();
    });
    expect(kit.messagesTo('+14155550231').map((message) => message.body)).toEqual([
      'Hi Ana, thanks for your order! You now have 1,250 loyalty points (Gold tier).',
    ]);
  });

  it('invites a customer without a loyalty account to join', async () => {
    await kit.identify('ben', { first_name: 'Ben', phone: '+14155550232' });
    await kit.run(async () => {
      const order = await kit.enter(orderPoints, 'ben', 'Order Delivered', { order_id: 'o-2' });
      expect(await order.result()).toMatchObject({ status: 'completed' });
    });
    expect(kit.messagesTo('+14155550232').map((message) => message.body)).toEqual([
      'Hi Ben, thanks for your order! Join our loyalty programme to earn points on your next one.',
    ]);
  });

  it('journals a lookup that runs past LOOKUP_TIMEOUT_MS and ends without a message', async () => {
    await kit.identify('cy', { first_name: 'Cy', phone: '+14155550233' });
    // The table becomes a view that takes 3 s to answer; the default timeout is 2 s.
    await kit.warehouse(`INSERT INTO loyalty_accounts VALUES ('cy', 300, 'basic');
      ALTER TABLE loyalty_accounts RENAME TO loyalty_accounts_data;
      CREATE VIEW loyalty_accounts AS SELECT data.* FROM loyalty_accounts_data AS data WHERE (SELECT pg_sleep(3)::text) IS NOT NULL`);
    try {
      await kit.run(async () => {
        const order = await kit.enter(orderPoints, 'cy', 'Order Delivered', { order_id: 'o-3' });
        expect(await order.result()).toMatchObject({ status: 'exited', exitReason: 'lookup failed: loyalty-points (LookupTimeout)' });
        expect(await order.path()).toEqual(['entered', 'wait.started', 'wait.ended', 'lookup.failed', 'exited']);
        const failed = (await order.journal()).find((line) => line.type === 'lookup.failed')!;
        expect(failed.step).toBe('points-balance-sms');
        expect(failed.detail).toEqual({
          lookup: 'loyalty-points',
          params: { user_id: 'cy' },
          errorType: 'LookupTimeout',
          message: 'Lookup "loyalty-points": The query took longer than 2000 ms',
        });
        await expect(kit.replay(await order.handle.fetchHistory())).resolves.toBeUndefined();
      });
    } finally {
      await kit.warehouse(`DROP VIEW loyalty_accounts; ALTER TABLE loyalty_accounts_data RENAME TO loyalty_accounts`);
    }
    expect(kit.messagesTo('+14155550233')).toEqual([]);
  });

  it('describes the balance in words', () => {
    expect(pointsBalance('Di', { rows: [{ points: '12345', tier: 'platinum' }], truncated: false })).toBe(
      'Hi Di, thanks for your order! You now have 12,345 loyalty points (Platinum tier).',
    );
    expect(pointsBalance('Di', { rows: [], truncated: false })).toContain('Join our loyalty programme');
  });
});
