import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { customerMergedSignal, customerRef } from '@continuum/contracts';
import { IdentityStore, WorkspaceStore, type ProfileMerge } from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { escapeQuery } from './visibility-query';

const PAGE = 100;
const RETRY_MS = 5_000;

/**
 * Tells the running journey instances of a merged-away customer who they belong to now. Merges are
 * recorded with the event that caused them (in its transaction); this relay signals each running
 * instance of the old customer and then marks the merge propagated. Unpropagated merges are swept
 * at start-up and retried while the gateway runs, so a crash in between loses nothing (a repeated
 * signal changes nothing).
 */
@Injectable()
export class MergePropagator implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MergePropagator.name);
  private running: Promise<void> | undefined;
  private again = false;
  private retry: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    private readonly identities: IdentityStore,
    private readonly workspaces: WorkspaceStore,
  ) {}

  onApplicationBootstrap(): void {
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retry);
    await this.running;
  }

  /** Propagates every merge not yet propagated (returns at once; `settled` waits). */
  kick(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => {
        this.logger.warn(`merge propagation failed, retrying in ${RETRY_MS / 1000} s: ${(error as Error).message}`);
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.kick(), RETRY_MS);
        this.retry.unref();
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when nothing is being propagated (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const merges = await this.identities.unpropagatedMerges(PAGE);
      for (const merge of merges) await this.propagate(merge);
      if (merges.length < PAGE) return;
    }
  }

  private async propagate(merge: ProfileMerge): Promise<void> {
    const workspace = await this.workspaces.getWorkspace(merge.workspaceId);
    if (workspace) {
      const from = customerRef(workspace.slug, merge.fromCustomer);
      const into = customerRef(workspace.slug, merge.intoCustomer);
      const query = `CustomerId = '${escapeQuery(from)}' AND ExecutionStatus = 'Running'`;
      for await (const execution of this.temporal.client.workflow.list({ query })) {
        try {
          await this.temporal.client.workflow
            .getHandle(execution.workflowId)
            .signal(customerMergedSignal, { customerId: merge.intoCustomer, customerRef: into, mergeId: merge.id });
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
        }
      }
    }
    await this.identities.markPropagated(merge.id);
  }
}
