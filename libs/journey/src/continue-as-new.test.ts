import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, type JourneyTestKit } from '@continuum/testing';
import * as journeys from './test-support/semantics-journeys';
import { eventCounter } from './test-support/semantics-journeys';

// Continue-as-new under a stream of events, on the real server (the Temporal CLI's dev server, real
// time): the time-skipping test server's continue-as-new is not atomic and can lose a signal that
// arrives meanwhile (temporalio/sdk-java#1538), which is exactly what this test must not excuse.
describe('continue-as-new', { timeout: 300_000 }, () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({ server: 'dev-server', workflowsPath: join(__dirname, 'test-support/semantics-journeys.ts'), journeysModule: journeys });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('is transparent: context, counters and the single send survive every run', async () => {
    await kit.setting(eventCounter, 'idle', '8 seconds');
    await kit.identify('ticks', { phone: '+14155550303' });
    await kit.run(async () => {
      const counter = await kit.enter(eventCounter, 'ticks', 'Tick', { n: 0 });
      // The hold has begun (a loaded machine could otherwise deliver every tick before it, leaving no reset to count).
      const deadline = Date.now() + 30_000;
      while (!(await counter.path()).includes('wait.started')) {
        if (Date.now() > deadline) throw new Error('the hold did not begin within 30 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (let n = 1; n <= 300; n += 1) await counter.send('Tick', { n });
      const state = await counter.result();
      expect(state.continuedAsNew).toBeGreaterThan(0);
      expect(state.context).toEqual({ ticks: 301, last: 300 });
      // Every tick arrived during the hold; those that came in one workflow task count as one reset.
      expect(state.timerResets).toBeGreaterThan(0);
      expect(state.timerResets).toBeLessThanOrEqual(300);
    });
    expect(kit.messagesTo('+14155550303').map((message) => message.body)).toEqual(['ticks=301 last=300 before=only']);
  });
});
