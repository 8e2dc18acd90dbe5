import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadConfig, workerConfigSchema } from '@continuum/config';
import { customerEventSignal, journeyWorkflowId, type CustomerEvent } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID, JournalStore, openDataSource, type DataSource } from '@continuum/data';
import { abandonedCart } from '@continuum/journeys';
import { createWorkerTestTarget, workerWorkflowBundleEnv, type TestDatabase, type WorkerTestTarget } from '@continuum/testing';
import { createJourneyWorker, type JourneyWorker } from './journey-worker';

const CARTS = 6;
const CACHE = 2;

/**
 * WORKER_MAX_CACHED_WORKFLOWS bounds the journey instances the worker keeps in memory between their
 * tasks (the SDK's own default grows with the heap: about 2,300). The worker itself
 * (`createJourneyWorker`) on the test run's real Temporal and PostgreSQL: more carts wait than it
 * may cache, it never holds more than its setting, and a cart it evicted still answers its next
 * event (replayed from its history).
 */
describe('the worker\'s workflow cache (WORKER_MAX_CACHED_WORKFLOWS)', { timeout: 300_000 }, () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let connection: Connection;
  let client: Client;
  let worker: JourneyWorker | undefined;
  let running: Promise<void> | undefined;
  let env: WorkerTestTarget['env'];
  let workerEnv: WorkerTestTarget['workerEnv'];

  beforeAll(async () => {
    ({ db, env, workerEnv } = await createWorkerTestTarget('journeys-cache'));
    connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
    dataSource = await openDataSource(db.url, { poolSize: 2 });
  });
  afterAll(async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await dataSource?.destroy();
    await connection?.close();
    await db?.teardown();
  });

  const workerConfig = (extra: Record<string, string>) =>
    loadConfig('worker', workerConfigSchema, { ...workerEnv, ...extra });

  it('defaults to 1,000 and refuses a cache smaller than the workflow task slots, naming both', async () => {
    expect(workerConfig({}).WORKER_MAX_CACHED_WORKFLOWS).toBe(1000);
    const tooSmall = workerConfig({ WORKER_MAX_CACHED_WORKFLOWS: '4', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '8' });
    const refused = createJourneyWorker(tooSmall);
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    await expect(refused).rejects.toThrow(/WORKER_MAX_CACHED_WORKFLOWS: must be at least WORKER_MAX_CONCURRENT_WORKFLOW_TASKS \(8\), got 4/);
    expect(() => workerConfig({ WORKER_MAX_CACHED_WORKFLOWS: '1' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
    expect(() => workerConfig({ WORKER_MAX_CACHED_WORKFLOWS: 'lots' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
  });

  it(`keeps at most its setting (${CACHE}) of ${CARTS} waiting carts, and an evicted cart still answers its next event`, async () => {
    worker = await createJourneyWorker(
      workerConfig({ ...(await workerWorkflowBundleEnv()), WORKER_MAX_CACHED_WORKFLOWS: String(CACHE), WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: String(CACHE) }),
    );
    let mostCached = 0;
    // Every change of the number of instances in its cache, not only the ones this test samples.
    const watching = worker.worker.numRunningWorkflowInstances$.subscribe((cached) => {
      mostCached = Math.max(mostCached, cached);
    });
    running = worker.run();
    const journal = new JournalStore(dataSource);
    const run = randomUUID().slice(0, 8);
    const event = (customer: string, name: string, properties: Record<string, unknown>): CustomerEvent => {
      const now = new Date().toISOString();
      return { messageId: randomUUID(), workspaceId: DEFAULT_WORKSPACE_ID, userId: customer, type: 'track', event: name, properties, timestamp: now, receivedAt: now };
    };
    const waitForEntries = async (workflowId: string, kind: string, count: number) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const entries = (await journal.listEntries(workflowId)).filter((entry) => entry.type === kind);
        if (entries.length >= count) return;
        if (Date.now() > deadline) throw new Error(`${workflowId}: ${entries.length} of ${count} ${kind} entries after 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const carts: string[] = [];
    for (let i = 0; i < CARTS; i++) {
      const customer = `cache-${run}-${i}`;
      const workflowId = journeyWorkflowId(abandonedCart.descriptor.id, customer, customer);
      await client.workflow.signalWithStart(abandonedCart.descriptor.workflowType, {
        workflowId,
        taskQueue: env.TEMPORAL_TASK_QUEUE,
        args: [{ journeyId: abandonedCart.descriptor.id, workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, key: customer }],
        signal: customerEventSignal,
        signalArgs: [event(customer, 'Cart Updated', { cart_id: `cart-${i}`, items: [{ name: 'Hat' }] })],
      });
      // One at a time, so that each enters its wait before the next: the cache fills, then evicts.
      await waitForEntries(workflowId, 'wait.started', 1);
      carts.push(workflowId);
    }
    expect(worker.worker.getStatus().numCachedWorkflows).toBeLessThanOrEqual(CACHE);
    expect(worker.worker.getStatus().numCachedWorkflows).toBeGreaterThan(0);
    expect(mostCached).toBe(CACHE);

    // The first cart was evicted long ago: its next event replays it, and it resets its idle timer.
    const first = carts[0]!;
    await client.workflow.getHandle(first).signal(customerEventSignal, event(`cache-${run}-0`, 'Cart Updated', { cart_id: 'cart-0', items: [{ name: 'Hat' }, { name: 'Scarf' }] }));
    await waitForEntries(first, 'timer.reset', 1);
    expect(worker.worker.getStatus().numCachedWorkflows).toBeLessThanOrEqual(CACHE);
    expect(mostCached).toBe(CACHE);
    watching.unsubscribe();
  });
});
