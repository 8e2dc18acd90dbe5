import { condition, defineSignal, proxyActivities, proxySinks, setHandler, sleep } from '@temporalio/workflow';
import type { Sinks } from '@temporalio/workflow';

/** What the raw-engine baseline's activity does: nothing but note when it ran. */
export interface RawActivities {
  stamp(): Promise<void>;
}

/** Told by a raw workflow, outside its history, when its first task has set its timer. */
export interface RawSinks extends Sinks {
  bench: { waiting(): void };
}

const { stamp } = proxyActivities<RawActivities>({ startToCloseTimeout: '1 minute' });
const { bench } = proxySinks<RawSinks>();

/**
 * The raw engine's shortest path from a start to a side effect: an optional durable timer, then one
 * activity. The latency baseline: a journey's event-to-send path against this one.
 */
export async function rawTimerThenActivity(delayMs: number): Promise<void> {
  if (delayMs > 0) await sleep(delayMs);
  await stamp();
}

/** The event a raw entry receives with its start, like a journey's first event. */
export const rawEvent = defineSignal<[unknown]>('event');

/**
 * The entry and fire-out baselines: started by `signalWithStart` with one event, it takes the event,
 * waits on a durable timer (telling the bench through a sink, which writes no history), then runs
 * one activity and completes — an abandoned cart's shape with none of Continuum's code.
 */
export async function rawEntryThenTimer(delayMs: number): Promise<void> {
  let events = 0;
  setHandler(rawEvent, () => {
    events += 1;
  });
  await condition(() => events > 0);
  const timer = sleep(delayMs);
  bench.waiting();
  await timer;
  await stamp();
}
