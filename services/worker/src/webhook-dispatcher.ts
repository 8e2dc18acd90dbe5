import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { WEBHOOK_DELIVERY_WORKFLOW, webhookDeliveryWorkflowId, type WebhookDeliveryInput, type WebhookRetryPolicy } from '@continuum/contracts';
import { NotificationListener, type WebhookStore } from '@continuum/data';

/** Deliveries handed to Temporal per transaction. */
const BATCH = 100;

export interface WebhookDispatcherOptions {
  webhooks: WebhookStore;
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dataConverter: DataConverter;
  databaseUrl: string;
  retry: WebhookRetryPolicy;
  /** WEBHOOK_DISPATCH_INTERVAL_MS: how often the queue is read when no NOTIFY wakes the dispatcher. */
  intervalMs: number;
  onError?: (error: Error) => void;
}

/**
 * Moves queued webhook deliveries (the outbox the triggers fill) into Temporal: one `webhookDelivery`
 * workflow per delivery and replay, started idempotently by its id, so a dispatcher that dies
 * between the start and the commit only makes the next one find the workflow already started.
 * Woken by NOTIFY `continuum_webhook`; a poll every `intervalMs` catches what a lost notification missed.
 */
export class WebhookDispatcher {
  private readonly client: Client;
  private readonly listener: NotificationListener;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.client = new Client({ connection: options.connection, namespace: options.namespace, dataConverter: options.dataConverter });
    this.listener = new NotificationListener(options.databaseUrl, 'continuum_webhook', () => this.wake(), { applicationName: 'continuum-webhooks' });
  }

  async start(): Promise<void> {
    await this.listener.start();
    this.timer = setInterval(() => this.wake(), this.options.intervalMs);
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener.stop();
    await this.running;
  }

  /** Runs a pass now, or one more after the pass under way. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.options.onError?.(error as Error))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (await this.options.webhooks.dispatch(BATCH, (deliveries) => this.startAll(deliveries))) === BATCH);
  }

  private async startAll(deliveries: Array<{ id: string; workspaceId: string; replays: number }>): Promise<void> {
    await Promise.all(
      deliveries.map(async ({ id, workspaceId, replays }) => {
        const input: WebhookDeliveryInput = { deliveryId: id, workspaceId, replay: replays, retry: this.options.retry };
        try {
          await this.client.workflow.start(WEBHOOK_DELIVERY_WORKFLOW, {
            workflowId: webhookDeliveryWorkflowId(id, replays),
            taskQueue: this.options.taskQueue,
            args: [input],
            staticSummary: `webhook delivery ${id}${replays > 0 ? ` (replay ${replays})` : ''}`,
          });
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        }
      }),
    );
  }
}
