/**
 * Outbound webhooks (docs/webhooks.md): the event types an endpoint subscribes to, and what the
 * delivery workflow hands the webhook activities. Shared by workflow code and activities: keep this
 * file free of drivers.
 */

/** Every event type a webhook endpoint may subscribe to (the `type` of a delivered payload). */
export const WEBHOOK_EVENT_TYPES = [
  'message.sent',
  'message.delivered',
  'message.failed',
  'journey.entered',
  'journey.exited',
  'conversation.escalated',
  'consent.changed',
  'endpoint.disabled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The workflow type and id of one delivery's attempts: `webhook/<webhook-id>/<replay>` (0: the first delivery). */
export const WEBHOOK_DELIVERY_WORKFLOW = 'webhookDelivery';
export function webhookDeliveryWorkflowId(deliveryId: string, replay: number): string {
  return `webhook/${deliveryId}/${replay}`;
}

/** How a delivery's attempts are retried (WEBHOOK_* settings), handed to the workflow. */
export interface WebhookRetryPolicy {
  /** Attempts in all, the first included. */
  maximumAttempts: number;
  /** Delay before the second attempt; each next one is `backoffCoefficient` times longer, up to `maximumIntervalMs`. */
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
}

export interface WebhookDeliveryInput {
  /** The delivery's id, its `webhook-id` (`msg_…`): the payload is read from PostgreSQL, never carried in history. */
  deliveryId: string;
  workspaceId: string;
  /** Which replay of the delivery this is (0: the first delivery). */
  replay: number;
  retry: WebhookRetryPolicy;
}

/** How an attempt ended: the receiver's status when it answered. */
export interface WebhookAttemptOutcome {
  status: 'delivered' | 'skipped';
  statusCode?: number;
}

/**
 * Why a webhook attempt failed (the ApplicationFailure type): a refused address, an endpoint that
 * is gone or disabled are final; anything else is retried until the attempts run out.
 */
export const WEBHOOK_FINAL_ERROR_TYPES = ['WebhookEgressRefused', 'WebhookInvalid', 'WebhookSecretUnavailable'] as const;
export const WEBHOOK_RETRIED_ERROR_TYPES = ['WebhookReceiverFailed'] as const;

export interface WebhookActivities {
  /**
   * Makes one attempt: reads the delivery and its endpoint, signs the payload (Standard Webhooks,
   * the endpoint's secret), POSTs it under the egress guard and logs the attempt. 2xx: delivered.
   * Any other answer, a timeout or a network error throws a retryable failure.
   */
  attemptWebhookDelivery(input: { deliveryId: string; workspaceId: string; replay: number; maximumAttempts: number }): Promise<WebhookAttemptOutcome>;
  /** Marks the delivery failed once its attempts have run out (or a final error stopped them). */
  failWebhookDelivery(input: { deliveryId: string; workspaceId: string; replay: number; error: string }): Promise<void>;
}
