import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { closedLoop, openLoop } from './lib';
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
      await ctx.rawTemporal.workflow.signalWithStart(NOOP_WORKFLOW, {
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

/** The raw engine's start-to-side-effect path, run by a bare worker inside the bench process. */
export interface RawEngine {
  /**
   * Starts `count` workflows at `rate` per second, each waiting `delayMs` on a durable timer and then
   * running one activity; returns each one's lateness in ms: activity start − start acknowledged − delayMs.
   */
  latency(rate: number, count: number, delayMs: number, label: string): Promise<number[]>;
  stop(): Promise<void>;
}

/**
 * A bare Temporal worker (bench/raw/workflows.ts, no Continuum code) on a task queue of its own, on
 * the same server as the stack: the baseline for event-to-send latency.
 */
export async function startRawEngine(ctx: BenchContext): Promise<RawEngine> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier scenario of this run.
  }
  const stamps = new Map<string, number>();
  const connection = await NativeConnection.connect({ address: ctx.stack.temporal.address });
  const taskQueue = `bench-raw-${ctx.runId}`;
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue,
    workflowsPath: join(__dirname, 'raw', 'workflows.ts'),
    activities: {
      async stamp(): Promise<void> {
        stamps.set(Context.current().info.workflowExecution.workflowId, Date.now());
      },
    },
  });
  const running = worker.run();
  return {
    async latency(rate, count, delayMs, label) {
      const acknowledged = new Map<string, number>();
      await openLoop(
        count,
        rate,
        async (k) => {
          const workflowId = `bench-raw/${ctx.runId}/${label}/${k}`;
          await ctx.rawTemporal.workflow.start('rawTimerThenActivity', { workflowId, taskQueue, args: [delayMs] });
          acknowledged.set(workflowId, Date.now());
        },
        `${label}: raw starts`,
      );
      const deadline = Date.now() + delayMs + 120_000;
      while ([...acknowledged.keys()].some((id) => !stamps.has(id))) {
        if (Date.now() > deadline) throw new Error(`${label}: raw activities missing after ${(delayMs + 120_000) / 1000} s`);
        await sleep(100);
      }
      return [...acknowledged].map(([id, ack]) => stamps.get(id)! - ack - delayMs);
    },
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
