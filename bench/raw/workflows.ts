import { proxyActivities, sleep } from '@temporalio/workflow';

/** What the raw-engine baseline's activity does: nothing but note when it ran. */
export interface RawActivities {
  stamp(): Promise<void>;
}

const { stamp } = proxyActivities<RawActivities>({ startToCloseTimeout: '1 minute' });

/**
 * The raw engine's shortest path from a start to a side effect: an optional durable timer, then one
 * activity. The latency baseline: a journey's event-to-send path against this one.
 */
export async function rawTimerThenActivity(delayMs: number): Promise<void> {
  if (delayMs > 0) await sleep(delayMs);
  await stamp();
}
