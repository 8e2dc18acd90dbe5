import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflowCodeOncePerRun, createJourneyTestKit, sharedTestServers, type InstanceUnderTest, type JourneyTestKit } from '@continuum/testing';
import { workflowBundleOptions } from '@continuum/worker';
import * as v1 from '../../services/worker/src/test-support/rolling-upgrade-v1';
import { runAdminCli } from './admin-cli';

/**
 * The rolling upgrade of docs/operating.md ("Rolling upgrades"), followed step by step on the run's
 * Temporal (the dev server, or the real server with TEMPORAL_ENGINE=server): two builds of the worker
 * side by side, the second one incompatible with the first one's histories. An instance started on
 * build A finishes on A while new ones start on B; nothing fails.
 */

const workerSrc = join(__dirname, '..', '..', 'services', 'worker', 'src', 'test-support');
const BUILD_A = join(workerSrc, 'rolling-upgrade-v1.ts');
const BUILD_B = join(workerSrc, 'rolling-upgrade-v2.ts');
const DEPLOYMENT = 'continuum';
const { EventType, VersioningBehavior } = temporal.api.enums.v1;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON output, checked by the assertions
type Json = any;

describe('rolling worker upgrade with worker versioning', { timeout: 600_000 }, () => {
  let kit: JourneyTestKit;
  let env: Record<string, string>;

  beforeAll(async () => {
    kit = await createJourneyTestKit({ server: 'dev-server', workflowsPath: BUILD_A, journeysModule: v1 });
    const shared = sharedTestServers();
    if (!shared) throw new Error('this test runs on the test run\'s shared Temporal (vitest\'s global set-up)');
    // As the operator's shell has it: the worker's own settings (--deployment defaults to WORKER_DEPLOYMENT_NAME).
    env = { TEMPORAL_ADDRESS: shared.temporalAddress, TEMPORAL_NAMESPACE: kit.bed.env.namespace ?? 'default', WORKER_DEPLOYMENT_NAME: DEPLOYMENT };
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  /** `npm run admin -- worker-deployment …` as the operator runs it. */
  async function admin(...argv: string[]): Promise<{ code: number; out: string; err: string; json: () => Json }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAdminCli(['worker-deployment', ...argv], { env, out: (line) => out.push(line), err: (line) => err.push(line) });
    return { code, out: out.join('\n'), err: err.join('\n'), json: () => JSON.parse(out.join('\n')) };
  }

  const bodiesTo = (phone: string) => kit.messagesTo(phone).map((message) => message.body);

  async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
      await sleep(100);
    }
  }

  /** Waits until the instance said hello and waits for Go: an event that comes before the wait is not the one it waits for. */
  async function waitingForGo(instance: InstanceUnderTest, phone: string): Promise<void> {
    await until(`${instance.workflowId} waits for Go`, async () => bodiesTo(phone).length === 1 && (await instance.path({ steps: true })).includes('wait.started@wait-for-go'));
  }

  async function probe(customer: string, phone: string, id: string): Promise<InstanceUnderTest> {
    await kit.identify(customer, { phone });
    return kit.enter(v1.upgradeProbe, customer, 'Probe Started', { probe_id: id });
  }

  /** The build ids of the workers that completed the instance's workflow tasks, and the failed tasks. */
  async function tasksOf(instance: InstanceUnderTest): Promise<{ builds: string[]; failed: number }> {
    const { events } = await instance.handle.fetchHistory();
    const completed = (events ?? []).filter((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    return {
      builds: [...new Set(completed.map((event) => event.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ?? '(unversioned)'))],
      failed: (events ?? []).filter((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).length,
    };
  }

  const versioned = (buildId: string) => ({ version: { deploymentName: DEPLOYMENT, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' as const });

  it('unversioned (WORKER_DEPLOYMENT_NAME unset): the worker runs journeys as before, with no version or behaviour recorded', async () => {
    await kit.run(async () => {
      const instance = await probe('plain', '+14155550700', 'p0');
      await waitingForGo(instance, '+14155550700');
      await instance.send('Go');
      expect((await instance.result()).status).toBe('completed');
      const { workflowExecutionInfo } = await instance.handle.describe().then((described) => described.raw);
      expect(workflowExecutionInfo?.versioningInfo ?? null).toBeNull();
      expect(await tasksOf(instance)).toEqual({ builds: ['(unversioned)'], failed: 0 });
    });
    expect(bodiesTo('+14155550700')).toEqual(['v1 hello p0', 'v1 goodbye p0']);
  });

  it('an instance started on build A finishes on A while new ones start on build B, which A\'s histories would fail on', async () => {
    // 1. Build A's workers start polling with the deployment version; A is made current.
    const workerA = await kit.bed.createWorker({ workflowsPath: BUILD_A, workerDeploymentOptions: versioned('build-a') });
    const runningA = workerA.run();
    let runningB: Promise<void> | undefined;
    let workerB: Worker | undefined;
    try {
      const first = await admin('set-current', '--build', 'build-a');
      expect(first.code, first.err).toBe(0);
      expect(first.json()).toMatchObject({ deployment: DEPLOYMENT, current: 'build-a', previous: null, taskQueues: [kit.bed.taskQueue] });

      // An instance starts on A and waits for Go.
      const old = await probe('old', '+14155550701', 'p1');
      await waitingForGo(old, '+14155550701');
      const oldInfo = (await old.handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
      expect(oldInfo?.behavior).toBe(VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
      expect(oldInfo?.deploymentVersion).toMatchObject({ deploymentName: DEPLOYMENT, buildId: 'build-a' });

      // 2. Build B's workers start beside A's (A keeps running); once they poll, B is made current.
      workerB = await kit.bed.createWorker({ workflowsPath: BUILD_B, workerDeploymentOptions: versioned('build-b') });
      runningB = workerB.run();
      const switched = await admin('set-current', '--build', 'build-b');
      expect(switched.code, switched.err).toBe(0);
      expect(switched.json()).toMatchObject({ current: 'build-b', previous: 'build-a' });
      expect(switched.err).toContain('Keep build build-a\'s workers running until `worker-deployment wait-drained --build build-a`');

      // 3. A is not drained while its pinned instance runs: its workers must stay.
      const described = (await admin('describe')).json();
      expect(described).toMatchObject({ deployment: DEPLOYMENT, current: 'build-b', ramping: null });
      expect(described.versions.find((version: Json) => version.buildId === 'build-a')).toMatchObject({ status: 'draining', pinnedRunning: 1 });
      expect(described.versions.find((version: Json) => version.buildId === 'build-b')).toMatchObject({ status: 'current', pinnedRunning: 0 });
      const notYet = await admin('wait-drained', '--build', 'build-a', '--wait', '1');
      expect(notYet.code).toBe(1);
      expect(notYet.json()).toMatchObject({ buildId: 'build-a', pinnedRunning: 1, drained: false });
      expect(notYet.err).toContain('keep its workers running');
      const current = await admin('wait-drained', '--build', 'build-b');
      expect(current.code).toBe(2);
      expect(current.err).toContain('build-b is the current build');

      // 4. A new instance starts on B (its hello says v2, after B's added step).
      const fresh = await probe('new', '+14155550702', 'p2');
      await waitingForGo(fresh, '+14155550702');
      expect(bodiesTo('+14155550702')).toEqual(['v2 hello p2']);

      // 5. The old instance resumes and finishes on A: v1 goodbye, every task on build A, none failed.
      await old.send('Go');
      expect((await old.result()).status).toBe('completed');
      expect(bodiesTo('+14155550701')).toEqual(['v1 hello p1', 'v1 goodbye p1']);
      expect(await tasksOf(old)).toEqual({ builds: ['build-a'], failed: 0 });
      await fresh.send('Go');
      expect((await fresh.result()).status).toBe('completed');
      expect(bodiesTo('+14155550702')).toEqual(['v2 hello p2', 'v2 goodbye p2']);
      expect(await tasksOf(fresh)).toEqual({ builds: ['build-b'], failed: 0 });

      // B really is incompatible with A's histories: replayed on B, the old instance fails.
      const bundleB = await bundleWorkflowCodeOncePerRun({ ...workflowBundleOptions(), workflowsPath: BUILD_B, logger: new DefaultLogger('WARN') });
      await expect(Worker.runReplayHistory({ workflowBundle: bundleB, replayName: 'build-b' }, await old.handle.fetchHistory())).rejects.toThrow(/[Nn]ondetermin/);

      // 6. A is drained (no pinned instance runs on it): its workers stop.
      const drained = await admin('wait-drained', '--build', 'build-a', '--wait', '60');
      expect(drained.code, drained.err).toBe(0);
      expect(drained.json()).toMatchObject({ buildId: 'build-a', pinnedRunning: 0, drained: true });
      workerA.shutdown();
      await runningA;

      // After A is gone, instances still start and finish on B.
      const later = await probe('later', '+14155550703', 'p3');
      await waitingForGo(later, '+14155550703');
      await later.send('Go');
      expect((await later.result()).status).toBe('completed');
      expect(bodiesTo('+14155550703')).toEqual(['v2 hello p3', 'v2 goodbye p3']);
    } finally {
      if (workerA.getState() === 'RUNNING') workerA.shutdown();
      await runningA.catch(() => undefined);
      if (workerB?.getState() === 'RUNNING') workerB.shutdown();
      await runningB?.catch(() => undefined);
    }
  });

  it('refuses bad input with exit code 2 naming the option, and a build no worker has polled as', async () => {
    const badBuild = await admin('set-current', '--build', 'has space');
    expect(badBuild.code).toBe(2);
    expect(badBuild.err).toMatch(/--build: must be letters/);
    const badDeployment = await admin('describe', '--deployment', 'a.b');
    expect(badDeployment.code).toBe(2);
    expect(badDeployment.err).toMatch(/--deployment: must be letters/);
    const missing = await admin('wait-drained');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('missing option --build');
    const unknown = await admin('describe', '--deployment', 'nobody');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no worker deployment "nobody"');
    const neverPolled = await admin('set-current', '--build', 'build-z', '--deployment', 'elsewhere', '--wait', '1');
    expect(neverPolled.code).toBe(1);
    expect(neverPolled.err).toContain('no worker of build build-z has polled yet');
  });
});
