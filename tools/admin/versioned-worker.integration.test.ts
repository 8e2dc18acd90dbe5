import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, workerConfigSchema } from '@continuum/config';
import { createWorkerTestTarget, workerWorkflowBundleEnv, type TestDatabase } from '@continuum/testing';
import { createJourneyWorker, type JourneyWorker } from '@continuum/worker';
import { runAdminCli } from './admin-cli';

/**
 * The worker itself (`createJourneyWorker`, as `services/worker` runs it) with WORKER_DEPLOYMENT_NAME
 * and WORKER_BUILD_ID: both of its task queues poll as that version, which the deploy procedure's
 * first step (`set-current`) can then make current.
 */
describe('a versioned worker', { timeout: 300_000 }, () => {
  let db: TestDatabase;
  let worker: JourneyWorker | undefined;
  let running: Promise<void> | undefined;
  let env: Record<string, string>;
  let workerEnv: Record<string, string>;

  beforeAll(async () => {
    ({ db, env, workerEnv } = await createWorkerTestTarget('journeys-versioned'));
  });
  afterAll(async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await db?.teardown();
  });

  it('polls the journeys\' and the transactional task queue as its build, which set-current makes current', async () => {
    const config = loadConfig('worker', workerConfigSchema, {
      ...workerEnv,
      ...(await workerWorkflowBundleEnv()),
      WORKER_DEPLOYMENT_NAME: 'continuum',
      WORKER_BUILD_ID: 'release-7',
    });
    worker = await createJourneyWorker(config);
    expect(worker.deploymentVersion).toEqual({ deploymentName: 'continuum', buildId: 'release-7' });
    running = worker.run();
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAdminCli(['worker-deployment', 'set-current', '--deployment', 'continuum', '--build', 'release-7'], {
      env,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    });
    expect(code, err.join('\n')).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ current: 'release-7', previous: null });

    // Both queues, for workflows and activities, once their first polls have reached the server.
    const expected = ['journeys-versioned (activity)', 'journeys-versioned (workflow)', 'journeys-versioned-transactional (activity)', 'journeys-versioned-transactional (workflow)'];
    const deadline = Date.now() + 60_000;
    let described: { current: string; versions: Array<{ buildId: string; status: string; taskQueues: string[] }> };
    for (;;) {
      const lines: string[] = [];
      expect(await runAdminCli(['worker-deployment', 'describe', '--deployment', 'continuum'], { env, out: (line) => lines.push(line), err: () => undefined })).toBe(0);
      described = JSON.parse(lines.join('\n'));
      if (expected.every((queue) => described.versions[0]?.taskQueues.includes(queue)) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(described.current).toBe('release-7');
    expect(described.versions).toEqual([expect.objectContaining({ buildId: 'release-7', status: 'current', taskQueues: expected })]);
    expect((await worker.readiness()).worker).toBe('up');
  });
});
