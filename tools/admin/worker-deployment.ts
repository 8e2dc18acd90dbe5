import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { loadConfig, temporalConfigSchema, workerConfigSchema } from '@continuum/config';

/**
 * `npm run admin -- worker-deployment <command>`: the rolling upgrade of workers with Temporal worker
 * versioning (docs/operating.md, "Rolling upgrades"), through the Temporal API at TEMPORAL_ADDRESS.
 * It reads and changes only the worker deployment's routing: no payloads pass through it.
 */

export const WORKER_DEPLOYMENT_USAGE = `  worker-deployment describe [--deployment <name>]
                                                           the deployment's versions: current one, task queues
                                                           polled, pinned instances still running on each
  worker-deployment set-current --build <id> [--deployment <name>] [--wait <seconds>]
                                                           new instances start on build <id>; waits (default 120 s)
                                                           until its workers poll every task queue of the current one
  worker-deployment wait-drained --build <id> [--deployment <name>] [--wait <seconds>]
                                                           waits (default 600 s) until no pinned instance runs on
                                                           build <id>: then its workers may stop (exit 1 if not yet)
  (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE; --deployment defaults to WORKER_DEPLOYMENT_NAME)`;

/** A bad or missing argument (exit code 2); other failures exit 1. */
export class WorkerDeploymentUsageError extends Error {}

interface Io {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
}

const enums = temporal.api.enums.v1;
const statusName = (value: number | null | undefined) =>
  (enums.WorkerDeploymentVersionStatus[value ?? 0] ?? 'UNSPECIFIED').replace('WORKER_DEPLOYMENT_VERSION_STATUS_', '').toLowerCase();
const drainageName = (value: number | null | undefined) =>
  (enums.VersionDrainageStatus[value ?? 0] ?? 'UNSPECIFIED').replace('VERSION_DRAINAGE_STATUS_', '').toLowerCase();
const taskQueueTypeName = (value: number | null | undefined) => (enums.TaskQueueType[value ?? 0] ?? 'UNSPECIFIED').replace('TASK_QUEUE_TYPE_', '').toLowerCase();

/** gRPC status codes the commands answer on. */
const NOT_FOUND = 5;
const FAILED_PRECONDITION = 9;
const codeOf = (error: unknown) => (error as { code?: number }).code;

/** A deployment name or build id as the worker's configuration accepts it, or a usage error naming the option. */
function checked(option: string, value: string, schemaKey: 'WORKER_DEPLOYMENT_NAME' | 'WORKER_BUILD_ID'): string {
  const result = workerConfigSchema.shape[schemaKey].safeParse(value);
  if (!result.success || result.data === undefined) {
    throw new WorkerDeploymentUsageError(`--${option}: ${result.success ? 'must not be empty' : result.error.issues[0]!.message}`);
  }
  return result.data;
}

function seconds(option: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed)) throw new WorkerDeploymentUsageError(`--${option}: must be a whole number of seconds, got "${value}"`);
  return parsed;
}

/** The `BuildIds` visibility entry of a workflow pinned to a version (as the server's own drainage check reads it). */
export function pinnedQuery(deploymentName: string, buildId: string): string {
  return `BuildIds = 'pinned:${deploymentName}:${buildId}' AND ExecutionStatus = 'Running'`;
}

class WorkerDeployments {
  constructor(
    private readonly connection: Connection,
    private readonly namespace: string,
    private readonly deploymentName: string,
  ) {}

  private get service() {
    return this.connection.workflowService;
  }

  async describe() {
    let info;
    try {
      ({ workerDeploymentInfo: info } = await this.service.describeWorkerDeployment({ namespace: this.namespace, deploymentName: this.deploymentName }));
    } catch (error) {
      if (codeOf(error) === NOT_FOUND) throw new WorkerDeploymentUsageError(`--deployment: no worker deployment "${this.deploymentName}" in namespace ${this.namespace} (no versioned worker of it has polled yet)`);
      throw error;
    }
    const routing = info?.routingConfig;
    const versions = [];
    for (const summary of info?.versionSummaries ?? []) {
      const buildId = summary.deploymentVersion?.buildId ?? '';
      const version = await this.describeVersion(buildId);
      versions.push({
        buildId,
        status: statusName(summary.status),
        drainage: drainageName(summary.drainageInfo?.status ?? summary.drainageStatus),
        pinnedRunning: await this.pinnedRunning(buildId),
        taskQueues: (version?.taskQueueInfos ?? []).map((queue) => `${queue.name} (${taskQueueTypeName(queue.type)})`).sort(),
        createdAt: toIso(summary.createTime),
      });
    }
    return {
      deployment: this.deploymentName,
      namespace: this.namespace,
      current: routing?.currentDeploymentVersion?.buildId ?? null,
      ramping: routing?.rampingDeploymentVersion?.buildId ?? null,
      versions,
    };
  }

  async describeVersion(buildId: string) {
    try {
      const { workerDeploymentVersionInfo } = await this.service.describeWorkerDeploymentVersion({
        namespace: this.namespace,
        deploymentVersion: { deploymentName: this.deploymentName, buildId },
      });
      return workerDeploymentVersionInfo ?? undefined;
    } catch (error) {
      if (codeOf(error) === NOT_FOUND) return undefined;
      throw error;
    }
  }

  /** Running workflows pinned to the build: the version is drained at 0 (counted now, not on the server's few-minutes refresh). */
  async pinnedRunning(buildId: string): Promise<number> {
    const { count } = await this.service.countWorkflowExecutions({ namespace: this.namespace, query: pinnedQuery(this.deploymentName, buildId) });
    return Number(count ?? 0);
  }

  /**
   * Makes the build current once its workers poll: the server refuses while the build lacks a task
   * queue the current version's workers poll (both of Continuum's), which is retried until `waitMs`.
   */
  async setCurrent(buildId: string, waitMs: number, identity: string, progress: (line: string) => void) {
    const deadline = Date.now() + waitMs;
    let reason = '';
    for (;;) {
      const version = await this.describeVersion(buildId);
      if (version && (version.taskQueueInfos ?? []).length > 0) {
        try {
          const response = await this.service.setWorkerDeploymentCurrentVersion({ namespace: this.namespace, deploymentName: this.deploymentName, buildId, identity });
          return { previous: response.previousDeploymentVersion?.buildId ?? null, taskQueues: [...new Set((version.taskQueueInfos ?? []).map((queue) => queue.name ?? ''))] };
        } catch (error) {
          if (codeOf(error) !== FAILED_PRECONDITION) throw error;
          reason = (error as Error).message;
        }
      } else reason = `no worker of build ${buildId} has polled yet`;
      if (Date.now() >= deadline) throw new Error(`build ${buildId} was not made current within ${waitMs / 1000} s: ${reason}`);
      progress(`waiting for build ${buildId}'s workers: ${reason}`);
      await sleep(Math.min(1_000, Math.max(0, deadline - Date.now())));
    }
  }

  async currentBuild(): Promise<string | null> {
    const { workerDeploymentInfo } = await this.service.describeWorkerDeployment({ namespace: this.namespace, deploymentName: this.deploymentName });
    return workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId ?? null;
  }
}

function toIso(time: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!time?.seconds) return null;
  return new Date(Number(time.seconds) * 1000 + Math.floor((time.nanos ?? 0) / 1e6)).toISOString();
}

/** Runs `worker-deployment <command> …`; resolves when done, rejects with WorkerDeploymentUsageError for bad input. */
export async function runWorkerDeployment(args: string[], io: Io): Promise<number> {
  const [command, ...rest] = args;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { deployment: { type: 'string' }, build: { type: 'string' }, wait: { type: 'string' } }, allowPositionals: false, strict: true });
  } catch (error) {
    throw new WorkerDeploymentUsageError(`worker-deployment ${command ?? ''}: ${(error as Error).message}`);
  }
  const values = parsed.values;
  if (!['describe', 'set-current', 'wait-drained'].includes(command ?? '')) throw new WorkerDeploymentUsageError(`worker-deployment: unknown command "${command ?? ''}" (describe, set-current, wait-drained)`);
  const deploymentText = values.deployment ?? io.env['WORKER_DEPLOYMENT_NAME'];
  if (deploymentText === undefined || deploymentText.trim() === '') throw new WorkerDeploymentUsageError(`worker-deployment ${command}: missing option --deployment (or WORKER_DEPLOYMENT_NAME)`);
  const deploymentName = checked('deployment', deploymentText, 'WORKER_DEPLOYMENT_NAME');
  if (command !== 'describe' && values.build === undefined) throw new WorkerDeploymentUsageError(`worker-deployment ${command}: missing option --build`);
  const buildId = values.build === undefined ? '' : checked('build', values.build, 'WORKER_BUILD_ID');
  if (command === 'describe' && values.wait !== undefined) throw new WorkerDeploymentUsageError('worker-deployment describe: --wait applies to set-current and wait-drained');
  const waitMs = seconds('wait', values.wait, command === 'set-current' ? 120 : 600) * 1000;
  let temporalConfig;
  try {
    temporalConfig = loadConfig('admin', temporalConfigSchema.pick({ TEMPORAL_ADDRESS: true, TEMPORAL_NAMESPACE: true }), io.env);
  } catch (error) {
    throw new WorkerDeploymentUsageError((error as Error).message);
  }
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: temporalConfig.TEMPORAL_ADDRESS, connectTimeout: '10s' });
  } catch (error) {
    throw new Error(`cannot reach Temporal at ${temporalConfig.TEMPORAL_ADDRESS}: ${(error as Error).message}`);
  }
  const print = (value: unknown) => io.out(JSON.stringify(value, null, 2));
  try {
    const deployments = new WorkerDeployments(connection, temporalConfig.TEMPORAL_NAMESPACE, deploymentName);
    switch (command) {
      case 'describe':
        print(await deployments.describe());
        return 0;
      case 'set-current': {
        const { previous, taskQueues } = await deployments.setCurrent(buildId, waitMs, 'continuum-admin', io.err);
        print({ deployment: deploymentName, current: buildId, previous, taskQueues: taskQueues.sort() });
        io.err(
          previous && previous !== buildId
            ? `New instances start on build ${buildId}. Keep build ${previous}'s workers running until \`worker-deployment wait-drained --build ${previous}\` says it is drained.`
            : `New instances start on build ${buildId}.`,
        );
        return 0;
      }
      default: {
        const current = await deployments.currentBuild().catch((error: unknown) => {
          if (codeOf(error) === NOT_FOUND) throw new WorkerDeploymentUsageError(`--deployment: no worker deployment "${deploymentName}" in namespace ${temporalConfig.TEMPORAL_NAMESPACE}`);
          throw error;
        });
        if (current === buildId) throw new WorkerDeploymentUsageError(`--build: ${buildId} is the current build, where new instances start: it does not drain (make another build current first)`);
        const deadline = Date.now() + waitMs;
        for (;;) {
          const running = await deployments.pinnedRunning(buildId);
          if (running === 0) {
            print({ deployment: deploymentName, buildId, pinnedRunning: 0, drained: true });
            io.err(`No instance runs on build ${buildId} any more: its workers may stop.`);
            return 0;
          }
          if (Date.now() >= deadline) {
            print({ deployment: deploymentName, buildId, pinnedRunning: running, drained: false });
            io.err(`${running} pinned instance(s) still run on build ${buildId}: keep its workers running.`);
            return 1;
          }
          await sleep(Math.min(2_000, Math.max(0, deadline - Date.now())));
        }
      }
    }
  } finally {
    await connection.close();
  }
}
