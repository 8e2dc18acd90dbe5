import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { temporal } from '@temporalio/proto';
import type { GatewayConfig } from '@continuum/config';
import type { TemporalClientHandle } from '@continuum/temporal';
import { GATEWAY_CONFIG, TEMPORAL_CLIENT } from '../core/tokens';

const PROBE_INTERVAL_MS = 500;
const { TaskQueueType, TaskQueueKind } = temporal.api.enums.v1;

/**
 * Admits bulk work (an import's events) into Temporal only while the journeys' task queue keeps
 * up: its backlog of workflow and activity tasks (Temporal's approximate count) stays under
 * ROUTING_BULK_MAX_BACKLOG. Live customers are never held back. An import then goes as fast as the
 * workers take it, without queueing thousands of tasks that every live customer's task would
 * share the engine with.
 *
 * Each read gives a budget (the bound less the backlog) that the journey instances bulk events
 * reach spend until the next read: Temporal caches the count for a few seconds
 * (`matching.TaskQueueInfoByBuildIdTTL`, 5 s by default; the dev server and compose set 1 s), so
 * between fresh reads at most the bound is admitted per read, never an unbounded burst. Events that
 * reach no journey spend nothing. When the backlog cannot be read, one bound's worth is admitted.
 */
@Injectable()
export class BulkAdmission implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BulkAdmission.name);
  private budget: number;
  private timer?: NodeJS.Timeout;
  private readonly listeners: Array<() => void> = [];
  private waiting: () => boolean = () => true;
  private stopped = false;

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.budget = config.ROUTING_BULK_MAX_BACKLOG;
  }

  /** Whether bulk work may be routed now. */
  get admits(): boolean {
    return this.config.ROUTING_BULK_MAX_BACKLOG === 0 || this.budget > 0;
  }

  /** Bulk work reached this many journey instances (each may leave a task in the queue). */
  spent(instances: number): void {
    this.budget -= instances;
  }

  /** Called whenever admission reopens. */
  onOpen(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The backlog is read only while this says bulk work is waiting (no reads for a gateway without imports). */
  readWhile(waiting: () => boolean): void {
    this.waiting = waiting;
  }

  onApplicationBootstrap(): void {
    if (this.config.ROUTING_BULK_MAX_BACKLOG === 0) return;
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void (this.waiting() ? this.probe() : Promise.resolve()).finally(tick), PROBE_INTERVAL_MS);
      this.timer.unref();
    };
    tick();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Reads the backlog once and opens or closes admission. */
  async probe(): Promise<void> {
    try {
      const counts = await Promise.all(
        [TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY].map(async (taskQueueType) => {
          const response = await this.temporal.client.workflowService.describeTaskQueue({
            namespace: this.temporal.client.options.namespace,
            taskQueue: { name: this.config.TEMPORAL_TASK_QUEUE, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
            taskQueueType,
            reportStats: true,
          });
          return Number(response.stats?.approximateBacklogCount ?? 0);
        }),
      );
      this.renew(this.config.ROUTING_BULK_MAX_BACKLOG - counts[0]! - counts[1]!);
    } catch (error) {
      this.logger.debug(`could not read the task queue backlog (one bound's worth of bulk work admitted): ${(error as Error).message}`);
      this.renew(this.config.ROUTING_BULK_MAX_BACKLOG);
    }
  }

  private renew(budget: number): void {
    const reopened = budget > 0 && this.budget <= 0;
    this.budget = budget;
    if (reopened) for (const listener of this.listeners) listener();
  }
}
