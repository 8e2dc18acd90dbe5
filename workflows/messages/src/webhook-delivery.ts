import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { WEBHOOK_FINAL_ERROR_TYPES, type WebhookActivities, type WebhookAttemptOutcome, type WebhookDeliveryInput } from '@continuum/contracts';

/**
 * One outbound webhook delivery (or a replay of one): attempts with exponential backoff until the
 * receiver answers 2xx or the attempts run out, then marks the delivery failed. Only ids pass
 * through history: the activity reads the payload and the endpoint from PostgreSQL.
 */
export async function webhookDelivery(input: WebhookDeliveryInput): Promise<WebhookAttemptOutcome | { status: 'failed' }> {
  const { deliveryId, workspaceId, replay, retry } = input;
  const attempts = proxyActivities<WebhookActivities>({
    startToCloseTimeout: '2 minutes',
    retry: {
      maximumAttempts: retry.maximumAttempts,
      initialInterval: retry.initialIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumIntervalMs,
      nonRetryableErrorTypes: [...WEBHOOK_FINAL_ERROR_TYPES],
    },
    summary: `webhook ${deliveryId}`,
  });
  try {
    return await attempts.attemptWebhookDelivery({ deliveryId, workspaceId, replay, maximumAttempts: retry.maximumAttempts });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure ? error.cause.message : error.message;
    const settle = proxyActivities<WebhookActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '1 minute' } });
    await settle.failWebhookDelivery({ deliveryId, workspaceId, replay, error: cause ?? 'failed' });
    return { status: 'failed' };
  }
}
