import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import * as journeys from './test-support/lookup-journeys';
import { lookupFallback, ordersDigest, testLookups, unknownLookup } from './test-support/lookup-journeys';

// Lookups from journeys, for real: time-skipping Temporal, the worker's lookup activity, and a
// warehouse database on the embedded PostgreSQL.
describe('journey lookups', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({
      workflowsPath: join(__dirname, 'test-support/lookup-journeys.ts'),
      journeysModule: journeys,
      warehouse: true,
      lookups: testLookups,
    });
    await kit.warehouse(`CREATE TABLE orders (order_id text PRIMARY KEY, user_id text NOT NULL, total numeric NOT NULL);
      INSERT INTO orders VALUES ('o1', 'ana', 10.5), ('o2', 'ana', 20), ('o3', 'ana', 30)`);
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('returns at most maxRows rows, says it truncated, and reads afresh each time', async () => {
    await kit.run(async () => {
      const digest = await kit.enter(ordersDigest, 'ana', 'Digest Requested');
      await kit.skip('30 minutes');
      await kit.warehouse(`DELETE FROM orders WHERE order_id IN ('o2', 'o3')`);
      const end = await digest.result();
      expect(end).toMatchObject({ status: 'completed' });
      const completed = (await digest.journal()).find((line) => line.type === 'completed')!;
      expect(completed.detail).toEqual({ orders: [{ order_id: 'o1', total: '10.5' }, { order_id: 'o2', total: '20' }], truncated: true, laterCount: 1 });
      // The rows are in history: replay does not read the warehouse again.
      await expect(kit.replay(await digest.handle.fetchHistory())).resolves.toBeUndefined();
    });
  });

  it('journals a failed lookup and lets the journey catch it as a LookupError', async () => {
    await kit.run(async () => {
      const instance = await kit.enter(lookupFallback, 'ben', 'Fallback Requested');
      expect(await instance.result()).toMatchObject({ status: 'completed' });
      expect(await instance.path()).toEqual(['entered', 'lookup.failed', 'completed']);
      const journal = await instance.journal();
      const failed = journal.find((line) => line.type === 'lookup.failed')!;
      expect(failed.detail).toMatchObject({ lookup: 'broken', errorType: 'LookupFailed' });
      expect(failed.detail['message']).toContain('column "no_such_column" does not exist');
      expect(journal.find((line) => line.type === 'completed')!.detail).toEqual({ fellBack: true, lookup: 'broken', errorType: 'LookupFailed' });
    });
  });

  it('ends the instance with the lookup named when the journey does not catch the error', async () => {
    await kit.run(async () => {
      const instance = await kit.enter(unknownLookup, 'cy', 'Unknown Requested');
      expect(await instance.result()).toMatchObject({ status: 'exited', exitReason: 'lookup failed: no-such-lookup (UnknownLookup)' });
      expect(await instance.path({ steps: true })).toEqual(['entered@entry', 'lookup.failed@read', 'exited@exit']);
      const journal = await instance.journal();
      expect(journal.find((line) => line.type === 'lookup.failed')!.detail).toMatchObject({
        lookup: 'no-such-lookup',
        errorType: 'UnknownLookup',
        message: 'Unknown lookup "no-such-lookup" (known: recent-orders, broken)',
      });
      expect(journal.find((line) => line.type === 'exited')!.detail).toEqual({ reason: 'lookup failed: no-such-lookup (UnknownLookup)', lookup: 'no-such-lookup', errorType: 'UnknownLookup' });
    });
  });
});
