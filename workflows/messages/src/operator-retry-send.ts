import { proxyActivities } from '@temporalio/workflow';
import type { MessagingActivities, SendOutcome, SendSmsInput } from '@continuum/contracts';

/**
 * An operator's re-send of a message that failed: one send through the messaging activity, as a
 * new outbox row (`<step>#retry-<n>`), so it is sent at most once and consent and frequency caps
 * are checked again at the moment of sending. The instance's journey has long taken its failed
 * branch; this workflow stands alone (started by the gateway's `retryFailedSend`, audited there).
 */
export async function operatorRetrySend(input: { send: SendSmsInput }): Promise<SendOutcome> {
  const messaging = proxyActivities<MessagingActivities>({
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 5, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['InvalidSendRequest'] },
    summary: `operator re-send (${input.send.step})`,
  });
  return messaging.sendSms(input.send);
}
