import { Inject, Injectable } from '@nestjs/common';
import { MessageStore } from '@continuum/data';
import { reportDelivery, type DeliveryReport, type TemporalClientHandle } from '@continuum/temporal';
import { TEMPORAL_CLIENT } from '../core/tokens';
import { GatewayMetrics } from '../observability/gateway-metrics';

/** Provider reports from the webhooks: recorded, and signalled to the instance that sent the message. */
@Injectable()
export class DeliveryNotifier {
  constructor(
    private readonly messages: MessageStore,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: TemporalClientHandle,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Returns false for a provider id Continuum never sent. */
  report(report: DeliveryReport): Promise<boolean> {
    return reportDelivery({ messages: this.messages, client: this.temporal.client }, report, (change) => this.metrics.deliveryReported(change.channel, change.status));
  }
}
