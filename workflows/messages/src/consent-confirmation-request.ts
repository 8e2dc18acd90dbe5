import { proxyActivities } from '@temporalio/workflow';
import type { MessagingActivities, SendMessageInput, SendOutcome } from '@continuum/contracts';

/**
 * The confirmation request of a double opt-in granted through the API or tracking (docs/messaging.md,
 * "Double opt-in"): one transactional send through the outbox (keyed by this workflow, so never
 * twice), started by the gateway once per grant. The customer's YES is handled by the inbound webhook.
 */
export async function consentConfirmationRequest(input: { send: SendMessageInput }): Promise<SendOutcome> {
  const messaging = proxyActivities<MessagingActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 10, maximumInterval: '1 minute', nonRetryableErrorTypes: ['InvalidSendRequest'] },
    summary: `double opt-in request (${input.send.channel})`,
  });
  return messaging.sendMessage(input.send);
}
