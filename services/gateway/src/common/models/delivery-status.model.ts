import { registerEnumType } from '@nestjs/graphql';

/** Where a message of the outbox stands with its provider; values are the stored spellings (`messages.status`). */
export enum DeliveryStatusName {
  PENDING = 'pending',
  SENDING = 'sending',
  QUEUED = 'queued',
  SENT = 'sent',
  DELIVERED = 'delivered',
  READ = 'read',
  UNDELIVERED = 'undelivered',
  FAILED = 'failed',
}
registerEnumType(DeliveryStatusName, {
  name: 'DeliveryStatus',
  description: 'Where a message that went out stands with its provider, as the provider last reported it',
  valuesMap: {
    PENDING: { description: 'In the outbox, not handed to the provider yet' },
    SENDING: { description: 'Being handed to the provider' },
    QUEUED: { description: 'Accepted by the provider, not sent yet' },
    SENT: { description: 'Sent by the provider' },
    DELIVERED: { description: 'Delivered to the customer' },
    READ: { description: 'Read by the customer (channels that report it)' },
    UNDELIVERED: { description: 'The provider could not deliver it' },
    FAILED: { description: 'Sending failed' },
  },
});
