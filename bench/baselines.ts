import { closedLoop } from './lib';
import type { BenchContext } from './lib';

/** Trivial workflow type on a task queue nobody polls: signalWithStart is accepted without a worker. */
const NOOP_WORKFLOW = 'benchNoop';
const NOOP_QUEUE = 'bench-noop';

/** Raw `signalWithStart` from a bare Temporal client on the same server; events/s. */
export async function signalWithStartRate(ctx: BenchContext, events: number, concurrency: number, keys: number): Promise<number> {
  const label = `${ctx.runId}-sws-${events}-${concurrency}`;
  const seconds = await closedLoop(
    events,
    concurrency,
    async (i) => {
      await ctx.temporal.workflow.signalWithStart(NOOP_WORKFLOW, {
        workflowId: `bench/${label}/${i % keys}`,
        taskQueue: NOOP_QUEUE,
        signal: 'event',
        signalArgs: [{ event: 'Cart Updated', properties: { cart_id: `c${i % keys}`, items: [{ name: 'Shoes' }] } }],
        args: [],
      });
    },
    'baseline: signalWithStart',
  );
  return events / seconds;
}

/** Raw single-row INSERTs into a scratch table of the same PostgreSQL; events/s. */
export async function insertRate(ctx: BenchContext, events: number, concurrency: number): Promise<number> {
  await ctx.db.query(`CREATE TABLE IF NOT EXISTS bench_scratch (id bigserial PRIMARY KEY, message_id text NOT NULL, user_id text NOT NULL, event text NOT NULL, properties jsonb, received_at timestamptz NOT NULL DEFAULT now())`);
  const seconds = await closedLoop(
    events,
    concurrency,
    async (i) => {
      await ctx.db.query(`INSERT INTO bench_scratch (message_id, user_id, event, properties) VALUES ($1, $2, $3, $4)`, [
        `${ctx.runId}-ins-${i}`,
        `bench-${i % 200}`,
        'Cart Updated',
        JSON.stringify({ cart_id: `c${i}`, items: [{ name: 'Shoes', quantity: 1 }] }),
      ]);
    },
    'baseline: INSERT',
  );
  return events / seconds;
}
