import { Inject, Injectable } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/client';
import { messageStatusSignal } from '@continuum/contracts';
import { MessageStore, type MessageStatus } from '@continuum/data';
import type { TemporalClientHandle } from '@continuum/temporal';
import { TEMPORAL_CLIENT } from '../core/tokens';

/**
 * Records a provider's status report and tells the journey instance that sent the message, so a
 * journey can wait for delivery or failure. A repeated report signals again (the instance ignores
 * what it already knows): if the signal failed the first time, the provider's retry delivers it.
 */
@Injectable()
export class DeliveryNotifier {
  constructor(
    private readonly messages: MessageStore,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
  ) {}

  /** Returns false for a provider id Continuum never sent. */
  async report(providerId: string, status: MessageStatus, errorCode: number | null, outboxId?: string): Promise<boolean> {
    const message = await this.messages.applyProviderStatus(providerId, status, errorCode, outboxId);
    if (!message) return false;
    // A late report (`sent` after `delivered`) changes nothing and tells the instance nothing new.
    if (!message.changed && message.status !== status) return true;
    try {
      await this.temporal.client.workflow.getHandle(message.instanceId).signal(messageStatusSignal, {
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
}
