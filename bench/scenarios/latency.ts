import { startRawEngine } from '../baselines';
import { arrivalsAtEmulator, closedLoop, graphql, IDENTIFY, openLoop, percentile, progress, round, TRACK, waitUntilQuiet } from '../lib';
import type { BenchContext, Row, ScenarioResult } from '../lib';

const SIZES = {
  small: { loads: [1, 5, 20], seconds: 5, saturationEvents: 300, halfSeconds: 10 },
  medium: { loads: [1, 5, 20], seconds: 15, saturationEvents: 1_000, halfSeconds: 30 },
  large: { loads: [1, 5, 20, 50], seconds: 30, saturationEvents: 3_000, halfSeconds: 60 },
} as const;

/** GraphQL track requests in flight when the no-wait path is driven to saturation. */
const SATURATION_SENDERS = 8;
/** Goal of issue #16: p99 event → provider call at half of saturation. */
const HALF_SATURATION_P99_GOAL_MS = 250;

const PERCENTILES = [50, 95, 99] as const;

let nextPhone = 0;

/**
 * Sends `count` events at `rate` per second through GraphQL `track`, each for its own identified
 * customer, and returns how late each one's SMS reached the emulator (dateCreated − acknowledgement −
 * `delayMs`) and the SMS per second from the first event to the last SMS.
 */
async function journeyLatency(
  ctx: BenchContext,
  options: { label: string; rate: number; concurrency?: number; count: number; delayMs: number; areaCode: string; event: (userId: string, i: number) => Record<string, unknown> },
): Promise<{ late: number[]; perSecond: number }> {
  const customers = Array.from({ length: options.count }, () => {
    const n = nextPhone++;
    return { userId: `lat-${ctx.runId}-${n}`, phone: `+1${options.areaCode}555${String(n % 10_000).padStart(4, '0')}` };
  });
  const identified = progress(`${options.label}: identify`, options.count);
  for (const c of customers) {
    await graphql(ctx.stack, IDENTIFY, { input: { userId: c.userId, traits: { phone: c.phone, first_name: 'Bench', preferred_channel: 'sms' } } });
    identified.tick();
  }
  identified.done();

  const acknowledged = new Map<string, number>();
  const send = async (k: number) => {
    const c = customers[k]!;
    await graphql(ctx.stack, TRACK, { input: options.event(c.userId, k) });
    acknowledged.set(c.phone, Date.now());
  };
  const began = Date.now();
  // Open loop at a rate, or closed loop with `concurrency` in flight: as fast as the path takes them.
  if (options.concurrency) await closedLoop(options.count, options.concurrency, send, `${options.label}: events`);
  else await openLoop(options.count, options.rate, send, `${options.label}: events`);
  const arrived = await arrivalsAtEmulator(ctx.stack, new Set(acknowledged.keys()), options.delayMs + 300_000, `${options.label}: SMS at emulator`);
  return {
    late: [...arrived].map(([phone, at]) => at - acknowledged.get(phone)! - options.delayMs),
    perSecond: arrived.size / ((Math.max(...arrived.values()) - began) / 1000),
  };
}

/**
 * Event to message at steady loads, against the raw engine on the same server:
 * - no wait: `Order Shipped` → the order-shipped journey's SMS at the emulator;
 * - idle deadline: abandoned cart with the short idle timeout, `Cart Updated` → SMS, minus the timeout;
 * - baseline: a bare worker's workflow (no Continuum code) started at the same rate, running one
 *   activity at once or after a timer as long as the idle timeout.
 */
export async function latency(ctx: BenchContext): Promise<ScenarioResult> {
  if (!ctx.stack.emulatorUrl) throw new Error('the latency scenario needs the Twilio emulator');
  const s = SIZES[ctx.size];
  const rows: Row[] = [];
  const bars: ScenarioResult['chart']['bars'] = [];
  const raw = await startRawEngine(ctx);
  const report = (label: string, values: number[], expected: number, baseline: number[], baselineName: string) => {
    const missing = expected - values.length;
    for (const p of PERCENTILES) {
      const value = round(percentile(values, p), 0);
      const base = percentile(baseline, p);
      rows.push({
        what: `${label}${missing ? ` (${missing} SMS missing)` : ''}: p${p}`,
        value,
        unit: 'ms',
        // Lateness can be near 0 on both sides; a ratio to a base under 1 ms says nothing.
        ...(base >= 1 ? { ratio: round(value / base, 2), baseline: baselineName } : {}),
      });
    }
    for (const p of PERCENTILES) rows.push({ what: `${label}, raw engine baseline: p${p}`, value: round(percentile(baseline, p), 0), unit: 'ms' });
  };
  const shipped = (userId: string, k: number) => ({ userId, event: 'Order Shipped', properties: { order_id: `o${k}`, eta: 'tomorrow' }, messageId: `${userId}-shipped` });
  try {
    for (const load of s.loads) {
      const count = load * s.seconds;
      await waitUntilQuiet(ctx);
      const { late: noWait } = await journeyLatency(ctx, {
        label: `${load}/s Order Shipped`,
        rate: load,
        count,
        delayMs: 0,
        areaCode: '416',
        event: shipped,
      });
      const rawNoWait = await raw.latency(load, count, 0, `${load}/s no wait`);
      report(`${load} events/s, no wait (order-shipped): event to SMS`, noWait, count, rawNoWait, 'raw start → activity');

      await waitUntilQuiet(ctx);
      const { late: idle } = await journeyLatency(ctx, {
        label: `${load}/s Cart Updated`,
        rate: load,
        count,
        delayMs: ctx.idleTimeoutMs,
        areaCode: '415',
        event: (userId) => ({ userId, event: 'Cart Updated', properties: { cart_id: 'c1', items: [{ name: 'Red Shoes' }] }, messageId: `${userId}-c1` }),
      });
      const rawTimer = await raw.latency(load, count, ctx.idleTimeoutMs, `${load}/s timer`);
      report(`${load} carts/s, idle deadline (abandoned-cart): SMS after the deadline`, idle, count, rawTimer, 'raw timer → activity');
      for (const p of [50, 95] as const) {
        bars.push({ label: `${load}/s p${p} no wait`, value: round(percentile(noWait, p), 0), group: `p${p}` });
        bars.push({ label: `${load}/s p${p} idle`, value: round(percentile(idle, p), 0), group: `p${p}` });
      }
    }

    // Saturation of the no-wait path (GraphQL track → journey → SMS at the emulator), then half of it.
    await waitUntilQuiet(ctx);
    const saturation = (await journeyLatency(ctx, { label: 'saturation', rate: 0, concurrency: SATURATION_SENDERS, count: s.saturationEvents, delayMs: 0, areaCode: '418', event: shipped }))
      .perSecond;
    const half = Math.max(1, round(saturation / 2, 1));
    const halfCount = Math.max(20, Math.round(half * s.halfSeconds));
    await waitUntilQuiet(ctx);
    const { late: atHalf } = await journeyLatency(ctx, { label: `half of saturation (${half}/s)`, rate: half, count: halfCount, delayMs: 0, areaCode: '419', event: shipped });
    const rawHalf = await raw.latency(half, halfCount, 0, `${half}/s no wait`);
    rows.push({
      what: `saturation of the no-wait path: ${s.saturationEvents} Order Shipped through GraphQL track, ${SATURATION_SENDERS} in flight, until the last SMS`,
      value: round(saturation, 1),
      unit: 'events/s',
    });
    report(`half of saturation, ${half} events/s, no wait (order-shipped): event to SMS`, atHalf, halfCount, rawHalf, 'raw start → activity');
    const p99 = round(percentile(atHalf, 99), 0);
    rows.push({ what: `goal: p99 event → SMS at half of saturation < ${HALF_SATURATION_P99_GOAL_MS} ms`, value: p99, unit: 'ms', ratio: round(p99 / HALF_SATURATION_P99_GOAL_MS, 2), baseline: `the goal (${HALF_SATURATION_P99_GOAL_MS} ms; ≤ 1 meets it)` });
    bars.push({ label: `${half}/s (half of saturation) p99`, value: p99, group: 'p99' });
  } finally {
    await raw.stop();
  }
  return {
    scenario: 'latency',
    title: 'Event to message: how long after the event (or the idle deadline) the SMS reaches the emulator, against the raw engine',
    settings: { ...s, idleTimeoutMs: ctx.idleTimeoutMs },
    rows,
    notes: [
      'No wait: GraphQL track of Order Shipped (the order-shipped journey sends at once; preferred_channel sms) until the emulator records the SMS (its dateCreated), on the same machine clock.',
      'Idle deadline: Cart Updated, then the SMS, minus the idle timeout: how late after its deadline the send happens.',
      'Each customer is identified (phone, first_name, preferred_channel) before its event; events are sent open-loop at the given rate; each load starts once no event is unrouted and no abandoned-cart instance runs.',
      'Baseline: a bare Temporal worker in the bench process (bench/raw/workflows.ts, no Continuum code) on its own task queue of the same server; workflows started at the same rate run one activity at once, or after a durable timer as long as the idle timeout. Lateness = activity start − start acknowledged − timer. Ratio = our percentile / the raw percentile (above 1: slower than the raw engine).',
      `Saturation: ${s.saturationEvents} Order Shipped events through GraphQL track with ${SATURATION_SENDERS} requests in flight (each its own identified customer), from the first request until the last SMS reached the emulator; then the same events open-loop at half that rate for ${s.halfSeconds} s, against the raw engine at the same rate. The goal (issue #16) is a p99 under ${HALF_SATURATION_P99_GOAL_MS} ms there.`,
      'Our path adds the gateway (store, outbox, routing by signalWithStart), the journal and profile reads, the outbox row and the Twilio SDK call to the emulator.',
    ],
    chart: { title: 'Event to SMS (no wait) and SMS after the idle deadline (ms)', unit: 'ms', bars },
  };
}
