import { registerEnumType } from '@nestjs/graphql';

/** Where an outbox message stands; values are the stored spellings. */
export enum MessageStatusName {
  PENDING = 'pending',
  SENDING = 'sending',
  QUEUED = 'queued',
  SENT = 'sent',
  DELIVERED = 'delivered',
  READ = 'read',
  UNDELIVERED = 'undelivered',
  FAILED = 'failed',
}
registerEnumType(MessageStatusName, {
  name: 'MessageStatus',
  description: 'Where a sent message stands, from the outbox to the provider’s last report',
  valuesMap: {
    PENDING: { description: 'In the outbox, not handed to the provider yet' },
    SENDING: { description: 'Being handed to the provider' },
    QUEUED: { description: 'The provider accepted it and queued it' },
    SENT: { description: 'The provider sent it' },
    DELIVERED: { description: 'The provider reported it delivered' },
    READ: { description: 'The customer read it (channels that report reads)' },
    UNDELIVERED: { description: 'The provider could not deliver it; errorCode says why' },
    FAILED: { description: 'Sending failed; errorCode and errorMessage say why' },
  },
});
