import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { closedLoop, openLoop, progress } from './lib';
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

/** The bare workers' Temporal runtime, quiet below warnings (once per process). */
function installRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier scenario of this run.
  }
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
  installRuntime();
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

/** Figures of the raw journey baselines: (a) entry and (b) fire-out after a worker restart. */
export interface RawJourneyFigures {
  /** (a) workflows/s from the first `signalWithStart` until every workflow has set its timer. */
  entryRate: number;
  entrySeconds: number;
  /** (b) workflows/s from the new worker being ready until every one has run its activity. */
  fireOutRate: number;
  fireOutSeconds: number;
  /** Worker.create (bundling the workflows) to running. */
  readySeconds: number;
  /** The timer the fire-out workflows waited on, sized from (a). */
  delaySeconds: number;
}

/**
 * The engine's floor for what a journey does, with a bare worker in the bench process on a task
 * queue of its own (bench/raw/workflows.ts `rawEntryThenTimer`, default worker options, Temporal's
 * default data converter):
 * (a) entry: `count` workflows started by `signalWithStart` (`concurrency` in flight, as the gateway
 * routes), until each one's first task has set its timer (told through a sink, no history);
 * (b) fire-out: `count` more wait on a timer sized from (a); the worker shuts down, stays down until
 * every deadline has passed, then a new worker (empty cache, so each workflow is replayed) runs one
 * activity per workflow; timed from the new worker being ready until the last activity ran.
 */
export async function rawJourneyBaselines(ctx: BenchContext, count: number, concurrency: number): Promise<RawJourneyFigures> {
  installRuntime();
  const waitingAt = new Map<string, number>();
  const ranAt = new Map<string, number>();
  const connection = await NativeConnection.connect({ address: ctx.stack.temporal.address });
  const taskQueue = `bench-raw-journeys-${ctx.runId}`;
  const create = () =>
    Worker.create({
      connection,
      namespace: 'default',
      taskQueue,
      workflowsPath: join(__dirname, 'raw', 'workflows.ts'),
      activities: {
        async stamp(): Promise<void> {
          ranAt.set(Context.current().info.workflowExecution.workflowId, Date.now());
        },
      },
      sinks: {
        bench: {
          waiting: {
            fn(info) {
              if (!waitingAt.has(info.workflowId)) waitingAt.set(info.workflowId, Date.now());
            },
          },
        },
      },
    });
  const until = async (ids: string[], seen: Map<string, number>, timeoutMs: number, label: string) => {
    const bar = progress(label, ids.length);
    let shown = 0;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = ids.filter((id) => seen.has(id)).length;
      bar.tick(done - shown);
      shown = done;
      if (done === ids.length) break;
      if (Date.now() > deadline) throw new Error(`${label}: ${done}/${ids.length} after ${timeoutMs / 1000} s`);
      await sleep(50);
    }
    bar.done();
    return Math.max(...ids.map((id) => seen.get(id)!));
  };
  const start = async (label: string, delayMs: number): Promise<{ ids: string[]; began: number }> => {
    const ids = Array.from({ length: count }, (_, i) => `bench-raw/${ctx.runId}/${label}/${i}`);
    const began = Date.now();
    await closedLoop(
      count,
      concurrency,
      async (i) => {
        await ctx.rawTemporal.workflow.signalWithStart('rawEntryThenTimer', {
          workflowId: ids[i]!,
          taskQueue,
          signal: 'event',
          signalArgs: [{ event: 'Cart Updated', properties: { cart_id: `c${i}`, items: [{ name: 'Shoes' }] } }],
          args: [delayMs],
        });
      },
      `baseline (${label}): signalWithStart`,
    );
    return { ids, began };
  };

  let worker = await create();
  let running = worker.run();
  try {
    // (a) Entry: they wait an hour; the run ends long before (the data dir is the bench's).
    const entry = await start('entry', 3_600_000);
    const entryDone = await until(entry.ids, waitingAt, 600_000, 'baseline (a): workflows waiting');
    const entrySeconds = (entryDone - entry.began) / 1000;
    const entryRate = count / entrySeconds;

    // (b) Fire-out: a timer long enough that the last enters well before the first fires.
    const delaySeconds = Math.ceil((1.5 * count) / entryRate + 10);
    const fire = await start('fire-out', delaySeconds * 1000);
    const lastWaiting = await until(fire.ids, waitingAt, 600_000, 'baseline (b): workflows waiting');
    worker.shutdown();
    await running;
    const downMs = Math.max(0, lastWaiting + delaySeconds * 1000 + 2_000 - Date.now());
    await sleep(downMs);
    const created = performance.now();
    worker = await create();
    running = worker.run();
    const readyAt = Date.now();
    const readySeconds = (performance.now() - created) / 1000;
    const lastRan = await until(fire.ids, ranAt, 1_800_000, 'baseline (b): activities after restart');
    const fireOutSeconds = (lastRan - readyAt) / 1000;
    return { entryRate, entrySeconds, fireOutRate: count / fireOutSeconds, fireOutSeconds, readySeconds, delaySeconds };
  } finally {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
  }
}
