import { setTimeout as sleep } from 'node:timers/promises';
import { temporal } from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATION_WORKFLOW, conversationStateQuery, conversationWorkflowId, inboundMessageSignal, type InboundMessage } from '@continuum/contracts';
import { DEFAULT_WORKSPACE_ID } from '@continuum/data';
import { createJourneyTestKit, sharedTestServers, type JourneyTestKit } from '@continuum/testing';
import { runAdminCli } from './admin-cli';

/**
 * The conversation under worker versioning (docs/operating.md, "Rolling upgrades"): it never ends, so
 * it auto-upgrades — its next task after a new build is made current runs on that build — while the
 * agent journey it started stays pinned to the build it started on. Every workflow of the worker's
 * bundle, on the run's Temporal.
 */

const DEPLOYMENT = 'continuum';
const { EventType, VersioningBehavior } = temporal.api.enums.v1;

describe('the conversation during a rolling upgrade', { timeout: 600_000 }, () => {
  let kit: JourneyTestKit;
  let env: Record<string, string>;

  beforeAll(async () => {
    kit = await createJourneyTestKit({ server: 'dev-server' });
    const shared = sharedTestServers();
    if (!shared) throw new Error('this test runs on the test run\'s shared Temporal (vitest\'s global set-up)');
    env = { TEMPORAL_ADDRESS: shared.temporalAddress, TEMPORAL_NAMESPACE: kit.bed.env.namespace ?? 'default', WORKER_DEPLOYMENT_NAME: DEPLOYMENT };
  });
  afterAll(async () => {
    await kit?.teardown();
  });

  async function setCurrent(buildId: string): Promise<void> {
    const err: string[] = [];
    const code = await runAdminCli(['worker-deployment', 'set-current', '--build', buildId], { env, out: () => undefined, err: (line) => err.push(line) });
    expect(code, err.join('\n')).toBe(0);
  }

  async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
      await sleep(150);
    }
  }

  const versioned = (buildId: string) => ({ version: { deploymentName: DEPLOYMENT, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' as const });

  it('auto-upgrades to the new build at its next task; its agent journey stays pinned', async () => {
    const customer = 'versioned-talker';
    await kit.identify(customer, { phone: '+14155550710' });
    let n = 0;
    const message = (body: string): InboundMessage => ({
      messageId: `test:${customer}:${++n}`,
      workspaceId: DEFAULT_WORKSPACE_ID,
      customerId: customer,
      channel: 'sms',
      body,
      at: new Date().toISOString(),
    });
    const workers: Array<{ worker: Worker; running: Promise<void> }> = [];
    const start = async (buildId: string) => {
      const worker = await kit.bed.createWorker({ workerDeploymentOptions: versioned(buildId) });
      workers.push({ worker, running: worker.run() });
    };
    try {
      await start('build-c1');
      await setCurrent('build-c1');
      const handle = await kit.bed.env.client.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
        workflowId: conversationWorkflowId(customer),
        taskQueue: kit.bed.taskQueue,
        args: [{ workspaceId: DEFAULT_WORKSPACE_ID, customerId: customer, customerRef: customer }],
        signal: inboundMessageSignal,
        signalArgs: [message('I want to return order #4417')],
      });
      const topic = await until('the returns agent answers', async () => (await handle.query(conversationStateQuery)).topics.find((t) => t.history.some((each) => each.direction === 'out')));
      const first = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
      expect(first?.behavior).toBe(VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE);
      expect(first?.deploymentVersion?.buildId).toBe('build-c1');
      const agentId = topic.agentInstance;
      expect(agentId).toBeTruthy();
      const agent = kit.bed.env.client.workflow.getHandle(agentId!);
      const agentInfo = (await agent.describe()).raw.workflowExecutionInfo?.versioningInfo;
      expect(agentInfo?.behavior).toBe(VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
      expect(agentInfo?.deploymentVersion?.buildId).toBe('build-c1');

      await start('build-c2');
      await setCurrent('build-c2');
      await handle.signal(inboundMessageSignal, message('Too small'));
      await until('the conversation runs on build-c2', async () => {
        const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
        return info?.deploymentVersion?.buildId === 'build-c2' ? info : undefined;
      });
      const { events } = await handle.fetchHistory();
      const builds = (events ?? [])
        .filter((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
        .map((event) => event.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId);
      expect(builds[0]).toBe('build-c1');
      expect(builds.at(-1)).toBe('build-c2');
      expect((events ?? []).filter((event) => event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toEqual([]);
      // The agent journey started on build-c1 stays there.
      expect((await agent.describe()).raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId).toBe('build-c1');
    } finally {
      for (const { worker } of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      for (const { running } of workers) await running.catch(() => undefined);
    }
  });
});
