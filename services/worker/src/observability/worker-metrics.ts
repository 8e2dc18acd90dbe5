import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from '@temporalio/common';
import type { JournalObserver } from '@continuum/activities-journal';
import type { SendAttempt, SendObserver } from '@continuum/activities-messaging';
import { parseJourneyWorkflowId, type JournalEntryInput } from '@continuum/contracts';

/** Exit reasons are journey-defined text; long ones are cut so a label stays readable. */
const MAX_REASON_LENGTH = 80;

/**
 * The worker's Prometheus metrics, fed by the activities: journal entries (entries, exits,
 * completions, skipped sends) and provider calls (sends). Each counts once: a retried journal
 * write or a send answered from the outbox is not counted again. Also logs each of them as one
 * JSON line with the workflow id and customer id.
 */
export class WorkerMetrics implements JournalObserver, SendObserver {
  readonly registry = new Registry();
  private readonly entries = new Counter({
    name: 'continuum_journey_entries_total',
    help: 'Journey instances started, by journey',
    labelNames: ['journey'] as const,
    registers: [this.registry],
  });
  private readonly exits = new Counter({
    name: 'continuum_journey_exits_total',
    help: 'Journey instances that exited before completing, by journey and exit reason',
    labelNames: ['journey', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly completions = new Counter({
    name: 'continuum_journey_completions_total',
    help: 'Journey instances that completed, by journey',
    labelNames: ['journey'] as const,
    registers: [this.registry],
  });
  private readonly sends = new Counter({
    name: 'continuum_sends_total',
    help: 'Messages by channel and outcome: sent (provider accepted), failed (refused for good), error (retried), skipped (consent, quiet hours, no address, …)',
    labelNames: ['channel', 'status'] as const,
    registers: [this.registry],
  });

  private readonly build = new Gauge({
    name: 'continuum_worker_build_info',
    help: 'Always 1: the worker deployment and build this worker polls as (WORKER_DEPLOYMENT_NAME, WORKER_BUILD_ID; empty when unversioned)',
    labelNames: ['deployment', 'build_id'] as const,
    registers: [this.registry],
  });

  constructor(private readonly logger?: Logger) {
    collectDefaultMetrics({ register: this.registry });
    // Known send series from 0, so rates and alerts work before the first send.
    for (const status of ['sent', 'failed', 'error', 'skipped'] as const) this.sends.inc({ channel: 'sms', status }, 0);
  }

  /** Names the build this worker runs (worker versioning), or none when unversioned. */
  buildIs(version: { deploymentName: string; buildId: string } | undefined): void {
    this.build.reset();
    this.build.set({ deployment: version?.deploymentName ?? '', build_id: version?.buildId ?? '' }, 1);
  }

  entryRecorded(entry: JournalEntryInput): void {
    const journey = entry.journeyId;
    const context = { ...ids(entry.instanceId, entry.customerId, entry.workspaceId), journeyId: journey, step: entry.step };
    switch (entry.type) {
      case 'entered':
        this.entries.inc({ journey });
        this.logger?.info('journey entered', context);
        break;
      case 'completed':
        this.completions.inc({ journey });
        this.logger?.info('journey completed', context);
        break;
      case 'exited': {
        const reason = String(entry.detail?.['reason'] ?? 'unknown').slice(0, MAX_REASON_LENGTH);
        this.exits.inc({ journey, reason });
        this.logger?.info('journey exited', { ...context, reason });
        break;
      }
      case 'message.skipped': {
        const channel = String(entry.detail?.['channel'] ?? 'unknown');
        this.sends.inc({ channel, status: 'skipped' });
        this.logger?.info('message skipped', { ...context, channel, reason: entry.detail?.['reason'] });
        break;
      }
    }
  }

  sendFinished(attempt: SendAttempt): void {
    this.sends.inc({ channel: attempt.channel, status: attempt.status });
    const { input } = attempt;
    const context = {
      ...ids(input.instanceId, input.customerId, input.workspaceId),
      journeyId: input.journeyId,
      step: input.step,
      channel: attempt.channel,
      status: attempt.status,
      ...(attempt.providerId ? { providerId: attempt.providerId } : {}),
      ...(attempt.errorCode !== undefined ? { errorCode: attempt.errorCode } : {}),
    };
    if (attempt.status === 'sent') this.logger?.info('message sent', context);
    else this.logger?.warn(attempt.status === 'failed' ? 'message failed' : 'message send error, retrying', context);
  }
}

/** Log ids: `customerId` as in the workflow id and the CustomerId search attribute (`<slug>:<userId>` outside the default workspace). */
function ids(workflowId: string, userId: string, workspaceId: string) {
  return { workflowId, customerId: parseJourneyWorkflowId(workflowId)?.customerId ?? userId, userId, workspaceId };
}
