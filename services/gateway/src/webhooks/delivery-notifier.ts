import { Inject, Injectable } from '@nestjs/common';
import { MessageStore } from '@continuum/data';
import { reportDelivery, type DeliveryReport, type TemporalClientHandle } from '@continuum/temporal';
import { TEMPORAL_CLIENT } from '../core/tokens';

/** Provider reports from the webhooks: recorded, and signalled to the instance that sent the message. */
@Injectable()
export class DeliveryNotifier {
  constructor(
    private readonly messages: MessageStore,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
  ) {}

  /** Returns false for a provider id Continuum never sent. */
  report(report: DeliveryReport): Promise<boolean> {
    return reportDelivery({ messages: this.messages, client: this.temporal.client }, report);
  }
}
