import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJourneyTestKit, type InstanceUnderTest, type JourneyTestKit } from '@continuum/testing';
import { abandonedCart } from './abandoned-cart';

const UPDATES = Number(process.env['CART_STORM_UPDATES'] ?? 20_000);
/** The journey library's default history limit. */
const HISTORY_LIMIT = 2_000;

// One cart receiving a storm of updates: the instance must keep its context, keep its history
// bounded by continuing-as-new, and still send exactly one reminder. It runs on the real server (the
// Temporal CLI's dev server) in real time: the time-skipping test server's continue-as-new is not
// atomic and can lose a signal that arrives meanwhile (temporalio/sdk-java#1538), which a storm of
// signals across several continue-as-new runs would hit.
// Long enough that the pause between bursts (the instance catching up on a loaded machine) never
// reads as an idle cart: the reminder must come only after the last update.
const IDLE_TIMEOUT = '45 seconds';
describe(`abandoned cart under ${UPDATES} updates`, { timeout: 1_200_000 }, () => {
  let kit: JourneyTestKit;
  beforeAll(async () => {
    kit = await createJourneyTestKit({ server: 'dev-server', settings: { ABANDONED_CART_IDLE_TIMEOUT: IDLE_TIMEOUT } });
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  it('keeps its context, stays under the history limits and sends one reminder', async () => {
    const phone = '+14155550401';
    await kit.identify('storm', { first_name: 'Sam', phone });
    const began = Date.now();
    await kit.run(async () => {
      const cart = await kit.enter(abandonedCart, 'storm', 'Cart Updated', { cart_id: 'big', items: [{ name: 'Item 0' }] });
      const batch = 20;
      for (let sent = 1; sent < UPDATES; sent += batch) {
        const count = Math.min(batch, UPDATES - sent);
        await Promise.all(Array.from({ length: count }, (_, i) => cart.send('Cart Updated', { items: [{ name: `Item ${sent + i}` }] })));
        // Updates come in bursts, as shoppers' do; between bursts the instance catches up. (The server
        // refuses continue-as-new while signals keep arriving, so an endless storm would starve it.)
        if (Math.floor((sent + count) / 500) > Math.floor(sent / 500)) await waitForAccepted(kit, cart, sent + count);
      }
      await cart.send('Cart Updated', { items: [{ name: 'Final Hat', quantity: 3 }] });
      const state = await cart.result();
      expect(state.status).toBe('completed');
      expect(state.continuedAsNew).toBeGreaterThan(0);

      // Every run of the instance stayed below the history limit Temporal suggests continuing at.
      const runs = await historiesOf(kit, cart.workflowId, (cart.handle as unknown as { signaledRunId: string }).signaledRunId);
      const longest = Math.max(...runs.map((events) => events));
      expect(longest).toBeLessThan(4_096); // the server's default suggestContinueAsNew history count
      // Timer resets are journaled with the next entry, before each continue-as-new and at the end: the
      // journal's last reset counts them all, and the counts only grow (none written twice or out of order).
      const resetCounts = (await cart.journal()).filter((line) => line.type === 'timer.reset').map((line) => line.detail['resets'] as number);
      expect(resetCounts.at(-1)).toBe(state.timerResets);
      expect(resetCounts.every((resets, index) => index === 0 || resets > resetCounts[index - 1]!)).toBe(true);
      const totalEvents = runs.reduce((sum, events) => sum + events, 0);
      const report = {
        updates: UPDATES,
        runs: runs.length,
        longestRunHistoryEvents: longest,
        totalHistoryEvents: totalEvents,
        historyEventsPerUpdate: Number((totalEvents / UPDATES).toFixed(2)),
        timerResetsCounted: state.timerResets,
        wallSeconds: Number(((Date.now() - began) / 1000).toFixed(1)),
      };
      console.log(`cart storm: ${JSON.stringify(report)}`);
    });
    const messages = kit.messagesTo(phone);
    expect(messages.map((message) => message.body)).toEqual(["Hi Sam, you left 3 × Final Hat in your cart. Complete your order before it's gone!"]);
  });
});

/**
 * Waits until the instance has accepted `expected` events and settled: either its current run is
 * short again (it continued-as-new) or its history stopped growing. A workflow task that crosses the
 * history limit while the last signals of a burst are handled has nothing left to wake it, so the
 * instance continues-as-new on the next event instead; waiting for a short run alone could wait for
 * ever.
 */
async function waitForAccepted(kit: JourneyTestKit, cart: InstanceUnderTest, expected: number): Promise<void> {
  const latest = kit.bed.env.client.workflow.getHandle(cart.workflowId);
  // Generous: under a full parallel test run on 2 cores the worker shares the CPU.
  const deadline = Date.now() + 300_000;
  let lastLength = -1;
  let unchangedSince = Date.now();
  while (Date.now() < deadline) {
    // Queries wait for the workflow task in flight; under load one can time out or be refused
    // ("consistent query buffer is full"): that is a reason to ask again, not a failure.
    const observed = await Promise.all([cart.state(), latest.fetchHistory()]).catch(() => undefined);
    if (observed) {
      const [state, history] = observed;
      const historyLength = history.events?.length ?? 0;
      if (historyLength !== lastLength) {
        lastLength = historyLength;
        unchangedSince = Date.now();
      }
      if (state.eventsAccepted >= expected && (historyLength < HISTORY_LIMIT || Date.now() - unchangedSince >= 1_000)) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the instance did not accept ${expected} updates and settle within 300 s (history ${lastLength} events)`);
}

async function historiesOf(kit: JourneyTestKit, workflowId: string, firstRunId: string): Promise<number[]> {
  const lengths: number[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await kit.bed.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    lengths.push(events.length);
    const next: string | null | undefined = events.find((event) => event.workflowExecutionContinuedAsNewEventAttributes)
      ?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    runId = next ?? undefined;
  }
  return lengths;
}
