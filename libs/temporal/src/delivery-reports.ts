import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { messageStatusSignal } from '@continuum/contracts';
import type { MessageStatus, MessageStore } from '@continuum/data';

/** A provider's report on one message (a Twilio status callback, a SendGrid event). */
export interface DeliveryReport {
  /** The provider's id (Twilio MessageSid, SendGrid X-Message-Id). */
  providerId: string;
  status: MessageStatus;
  errorCode: number | null;
  /** Our outbox id, when the provider carried it back: finds a message whose send has not recorded the provider's id yet. */
  outboxId?: string;
}

/**
 * Records a provider's report and tells the journey instance that sent the message, so a journey
 * can wait for delivery or failure. A repeated report signals again (the instance ignores what it
 * already knows): if the signal failed the first time, the provider's retry delivers it. Returns
 * false for a message Continuum never sent.
 */
export async function reportDelivery(deps: { messages: MessageStore; client: Client }, report: DeliveryReport): Promise<boolean> {
  const message = await deps.messages.applyProviderStatus(report.providerId, report.status, report.errorCode, report.outboxId);
  if (!message) return false;
  // A late report (`sent` after `delivered`) changes nothing and tells the instance nothing new.
  if (!message.changed && message.status !== report.status) return true;
  try {
    await deps.client.workflow.getHandle(message.instanceId).signal(messageStatusSignal, {
      messageId: message.id,
      runId: message.runId,
      step: message.step,
      status: message.status,
      errorCode: message.errorCode,
      channel: message.channel,
    });
  } catch (error) {
    // The instance has ended: nobody is waiting for this message any more.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  return true;
}
