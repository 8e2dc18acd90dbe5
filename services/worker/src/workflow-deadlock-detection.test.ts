import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig, workerConfigSchema } from '@continuum/config';
import { createIsolatedNamespace, sharedTestServers } from '@continuum/testing';
import { createJourneyWorker } from './journey-worker';
import { withEnv } from './test-support/with-env';
import { notOnOrOff, UNREACHABLE_WORKER_ENV } from './test-support/worker-settings';

const base = UNREACHABLE_WORKER_ENV;

// Far more than the 200 ms the workers below allow a call into workflow code on any machine
// (about 5 s here), yet it ends.
const ITERATIONS = 500_000_000;

/** Runs `fn` with WORKFLOW_DEADLOCK_DETECTION set to `value` (unset: undefined), restoring it after. */
const withSetting = <T>(value: string | undefined, fn: () => Promise<T>): Promise<T> => withEnv('WORKFLOW_DEADLOCK_DETECTION', value, fn);

// The SDK runs every call into workflow code under a timeout, which costs a watchdog thread per call;
// patched (patches/@temporalio+worker+1.13.1.patch) to skip it with WORKFLOW_DEADLOCK_DETECTION=off.
// A real worker on the test run's Temporal, allowed 200 ms per call, runs a workflow that computes
// without yielding for longer than that.
describe('workflow deadlock detection (WORKFLOW_DEADLOCK_DETECTION)', { timeout: 180_000 }, () => {
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  let namespace: string;
  let code: string;

  beforeAll(async () => {
    const shared = sharedTestServers();
    if (!shared) throw new Error('this test runs on the test run\'s shared Temporal (vitest\'s global set-up)');
    namespace = await createIsolatedNamespace(shared.temporalAddress);
    connection = await Connection.connect({ address: shared.temporalAddress });
    nativeConnection = await NativeConnection.connect({ address: shared.temporalAddress });
    client = new Client({ connection, namespace });
    ({ code } = await bundleWorkflowCode({ workflowsPath: join(__dirname, 'test-support', 'spin-workflow.ts'), logger: new DefaultLogger('WARN') }));
  });
  afterAll(async () => {
    await nativeConnection?.close();
    await connection?.close();
  });

  /** Starts the spinning workflow under a worker created with `value`; the first workflow task's outcome. */
  const firstTask = (value: string | undefined) =>
    withSetting(value, async () => {
      const taskQueue = `spin-${randomUUID()}`;
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace,
        taskQueue,
        workflowBundle: { code },
        // Not among the SDK's typed options, but it takes it over its 5 s default (worker-options.js).
        ...({ isolateExecutionTimeout: '200ms' } as object),
        maxCachedWorkflows: 2,
        maxConcurrentWorkflowTaskExecutions: 2,
      });
      return worker.runUntil(async () => {
        const handle = await client.workflow.start('spin', { taskQueue, workflowId: taskQueue, args: [ITERATIONS], workflowTaskTimeout: '30s' });
        const deadline = Date.now() + 60_000;
        for (;;) {
          const { events } = await handle.fetchHistory();
          const completed = events?.find((event) => event.workflowExecutionCompletedEventAttributes);
          const failedTask = events?.find((event) => event.workflowTaskFailedEventAttributes);
          if (completed || failedTask) {
            if (!completed) await handle.terminate('test done');
            return { completed: Boolean(completed), failure: failedTask?.workflowTaskFailedEventAttributes?.failure?.message ?? undefined };
          }
          if (Date.now() > deadline) throw new Error('the spinning workflow neither completed nor failed a task within 60 s');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      });
    });

  it('fails a task whose code runs past the timeout (the SDK\'s deadlock guard), by default and when on', async () => {
    for (const value of [undefined, 'on']) {
      const outcome = await firstTask(value);
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ completed: false, failure: expect.stringMatching(/Script execution timed out after 200ms/) });
    }
  });

  it('lets the same task run to its end when off (no watchdog per call)', async () => {
    expect(await firstTask('off')).toEqual({ completed: true, failure: undefined });
  });

  it('is on by default in the worker configuration, takes only on or off, and reaches the workflow threads', async () => {
    expect(loadConfig('worker', workerConfigSchema, base).WORKFLOW_DEADLOCK_DETECTION).toBe('on');
    expect(loadConfig('worker', workerConfigSchema, { ...base, WORKFLOW_DEADLOCK_DETECTION: 'off' }).WORKFLOW_DEADLOCK_DETECTION).toBe('off');
    fc.assert(
      fc.property(notOnOrOff(['OFF', 'no', 'false', '0', 'off\u0000']), (value) => {
        expect(() => loadConfig('worker', workerConfigSchema, { ...base, WORKFLOW_DEADLOCK_DETECTION: value })).toThrow(/WORKFLOW_DEADLOCK_DETECTION: Invalid enum value/);
      }),
    );
    await withSetting(undefined, async () => {
      const config = loadConfig('worker', workerConfigSchema, { ...base, WORKFLOW_DEADLOCK_DETECTION: 'off' });
      // PostgreSQL is unreachable: the worker stops there, after setting what its threads will read.
      await expect(createJourneyWorker(config)).rejects.toThrow(/Cannot connect to PostgreSQL/);
      expect(process.env['WORKFLOW_DEADLOCK_DETECTION']).toBe('off');
    });
  });
});
