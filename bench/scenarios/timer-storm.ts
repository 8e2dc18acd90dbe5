import { setTimeout as sleep } from 'node:timers/promises';
import { signalWithStartRate } from '../baselines';
import { closedLoop, cpuSeconds, graphql, progress, round, TRACK, waitUntilQuiet, waitUntilRouted } from '../lib';
import type { BenchContext, Row, ScenarioResult } from '../lib';

const SIZES = {
  small: { carts: 20, updates: 50 },
  medium: { carts: 50, updates: 100 },
  large: { carts: 100, updates: 200 },
} as const;

/** N carts × M updates through GraphQL track: every update resets the cart's idle timer. */
export async function timerStorm(ctx: BenchContext): Promise<ScenarioResult> {
  const s = SIZES[ctx.size];
  const pid = ctx.stack.services.worker.process.pid;
  if (pid === undefined) throw new Error('worker has no pid');
  const userId = (cart: number) => `storm-${ctx.runId}-${cart}`;
  const total = s.carts * s.updates;

  await waitUntilQuiet(ctx);
  const cpuBefore = cpuSeconds(pid);
  const began = performance.now();
  const bar = progress('GraphQL track (updates)', total);
  await Promise.all(
    Array.from({ length: s.carts }, async (_, cart) => {
      for (let u = 0; u < s.updates; u++) {
        await graphql(ctx.stack, TRACK, {
          input: { userId: userId(cart), event: 'Cart Updated', properties: { cart_id: 'c1', items: [{ name: 'Shoes', quantity: u + 1 }] }, messageId: `${userId(cart)}-${u}` },
        });
        bar.tick();
      }
    }),
  );
  bar.done();
  const ackSeconds = (performance.now() - began) / 1000;
  await waitUntilRouted(ctx.db, 'routing');
  const routedSeconds = (performance.now() - began) / 1000;

  // Let every instance reach its deadline and close, so its whole history is counted.
  const handles = Array.from({ length: s.carts }, (_, cart) => ctx.temporal.workflow.getHandle(`journey/abandoned-cart/${userId(cart)}/c1`));
  const closed = progress('instances closed', s.carts);
  const deadline = Date.now() + ctx.idleTimeoutMs + 120_000;
  for (const handle of handles) {
    while ((await handle.describe()).status.name === 'RUNNING' && Date.now() < deadline) await sleep(200);
    closed.tick();
  }
  closed.done();
  const wallSeconds = (performance.now() - began) / 1000;
  const cpu = cpuSeconds(pid) - cpuBefore;

  let historyEvents = 0;
  await closedLoop(s.carts, 4, async (i) => void (historyEvents += (await handles[i]!.fetchHistory()).events?.length ?? 0), 'fetch histories');

  const sws = await signalWithStartRate(ctx, total, s.carts, s.carts);
  const resetsPerSecond = total / ackSeconds;
  const rows: Row[] = [
    { what: 'baseline: raw signalWithStart to the same number of workflows', value: round(sws), unit: 'signals/s' },
    { what: 'resets accepted (GraphQL track acknowledged)', value: round(resetsPerSecond), unit: 'resets/s', ratio: round(resetsPerSecond / sws, 3), baseline: 'signalWithStart' },
    { what: 'resets accepted and routed', value: round(total / routedSeconds), unit: 'resets/s', ratio: round(total / routedSeconds / sws, 3), baseline: 'signalWithStart' },
    { what: 'history events per reset (all instances, latest run)', value: round(historyEvents / total, 2), unit: 'events' },
    { what: 'worker CPU, first update to last instance closed', value: round(cpu, 2), unit: 'CPU-s' },
    { what: `worker CPU over that ${round(wallSeconds)} s`, value: round((cpu / wallSeconds) * 100), unit: '% of one core' },
    { what: 'worker CPU per 1,000 resets', value: round((cpu / total) * 1000, 2), unit: 'CPU-s' },
  ];
  return {
    scenario: 'timer-storm',
    title: `Timer storm: ${s.carts} carts × ${s.updates} updates through GraphQL track`,
    settings: { ...s, idleTimeoutMs: ctx.idleTimeoutMs, concurrency: `${s.carts} (one sequential sender per cart)` },
    rows,
    notes: [
      'Each update is a Cart Updated for the same cart: it replaces the cart and restarts the idle timer of its abandoned-cart instance.',
      'History events are counted on the latest run of each instance; a continue-as-new would hide earlier runs (none expected at this size).',
      'Worker CPU is utime+stime from /proc/<worker pid>/stat, covering routing, the idle deadlines and the closing of every instance.',
    ],
    chart: {
      title: 'Timer storm (per second)',
      unit: '/s',
      bars: [
        { label: 'signalWithStart', value: round(sws), group: 'baseline' },
        { label: 'resets accepted', value: round(resetsPerSecond), group: 'accepted' },
        { label: 'resets routed', value: round(total / routedSeconds), group: 'routed' },
      ],
    },
  };
}
