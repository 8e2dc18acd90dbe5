import { Module } from '@nestjs/common';
import { TenantAdmin, WebhookStore, type DataSource } from '@continuum/data';
import { DATA_SOURCE, PAYLOAD_CODEC, type PayloadCodecHolder } from '../core/tokens';
import { WebhookDeliveryConnectionTotalCount, WebhookEndpointConnectionTotalCount } from './webhook.models';
import { WebhookDeliveryResolver, WebhookEndpointResolver, WebhooksResolver } from './webhooks.resolver';
import { WebhooksService } from './webhooks.service';

/** Outbound webhooks: endpoints, deliveries and replays (docs/webhooks.md). */
@Module({
  providers: [
    WebhooksResolver,
    WebhookEndpointResolver,
    WebhookDeliveryResolver,
    WebhooksService,
    WebhookEndpointConnectionTotalCount,
    WebhookDeliveryConnectionTotalCount,
    { provide: TenantAdmin, inject: [DATA_SOURCE], useFactory: (dataSource: DataSource) => new TenantAdmin(dataSource) },
    {
      provide: WebhookStore,
      inject: [DATA_SOURCE, PAYLOAD_CODEC],
      // Endpoint secrets are sealed under the workspace's data key when payload encryption is on.
      useFactory: (dataSource: DataSource, { keys }: PayloadCodecHolder) => new WebhookStore(dataSource, keys),
    },
  ],
})
export class OutboundWebhooksModule {}
