import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageStatusSignal } from '@continuum/contracts';
import { createJourneyTestKit, waitFor, type InstanceUnderTest, type JourneyTestKit } from '@continuum/testing';
import * as journeys from './test-support/semantics-journeys';
import { sendThenGo } from './test-support/semantics-journeys';

// Delivery reports (the emulator's status callbacks, through the same reportDelivery as the gateway)
// on the real Temporal dev server, whose workflow-task semantics are the ones that matter here: a
// signal that lands while an instance completes fails that workflow task.
describe('delivery reports and the instances that sent the messages', () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({ workflowsPath: join(__dirname, 'test-support/semantics-journeys.ts'), journeysModule: journeys, server: 'dev-server' });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  /** Waits until PostgreSQL holds the provider's final report for the instance's message. */
  const delivered = (instance: InstanceUnderTest) =>
    waitFor('the delivery report', async () => {
      const rows: Array<{ status: string }> = await kit.bed.dataSource.query(`SELECT status FROM messages WHERE instance_id = $1`, [instance.workflowId]);
      return rows[0]?.status === 'delivered';
    }, 20_000);
  const history = async (instance: InstanceUnderTest) => (await instance.handle.fetchHistory()).events ?? [];

  it('records the report but does not signal an instance that never waits for delivery (no failed workflow task when it lands at completion)', async () => {
    await kit.identify('dr-no-wait', { phone: '+14155550721' });
    await kit.run(async () => {
      const instance = await kit.enter(sendThenGo, 'dr-no-wait', 'Send Then Go');
      await delivered(instance);
      await instance.send('Go');
      await instance.result();
      const events = await history(instance);
      expect(events.filter((event) => event.workflowExecutionSignaledEventAttributes?.signalName === messageStatusSignal.name)).toHaveLength(0);
      expect(events.filter((event) => event.workflowTaskFailedEventAttributes)).toHaveLength(0);
    });
  });

  it('gives the status to an instance that waits for delivery, even when the report came before it began to wait', async () => {
    await kit.identify('dr-wait', { phone: '+14155550722' });
    await kit.run(async () => {
      const instance = await kit.enter(sendThenGo, 'dr-wait', 'Send Then Go', { waitForDelivery: true });
      await delivered(instance);
      await instance.send('Go');
      expect((await instance.result()).context['delivery']).toEqual({ outcome: 'delivered', status: 'delivered' });
    });
  });
});
