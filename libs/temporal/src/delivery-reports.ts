import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { isBroadcastWorkflowId, messageStatusSignal } from '@continuum/contracts';
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

const TWILIO_STATUSES: ReadonlySet<string> = new Set(['queued', 'sent', 'delivered', 'read', 'undelivered', 'failed']);

/**
 * A Twilio status callback as a report (`outboxId`: the `m` of the callback URL we gave); undefined
 * for a status with nothing to record (`accepted`, `sending`).
 */
export function twilioDeliveryReport(form: { sid: string; status: string; errorCode?: string }, outboxId?: string): DeliveryReport | undefined {
  if (!TWILIO_STATUSES.has(form.status)) return undefined;
  const errorCode = form.errorCode ? Number(form.errorCode) : null;
  return { providerId: form.sid, status: form.status as MessageStatus, errorCode: errorCode !== null && Number.isFinite(errorCode) ? errorCode : null, outboxId };
}

/** SendGrid event → the message status it means; other events (deferred, click, …) change nothing. */
const SENDGRID_EVENT_STATUS: Readonly<Record<string, MessageStatus>> = {
  processed: 'sent',
  delivered: 'delivered',
  open: 'read',
  bounce: 'failed',
  dropped: 'failed',
};

/**
 * One SendGrid Event Webhook event as a report: its `sg_message_id` is the X-Message-Id the send
 * returned followed by ".filter…", and our `continuum_message_id` custom arg finds the message even
 * when the event beats the send's own answer. Undefined for an event that changes no status.
 */
export function sendGridDeliveryReport(event: Record<string, unknown>): DeliveryReport | undefined {
  const { event: name, sg_message_id: sgMessageId, continuum_message_id: outboxId } = event;
  const status = typeof name === 'string' ? SENDGRID_EVENT_STATUS[name] : undefined;
  if (!status || typeof sgMessageId !== 'string') return undefined;
  return { providerId: sgMessageId.split('.')[0]!, status, errorCode: null, outboxId: typeof outboxId === 'string' ? outboxId : undefined };
}

/**
 * Records a provider's report and tells the journey instance that sent the message when it waits
 * for the delivery (`waitForDelivery`, `fallbackAfter`: the message row says so). Others are not
 * told: a signal landing while an instance completes fails its completing workflow task, and an
 * instance that waits later reads the recorded status when it begins to (`watchDelivery`). A
 * repeated report signals again (the instance ignores what it already knows): if the signal failed
 * the first time, the provider's retry delivers it. Returns false for a message Continuum never sent.
 */
export async function reportDelivery(
  deps: { messages: MessageStore; client: Client },
  report: DeliveryReport,
  /** Told of each report that moved a message to a new status (a repeated one is not told again). */
  statusChanged?: (change: { channel: string; status: MessageStatus }) => void,
): Promise<boolean> {
  const message = await deps.messages.applyProviderStatus(report.providerId, report.status, report.errorCode, report.outboxId);
  if (!message) return false;
  if (message.changed) statusChanged?.({ channel: message.channel, status: message.status });
  // A late report (`sent` after `delivered`) changes nothing and tells the instance nothing new.
  if (!message.changed && message.status !== report.status) return true;
  // A broadcast run waits for no delivery: a signal per message would only fill its history.
  if (isBroadcastWorkflowId(message.instanceId) || !message.deliveryAwaited) return true;
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
