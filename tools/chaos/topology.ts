import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { RoutingLeaseStore, openDataSource } from '@continuum/data';
import {
  freePort,
  httpOk,
  stackEngineOptions,
  startEmbeddedPostgres,
  startServiceProcess,
  startStack,
  startTemporalServer,
  stopProcess,
  waitFor,
  type EmbeddedPostgresHandle,
  type ServiceProcess,
  type Stack,
  type TemporalDevServerHandle,
  type TemporalServerEngine,
  type TemporalServerHandle,
} from '@continuum/testing';

const workspaceRoot = resolve(__dirname, '../..');

/** `npm run bundle:workflows` into `target`: the bundle production workers load (`WORKFLOW_BUNDLE_PATH`). */
async function bundleWorkflows(target: string): Promise<string> {
  const { stdout, stderr } = await execFileAsync(
    process.execPath,
    ['-r', join(workspaceRoot, 'tools/register.cjs'), join(workspaceRoot, 'services/worker/src/bundle.ts'), target],
    { cwd: workspaceRoot, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: Error & { stderr?: string }) => {
    throw new Error(`bundling the workflows failed: ${error.stderr?.trim() || error.message}`);
  });
  if (!existsSync(target)) throw new Error(`bundling the workflows wrote no ${target}: ${stdout}${stderr}`);
  return target;
}

/** The parts the chaos program kills with SIGKILL, one kind at a time. */
export type FaultKind = 'gateway' | 'worker' | 'temporal' | 'postgres';
export const FAULT_KINDS: readonly FaultKind[] = ['gateway', 'worker', 'temporal', 'postgres'];

export const GATEWAYS = 3;
/** A service start on a machine loaded by the run itself (and whatever else runs) can take minutes. */
const RESTART_TIMEOUT_MS = 300_000;
export const WORKERS = 2;
const execFileAsync = promisify(execFile);

/**
 * The real-server topology on loopback: one embedded PostgreSQL (Continuum's database and
 * Temporal's two) in a data dir of its own, the real Temporal server as a child process, the Twilio
 * emulator, three gateway processes and two worker processes. Any part can be killed with SIGKILL
 * and restarted on the same ports and data; `supervise()` restarts whatever died meanwhile (as a
 * process supervisor would) and says what it restarted.
 */
export class ChaosTopology {
  readonly gatewayUrls: string[] = [];
  private gateways: ServiceProcess[] = [];
  private gatewayPorts: number[] = [];
  private workers: ServiceProcess[] = [];
  private workerPorts: number[] = [];
  private temporal!: TemporalDevServerHandle | TemporalServerHandle;
  private postgres!: EmbeddedPostgresHandle;
  private engine!: TemporalServerEngine;
  private constructor(
    readonly stack: Stack,
    readonly dataDir: string,
    private readonly postgresPort: number,
  ) {}

  static async start(dataDir: string, serviceEnv: Record<string, string>, log: (line: string) => void = () => undefined): Promise<ChaosTopology> {
    const ports = { temporal: await freePort(), postgres: await freePort(), gateway: await freePort(), emulator: await freePort(), worker: await freePort() };
    const engine = await stackEngineOptions('server', ports.temporal);
    if (!('temporalServer' in engine)) throw new Error('the chaos program runs on the real Temporal server');
    // As in production, every worker (and every restart of one) loads one prebuilt workflow bundle
    // instead of bundling the workflows itself: a worker's start is then seconds, not minutes of CPU.
    log('bundling the workflows once for every worker');
    const workflowBundle = await bundleWorkflows(join(dataDir, 'workflow-bundle.js'));
    const stack = await startStack({
      dataDir,
      ...engine,
      ports,
      serviceEnv: { ...serviceEnv, WORKFLOW_BUNDLE_PATH: workflowBundle },
      serviceReadyTimeoutMs: RESTART_TIMEOUT_MS,
      log,
    });
    const topology = new ChaosTopology(stack, dataDir, ports.postgres);
    topology.engine = engine.temporalServer;
    topology.temporal = stack.temporal;
    topology.postgres = stack.postgres!;
    topology.gateways.push(stack.services.gateway);
    topology.gatewayPorts.push(ports.gateway);
    topology.gatewayUrls.push(stack.gatewayUrl);
    topology.workers.push(stack.services.worker);
    topology.workerPorts.push(ports.worker);
    try {
      log(`starting ${GATEWAYS - 1} more gateways and ${WORKERS - 1} more worker`);
      for (let index = 1; index < GATEWAYS; index++) {
        const port = await freePort();
        topology.gatewayPorts.push(port);
        topology.gatewayUrls.push(`http://127.0.0.1:${port}`);
        topology.gateways.push(await topology.startGateway(index));
      }
      for (let index = 1; index < WORKERS; index++) {
        topology.workerPorts.push(await freePort());
        topology.workers.push(await topology.startWorker(index));
      }
      await topology.waitForLeases();
    } catch (error) {
      await topology.stop();
      throw error;
    }
    return topology;
  }

  get databaseUrl(): string {
    return this.stack.databaseUrl;
  }

  /** Gateway `index` (0 is the stack's: the emulator's webhooks and the status callbacks go to it). */
  private startGateway(index: number): Promise<ServiceProcess> {
    if (index === 0) {
      // The stack's own gateway, started again with the environment it had.
      const { STATUS_CALLBACK_BASE_URL: _callbacks, WORKER_HTTP_PORT: _port, ...common } = this.stack.workerEnv;
      return this.spawnGateway(0, { ...common, GATEWAY_PORT: String(this.gatewayPorts[0]), GATEWAY_PUBLIC_URL: this.gatewayUrls[0]! });
    }
    const { STATUS_CALLBACK_BASE_URL: _callbacks, WORKER_HTTP_PORT: _port, ...common } = this.stack.workerEnv;
    return this.spawnGateway(index, { ...common, GATEWAY_PORT: String(this.gatewayPorts[index]), GATEWAY_PUBLIC_URL: this.gatewayUrls[index]! });
  }

  private spawnGateway(index: number, env: Record<string, string>): Promise<ServiceProcess> {
    return startServiceProcess({
      name: `gateway-${index + 1}`,
      entry: 'services/gateway/src/main.ts',
      env,
      logFile: join(this.dataDir, 'logs', `gateway-${index + 1}.log`),
      ready: () => httpOk(`${this.gatewayUrls[index]}/health`),
      readyTimeoutMs: RESTART_TIMEOUT_MS,
    });
  }

  private startWorker(index: number): Promise<ServiceProcess> {
    const port = this.workerPorts[index]!;
    return startServiceProcess({
      name: `worker-${index + 1}`,
      entry: 'services/worker/src/main.ts',
      env: { ...this.stack.workerEnv, WORKER_HTTP_PORT: String(port) },
      logFile: join(this.dataDir, 'logs', `worker-${index + 1}.log`),
      ready: () => httpOk(`http://127.0.0.1:${port}/health/ready`),
      readyTimeoutMs: RESTART_TIMEOUT_MS,
    });
  }

  private startTemporal(): Promise<TemporalServerHandle> {
    const engine = this.engine;
    return startTemporalServer({
      serverPath: engine.serverPath,
      sqlToolPath: engine.sqlToolPath,
      postgresUrl: this.databaseUrl,
      // The ports it last ran on (its first start may have moved an internal port that was taken).
      ports: 'ports' in this.temporal ? this.temporal.ports : engine.ports!,
      dir: join(this.dataDir, 'temporal-server'),
      logFile: join(this.dataDir, 'logs', 'temporal.log'),
      historyShards: engine.historyShards,
      namespaceRetentionMs: engine.namespaceRetentionMs,
      retriesOnBusyInternalPort: 3,
    });
  }

  /** Every gateway holds routing leases (each live gateway routes a share of the customers). */
  async waitForLeases(timeoutMs = 60_000): Promise<void> {
    const db = await openDataSource(this.databaseUrl, { applicationName: 'continuum-chaos', poolSize: 1 });
    try {
      const store = new RoutingLeaseStore(db);
      await waitFor(`${GATEWAYS} gateways to share the routing partitions`, async () => new Set((await store.holders()).values()).size === GATEWAYS, timeoutMs, 250);
    } finally {
      await db.destroy();
    }
  }

  /** The PID of the PostgreSQL postmaster, from its lock file. */
  private postmasterPid(): number {
    const file = join(this.postgres.dataDir, 'postmaster.pid');
    if (!existsSync(file)) throw new Error(`no ${file}: is PostgreSQL running?`);
    return Number(readFileSync(file, 'utf8').split('\n')[0]);
  }

  /**
   * `kill -9` of one part: the last gateway (a tracking-API gateway; the first gets the emulator's
   * webhooks), the last worker, the Temporal server or the PostgreSQL postmaster. Resolves once it is dead.
   */
  async kill(kind: FaultKind): Promise<void> {
    switch (kind) {
      case 'gateway':
        return this.gateways[GATEWAYS - 1]!.kill();
      case 'worker':
        return this.workers[WORKERS - 1]!.kill();
      case 'temporal': {
        const child = this.temporal.process;
        if (child.exitCode !== null || child.signalCode !== null) return;
        await new Promise<void>((done) => {
          child.once('exit', () => done());
          child.kill('SIGKILL');
        });
        return;
      }
      case 'postgres': {
        const pid = this.postmasterPid();
        process.kill(pid, 'SIGKILL');
        await waitFor('the postmaster to die', async () => !alive(pid), 10_000, 50);
        return;
      }
    }
  }

  /** Starts the killed part again, on the same ports and data. */
  async restart(kind: FaultKind): Promise<void> {
    switch (kind) {
      case 'gateway':
        this.gateways[GATEWAYS - 1] = await this.startGateway(GATEWAYS - 1);
        return;
      case 'worker':
        this.workers[WORKERS - 1] = await this.startWorker(WORKERS - 1);
        return;
      case 'temporal':
        this.temporal = await this.startTemporal();
        return;
      case 'postgres':
        // Backends orphaned by the postmaster's death leave as they notice it; until then the
        // shared memory is in use and a new postmaster refuses to start.
        await waitFor(
          'PostgreSQL to start again on its data dir',
          async () => {
            try {
              this.postgres = await startEmbeddedPostgres({ dataDir: this.postgres.dataDir, port: this.postgresPort });
              return true;
            } catch {
              return false;
            }
          },
          RESTART_TIMEOUT_MS,
          500,
        );
        return;
    }
  }

  /** Restarts every part that has died (besides a kill of ours), as a supervisor would; names them. */
  supervise(): Promise<string[]> {
    // One supervision at a time: two would start the same part twice on its ports.
    const next = this.supervision.then(() => this.restartDead());
    this.supervision = next.catch(() => []);
    return next;
  }

  private supervision: Promise<unknown> = Promise.resolve();

  private async restartDead(): Promise<string[]> {
    const restarted: string[] = [];
    if (!alive(this.postmasterPidOrZero())) {
      await this.restart('postgres');
      restarted.push('postgres');
    }
    if (exited(this.temporal.process)) {
      await this.restart('temporal');
      restarted.push('temporal');
    }
    for (let index = 0; index < this.gateways.length; index++) {
      if (exited(this.gateways[index]!.process)) {
        this.gateways[index] = await this.startGateway(index);
        restarted.push(`gateway-${index + 1}`);
      }
    }
    for (let index = 0; index < this.workers.length; index++) {
      if (exited(this.workers[index]!.process)) {
        this.workers[index] = await this.startWorker(index);
        restarted.push(`worker-${index + 1}`);
      }
    }
    return restarted;
  }

  private postmasterPidOrZero(): number {
    try {
      return this.postmasterPid();
    } catch {
      return 0;
    }
  }

  async stop(): Promise<void> {
    const quietly = (promise: Promise<void>) => promise.catch(() => undefined);
    await Promise.all(this.gateways.map((gateway) => quietly(gateway.stop())));
    await Promise.all(this.workers.map((worker) => quietly(worker.stop())));
    if (this.stack.services.emulator) await quietly(this.stack.services.emulator.stop());
    if (this.temporal) await quietly(this.temporal.stop());
    if (this.temporal && !exited(this.temporal.process)) await quietly(stopProcess(this.temporal.process));
    if (this.postgres && alive(this.postmasterPidOrZero())) await quietly(this.postgres.stop());
    await sleep(0);
  }
}

function alive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const exited = (child: { exitCode: number | null; signalCode: NodeJS.Signals | null }) => child.exitCode !== null || child.signalCode !== null;
